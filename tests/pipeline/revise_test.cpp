// Revisions end to end on the demo session (12 s: bars_per_section_scale 4): history with undo,
// redo, compare and a reload from disk; questions and answers; a section-scoped request that
// changes the audio only inside its section; every quality of the vocabulary measured moving the
// right way with the master's loudness on target; the taste prior.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "analysis/loudness.hpp"
#include "io/decode.hpp"
#include "pipeline.hpp"
#include "pipeline_revise.hpp"
#include "render/stream.hpp"
#include "support/demo_project.hpp"
#include "support/paths.hpp"

namespace secondear::pipeline {
namespace {

namespace fs = std::filesystem;
using intent::Direction;
using intent::Directive;

std::string bytes_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ReviseOutcome say(const fs::path& project, const std::string& text) {
    ReviseJob job;
    job.project = project;
    job.text = text;
    return revise(job);
}

Directive directive(std::string target, std::string quality, double amount = 0.5,
                    Direction dir = Direction::more) {
    Directive d;
    d.target = std::move(target);
    d.quality = std::move(quality);
    d.amount = amount;
    d.direction = dir;
    return d;
}

ReviseOutcome apply(const fs::path& project, std::vector<Directive> ds) {
    ReviseJob job;
    job.project = project;
    job.text = ds.front().quality;
    job.directives = std::move(ds);
    return revise(job);
}

std::string run_cli(const std::string& args) {
    const std::string cmd = "'" + std::string(SECONDEAR_CLI_PATH) + "' " + args;
    std::FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    ::pclose(pipe);
    return out;
}

TEST(Revise, FiveRevisionsUndoRedoCompareAndAFreshProcessReadsTheHistoryBack) {
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    const std::vector<std::string> requests = {"make the vocal warmer", "the drums punchier",
                                               "a bit more reverb on the vocal",
                                               "make the mix wider", "the bass a touch louder"};
    for (const auto& r : requests) {
        const auto out = say(project, r);
        ASSERT_EQ(out.status, intent::Status::applied) << r;
        EXPECT_TRUE(fs::exists(out.master_path)) << r;
    }
    History h = load_history(project);
    ASSERT_EQ(h.revisions.size(), 6u);
    EXPECT_EQ(h.current, "005");
    for (std::size_t i = 1; i < h.revisions.size(); ++i) {
        EXPECT_EQ(h.revisions[i].request, requests[i - 1]);
        EXPECT_EQ(h.revisions[i].parent, h.revisions[i - 1].id);
        for (const char* f : {"request.txt", "plan.json", "mix.wav", "master.wav", "report.json",
                              "report.html", "diff.json"})
            EXPECT_TRUE(fs::exists(project / "revisions" / h.revisions[i].id / f)) << f;
    }
    const std::string first_master = bytes_of(project / "revisions" / "001" / "master.wav");

    EXPECT_EQ(undo(project), "004");
    EXPECT_EQ(undo(project), "003");
    EXPECT_EQ(redo(project), "004");
    EXPECT_EQ(load_history(project).current, "004");
    // A new request after an undo branches from the current revision.
    EXPECT_EQ(undo(project), "003");
    const auto branch = say(project, "the vocal a bit brighter");
    ASSERT_EQ(branch.revision, "006");
    h = load_history(project);
    EXPECT_EQ(h.revisions.back().parent, "003");
    EXPECT_EQ(undo(project), "003");
    EXPECT_EQ(redo(project), "006");  // the most recent child

    const auto cmp = compare(project, "000", "005");
    ASSERT_TRUE(fs::exists(cmp.a_path) && fs::exists(cmp.b_path));
    // Loudness-matched by gain: the two files' integrated loudness agrees to 0.05 LU (the
    // meter's repeatability on identical material is far finer; gain scaling is exact).
    const double la = analysis::integrated_lufs(io::decode(cmp.a_path).audio);
    const double lb = analysis::integrated_lufs(io::decode(cmp.b_path).audio);
    EXPECT_NEAR(la, lb, 0.05);
    EXPECT_LE(cmp.a_gain_db, 0.0);
    EXPECT_LE(cmp.b_gain_db, 0.0);
    EXPECT_FALSE(cmp.changes.empty());

    // Nothing is overwritten: revision 001's render is as it was.
    EXPECT_EQ(bytes_of(project / "revisions" / "001" / "master.wav"), first_master);
    // A fresh process reads the same history.
    const auto j = nlohmann::json::parse(run_cli("history --json '" + project.string() + "'"));
    h = load_history(project);
    EXPECT_EQ(j.at("current").get<std::string>(), h.current);
    ASSERT_EQ(j.at("revisions").size(), h.revisions.size());
    for (std::size_t i = 0; i < h.revisions.size(); ++i) {
        const auto& r = j.at("revisions")[i];
        EXPECT_EQ(r.at("id").get<std::string>(), h.revisions[i].id);
        EXPECT_EQ(r.at("parent").get<std::string>(), h.revisions[i].parent);
        EXPECT_EQ(r.at("request").get<std::string>(), h.revisions[i].request);
        EXPECT_EQ(r.at("status").get<std::string>(), h.revisions[i].status);
        EXPECT_EQ(r.at("directives").size(), h.revisions[i].directives.size());
    }
}

TEST(Revise, VagueRequestAsksAndTheAnswerContinues) {
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    const auto q = say(project, "make it pop");
    ASSERT_EQ(q.status, intent::Status::question);
    ASSERT_TRUE(q.question.has_value());
    EXPECT_GE(q.question->options.size(), 2u);
    EXPECT_EQ(load_history(project).pending, q.revision);
    ReviseJob job;
    job.project = project;
    job.answer = 3;
    const auto a = revise(job);
    ASSERT_EQ(a.status, intent::Status::applied);
    EXPECT_EQ(a.directives.size(), q.question->options[2].directives.size());
    const History h = load_history(project);
    EXPECT_TRUE(h.pending.empty());
    EXPECT_EQ(h.current, a.revision);
    // The question is kept in the history; its answer's parent is the revision it was asked on.
    EXPECT_EQ(h.revisions[1].status, "question");
    EXPECT_EQ(h.revisions[2].parent, "000");
}

TEST(Revise, DryRunPlansWithoutRenderingOrSaving) {
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    ReviseJob job;
    job.project = project;
    job.text = "the vocal louder";
    job.dry_run = true;
    const auto out = revise(job);
    EXPECT_EQ(out.status, intent::Status::applied);
    EXPECT_FALSE(out.changes.empty());
    EXPECT_TRUE(out.revision.empty());
    EXPECT_FALSE(fs::exists(project / "history.json"));
    EXPECT_FALSE(fs::exists(project / "revisions"));
}

TEST(Revise, ChorusVocalLouderChangesTheAudioOnlyFromTheChorus) {
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    const auto out = say(project, "the lead vocal louder in the chorus");
    ASSERT_EQ(out.status, intent::Status::applied);
    const plan::Plan p = load_revision_plan(project, out.revision);
    const auto choruses = plan::section_ranges(p, {"chorus", 0, {}, {}});
    ASSERT_EQ(choruses.size(), 2u);  // "in the chorus": every chorus
    const double sr = p.sample_rate_hz;
    const double beat_s = 60.0 / p.tempo_bpm;
    const AudioBuffer before = io::decode(project / "mix.wav").audio;
    const AudioBuffer after = io::decode(project / "revisions" / out.revision / "mix.wav").audio;
    ASSERT_EQ(before.frames(), after.frames());
    // Exactly true: the mix is byte-identical until one render block (4096 frames) before the
    // ramp into the first chorus. The render is causal except that each effect return is shared
    // among its feeders with weights interpolated across a block, so the rounding of the shared
    // return (not its sum) reaches back up to one block.
    const auto first_change =
        static_cast<std::size_t>((choruses[0].first - beat_s) * sr) - render::k_block_frames;
    std::size_t differing = 0;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < first_change; ++i)
            differing += before.channel(c)[i] != after.channel(c)[i];
    EXPECT_EQ(differing, 0u);
    // Between the choruses the vocal is back at its level, but the mix bus compressor's release
    // and the reverb and delay tails carry the louder chorus on, decaying. From 1 s after the
    // first chorus to the next ramp, the difference stays far under the mix.
    const auto from = static_cast<std::size_t>((choruses[0].second + 1.0) * sr);
    const auto to =
        static_cast<std::size_t>((choruses[1].first - beat_s) * sr) - render::k_block_frames;
    ASSERT_LT(from, to);
    double diff = 0.0, level = 0.0;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = from; i < to; ++i) {
            const double d = double(after.channel(c)[i]) - before.channel(c)[i];
            diff += d * d;
            level += double(before.channel(c)[i]) * before.channel(c)[i];
        }
    std::printf("difference between the choruses: %.1f dB under the mix\n",
                -10.0 * std::log10(diff / level));
    EXPECT_LT(10.0 * std::log10(diff / level), -80.0);  // measured about -100 dB: rounding
    // Inside the chorus the vocal's share went up.
    bool share_checked = false;
    for (const auto& v : out.verification)
        if (v.measure == "loudness_share_lu") {
            share_checked = true;
            EXPECT_TRUE(v.ok) << v.before << " -> " << v.after;
        }
    EXPECT_TRUE(share_checked);
}

