#include "report/mix_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "report/analysis_report.hpp"
#include "report/master_report.hpp"
#include "report/plan_json.hpp"

namespace secondear::report {
namespace {

using nlohmann::json;

analysis::Evidence stats_for(const render::MixRenderResult& r, const std::string& id) {
    for (const auto& [sid, ev] : r.processor_stats)
        if (sid == id) return ev;
    return {};
}

std::optional<double> evidence_value(const plan::Rationale& r, const std::string& key) {
    for (const auto& [k, v] : r.evidence)
        if (k == key) return v;
    return std::nullopt;
}

std::string relative_to(const std::filesystem::path& p, const std::filesystem::path& base) {
    return std::filesystem::relative(p, base).generic_string();
}

}  // namespace

json mix_report_json(const MixReportInput& in) {
    const auto& plan = in.plan;
    json tracks = json::array();
    for (std::size_t i = 0; i < plan.tracks.size(); ++i) {
        const auto& t = plan.tracks[i];
        json chain = json::array();
        for (const auto& e : t.chain) {
            json j = entry_json(e);
            j["measured"] = evidence_json(stats_for(in.mix, e.id));
            chain.push_back(j);
        }
        json decisions = json::array();
        json problems = json::array();
        std::optional<double> target;
        for (const auto& d : plan.decisions) {
            if (d.subject != t.name) continue;
            decisions.push_back({{"action", d.action}, {"rationale", rationale_json(d.rationale)}});
            if (d.action != "noted")
                problems.push_back({{"code", d.rationale.code},
                                    {"text", d.rationale.text},
                                    {"evidence", evidence_json(d.rationale.evidence)},
                                    {"decision", d.action}});
            if (d.rationale.code == "BALANCE") target = evidence_value(d.rationale, "target_lufs");
        }
        json jt = {{"name", t.name},
                   {"source", t.source_path},
                   {"role", t.role},
                   {"role_confidence", t.role_confidence},
                   {"group", t.group},
                   {"output_bus", t.output_bus},
                   {"fader_db", t.fader_db},
                   {"pan", t.pan},
                   {"mute", t.mute},
                   {"chain", chain},
                   {"sends", sends_json(t.sends)},
                   {"automation", automation_json(t.automation)},
                   {"decisions", decisions},
                   {"problems", problems},
                   {"stem_lufs",
                    i < in.mix.stem_lufs.size() ? db_json(in.mix.stem_lufs[i]) : json(nullptr)},
                   {"target_lufs", target ? json(*target) : json(nullptr)}};
        if (i < in.evidence.size()) {
            const auto& f = in.evidence[i].features;
            jt["measured_before"] = {{"integrated_lufs", db_json(f.integrated_lufs)},
                                     {"peak_dbfs", db_json(f.peak_dbfs)},
                                     {"crest_db", db_json(f.crest_db)},
                                     {"distortion_score", f.distortion_score},
                                     {"pitch_presence", f.pitch_presence},
                                     {"active_fraction", f.active_fraction}};
        }
        tracks.push_back(jt);
    }
    json buses = json::array();
    for (const auto& b : plan.buses) {
        json jb = bus_json(b);
        json chain = json::array();
        for (const auto& e : b.chain) {
            json j = entry_json(e);
            j["measured"] = evidence_json(stats_for(
                in.mix, e.id == "mixbus.comp" ? "mixbus.comp" : "bus." + b.name + ".comp"));
            chain.push_back(j);
        }
        jb["chain"] = chain;
        buses.push_back(jb);
    }
    json global = json::array();
    for (const auto& d : plan.decisions)
        if (d.subject == "mix" || d.subject == "master")
            global.push_back({{"subject", d.subject},
                              {"action", d.action},
                              {"rationale", rationale_json(d.rationale)}});
    json stems = json::array();
    for (const auto& p : in.stem_paths) stems.push_back(relative_to(p, in.project_dir));
    const MasterReportInput master_in{plan, in.mix.mix, in.master,
                                      relative_to(in.mix_path, in.project_dir),
                                      relative_to(in.master_path, in.project_dir)};
    return {{"kind", "mix"},
            {"project", in.project_dir.string()},
            {"genre", plan.genre},
            {"tempo_bpm", plan.tempo_bpm},
            {"target", target_json(plan.master.target)},
            {"sections", sections_json(plan.sections)},
            {"tracks", tracks},
            {"buses", buses},
            {"decisions", global},
            {"mix", analysis_json(in.mix.mix, relative_to(in.mix_path, in.project_dir))},
            {"master", master_report_json(master_in)},
            {"files",
             {{"mix", relative_to(in.mix_path, in.project_dir)},
              {"master", relative_to(in.master_path, in.project_dir)},
              {"stems", stems}}},
            {"plan", plan_to_json(plan)}};
}

std::string mix_report_text(const MixReportInput& in) {
    const auto& plan = in.plan;
    std::string out = fmt::format("Mixed {} tracks into {} ({} profile, {:.0f} BPM, {} sections)\n",
                                  plan.tracks.size(), in.project_dir.string(), plan.genre,
                                  plan.tempo_bpm, plan.sections.size());
    const auto list = [&](const char* action, const char* title) {
        bool any = false;
        for (const auto& d : plan.decisions)
            if (d.action == action) {
                if (!any) out += title;
                any = true;
                out += fmt::format("  - {}: {}\n", d.subject, d.rationale.text);
            }
    };
    list("fixed", "Fixed:\n");
    list("left_alone", "Left alone:\n");
    out += "Balance (fader, pan, stem loudness against its target):\n";
    for (std::size_t i = 0; i < plan.tracks.size(); ++i) {
        const auto& t = plan.tracks[i];
        if (t.mute) {
            out += fmt::format("  {:<18} {:<16} muted (silent)\n", t.name, t.role);
            continue;
        }
        std::string target;
        for (const auto& d : plan.decisions)
            if (d.subject == t.name && d.rationale.code == "BALANCE")
                if (auto v = evidence_value(d.rationale, "target_lufs"))
                    target = fmt::format("{:.1f}", *v);
        out += fmt::format("  {:<18} {:<16} {:+6.1f} dB  pan {:+.1f}  {:6.1f} LUFS (target {})\n",
                           t.name, t.role, t.fader_db, t.pan,
                           i < in.mix.stem_lufs.size() ? in.mix.stem_lufs[i] : 0.0, target);
    }
    const MasterReportInput master_in{plan, in.mix.mix, in.master, in.mix_path.string(),
                                      in.master_path.string()};
    out += master_report_text(master_in);
    out += fmt::format("Files: {}, {}, stems/ ({}), plan.json, report.json\n",
                       in.mix_path.filename().string(), in.master_path.filename().string(),
                       in.stem_paths.size());
    return out;
}

}  // namespace secondear::report
