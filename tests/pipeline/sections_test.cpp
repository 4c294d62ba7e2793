// The arrangement end to end on the demo session: the mix rides the song (the chorus lift is
// measurable on the printed stems and the mix, ramps do not click, the energy contrast survives
// the bus compression), and `secondear analyze --sections` finds the tempo and the sections.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "demo/demo_session.hpp"
#include "io/decode.hpp"
#include "pipeline.hpp"
#include "plan/automation.hpp"
#include "render/mix_render.hpp"
#include "support/arrangement_signals.hpp"
#include "support/paths.hpp"

namespace secondear {
namespace {

namespace fs = std::filesystem;

/// Collects a rendered mix (and one stem) in memory.
class Capture final : public render::MixOutput {
  public:
    Capture(std::size_t kept_stem, double rate)
        : mix(2, 0, rate), stem(2, 0, rate), kept_(kept_stem) {}
    void write_stem(std::size_t track, AudioView block) override {
        if (track == kept_) append(stem, block);
    }
    void write_mix(AudioView block) override { append(mix, block); }
    AudioBuffer mix;
    AudioBuffer stem;

  private:
    static void append(AudioBuffer& a, AudioView v) {
        const std::size_t at = a.frames();
        a.resize_frames(at + v.frames());
        for (int c = 0; c < 2; ++c) std::copy_n(v.channel(c), v.frames(), a.channel(c).data() + at);
    }
    std::size_t kept_;
};

std::size_t track_index(const plan::Plan& p, const std::string& name) {
    for (std::size_t i = 0; i < p.tracks.size(); ++i)
        if (p.tracks[i].name == name) return i;
    throw std::runtime_error("no track " + name);
}

/// The mix and the lead vocal's stem of a plan, rendered in memory.
Capture render_in_memory(const plan::Plan& p) {
    std::vector<std::unique_ptr<BlockSource>> sources;
    for (const auto& t : p.tracks)
        sources.push_back(std::make_unique<io::AudioReader>(t.source_path));
    Capture out(track_index(p, "lead_vocal"), p.sample_rate_hz);
    render::render_mix(p, sources, out);
    return out;
}

/// The plan without the section moves: what the mix would be without riding the song.
plan::Plan without_section_lanes(plan::Plan p) {
    const auto section = [](const plan::AutomationLane& l) {
        return l.rationale.code.starts_with("SECTION_");
    };
    for (auto& t : p.tracks) std::erase_if(t.automation, section);
    for (auto& b : p.buses) std::erase_if(b.automation, section);
    return p;
}

/// The same plan without its width lane, or without the mix bus compressor.
plan::Plan without_width(plan::Plan p) {
    for (auto& b : p.buses)
        std::erase_if(b.automation,
                      [](const plan::AutomationLane& l) { return l.param == "width"; });
    return p;
}
/// Without the mix bus compressor and the makeup lane that keeps the contrast through it: the
/// mix before bus compression.
plan::Plan without_mix_bus_compressor(plan::Plan p) {
    for (auto& b : p.buses)
        if (b.kind == "mix") {
            for (auto& e : b.chain) e.enabled = false;
            std::erase_if(b.automation,
                          [](const plan::AutomationLane& l) { return l.param == "makeup_db"; });
        }
    return p;
}

/// The demo (half-length sections: 10 bars, 20 s) mixed once for the whole suite, and the same
/// plan rendered without its section lanes, without its width lane, and without the mix bus
/// compressor.
struct MixedDemo {
    demo::DemoSession session;
    fs::path dir;
    pipeline::MixOutcome outcome;
    AudioBuffer mix;     // DIR/mix.wav
    AudioBuffer master;  // DIR/master.wav
    AudioBuffer lead;    // DIR/stems/lead_vocal.wav
    Capture still{0, 0.0};
    Capture no_width{0, 0.0};
    Capture no_bus_comp{0, 0.0};
    std::vector<plan::Section> sections;  // the truth, as plan sections
};

const MixedDemo& mixed_demo() {
    static const MixedDemo d = [] {
        MixedDemo m;
        m.session = demo::make_demo_session({.bars_per_section_scale = 2});
        m.dir = test::scratch_dir();
        demo::write_demo_session(m.session, m.dir / "session");
        pipeline::MixJob job;
        job.session = m.dir / "session" / "session.json";
        job.out_dir = m.dir / "project";
        m.outcome = pipeline::mix(job);
        m.mix = io::decode(m.dir / "project" / "mix.wav").audio;
        m.master = io::decode(m.dir / "project" / "master.wav").audio;
        m.lead = io::decode(m.dir / "project" / "stems" / "lead_vocal.wav").audio;
        m.still = render_in_memory(without_section_lanes(m.outcome.plan));
        m.no_width = render_in_memory(without_width(m.outcome.plan));
        m.no_bus_comp = render_in_memory(without_mix_bus_compressor(m.outcome.plan));
        for (const auto& s : m.session.sections)
            m.sections.push_back({s.start_s, s.end_s, s.label, 1.0});
        return m;
    }();
    return d;
}

/// Each section without its first and last beat: the ramps (one beat before each boundary) and
/// the returns' share smoothing (300 ms) stay out of the steady measurement.
std::vector<plan::Section> steady_parts(const std::vector<plan::Section>& sections, double beat_s) {
    std::vector<plan::Section> out = sections;
    for (auto& s : out) {
        s.start_s += beat_s;
        s.end_s -= beat_s;
    }
    return out;
}

double mean_over(const std::vector<plan::Section>& s, const std::vector<double>& v,
                 const std::string& label) {
    double sum = 0.0;
    int n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].label == label) {
            sum += v[i];
            ++n;
        }
    return sum / n;
}

