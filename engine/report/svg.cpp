#include "report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace secondear::report::svg {
namespace {

// Longest polyline we draw: a 760-unit plot cannot show more than about two points per unit, and
// 1500 points keep a 16-track page far under its 2 MB budget.
constexpr std::size_t k_max_points = 1500;

// Plot frame margins in viewBox units: room for the y tick labels, the legend and the x labels.
constexpr double k_left = 60.0;
constexpr double k_right = 16.0;
constexpr double k_top = 30.0;
constexpr double k_bottom = 42.0;

const char* dash(Stroke stroke) {
    switch (stroke) {
        case Stroke::dashed:
            return " stroke-dasharray=\"7 4\"";
        case Stroke::dotted:
            return " stroke-dasharray=\"2 3\"";
        case Stroke::solid:
            break;
    }
    return "";
}

std::string coord(double v) {
    return number(v, 1);
}

double axis_fraction(const Axis& axis, double v) {
    if (axis.scale == Scale::log) {
        const double lo = std::max(axis.lo, 1e-9);
        const double hi = std::max(axis.hi, lo * 1.0001);
        return std::log10(std::max(v, 1e-9) / lo) / std::log10(hi / lo);
    }
    const double span = axis.hi - axis.lo;
    return span > 0.0 ? (v - axis.lo) / span : 0.5;
}

std::string tick_label(const Axis& axis, double v) {
    if (axis.scale == Scale::log && v >= 1000.0) return number(v / 1000.0, 1) + "k";
    return number(v, 2);
}

std::string open_svg(const std::string& id, double w, double h, const std::string& title,
                     const std::string& desc) {
    return fmt::format(
        "<svg class=\"plot\" id=\"{0}\" viewBox=\"0 0 {1} {2}\" role=\"img\" "
        "aria-labelledby=\"{0}-t {0}-d\" preserveAspectRatio=\"xMidYMid meet\">"
        "<title id=\"{0}-t\">{3}</title><desc id=\"{0}-d\">{4}</desc>",
        escape(id), coord(w), coord(h), escape(title), escape(desc));
}

std::string no_data(double w, double h) {
    return fmt::format(
        "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\"/>"
        "<text class=\"nodata\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">no data</text>",
        coord(w - 1.0), coord(h - 1.0), coord(w / 2.0), coord(h / 2.0));
}

// Points of `pts` as polyline runs split at gaps; runs shorter than two points are dropped.
std::vector<std::string> runs(const std::vector<Point>& pts, auto&& map_x, auto&& map_y) {
    std::vector<std::string> out;
    std::string current;
    int count = 0;
    auto flush = [&] {
        if (count >= 2) out.push_back(current);
        current.clear();
        count = 0;
    };
    for (const auto& p : pts) {
        if (!std::isfinite(p.y) || !std::isfinite(p.x)) {
            flush();
            continue;
        }
        if (count > 0) current += ' ';
        current += coord(map_x(p.x)) + "," + coord(map_y(p.y));
        ++count;
    }
    flush();
    return out;
}

// Long labels keep their end (the most specific part of a path such as "...bands[0].gain_db").
std::string clip_label(const std::string& label, std::size_t max_chars) {
    if (label.size() <= max_chars) return label;
    std::size_t start = label.size() - (max_chars - 1);
    // Never start inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (start < label.size() && (static_cast<unsigned char>(label[start]) & 0xC0) == 0x80)
        ++start;
    return "\u2026" + label.substr(start);
}

std::string legend_item(double x, double y, const std::string& label, Stroke stroke,
                        const std::string& css) {
    return fmt::format(
        "<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>"
        "<text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>",
        css, coord(x), coord(y), coord(x + 26.0), coord(y), dash(stroke), coord(x + 31.0),
        coord(y + 4.0), escape(label));
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string number(double value, int max_decimals) {
    if (std::isnan(value)) return "n/a";
    if (std::isinf(value)) return value > 0 ? "+inf" : "-inf";
    std::string s = fmt::format("{:.{}f}", value, std::max(0, max_decimals));
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

std::vector<Point> decimate(const std::vector<Point>& points, std::size_t max_points) {
    if (points.size() <= max_points || max_points < 3) return points;
    // Up to three points per bucket: min, max and a gap marker.
    const std::size_t buckets = max_points / 3;
    const std::size_t size = (points.size() + buckets - 1) / buckets;
    std::vector<Point> out;
    out.reserve(max_points);
    for (std::size_t start = 0; start < points.size(); start += size) {
        const std::size_t end = std::min(points.size(), start + size);
        std::size_t lo = end, hi = end, gap = end;
        for (std::size_t i = start; i < end; ++i) {
            if (!std::isfinite(points[i].y)) {
                if (gap == end) gap = i;
                continue;
            }
            if (lo == end || points[i].y < points[lo].y) lo = i;
            if (hi == end || points[i].y > points[hi].y) hi = i;
        }
        // Emitted in time order; the gap keeps its own position so the line breaks there.
        std::size_t keep[3] = {lo, hi, gap};
        std::sort(std::begin(keep), std::end(keep));
        for (std::size_t k = 0; k < 3; ++k)
            if (keep[k] != end && (k == 0 || keep[k] != keep[k - 1]))
                out.push_back(points[keep[k]]);
    }
    return out;
}

std::vector<double> linear_ticks(double lo, double hi, int approx_count) {
    if (!(hi > lo) || approx_count < 1) return {lo};
    const double raw = (hi - lo) / approx_count;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * mag;
        if (step >= raw) break;
    }
    std::vector<double> out;
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-6; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

std::vector<double> log_ticks(double lo, double hi) {
    std::vector<double> out;
    if (!(lo > 0.0) || !(hi > lo)) return out;
    for (int d = static_cast<int>(std::floor(std::log10(lo)));
         d <= static_cast<int>(std::ceil(std::log10(hi))); ++d)
        for (double m : {1.0, 2.0, 5.0}) {
            const double v = m * std::pow(10.0, d);
            if (v >= lo * 0.999 && v <= hi * 1.001) out.push_back(v);
        }
    return out;
}

std::string line_plot(const LinePlot& plot) {
    const double w = plot.width, h = plot.height;
    const double pw = w - k_left - k_right, ph = h - k_top - k_bottom;
    auto map_x = [&](double x) {
        return k_left + std::clamp(axis_fraction(plot.x, x), 0.0, 1.0) * pw;
    };
    auto map_y = [&](double y) {
        return k_top + (1.0 - std::clamp(axis_fraction(plot.y, y), 0.0, 1.0)) * ph;
    };
    std::vector<std::vector<std::string>> drawn;
    bool any = false;
    for (const auto& s : plot.series) {
        drawn.push_back(runs(decimate(s.points, k_max_points), map_x, map_y));
        any = any || !drawn.back().empty();
    }
    std::string out = open_svg(plot.id, w, h, plot.title, plot.desc);
    if (!any) return out + no_data(w, h) + "</svg>";

    for (std::size_t i = 0; i < plot.bands.size(); ++i) {
        const auto& b = plot.bands[i];
        const double x0 = map_x(b.x0), x1 = map_x(b.x1);
        out += fmt::format(
            "<rect class=\"band band{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
            "<text class=\"bandlabel\" x=\"{}\" y=\"{}\">{}</text>",
            i % 2, coord(x0), coord(k_top), coord(std::max(0.0, x1 - x0)), coord(ph),
            coord(x0 + 3.0), coord(k_top + 11.0), escape(b.label));
    }
    const auto xt = plot.x.scale == Scale::log ? log_ticks(plot.x.lo, plot.x.hi)
                                               : linear_ticks(plot.x.lo, plot.x.hi, 8);
    for (double t : xt)
        out += fmt::format(
            "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
            "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
            coord(map_x(t)), coord(k_top), coord(k_top + ph), coord(k_top + ph + 14.0),
            tick_label(plot.x, t));
    for (double t : linear_ticks(plot.y.lo, plot.y.hi, 5))
        out += fmt::format(
            "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>"
            "<text class=\"tick\" x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>",
            coord(k_left), coord(map_y(t)), coord(k_left + pw), coord(k_left - 5.0),
            coord(map_y(t) + 4.0), tick_label(plot.y, t));
    out += fmt::format(
        "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
        "<text class=\"axislabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
        "<text class=\"axislabel\" transform=\"translate(13 {}) rotate(-90)\" "
        "text-anchor=\"middle\">{}</text>",
        coord(k_left), coord(k_top), coord(pw), coord(ph), coord(k_left + pw / 2.0), coord(h - 8.0),
        escape(plot.x.label), coord(k_top + ph / 2.0), escape(plot.y.label));
    for (const auto& g : plot.guides) {
        const double y = map_y(g.y);
        out += fmt::format(
            "<line class=\"guide\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
            "stroke-dasharray=\"10 3 2 3\"/>"
            "<text class=\"guidelabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            coord(k_left), coord(y), coord(k_left + pw), coord(y), coord(k_left + pw - 3.0),
            coord(y - 3.0), escape(g.label));
    }
    for (std::size_t i = 0; i < plot.series.size(); ++i)
        for (const auto& run : drawn[i])
            out += fmt::format("<polyline class=\"series c{}\" points=\"{}\"{}/>",
                               plot.series[i].colour, run, dash(plot.series[i].stroke));
    double lx = k_left;
    for (const auto& s : plot.series) {
        out += legend_item(lx, 14.0, s.label, s.stroke, fmt::format("series c{}", s.colour));
        lx += 40.0 + 6.5 * static_cast<double>(s.label.size());
    }
    return out + "</svg>";
}

std::string paired_bars(const PairedBars& chart) {
    constexpr double row_h = 38.0, label_w = 250.0, value_w = 170.0, top = 28.0;
    const double w = chart.width;
    const double h = top + row_h * static_cast<double>(chart.rows.size()) + 8.0;
    std::string out = open_svg(chart.id, w, std::max(h, 80.0), chart.title, chart.desc);
    if (chart.rows.empty()) return out + no_data(w, 80.0) + "</svg>";
    out += fmt::format(
        "<rect class=\"bar before\" x=\"{0}\" y=\"8\" width=\"22\" height=\"10\"/>"
        "<text class=\"legend\" x=\"{1}\" y=\"17\">{2}</text>"
        "<rect class=\"bar after\" x=\"{3}\" y=\"8\" width=\"22\" height=\"10\"/>"
        "<text class=\"legend\" x=\"{4}\" y=\"17\">{5}</text>",
        coord(label_w), coord(label_w + 27.0), escape(chart.before_label), coord(label_w + 120.0),
        coord(label_w + 147.0), escape(chart.after_label));
    const double half = (w - label_w - value_w) / 2.0;
    const double zero = label_w + half;
    for (std::size_t i = 0; i < chart.rows.size(); ++i) {
        const auto& r = chart.rows[i];
        const double y = top + row_h * static_cast<double>(i);
        double scale = std::max(std::abs(r.before), std::abs(r.after));
        if (!(scale > 0.0) || !std::isfinite(scale)) scale = 1.0;
        auto bar = [&](double v, double yy, const char* cls) {
            const double len = std::isfinite(v) ? std::abs(v) / scale * (half - 4.0) : 0.0;
            const double x = v < 0.0 ? zero - len : zero;
            return fmt::format(
                "<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\"/>", cls,
                coord(x), coord(yy), coord(std::max(len, 1.0)));
        };
        out +=
            fmt::format("<text class=\"rowlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                        coord(label_w - 8.0), coord(y + 18.0), escape(clip_label(r.label, 36)));
        out += bar(r.before, y + 4.0, "before") + bar(r.after, y + 18.0, "after");
        out += fmt::format(
            "<line class=\"zero\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
            "<text class=\"value\" x=\"{3}\" y=\"{4}\">{5} \u2192 {6} {7}</text>",
            coord(zero), coord(y + 2.0), coord(y + 32.0), coord(w - value_w + 8.0), coord(y + 18.0),
            number(r.before), number(r.after), escape(r.unit));
    }
    return out + "</svg>";
}

std::string lane_map(const LaneMap& map) {
    constexpr double label_w = 170.0, strip_h = 34.0, lane_h = 46.0, top = 6.0;
    const double w = map.width;
    const double pw = w - label_w - k_right;
    const double h = top + strip_h + lane_h * static_cast<double>(map.lanes.size()) + 40.0;
    std::string out = open_svg(map.id, w, h, map.title, map.desc);
    if ((map.sections.empty() && map.lanes.empty()) || !(map.duration_s > 0.0))
        return out + no_data(w, h) + "</svg>";
    auto map_x = [&](double t) { return label_w + std::clamp(t / map.duration_s, 0.0, 1.0) * pw; };
    out += fmt::format(
        "<text class=\"rowlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">sections</text>",
        coord(label_w - 8.0), coord(top + 21.0));
    for (std::size_t i = 0; i < map.sections.size(); ++i) {
        const auto& s = map.sections[i];
        const double x0 = map_x(s.x0), x1 = map_x(s.x1);
        out += fmt::format(
            "<rect class=\"section band{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
            "<text class=\"bandlabel\" x=\"{}\" y=\"{}\">{}</text>",
            i % 2, coord(x0), coord(top), coord(std::max(0.0, x1 - x0)), coord(strip_h - 4.0),
            coord(x0 + 3.0), coord(top + 19.0), escape(s.label));
    }
    for (std::size_t i = 0; i < map.lanes.size(); ++i) {
        const auto& lane = map.lanes[i];
        const double y0 = top + strip_h + lane_h * static_cast<double>(i);
        // Automation holds its first and last values outside the points (linear in between).
        std::vector<Point> pts = lane.points;
        if (!pts.empty()) {
            if (pts.front().x > 0.0) pts.insert(pts.begin(), {0.0, pts.front().y});
            if (pts.back().x < map.duration_s) pts.push_back({map.duration_s, pts.back().y});
        }
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (const auto& p : pts)
            if (std::isfinite(p.y)) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
        if (!(hi > lo)) lo -= 1.0, hi += 1.0;
        auto map_y = [&](double v) {
            return y0 + 6.0 + (1.0 - (v - lo) / (hi - lo)) * (lane_h - 14.0);
        };
        out += fmt::format(
            "<rect class=\"lane\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
            "<text class=\"rowlabel\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{} to {} {}</text>",
            coord(label_w), coord(y0 + 2.0), coord(pw), coord(lane_h - 6.0), coord(label_w - 8.0),
            coord(y0 + 20.0), escape(lane.label), coord(label_w - 8.0), coord(y0 + 34.0),
            number(lo), number(hi), escape(lane.unit));
        for (const auto& run : runs(decimate(pts, k_max_points), map_x, map_y))
            out += fmt::format("<polyline class=\"series c1\" points=\"{}\"/>", run);
    }
    const double axis_y = h - 34.0;
    for (double t : linear_ticks(0.0, map.duration_s, 10))
        out +=
            fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                        coord(map_x(t)), coord(axis_y + 12.0), number(t, 0));
    out += fmt::format(
        "<text class=\"axislabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">Time (s)</text>",
        coord(label_w + pw / 2.0), coord(h - 2.0));
    return out + "</svg>";
}

std::string waveform(const Waveform& wave) {
    const double w = wave.width, h = wave.height;
    std::string out = open_svg(wave.id, w, h, wave.title, wave.desc);
    std::size_t finite = 0;
    for (const auto& p : wave.amplitude) finite += std::isfinite(p.y) ? 1 : 0;
    if (finite < 2 || !(wave.duration_s > 0.0)) return out + no_data(w, h) + "</svg>";
    const double pw = w - k_left - k_right, mid = (h - 16.0) / 2.0, half = mid - 3.0;
    auto map_x = [&](double t) { return k_left + std::clamp(t / wave.duration_s, 0.0, 1.0) * pw; };
    // Half the polyline budget per edge: the polygon runs along the top and back along the bottom.
    const auto pts = decimate(wave.amplitude, k_max_points / 2);
    std::string top, bottom;
    for (const auto& p : pts) {
        const double a = std::isfinite(p.y) ? std::clamp(p.y, 0.0, 1.0) : 0.0;
        top += coord(map_x(p.x)) + "," + coord(mid - a * half) + " ";
    }
    for (auto it = pts.rbegin(); it != pts.rend(); ++it) {
        const double a = std::isfinite(it->y) ? std::clamp(it->y, 0.0, 1.0) : 0.0;
        bottom += coord(map_x(it->x)) + "," + coord(mid + a * half) + " ";
    }
    bottom.pop_back();
    out += fmt::format(
        "<rect class=\"frame\" x=\"{}\" y=\"1\" width=\"{}\" height=\"{}\"/>"
        "<line class=\"zero\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"
        "<polygon class=\"wave\" points=\"{}{}\"/>",
        coord(k_left), coord(pw), coord(h - 18.0), coord(k_left), coord(mid), coord(k_left + pw),
        coord(mid), top, bottom);
    for (double t : linear_ticks(0.0, wave.duration_s, 10))
        out +=
            fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                        coord(map_x(t)), coord(h - 3.0), number(t, 0));
    return out + "</svg>";
}

}  // namespace secondear::report::svg
