// The revision recipe and the project history (pipeline_revise.hpp).
#include "pipeline_revise.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/features.hpp"
#include "analysis/loudness.hpp"
#include "analysis/track_analysis.hpp"
#include "core/errors.hpp"
#include "core/units.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "pipeline.hpp"
#include "report/html_report.hpp"
#include "report/plan_json.hpp"

namespace secondear::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* k_history_schema = "secondear.history/1";
constexpr double k_loudness_tolerance_lu = 0.5;  // the "loudness still on target"

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::input_unreadable, path.string() + ": cannot open");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

json read_json(const fs::path& path) {
    try {
        return json::parse(read_text(path));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input_invalid,
                    path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

fs::path revision_dir(const fs::path& project, const std::string& id) {
    return project / "revisions" / id;
}

json entry_to_json(const HistoryEntry& e) {
    return {{"id", e.id},         {"parent", e.parent},   {"request", e.request},
            {"status", e.status}, {"verdict", e.verdict}, {"directives", e.directives}};
}

HistoryEntry entry_from_json(const json& j) {
    HistoryEntry e;
    e.id = j.at("id").get<std::string>();
    e.parent = j.value("parent", "");
    e.request = j.value("request", "");
    e.status = j.value("status", "applied");
    e.verdict = j.value("verdict", "");
    e.directives = j.value("directives", std::vector<intent::Directive>{});
    return e;
}

void save_history(const fs::path& project, const History& h) {
    json revs = json::array();
    for (const auto& e : h.revisions) revs.push_back(entry_to_json(e));
    const json j = {{"schema", k_history_schema},
                    {"current", h.current},
                    {"pending", h.pending.empty() ? json(nullptr) : json(h.pending)},
                    {"revisions", revs}};
    io::write_text_file(project / "history.json", j.dump(2) + "\n");
}

/// Makes revisions/000 from the original mix when it is not there yet (the first revise).
void snapshot_original(const fs::path& project) {
    const fs::path dir = revision_dir(project, "000");
    if (fs::exists(dir / "plan.json")) return;
    io::write_text_file(dir / "plan.json", read_text(project / "plan.json"));
    if (fs::exists(project / "report.json"))
        io::write_text_file(dir / "report.json", read_text(project / "report.json"));
    io::write_text_file(dir / "request.txt",
                        "(the original mix; its audio is the project's mix.wav, master.wav and "
                        "stems/)\n");
}

std::string next_id(const History& h) {
    int n = 0;
    for (const auto& e : h.revisions) n = std::max(n, std::stoi(e.id));
    return fmt::format("{:03d}", n + 1);
}

const HistoryEntry& find_entry(const History& h, const std::string& id) {
    for (const auto& e : h.revisions)
        if (e.id == id) return e;
    throw Error(ErrorKind::usage, fmt::format("no revision {} in this project", id));
}

std::string relative_master(const std::string& from_id, const std::string& to_id) {
    (void)from_id;  // every revision folder sits at revisions/NNN
    return to_id == "000" ? "../../master.wav" : fmt::format("../{}/master.wav", to_id);
}

// -- measurements --------------------------------------------------------------------------------

AudioBuffer read_audio(const fs::path& path) {
    return io::decode(path).audio;
}

fs::path stem_path(const fs::path& dir, const plan::Track& t) {
    return dir / "stems" / (fs::path(t.source_path).stem().string() + ".wav");
}

AudioBuffer sum_stems(const fs::path& dir, const plan::Plan& plan,
                      const std::vector<std::size_t>& tracks) {
    AudioBuffer sum(2, plan.frames, plan.sample_rate_hz);
    for (std::size_t i : tracks) {
        const AudioBuffer s = read_audio(stem_path(dir, plan.tracks[i]));
        for (int c = 0; c < 2; ++c) {
            const auto x = s.channel(std::min(c, s.channels() - 1));
            const std::size_t n = std::min(s.frames(), sum.frames());
            for (std::size_t f = 0; f < n; ++f) sum.channel(c)[f] += x[f];
        }
    }
    return sum;
}

using Ranges = std::vector<std::pair<double, double>>;

/// The audio inside the ranges, joined (the whole buffer when there are none).
AudioBuffer slice(const AudioBuffer& a, const Ranges& ranges) {
    if (ranges.empty()) return a;
    std::vector<std::vector<float>> planes(static_cast<std::size_t>(a.channels()));
    const double sr = a.sample_rate_hz();
    for (const auto& [s, e] : ranges) {
        const auto i0 = std::min(a.frames(), static_cast<std::size_t>(s * sr));
        const auto i1 = std::min(a.frames(), static_cast<std::size_t>(e * sr));
        for (int c = 0; c < a.channels(); ++c)
            planes[static_cast<std::size_t>(c)].insert(
                planes[static_cast<std::size_t>(c)].end(),
                a.channel(c).begin() + static_cast<std::ptrdiff_t>(i0),
                a.channel(c).begin() + static_cast<std::ptrdiff_t>(i1));
    }
    return AudioBuffer(std::move(planes), sr);
}

Ranges complement(const Ranges& ranges, double duration_s) {
    Ranges out;
    double t = 0.0;
    for (const auto& [s, e] : ranges) {
        if (s > t) out.emplace_back(t, s);
        t = std::max(t, e);
    }
    if (t < duration_s) out.emplace_back(t, duration_s);
    return out;
}

double band_power_db(const analysis::Analysis& a, std::pair<double, double> band) {
    double p = 0.0;
    for (const auto& b : a.spectrum_third_octave)
        if (b.hz >= band.first && b.hz <= band.second && std::isfinite(b.db))
            p += std::pow(10.0, b.db / 10.0);
    return 10.0 * std::log10(std::max(p, 1e-30));
}

struct MeasureInput {
    const AudioBuffer* target;  // the target's audio (master for "mix", else its stems' sum)
    const AudioBuffer* mix;     // mix.wav (for loudness shares)
    Ranges ranges;              // the directive's section (empty: whole song)
    Ranges lift_ranges;         // for section_loudness_delta_lu
};

double measure(const intent::VerifyCheck& check, const MeasureInput& in) {
    const std::string& m = check.measure;
    if (m == "section_loudness_delta_lu") {
        if (in.lift_ranges.empty()) return std::nan("");
        const double dur = in.target->duration_s();
        return analysis::integrated_lufs(slice(*in.target, in.lift_ranges)) -
               analysis::integrated_lufs(slice(*in.target, complement(in.lift_ranges, dur)));
    }
    const AudioBuffer t = slice(*in.target, in.ranges);
    if (m == "loudness_share_lu")
        return analysis::integrated_lufs(t) - analysis::integrated_lufs(slice(*in.mix, in.ranges));
    if (m == "transient_to_body_db") return analysis::analyze_track(t).transient_to_body_db;
    if (m == "frame_crest_db") return analysis::analyze_track(t).distortion.frame_crest_db;
    if (m == "low_sustain_db") {
        const auto band = check.band_hz.value_or(std::pair{40.0, 200.0});
        return analysis::low_sustain_db(t, band.first, band.second);
    }
    if (m == "direct_to_reverb_db") return analysis::direct_to_reverb_db(t);
    const analysis::Analysis an = analysis::analyze(t);
    if (m == "band_ratio_db" && check.band_hz && check.relative_to_hz)
        return band_power_db(an, *check.band_hz) - band_power_db(an, *check.relative_to_hz);
    if (m == "side_mid_ratio_db") return an.side_mid_ratio_db;
    if (m == "crest_db") return an.crest_db;
    return std::nan("");
}

std::vector<Verification> verify(const fs::path& project, const std::string& before_id,
                                 const plan::Plan& before_plan, const fs::path& after_dir,
                                 const plan::Plan& after_plan,
                                 const std::vector<intent::Directive>& directives) {
    const fs::path before_dir = revision_audio_dir(project, before_id);
    const AudioBuffer master_b = read_audio(before_dir / "master.wav");
    const AudioBuffer master_a = read_audio(after_dir / "master.wav");
    const AudioBuffer mix_b = read_audio(before_dir / "mix.wav");
    const AudioBuffer mix_a = read_audio(after_dir / "mix.wav");
    plan::Plan lift_plan = after_plan;
    const Ranges choruses = plan::section_ranges(lift_plan, {"chorus", 0, {}, {}});
    std::vector<Verification> out;
    const auto& vocab = intent::vocabulary();
    for (const auto& d : directives) {
        const intent::Quality* q = vocab.find(d.quality);
        if (!q) continue;
        const Ranges ranges = d.section ? plan::section_ranges(after_plan, *d.section) : Ranges{};
        const bool whole_mix = d.target == "mix";
        const auto tracks = plan::target_tracks(after_plan, d.target);
        if (!whole_mix && tracks.empty()) continue;
        const AudioBuffer tb = whole_mix ? master_b : sum_stems(before_dir, before_plan, tracks);
        const AudioBuffer ta = whole_mix ? master_a : sum_stems(after_dir, after_plan, tracks);
        const MeasureInput ib{&tb, &mix_b, ranges, ranges.empty() ? choruses : ranges};
        const MeasureInput ia{&ta, &mix_a, ranges, ranges.empty() ? choruses : ranges};
        for (const auto& check : q->verify) {
            Verification v;
            v.quality = d.quality;
            v.target = d.target;
            v.measure = check.measure;
            const bool up = (check.expect == "up") == (d.direction == intent::Direction::more);
            v.expected = up ? "up" : "down";
            v.before = measure(check, ib);
            v.after = measure(check, ia);
            v.ok = std::isfinite(v.before) && std::isfinite(v.after) &&
                   (up ? v.after > v.before : v.after < v.before);
            out.push_back(v);
        }
    }
    Verification loud;
    loud.quality = "loudness";
    loud.target = "mix";
    loud.measure = "master_integrated_lufs";
    loud.before = analysis::integrated_lufs(master_b);
    loud.after = analysis::integrated_lufs(master_a);
    const double target = after_plan.master.target.loudness_lufs;
    loud.expected = fmt::format("within {:.1f} LU of {:.1f}", k_loudness_tolerance_lu, target);
    loud.ok = std::fabs(loud.after - target) <= k_loudness_tolerance_lu;
    out.push_back(loud);
    return out;
}

json verification_json(const std::vector<Verification>& vs) {
    json out = json::array();
    for (const auto& v : vs)
        out.push_back({{"quality", v.quality},
                       {"target", v.target},
                       {"measure", v.measure},
                       {"before", std::isfinite(v.before) ? json(v.before) : json(nullptr)},
                       {"after", std::isfinite(v.after) ? json(v.after) : json(nullptr)},
                       {"expected", v.expected},
                       {"ok", v.ok}});
    return out;
}

json changes_json(const std::vector<plan::Change>& cs) {
    json out = json::array();
    for (const auto& c : cs) out.push_back(plan::change_json(c));
    return out;
}

std::vector<int> track_channels(const plan::Plan& plan) {
    std::vector<int> out;
    for (const auto& t : plan.tracks) {
        try {
            out.push_back(io::probe(t.source_path).channels);
        } catch (const Error&) {
            out.push_back(2);
        }
    }
    return out;
}

std::string summary_of(const ReviseOutcome& o) {
    std::string s;
    if (o.status == intent::Status::question) {
        s = o.question->text + "\n";
        for (std::size_t i = 0; i < o.question->options.size(); ++i)
            s += fmt::format("  {}. {}\n", i + 1, o.question->options[i].label);
        return s + "Answer with --answer N.\n";
    }
    if (o.status == intent::Status::not_understood)
        return "Not understood: say what should change and where (e.g. \"the vocal a bit louder "
               "in the chorus\").\n";
    for (const auto& d : o.directives) s += "  " + intent::describe(d) + "\n";
    for (const auto& c : o.changes) {
        if (c.skipped) {
            const auto at = c.text.find("Skipped:");
            const auto nd = c.text.find("Not done:");
            const auto cut = at != std::string::npos ? at : nd;
            s += fmt::format("  - {}: {}\n", c.path,
                             cut == std::string::npos ? c.text : c.text.substr(cut));
        } else {
            s += fmt::format("  {}: {} -> {}\n", c.path,
                             c.from.is_null() ? "(none)" : c.from.dump(), c.to.dump());
        }
    }
    for (const auto& v : o.verification)
        s += fmt::format("  check {} {} on {}: {:.2f} -> {:.2f} (expected {}) {}\n", v.quality,
                         v.measure, v.target, v.before, v.after, v.expected,
                         v.ok ? "ok" : "NOT MET");
    if (!o.revision.empty())
        s += fmt::format("Revision {}: {}\n", o.revision, o.master_path.string());
    return s;
}

/// Track names become roles in the taste store (names differ from song to song).
intent::Directive for_taste(const plan::Plan& plan, intent::Directive d) {
    for (const auto& t : plan.tracks)
        if (t.name == d.target) d.target = t.role;
    d.section.reset();
    return d;
}

// -- plan diff -------------------------------------------------------------------------------

void diff_json(const json& a, const json& b, const std::string& path,
               std::vector<plan::Change>& out) {
    if (a == b) return;
    if (a.is_object() && b.is_object()) {
        std::set<std::string> keys;
        for (const auto& [k, v] : a.items()) keys.insert(k);
        for (const auto& [k, v] : b.items()) keys.insert(k);
        for (const auto& k : keys) {
            if (k == "rationale" || k == "decisions") continue;
            diff_json(a.contains(k) ? a[k] : json(), b.contains(k) ? b[k] : json(),
                      path.empty() ? k : path + "." + k, out);
        }
        return;
    }
    const auto key_of = [](const json& e) -> std::string {
        if (!e.is_object()) return {};
        for (const char* k : {"id", "name", "bus", "param"})
            if (e.contains(k) && e[k].is_string()) return e[k].get<std::string>();
        return {};
    };
    if (a.is_array() && b.is_array() && !a.empty() && !key_of(a[0]).empty()) {
        std::map<std::string, json> ma, mb;
        std::vector<std::string> order;
        for (const auto& e : a) {
            ma[key_of(e)] = e;
            order.push_back(key_of(e));
        }
        for (const auto& e : b) {
            if (!ma.contains(key_of(e))) order.push_back(key_of(e));
            mb[key_of(e)] = e;
        }
        for (const auto& k : order) {
            const std::string p = path + "[" + k + "]";
            if (!ma.contains(k))
                out.push_back({p, nullptr, "added", "DIFF", "", false});
            else if (!mb.contains(k))
                out.push_back({p, "present", nullptr, "DIFF", "", false});
            else
                diff_json(ma[k], mb[k], p, out);
        }
        return;
    }
    const auto brief = [](const json& v) -> json { return v.is_structured() ? json(v.dump()) : v; };
    out.push_back({path, brief(a), brief(b), "DIFF", "", false});
}

}  // namespace

fs::path revision_audio_dir(const fs::path& project, const std::string& id) {
    return id == "000" ? project : revision_dir(project, id);
}

plan::Plan load_revision_plan(const fs::path& project, const std::string& id) {
    const fs::path p = fs::exists(revision_dir(project, id) / "plan.json") || id != "000"
                           ? revision_dir(project, id) / "plan.json"
                           : project / "plan.json";
    return report::plan_from_json(read_json(p));
}

History load_history(const fs::path& project) {
    if (!fs::exists(project / "plan.json"))
        throw Error(ErrorKind::input_unreadable,
                    project.string() +
                        ": not a project folder (no plan.json; run `secondear "
                        "mix` first)");
    const fs::path file = project / "history.json";
    History h;
    if (!fs::exists(file)) {
        h.revisions.push_back({"000", "", "(the original mix)", "original", "", {}});
        return h;
    }
    const json j = read_json(file);
    try {
        h.current = j.at("current").get<std::string>();
        h.pending = j.value("pending", json()).is_string() ? j["pending"].get<std::string>() : "";
        for (const auto& e : j.at("revisions")) h.revisions.push_back(entry_from_json(e));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input_invalid, file.string() + ": " + e.what());
    }
    return h;
}