/// Side energy over mid energy (dB) of each section.
std::vector<double> side_mid_db(const AudioBuffer& a, const std::vector<plan::Section>& sections) {
    std::vector<double> out;
    const double sr = a.sample_rate_hz();
    for (const auto& s : sections) {
        double mid = 0.0, side = 0.0;
        for (auto i = static_cast<std::size_t>(s.start_s * sr);
             i < static_cast<std::size_t>(s.end_s * sr) && i < a.frames(); ++i) {
            const double m = 0.5 * (a.channel(0)[i] + a.channel(1)[i]);
            const double d = 0.5 * (a.channel(0)[i] - a.channel(1)[i]);
            mid += m * m;
            side += d * d;
        }
        out.push_back(10.0 * std::log10(side / mid));
    }
    return out;
}

/// Largest sample-to-sample step of any channel in [t0, t1).
double max_step(const AudioBuffer& a, double t0, double t1) {
    const double sr = a.sample_rate_hz();
    const auto i0 = static_cast<std::size_t>(std::max(1.0, t0 * sr));
    const auto i1 = std::min(a.frames(), static_cast<std::size_t>(t1 * sr));
    double m = 0.0;
    for (int c = 0; c < a.channels(); ++c)
        for (std::size_t i = i0; i < i1; ++i)
            m = std::max(m, static_cast<double>(std::fabs(a.channel(c)[i] - a.channel(c)[i - 1])));
    return m;
}

double planned_lead_lift_db(const plan::Plan& p) {
    for (const auto& l : p.tracks[track_index(p, "lead_vocal")].automation)
        if (l.param == "gain_db") {
            double v = 0.0;
            for (const auto& pt : l.points) v = std::max(v, pt.value);
            return v;
        }
    return 0.0;
}

/// What the plan says the lead's lift is over the band (dB), from its fader lane's evidence.
double planned_lead_over_band_db(const plan::Plan& p) {
    for (const auto& l : p.tracks[track_index(p, "lead_vocal")].automation)
        if (l.param == "gain_db")
            for (const auto& [name, value] : l.rationale.evidence)
                if (name == "lead_over_band_db") return value;
    return 0.0;
}

/// a - b, sample by sample (the band under the lead: the mix minus the lead's stem, since the
/// stems sum to the mix).
AudioBuffer minus(const AudioBuffer& a, const AudioBuffer& b) {
    AudioBuffer out(a.channels(), a.frames(), a.sample_rate_hz());
    for (int c = 0; c < a.channels(); ++c)
        for (std::size_t i = 0; i < a.frames(); ++i)
            out.channel(c)[i] = a.channel(c)[i] - b.channel(c)[i];
    return out;
}

double planned_width(const plan::Plan& p) {
    for (const auto& b : p.buses)
        for (const auto& l : b.automation)
            if (b.kind == "mix" && l.param == "width") {
                double v = 1.0;
                for (const auto& pt : l.points) v = std::max(v, pt.value);
                return v;
            }
    return 1.0;
}