TEST(Revise, AcceptingWarmerTwiceMakesTheNextMixStartWarmer) {
    const fs::path dir = test::scratch_dir();
    const fs::path project = test::mixed_demo_project(dir);
    const fs::path taste_file = dir / "taste.json";
    for (int i = 0; i < 2; ++i) {
        const auto out = say(project, "make the mix warmer");
        ASSERT_EQ(out.status, intent::Status::applied);
        set_verdict(project, out.revision, true, taste_file);
    }
    const auto taste = intent::load_taste(taste_file);
    ASSERT_EQ(intent::taste_directives(taste).size(), 1u);
    // The next mix: the original plan with the prior applied, rendered afresh.
    plan::Plan next = load_revision_plan(project, "000");
    const auto changes = apply_taste_prior(next, taste);
    EXPECT_FALSE(changes.empty());
    EXPECT_TRUE(std::any_of(next.decisions.begin(), next.decisions.end(),
                            [](const auto& d) { return d.rationale.code == "TASTE_PRIOR"; }));
    const auto rendered = render_project(next, dir / "next");
    const auto band = [](const analysis::Analysis& a, double lo, double hi) {
        double p = 0.0;
        for (const auto& b : a.spectrum_third_octave)
            if (b.hz >= lo && b.hz <= hi && std::isfinite(b.db)) p += std::pow(10.0, b.db / 10.0);
        return 10.0 * std::log10(p);
    };
    const auto before = analysis::analyze(io::decode(project / "master.wav").audio);
    const auto after = rendered.master.after;
    const double warm_before = band(before, 100, 400) - band(before, 2000, 8000);
    const double warm_after = band(after, 100, 400) - band(after, 2000, 8000);
    // The prior is half a usual step: 100-400 Hz vs 2-8 kHz rises by more than 0.5 dB (half
    // amount of the Audealize 'warm' curve moves that ratio by about 2 dB).
    EXPECT_GT(warm_after - warm_before, 0.5);
}