json ReviseOutcome::json() const {
    nlohmann::json j = {
        {"status", std::string(intent::to_string(status))},
        {"revision", revision.empty() ? nlohmann::json(nullptr) : nlohmann::json(revision)},
        {"directives", directives},
        {"changes", changes_json(changes)},
        {"question", question ? nlohmann::json(*question) : nlohmann::json()},
        {"verification", verification_json(verification)},
        {"summary", summary}};
    if (!master_path.empty()) j["master_path"] = master_path.string();
    return j;
}

ReviseOutcome revise(const ReviseJob& job) {
    History h = load_history(job.project);
    const plan::Plan base = load_revision_plan(job.project, h.current);
    const intent::InterpretContext ctx = plan::interpret_context(base);
    intent::Interpretation in;
    std::string request = job.text;
    std::string question_id;
    if (job.answer) {
        if (h.pending.empty())
            throw Error(ErrorKind::usage, "no question is waiting for an answer in this project");
        question_id = h.pending;
        const auto q = read_json(revision_dir(job.project, question_id) / "question.json")
                           .get<intent::Question>();
        in = intent::interpret_answer(q, std::to_string(*job.answer), ctx);
        request = find_entry(h, question_id).request;
        if (in.status == intent::Status::applied && *job.answer >= 1 &&
            static_cast<std::size_t>(*job.answer) <= q.options.size())
            request += " -> " + q.options[static_cast<std::size_t>(*job.answer) - 1].label;
    } else if (!job.directives.empty()) {
        in.status = intent::Status::applied;
        in.directives = job.directives;
    } else {
        in = intent::interpret(job.text, ctx);
    }
    ReviseOutcome out;
    out.status = in.status;
    out.directives = in.directives;
    out.question = in.question;
    if (in.status == intent::Status::not_understood) {
        out.summary = summary_of(out);
        return out;
    }
    if (in.status == intent::Status::question) {
        if (!job.dry_run) {
            if (!fs::exists(job.project / "history.json")) snapshot_original(job.project);
            out.revision = next_id(h);
            const fs::path dir = revision_dir(job.project, out.revision);
            io::write_text_file(dir / "request.txt", request + "\n");
            io::write_text_file(dir / "question.json", nlohmann::json(*in.question).dump(2) + "\n");
            h.revisions.push_back({out.revision, h.current, request, "question", "", {}});
            h.pending = out.revision;
            save_history(job.project, h);
        }
        out.summary = summary_of(out);
        return out;
    }
    plan::RevisionContext rc;
    rc.track_channels = track_channels(base);
    plan::RevisionResult result = plan::apply_directives(base, in.directives, rc);
    out.changes = result.changes;
    if (job.dry_run) {
        out.summary = summary_of(out);
        return out;
    }
    if (!fs::exists(job.project / "history.json")) snapshot_original(job.project);
    out.revision = next_id(h);
    const fs::path dir = revision_dir(job.project, out.revision);
    io::write_text_file(dir / "request.txt", request + "\n");
    RenderOptions ro;
    ro.threads = job.threads;
    ro.progress = job.progress;
    const MixOutcome rendered = render_project(std::move(result.plan), dir, ro);
    out.master_path = rendered.master_path;
    out.verification = verify(job.project, h.current, base, dir, rendered.plan, in.directives);
    io::write_text_file(dir / "plan.json", report::plan_to_json(rendered.plan).dump(2) + "\n");
    io::write_text_file(dir / "diff.json", nlohmann::json{{"from", h.current},
                                                          {"to", out.revision},
                                                          {"changes", changes_json(out.changes)}}
                                                   .dump(2) +
                                               "\n");
    out.summary = summary_of(out);
    const double before_lufs = out.verification.back().before;
    const double after_lufs = out.verification.back().after;
    nlohmann::json report = {
        {"kind", "revision"},
        {"revision", out.revision},
        {"parent", h.current},
        {"request", request},
        {"directives", nlohmann::json::array()},
        {"changes", changes_json(out.changes)},
        {"verification", verification_json(out.verification)},
        {"files", {{"before", relative_master(out.revision, h.current)}, {"after", "master.wav"}}},
        {"before", {{"integrated_lufs", before_lufs}}},
        {"after", {{"integrated_lufs", after_lufs}}},
        {"summary", out.summary}};
    for (const auto& d : in.directives) report["directives"].push_back(intent::describe(d));
    io::write_text_file(dir / "report.json", report.dump(2) + "\n");
    io::write_text_file(dir / "report.html", report::html_report(report));
    h.revisions.push_back({out.revision, h.current, request, "applied", "", in.directives});
    h.current = out.revision;
    h.pending.clear();
    save_history(job.project, h);
    return out;
}