TEST(Arrangement, ChorusLiftIsMeasurableOnLeadAndWidth) {
    const auto& d = mixed_demo();
    const auto& p = d.outcome.plan;
    const double lift_db = planned_lead_lift_db(p);
    const double width = planned_width(p);
    ASSERT_GT(lift_db, 0.0) << "the pop demo's lead should be lifted in the chorus";
    ASSERT_GT(width, 1.0);
    const double over_band_db = planned_lead_over_band_db(p);
    ASSERT_GT(over_band_db, 0.0);
    const auto parts = steady_parts(d.sections, plan::ramp_s(p.tempo_bpm));
    const auto& still_lead = d.still.stem;
    const auto lead = plan::section_loudness_lufs(d.lead, parts);
    const auto lead_still = plan::section_loudness_lufs(still_lead, parts);
    const auto band = plan::section_loudness_lufs(minus(d.mix, d.lead), parts);
    const auto band_still = plan::section_loudness_lufs(minus(d.still.mix, still_lead), parts);
    // The lead's share is measured against the band under it (lead-to-accompaniment ratio,
    // as Gerdes & Siedenburg 2023 measure vocal level): a fader move shows in it in full, where
    // a share of the whole mix, which holds the lead, rises by less the louder the lead is.
    std::vector<double> lead_lift, share, share_still;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        lead_lift.push_back(lead[i] - lead_still[i]);
        share.push_back(lead[i] - band[i]);
        share_still.push_back(lead_still[i] - band_still[i]);
        std::cout << fmt::format(
            "{:<7} lead {:+.2f} dB against the static mix; over the band {:+.2f} LU "
            "(static {:+.2f})\n",
            parts[i].label, lead_lift.back(), share.back(), share_still.back());
    }
    // The lead stem (voice and its share of the returns) rises by the planned fader lift in the
    // chorus against the verse. 0.25 dB: the mix bus compressor acts after the fader and takes
    // back a little of any lift (about 1-3 dB of gain reduction on the loud parts).
    const double lift =
        mean_over(parts, lead_lift, "chorus") - mean_over(parts, lead_lift, "verse");
    EXPECT_GE(lift, lift_db - 0.25);
    // Its share (over the band) is higher in the chorus than in the verse by at least the
    // planned amount, and the moves raised it by that much: the voice comes forward, not only
    // the song. 0.25 LU as above (the bus compressor's gain differs a little between the stems
    // of the lead and the band within a section).
    const double share_contrast =
        mean_over(parts, share, "chorus") - mean_over(parts, share, "verse");
    const double share_gain = share_contrast - (mean_over(parts, share_still, "chorus") -
                                                mean_over(parts, share_still, "verse"));
    EXPECT_GE(share_contrast, over_band_db - 0.25);
    EXPECT_GE(share_gain, over_band_db - 0.25);
    // Width: side/mid higher in the chorus than in the verse by at least the planned amount.
    const auto sm = side_mid_db(d.mix, parts);
    const auto sm_no_width = side_mid_db(d.no_width.mix, parts);
    const double width_db = 20.0 * std::log10(width);
    EXPECT_GE(mean_over(parts, sm, "chorus") - mean_over(parts, sm, "verse"), width_db);
    // The width stage alone (against the same plan without the lane): side scaled by the factor
    // after the bus compressor, so side/mid rises by exactly 20 log10(width) in the steady chorus
    // and not at all in the verse; 0.02 dB for float rounding of the sums.
    std::vector<double> width_gain;
    for (std::size_t i = 0; i < parts.size(); ++i) width_gain.push_back(sm[i] - sm_no_width[i]);
    std::cout << fmt::format(
        "lead lift {:.2f} dB (planned {:.2f}), over the band: contrast {:.2f} LU "
        "(gain {:.2f}), side/mid chorus - verse {:.2f} dB, width stage "
        "{:.3f} dB in the chorus (planned {:.3f})\n",
        lift, lift_db, share_contrast, share_gain,
        mean_over(parts, sm, "chorus") - mean_over(parts, sm, "verse"),
        mean_over(parts, width_gain, "chorus"), width_db);
    EXPECT_NEAR(mean_over(parts, width_gain, "chorus"), width_db, 0.02);
    EXPECT_NEAR(mean_over(parts, width_gain, "verse"), 0.0, 0.02);
}