/// Which part of the demo each quality is tried on, and in which section.
struct QualityCase {
    std::string quality;
    std::string target;
    std::string section;          // empty: whole song
    std::string prepare_quality;  // applied first (e.g. "gritty" before "clean")
};

std::vector<QualityCase> quality_cases() {
    std::vector<QualityCase> out;
    for (const auto& q : intent::vocabulary().qualities) {
        QualityCase c{q.name, "mix", "", ""};
        if (q.name == "loud" || q.name == "quiet" || q.name == "present" || q.name == "intimate" ||
            q.name == "distant" || q.name == "dry" || q.name == "spacious" || q.name == "gritty")
            c.target = "lead_vocal";
        if (q.name == "clean") {
            c.target = "keys";
            c.prepare_quality = "gritty";  // cleaner than a driven state
        }
        if (q.name == "punchy" || q.name == "aggressive" || q.name == "laid-back")
            c.target = "drums";
        if (q.name == "gritty") c.target = "keys";
        if (q.name == "tight") c.target = "drums";
        if (q.name == "lift") c.section = "chorus";
        out.push_back(c);
    }
    return out;
}

class QualityMovesReleaseOnly : public ::testing::TestWithParam<QualityCase> {};

TEST_P(QualityMovesReleaseOnly, MeasuredMoveGoesTheRightWayAndLoudnessStaysOnTarget) {
    const auto& c = GetParam();
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    if (!c.prepare_quality.empty()) {
        ASSERT_EQ(apply(project, {directive(c.target, c.prepare_quality, 1.0)}).status,
                  intent::Status::applied);
    }
    Directive d = directive(c.target, c.quality, 1.0);
    if (!c.section.empty()) d.section = intent::SectionRef{c.section, 0, {}, {}};
    const auto out = apply(project, {d});
    ASSERT_EQ(out.status, intent::Status::applied);
    ASSERT_GE(out.verification.size(), 2u);  // the quality's checks and the loudness check
    for (const auto& v : out.verification) {
        EXPECT_TRUE(v.ok) << c.quality << " on " << c.target << ": " << v.measure << " " << v.before
                          << " -> " << v.after << " (expected " << v.expected << ")";
        std::printf("%-10s %-11s %-24s %9.3f -> %9.3f  %s\n", v.quality.c_str(), v.target.c_str(),
                    v.measure.c_str(), v.before, v.after, v.ok ? "ok" : "NOT MET");
    }
}

INSTANTIATE_TEST_SUITE_P(Vocabulary, QualityMovesReleaseOnly, ::testing::ValuesIn(quality_cases()),
                         [](const auto& param_info) {
                             std::string n = param_info.param.quality;
                             for (auto& ch : n)
                                 if (ch == '-') ch = '_';
                             return n;
                         });

}  // namespace
}  // namespace secondear::pipeline