std::string undo(const fs::path& project) {
    History h = load_history(project);
    const HistoryEntry& cur = find_entry(h, h.current);
    if (cur.parent.empty())
        throw Error(ErrorKind::usage, "nothing to undo: this is the original mix");
    h.current = cur.parent;
    save_history(project, h);
    return h.current;
}

std::string redo(const fs::path& project) {
    History h = load_history(project);
    std::string child;
    for (const auto& e : h.revisions)
        if (e.parent == h.current && e.status == "applied") child = e.id;  // the most recent
    if (child.empty()) throw Error(ErrorKind::usage, "nothing to redo");
    h.current = child;
    save_history(project, h);
    return h.current;
}

void set_verdict(const fs::path& project, const std::string& id_in, bool accepted,
                 const fs::path& taste_file) {
    History h = load_history(project);
    const std::string id = id_in.empty() ? h.current : id_in;
    HistoryEntry* e = nullptr;
    for (auto& x : h.revisions)
        if (x.id == id) e = &x;
    if (!e) throw Error(ErrorKind::usage, fmt::format("no revision {} in this project", id));
    if (e->status != "applied")
        throw Error(ErrorKind::usage,
                    fmt::format("revision {} is {}: only a revision that was applied can be {}", id,
                                e->status, accepted ? "accepted" : "rejected"));
    e->verdict = accepted ? "accepted" : "rejected";
    const plan::Plan p = load_revision_plan(project, id);
    intent::Taste taste = intent::load_taste(taste_file);
    for (const auto& d : e->directives) intent::record_taste(taste, for_taste(p, d), accepted);
    intent::save_taste(taste, taste_file);
    save_history(project, h);
}

