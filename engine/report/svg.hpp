#pragma once
// Small inline-SVG plotting helpers for the HTML report: axes with ticks and labels (linear or
// log), polylines with gaps, shaded x-bands, reference lines, paired before/after bars, lane maps
// and waveform overviews. Output is a self-contained <svg> element (no namespace URL needed inside
// HTML5, no external references) sized by viewBox so it scales with the page.
//
// Every plot is `<svg class="plot">` with a <title> and <desc>; a plot without data draws the
// text "no data" instead of an empty path. Line styles (solid, dashed, dotted) and legend labels
// carry meaning, so nothing depends on colour alone. Coordinates are written with one decimal:
// a 760-unit-wide plot needs no finer resolution.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secondear::report::svg {

/// A data point; y = NaN marks a gap (e.g. silence, where short-term loudness is undefined).
struct Point {
    double x = 0.0;
    double y = 0.0;
};

/// HTML/XML text escaping: & < > " ' (safe in text and in quoted attributes).
std::string escape(std::string_view text);

/// A number for people: at most `max_decimals` decimals, trailing zeros removed, no "-0".
std::string number(double value, int max_decimals = 2);

/// At most `max_points` points, keeping the minimum and maximum of each bucket in time order so
/// that peaks survive (a min/max decimation, as waveform displays do). Gaps (NaN) are kept as
/// gaps: a bucket holding any gap emits one gap point. Cost O(n).
std::vector<Point> decimate(const std::vector<Point>& points, std::size_t max_points);

/// Round tick values covering [lo, hi] with a 1-2-5 step, about `approx_count` of them.
std::vector<double> linear_ticks(double lo, double hi, int approx_count);
/// 1-2-5 ticks per decade within [lo, hi] (lo > 0).
std::vector<double> log_ticks(double lo, double hi);

enum class Scale { linear, log };
enum class Stroke { solid, dashed, dotted };

struct Axis {
    std::string label;  // with unit, e.g. "Frequency (Hz)"
    double lo = 0.0;
    double hi = 1.0;
    Scale scale = Scale::linear;
};

struct Series {
    std::string label;
    std::vector<Point> points;
    Stroke stroke = Stroke::solid;
    int colour = 0;  // index into the report's palette (CSS classes c0..c3)
};

/// A shaded x-range with a label at its top (song sections).
struct Band {
    double x0 = 0.0;
    double x1 = 0.0;
    std::string label;
};

/// A horizontal reference line (a target, a ceiling) with its label.
struct Guide {
    double y = 0.0;
    std::string label;
};

struct LinePlot {
    std::string id;  // unique in the page; used for aria ids
    std::string title;
    std::string desc;
    Axis x;
    Axis y;
    std::vector<Series> series;
    std::vector<Band> bands;
    std::vector<Guide> guides;
    double width = 760.0;
    double height = 280.0;
};

/// Axes, grid, bands, guides, one polyline per contiguous run of each series, and a legend.
/// Points outside the y range are clamped to its edge.
std::string line_plot(const LinePlot& plot);

/// One row of a before/after comparison; each row has its own scale (rows differ in units), so
/// bars show the change within a row and the numbers are written beside them.
struct PairRow {
    std::string label;
    double before = 0.0;
    double after = 0.0;
    std::string unit;
};

struct PairedBars {
    std::string id;
    std::string title;
    std::string desc;
    std::string before_label = "before";
    std::string after_label = "after";
    std::vector<PairRow> rows;
    double width = 760.0;
};

/// Diverging bars around zero: before hatched-grey, after solid, both labelled with values.
std::string paired_bars(const PairedBars& chart);

/// An automation lane: the points of one parameter over time (linear ramps between points).
struct Lane {
    std::string label;
    std::vector<Point> points;
    std::string unit;
};

struct LaneMap {
    std::string id;
    std::string title;
    std::string desc;
    double duration_s = 0.0;
    std::vector<Band> sections;
    std::vector<Lane> lanes;
    double width = 760.0;
};

/// A section strip across the song with one lane per automated parameter below it, each lane
/// scaled to its own range (written at its left).
std::string lane_map(const LaneMap& map);

struct Waveform {
    std::string id;
    std::string title;
    std::string desc;
    std::vector<Point> amplitude;  // x = time_s, y = linear amplitude 0..1 (NaN = silence)
    double duration_s = 0.0;
    double width = 760.0;
    double height = 90.0;
};

/// A mirrored envelope (the familiar waveform overview) drawn as one filled polygon.
std::string waveform(const Waveform& wave);

}  // namespace secondear::report::svg