TEST(Arrangement, NoClickAtAnyRamp) {
    const auto& d = mixed_demo();
    const auto& p = d.outcome.plan;
    const double ramp = plan::ramp_s(p.tempo_bpm);
    // The largest move of any lane: 3 dB on the sends, and the width factor on the mix. A ramp
    // can raise the signal's own steps by at most that much; a click (a step in gain) would jump
    // far beyond it. 50 ms either side covers the chains' latency (the gain lanes act a few ms
    // early in the output).
    const double gain_bound = std::pow(10.0, 3.0 / 20.0);
    const double width_bound = planned_width(p);
    const auto& still_lead = d.still.stem;
    for (std::size_t k = 1; k < d.sections.size(); ++k) {
        const double b = d.sections[k].start_s;
        const double t0 = b - ramp - 0.05, t1 = b + 0.05;
        const double lead = max_step(d.lead, t0, t1), lead_still = max_step(still_lead, t0, t1);
        const double mix = max_step(d.mix, t0, t1), mix_still = max_step(d.still.mix, t0, t1);
        std::cout << fmt::format(
            "ramp into {} at {:.1f} s: lead step {:.4f} (static {:.4f}), "
            "mix step {:.4f} (static {:.4f})\n",
            d.sections[k].label, b, lead, lead_still, mix, mix_still);
        EXPECT_LE(lead, lead_still * gain_bound) << b;
        EXPECT_LE(mix, mix_still * gain_bound * width_bound) << b;
    }
}

TEST(Arrangement, StemsStillSumToTheMixAndNothingMovesBeforeTheFirstRamp) {
    const auto& d = mixed_demo();
    const auto& p = d.outcome.plan;
    AudioBuffer sum(2, d.mix.frames(), d.mix.sample_rate_hz());
    for (const auto& t : p.tracks) {
        const auto stem = io::decode(d.dir / "project" / "stems" /
                                     (fs::path(t.source_path).stem().string() + ".wav"))
                              .audio;
        for (int c = 0; c < 2; ++c)
            for (std::size_t i = 0; i < sum.frames(); ++i) sum.channel(c)[i] += stem.channel(c)[i];
    }
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < sum.frames(); ++i)
            worst = std::max(
                worst, static_cast<double>(std::fabs(sum.channel(c)[i] - d.mix.channel(c)[i])));
    // Same float sums in the same order: bit-identical in practice; 1e-6 allows another
    // summation order in a later renderer.
    EXPECT_LE(worst, 1e-6);
    // Before the first ramp (one beat before the verse) the mix is the static mix exactly.
    const double first_ramp_s = d.sections[1].start_s - plan::ramp_s(p.tempo_bpm) - 0.05;
    const auto n = static_cast<std::size_t>(first_ramp_s * d.mix.sample_rate_hz());
    for (int c = 0; c < 2; ++c)
        EXPECT_TRUE(std::equal(d.mix.channel(c).begin(),
                               d.mix.channel(c).begin() + static_cast<std::ptrdiff_t>(n),
                               d.still.mix.channel(c).begin()));
}

TEST(Arrangement, EnergyContrastIsNotFlattened) {
    const auto& d = mixed_demo();
    // Before: the raw stems summed (mono stems on both sides); after: the mix as printed.
    AudioBuffer raw(2, d.mix.frames(), d.mix.sample_rate_hz());
    for (const auto& t : d.session.tracks)
        for (int c = 0; c < 2; ++c) {
            const auto in = t.audio.channel(std::min(c, t.audio.channels() - 1));
            for (std::size_t i = 0; i < std::min(raw.frames(), in.size()); ++i)
                raw.channel(c)[i] += in[i];
        }
    const auto contrast = [&](const AudioBuffer& a) {
        return plan::section_contrast_lu(d.sections, plan::section_loudness_lufs(a, d.sections));
    };
    const auto before = contrast(raw);
    const auto after = contrast(d.mix);
    const auto master = contrast(d.master);
    const auto still = contrast(d.still.mix);
    // The same from the mix analysis' short-term series (3 s windows: sections of 4 s are read
    // from the windows ending in their second half, so only a coarse agreement is expected).
    const auto from_series = plan::section_contrast_lu(
        d.sections, plan::section_loudness_lufs(
                        d.outcome.mix.mix.loudness.short_term_lufs_per_100ms, d.sections));
    const auto no_bus = contrast(d.no_bus_comp.mix);
    std::cout << fmt::format(
        "chorus - verse: stems {:.2f} LU; before the mix bus compressor {:.2f} LU; mix {:.2f} "
        "LU; master {:.2f} LU (without the section moves {:.2f} LU, from the short-term "
        "series {:.2f} LU)\n",
        before, no_bus, after, master, still, from_series);
    // Bus compression never flattens the song: the bound is 0.5 LU between the mix
    // before the mix bus compressor and the printed mix, and again after the master's glue
    // compressor and limiter (the SECTION_CONTRAST_KEPT makeup lane gives back what the
    // compressor takes from the louder sections).
    EXPECT_GE(after, no_bus - 0.5);
    EXPECT_GE(master, no_bus - 0.5);
    // The plan records the move with the contrast it expects before and after.
    const plan::AutomationLane* makeup = nullptr;
    for (const auto& b : d.outcome.plan.buses)
        for (const auto& l : b.automation)
            if (b.kind == "mix" && l.param == "makeup_db") makeup = &l;
    ASSERT_NE(makeup, nullptr);
    EXPECT_EQ(makeup->rationale.code, "SECTION_CONTRAST_KEPT");
    std::cout << makeup->rationale.text << "\n";
    // The section moves add contrast to the mix.
    EXPECT_GT(after, still);
    // Against the raw stems summed, the track processing (the lead's 3:1 compressor evens its
    // 9 dB louder chorus) takes part of the demo's contrast, which the section moves give only
    // partly back: measured and printed, not held to the bus bound (no bus acts there).
    EXPECT_GT(before, 0.0);
}