std::vector<plan::Change> plan_diff(const plan::Plan& a, const plan::Plan& b) {
    std::vector<plan::Change> out;
    diff_json(report::plan_to_json(a), report::plan_to_json(b), "", out);
    return out;
}

nlohmann::json CompareOutcome::json() const {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : measured) rows.push_back({{"measure", r.measure}, {"a", r.a}, {"b", r.b}});
    return {{"a", a_path.string()},
            {"b", b_path.string()},
            {"a_gain_db", a_gain_db},
            {"b_gain_db", b_gain_db},
            {"changes", changes_json(changes)},
            {"measured", rows}};
}

CompareOutcome compare(const fs::path& project, const std::string& a, const std::string& b) {
    const History h = load_history(project);
    for (const auto& id : {a, b})
        if (find_entry(h, id).status == "question")
            throw Error(ErrorKind::usage,
                        fmt::format("revision {} is a question, not a render", id));
    CompareOutcome out;
    const plan::Plan pa = load_revision_plan(project, a), pb = load_revision_plan(project, b);
    out.changes = plan_diff(pa, pb);
    AudioBuffer ma = read_audio(revision_audio_dir(project, a) / "master.wav");
    AudioBuffer mb = read_audio(revision_audio_dir(project, b) / "master.wav");
    const analysis::Analysis aa = analysis::analyze(ma), ab = analysis::analyze(mb);
    const auto row = [&](std::string name, double x, double y) {
        out.measured.push_back({std::move(name), x, y});
    };
    row("integrated_lufs", aa.loudness.integrated_lufs, ab.loudness.integrated_lufs);
    row("true_peak_dbtp", aa.loudness.true_peak_dbtp, ab.loudness.true_peak_dbtp);
    row("loudness_range_lu", aa.loudness.loudness_range_lu, ab.loudness.loudness_range_lu);
    row("crest_db", aa.crest_db, ab.crest_db);
    row("side_mid_ratio_db", aa.side_mid_ratio_db, ab.side_mid_ratio_db);
    row("spectral_centroid_hz", aa.spectral_centroid_hz, ab.spectral_centroid_hz);
    row("band_ratio_db 100-400 Hz vs 2-8 kHz",
        band_power_db(aa, {100, 400}) - band_power_db(aa, {2000, 8000}),
        band_power_db(ab, {100, 400}) - band_power_db(ab, {2000, 8000}));
    // Gain only: the louder file comes down to the quieter one (never up, so nothing clips).
    const double diff = aa.loudness.integrated_lufs - ab.loudness.integrated_lufs;
    out.a_gain_db = diff > 0 ? -diff : 0.0;
    out.b_gain_db = diff < 0 ? diff : 0.0;
    const fs::path dir = project / "compare" / (a + "_vs_" + b);
    fs::create_directories(dir);
    out.a_path = dir / (a + ".wav");
    out.b_path = dir / (b + ".wav");
    const io::EncodeOptions f32{io::Container::wav, io::SampleFormat::float32};
    for (auto [buf, gain_db, path] :
         {std::tuple{&ma, out.a_gain_db, out.a_path}, std::tuple{&mb, out.b_gain_db, out.b_path}}) {
        const auto g = static_cast<float>(db_to_gain(gain_db));
        for (int c = 0; c < buf->channels(); ++c)
            for (std::size_t i = 0; i < buf->frames(); ++i) buf->channel(c)[i] *= g;
        io::AudioWriter w(path, f32, buf->sample_rate_hz(), buf->channels());
        w.write(*buf);
        w.commit();
    }
    std::string t = fmt::format(
        "A = revision {}, B = revision {}\nLoudness-matched files (gain "
        "only, no limiting): A {:+.2f} dB, B {:+.2f} dB\n  {}\n  {}\n",
        a, b, out.a_gain_db, out.b_gain_db, out.a_path.string(), out.b_path.string());
    t += fmt::format("\n{:<44} {:>10} {:>10}\n", "measured (as rendered)", "A", "B");
    for (const auto& r : out.measured)
        t += fmt::format("{:<44} {:>10.2f} {:>10.2f}\n", r.measure, r.a, r.b);
    t += fmt::format("\n{} plan difference{}:\n", out.changes.size(),
                     out.changes.size() == 1 ? "" : "s");
    for (const auto& c : out.changes)
        t += fmt::format("  {}: {} -> {}\n", c.path, c.from.dump(), c.to.dump());
    out.table = t;
    io::write_text_file(dir / "compare.json", out.json().dump(2) + "\n");
    return out;
}

std::vector<plan::Change> apply_taste_prior(plan::Plan& plan, const intent::Taste& taste) {
    const auto prior = intent::taste_directives(taste);
    if (prior.empty()) return {};
    plan::RevisionContext rc;
    rc.track_channels = track_channels(plan);
    auto result = plan::apply_directives(plan, prior, rc);
    std::string what;
    for (const auto& d : prior) what += (what.empty() ? "" : "; ") + intent::describe(d);
    plan = std::move(result.plan);
    plan.decisions.push_back(
        {"mix",
         "noted",
         {"TASTE_PRIOR",
          fmt::format("Your taste memory ({}) asks for this as a starting point: {}. "
                      "`secondear taste --reset` forgets it.",
                      intent::taste_path().string(), what),
          {{"prior_directives", static_cast<double>(prior.size())}}}});
    return result.changes;
}

}  // namespace secondear::pipeline
