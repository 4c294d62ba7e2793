#include "report/master_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "report/analysis_report.hpp"
#include "report/plan_json.hpp"

namespace secondear::report {
namespace {

analysis::Evidence stats_for(const render::MasterRenderResult& r, const std::string& id) {
    for (const auto& [sid, ev] : r.processor_stats)
        if (sid == id) return ev;
    return {};
}

double loudness_error(const MasterReportInput& in) {
    return in.render.after.loudness.integrated_lufs - in.plan.master.target.loudness_lufs;
}

}  // namespace

nlohmann::json master_report_json(const MasterReportInput& in) {
    using nlohmann::json;
    const auto& m = in.plan.master;
    json processors = json::array();
    for (const auto& e : m.chain) {
        json j = entry_json(e);
        j["measured"] = evidence_json(stats_for(in.render, e.id));
        processors.push_back(j);
    }
    if (m.clipper) {
        json j = entry_json(*m.clipper);
        j["measured"] = evidence_json(stats_for(in.render, m.clipper->id));
        processors.push_back(j);
    }
    json limiter = {
        {"id", "master.limiter"}, {"type", "limiter"}, {"params", limiter_json(m.limiter)}};
    limiter["rationale"] = rationale_json(plan::Rationale{
        "TRUE_PEAK_LIMIT_TO_TARGET",
        fmt::format(
            "Drive {:+.2f} dB into a true-peak limiter (4x oversampled detection, {:.1f} ms "
            "lookahead) lands the master on {:.1f} LUFS with peaks at or under {:.1f} dBTP.",
            in.render.drive_db, m.limiter.lookahead_ms, m.target.loudness_lufs,
            m.target.ceiling_dbtp),
        {{"drive_db", in.render.drive_db}, {"pre_limiter_lufs", in.render.pre_limiter_lufs}}});
    limiter["measured"] = {
        {"max_gain_reduction_db", in.render.limiter_max_gain_reduction_db},
        {"mean_gain_reduction_db", in.render.limiter_mean_gain_reduction_db},
        {"loud_passage_gain_reduction_db", in.render.loud_passage_gain_reduction_db}};
    processors.push_back(limiter);
    if (m.dither) {
        json d = {{"id", "master.dither"}, {"type", "dither"}, {"params", dither_json(*m.dither)}};
        d["rationale"] =
            rationale_json(plan::Rationale{"TPDF_DITHER_16_BIT",
                                           "16-bit output: TPDF dither turns truncation distortion "
                                           "into a steady, benign noise floor.",
                                           {}});
        processors.push_back(d);
    }
    json left_alone = json::array();
    json notes = json::array();
    for (const auto& d : in.plan.decisions) {
        json j = {{"subject", d.subject},
                  {"action", d.action},
                  {"rationale", rationale_json(d.rationale)}};
        (d.action == "left_alone" ? left_alone : notes).push_back(j);
    }
    const auto& after = in.render.after;
    json gr_trace = json::array();
    for (double v : in.render.limiter_gain_reduction_db_per_100ms)
        gr_trace.push_back(std::round(v * 100) / 100);
    return {
        {"kind", "master"},
        {"input", in.input_path},
        {"output", in.output_path},
        {"target", target_json(m.target)},
        {"genre", in.plan.genre},
        {"before", analysis_json(in.before, in.input_path)},
        {"after", analysis_json(after, in.output_path)},
        {"processors", processors},
        {"left_alone", left_alone},
        {"notes", notes},
        {"limiter",
         {{"drive_db", in.render.drive_db},
          {"max_gain_reduction_db", in.render.limiter_max_gain_reduction_db},
          {"mean_gain_reduction_db", in.render.limiter_mean_gain_reduction_db},
          {"loud_passage_gain_reduction_db", in.render.loud_passage_gain_reduction_db},
          {"gain_reduction_db_per_100ms", gr_trace}}},
        {"verification",
         {{"target_lufs", m.target.loudness_lufs},
          {"integrated_lufs", db_json(after.loudness.integrated_lufs)},
          {"loudness_error_lu", db_json(loudness_error(in))},
          {"ceiling_dbtp", m.target.ceiling_dbtp},
          {"true_peak_dbtp", db_json(after.loudness.true_peak_dbtp)},
          {"true_peak_ok", !(after.loudness.true_peak_dbtp > m.target.ceiling_dbtp)},
          {"stopped_at_limiting_bound", in.render.stopped_at_limiting_bound},
          {"max_limiting_db", m.max_limiting_db},
          {"unbounded_drive_db", in.render.unbounded_drive_db},
          {"render_passes", in.render.passes}}},
        {"plan", plan_to_json(in.plan)},
    };
}

std::string master_report_text(const MasterReportInput& in) {
    const auto& m = in.plan.master;
    const auto& b = in.before.loudness;
    const auto& a = in.render.after.loudness;
    std::string out = fmt::format(
        "Mastered {} -> {}\n  for {} ({:.1f} LUFS, {:.1f} dBTP ceiling), "
        "{} profile\n",
        in.input_path, in.output_path, m.target.name, m.target.loudness_lufs, m.target.ceiling_dbtp,
        in.plan.genre);
    out += fmt::format("  before  {:6.1f} LUFS  {:+5.1f} dBTP  LRA {:4.1f} LU  PLR {:4.1f} dB\n",
                       b.integrated_lufs, b.true_peak_dbtp, b.loudness_range_lu, in.before.plr_db);
    out += fmt::format("  after   {:6.1f} LUFS  {:+5.1f} dBTP  LRA {:4.1f} LU  PLR {:4.1f} dB\n",
                       a.integrated_lufs, a.true_peak_dbtp, a.loudness_range_lu,
                       in.render.after.plr_db);
    out += "Done:\n";
    for (const auto& e : m.chain) out += fmt::format("  - {}\n", e.rationale.text);
    if (m.clipper) out += fmt::format("  - {}\n", m.clipper->rationale.text);
    out += fmt::format(
        "  - Limiter: drive {:+.1f} dB; gain reduction {:.1f} dB at most, {:.1f} dB "
        "on the loud passages, {:.2f} dB on average.\n",
        in.render.drive_db, in.render.limiter_max_gain_reduction_db,
        in.render.loud_passage_gain_reduction_db, in.render.limiter_mean_gain_reduction_db);
    if (m.dither) out += "  - TPDF dither for the 16-bit file.\n";
    bool any_left = false;
    for (const auto& d : in.plan.decisions)
        if (d.action == "left_alone" && d.subject == "master") {
            if (!any_left) out += "Left alone:\n";
            any_left = true;
            out += fmt::format("  - {}\n", d.rationale.text);
        }
    for (const auto& d : in.plan.decisions)
        if (d.action == "noted" && d.subject == "master")
            out += fmt::format("Note: {}\n", d.rationale.text);
    if (in.render.stopped_at_limiting_bound)
        out += fmt::format(
            "Stopped short: reached {:.1f} LUFS, not {:.1f}. Getting there would take more than "
            "{:.0f} dB of limiting on the loudest passages, which flattens the music audibly. "
            "Run again with --force to go all the way.\n",
            a.integrated_lufs, m.target.loudness_lufs, m.max_limiting_db);
    return out;
}

}  // namespace secondear::report