struct CliRun {
    int exit_code = -1;
    std::string out;
};

CliRun run_cli(const std::string& args) {
    const std::string cmd = "'" + std::string(SECONDEAR_CLI_PATH) + "' " + args + " 2>/dev/null";
    CliRun r;
    std::FILE* pipe = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.out += buf.data();
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::vector<double> inner_starts(const nlohmann::json& sections) {
    std::vector<double> out;
    for (const auto& s : sections)
        if (s.at("start_s").get<double>() > 0.0) out.push_back(s.at("start_s").get<double>());
    return out;
}

TEST(ArrangementCli, SectionsMapOfAStemsFolder) {
    const auto& d = mixed_demo();
    const auto folder = d.dir / "session";
    const auto text = run_cli("analyze --sections '" + folder.string() + "'");
    ASSERT_EQ(text.exit_code, 0);
    EXPECT_NE(text.out.find("tempo"), std::string::npos);
    EXPECT_NE(text.out.find("lead_vocal"), std::string::npos);  // a track listed as playing
    const auto json = run_cli("analyze --sections --json '" + folder.string() + "'");
    ASSERT_EQ(json.exit_code, 0);
    const auto j = nlohmann::json::parse(json.out);
    ASSERT_TRUE(j.at("tempo_bpm").is_number());
    ASSERT_FALSE(j.at("beats_s").empty());
    const auto& s = j.at("sections");
    ASSERT_FALSE(s.empty());
    EXPECT_DOUBLE_EQ(s.front().at("start_s").get<double>(), 0.0);
    for (std::size_t k = 1; k < s.size(); ++k)
        EXPECT_DOUBLE_EQ(s[k].at("start_s").get<double>(), s[k - 1].at("end_s").get<double>());
    for (const auto& x : s) {
        EXPECT_TRUE(x.at("label").is_string());
        EXPECT_GE(x.at("confidence").get<double>(), 0.0);
        EXPECT_LE(x.at("confidence").get<double>(), 1.0);
    }
    EXPECT_TRUE(j.contains("integrated_lufs"));  // still the analysis object
}

TEST(ArrangementCliReleaseOnly, FullDemoTempoAndSections) {
    const auto session = demo::make_demo_session({.bars_per_section_scale = 1});
    const auto dir = test::scratch_dir();
    demo::write_demo_session(session, dir);
    // The demo's intro and outro last 2 bars, under the default 4-bar minimum section.
    const auto r = run_cli("analyze --sections --json --min-section-bars 2 '" + dir.string() + "'");
    ASSERT_EQ(r.exit_code, 0);
    const auto j = nlohmann::json::parse(r.out);
    const double bpm = j.at("tempo_bpm").get<double>();
    std::vector<double> truth;
    for (const auto& s : session.sections)
        if (s.start_s > 0.0) truth.push_back(s.start_s);
    const double f = test::arrangement::f_measure(inner_starts(j.at("sections")), truth, 0.5);
    std::vector<double> truth_beats = session.beats_s;
    const double beat_f =
        test::arrangement::f_measure(j.at("beats_s").get<std::vector<double>>(), truth_beats, 0.07);
    std::cout << fmt::format(
        "demo (40 s, 12 stems): {:.2f} BPM, beat F {:.3f} at 70 ms, section "
        "F {:.2f} at 0.5 s, {} sections\n",
        bpm, beat_f, f, j.at("sections").size());
    EXPECT_NEAR(bpm, 120.0, 0.02 * 120.0);  // the 2%
    EXPECT_GE(f, 0.8);                      // the F-measure at ±0.5 s
}

}  // namespace
}  // namespace secondear
