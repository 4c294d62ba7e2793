#pragma once
// The report as one self-contained HTML page (docs/report.md): inline CSS and inline SVG plots
// drawn by report/svg.hpp, no external fonts, images, scripts or URLs; one small inline script
// drives the loudness-matched A/B toggle of revision reports.
//
// Input is the report JSON that the engine writes as report.json: kind "master"
// (master_report_json), "mix" (tracks, buses, sections, the mix analysis and a master report) or
// "revision" (request, directives, changes, verification). Optional timelines are drawn when
// present: before/after.short_term_lufs_per_100ms, after.true_peak_dbtp_per_100ms,
// before/after.envelope_db_per_100ms, limiter.gain_reduction_db_per_100ms and a top-level
// reference_spectrum / target_spectrum [{hz, db}]. A missing value never breaks the page: its
// plot says "no data".
//
// Every text from the JSON (names, paths, rationale) is HTML-escaped. Audio players link the
// rendered files by their relative paths as given; a path with a URL scheme is shown, not linked.
// Long timelines are decimated (at most 1500 points per polyline) so a 16-track page stays small.

#include <string>

#include <nlohmann/json.hpp>

namespace secondear::report {

/// The page for a report JSON object. Throws secondear::Error (input_invalid) when `kind` is not
/// "master", "mix" or "revision".
std::string html_report(const nlohmann::json& report);

}  // namespace secondear::report
