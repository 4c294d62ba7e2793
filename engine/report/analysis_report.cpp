#include "report/analysis_report.hpp"

#include <cmath>

#include <fmt/format.h>

namespace secondear::report {

using nlohmann::json;

json db_json(double db) {
    if (!std::isfinite(db)) return nullptr;
    return std::round(db * 100.0) / 100.0;  // 0.01 dB: finer than any meter's tolerance
}

json evidence_json(const analysis::Evidence& evidence) {
    json out = json::object();
    for (const auto& [name, value] : evidence)
        out[name] = std::isfinite(value) ? json(value) : json(nullptr);
    return out;
}

json problems_json(const std::vector<analysis::Problem>& problems) {
    json out = json::array();
    for (const auto& p : problems)
        out.push_back(
            {{"code", p.code}, {"text", p.text}, {"evidence", evidence_json(p.evidence)}});
    return out;
}

json analysis_json(const analysis::Analysis& a, const std::string& path) {
    json spectrum = json::array();
    for (const auto& band : a.spectrum_third_octave)
        spectrum.push_back({{"hz", band.hz}, {"db", db_json(band.db)}});
    return {
        {"path", path},
        {"sample_rate_hz", a.sample_rate_hz},
        {"channels", a.channels},
        {"frames", a.frames},
        {"duration_s", std::round(a.duration_s * 1000.0) / 1000.0},
        {"integrated_lufs", db_json(a.loudness.integrated_lufs)},
        {"momentary_max_lufs", db_json(a.loudness.momentary_max_lufs)},
        {"short_term_max_lufs", db_json(a.loudness.short_term_max_lufs)},
        {"loudness_range_lu", db_json(a.loudness.loudness_range_lu)},
        {"sample_peak_dbfs", db_json(a.loudness.sample_peak_dbfs)},
        {"true_peak_dbtp", db_json(a.loudness.true_peak_dbtp)},
        {"rms_dbfs", db_json(a.rms_dbfs)},
        {"crest_db", db_json(a.crest_db)},
        {"plr_db", db_json(a.plr_db)},
        {"dc_offset_dbfs", db_json(a.dc_offset_dbfs)},
        {"correlation", std::round(a.correlation * 1000.0) / 1000.0},
        {"side_mid_ratio_db", db_json(a.side_mid_ratio_db)},
        {"spectral_centroid_hz", std::round(a.spectral_centroid_hz)},
        {"spectral_tilt_db_per_octave", std::round(a.spectral_tilt_db_per_octave * 100.0) / 100.0},
        {"clipping",
         {{"clipped_samples", a.clipping.clipped_samples},
          {"runs", a.clipping.runs},
          {"longest_run_samples", a.clipping.longest_run_samples}}},
        {"noise_floor_dbfs", db_json(a.noise_floor_dbfs)},
        {"silence_s", std::round(a.silence_s * 100.0) / 100.0},
        {"spectrum_third_octave", spectrum},
        {"problems", problems_json(a.problems)},
    };
}

namespace {

std::string level(double db, const char* unit) {
    return std::isfinite(db) ? fmt::format("{:.1f} {}", db, unit) : std::string("silent");
}

}  // namespace

std::string analysis_text(const analysis::Analysis& a, const std::string& path) {
    const auto& l = a.loudness;
    std::string out = fmt::format("{}\n  {:.2f} s, {} Hz, {}\n", path, a.duration_s,
                                  a.sample_rate_hz, a.channels == 1 ? "mono" : "stereo");
    out += fmt::format("  Loudness     {} integrated (whole programme, gated, BS.1770-4)\n",
                       level(l.integrated_lufs, "LUFS"));
    out += fmt::format("               {} short-term max (3 s), {} momentary max (400 ms)\n",
                       level(l.short_term_max_lufs, "LUFS"), level(l.momentary_max_lufs, "LUFS"));
    out += fmt::format(
        "               {:.1f} LU loudness range (how much the level moves, EBU 3342)\n",
        l.loudness_range_lu);
    out += fmt::format("  Peaks        {} true peak (4x oversampled), {} sample peak\n",
                       level(l.true_peak_dbtp, "dBTP"), level(l.sample_peak_dbfs, "dBFS"));
    out += fmt::format(
        "  Dynamics     {:.1f} dB crest (peak to RMS), {:.1f} dB PLR (true peak to loudness)\n",
        a.crest_db, a.plr_db);
    if (a.channels == 2)
        out += fmt::format(
            "  Stereo       correlation {:+.2f} (+1 mono, 0 wide, below 0 phase trouble), "
            "side {} relative to mid\n",
            a.correlation, level(a.side_mid_ratio_db, "dB"));
    out += fmt::format(
        "  Tone         centroid {:.0f} Hz, tilt {:+.1f} dB/octave (pink noise is -3)\n",
        a.spectral_centroid_hz, a.spectral_tilt_db_per_octave);
    out += fmt::format(
        "  Floor        quietest passages {} (5th percentile of 50 ms), {:.1f} s of silence\n",
        level(a.noise_floor_dbfs, "dBFS"), a.silence_s);
    if (a.problems.empty()) {
        out += "  Problems     none found\n";
    } else {
        for (const auto& p : a.problems)
            out += fmt::format("  Problem      {}: {}\n", p.code, p.text);
    }
    return out;
}

}  // namespace secondear::report
