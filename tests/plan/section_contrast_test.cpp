// The mix bus makeup lane that keeps the sections' energy contrast through the bus compressor
// (SECTION_CONTRAST_KEPT), on plans built from numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "plan/automation.hpp"

namespace secondear::plan {
namespace {

/// One centre-panned track into the mix bus, whose compressor has a hard knee: ratio 2:1 at
/// -18 dBFS, 30 ms attack and 200 ms release. Sections: verse [0, 4) s, chorus [4, 8) s.
Plan two_section_plan() {
    Plan p;
    p.kind = "mix";
    p.sample_rate_hz = 48000.0;
    p.frames = 8 * 48000;
    Track t;
    t.name = "synth";
    p.tracks.push_back(t);
    ProcessorEntry comp;
    comp.id = "mixbus.comp";
    comp.params = dsp::CompressorParams{.threshold_db = -18.0,
                                        .ratio = 2.0,
                                        .knee_db = 0.0,
                                        .attack_ms = 30.0,
                                        .release_ms = 200.0};
    Bus mix;
    mix.name = "mix";
    mix.kind = "mix";
    mix.output_bus = "master";
    mix.chain.push_back(comp);
    p.buses.push_back(mix);
    p.sections = {{0.0, 4.0, "verse", 1.0}, {4.0, 8.0, "chorus", 1.0}};
    return p;
}

/// Levels every 100 ms: `verse_dbfs` for 4 s, then `chorus_dbfs` for 4 s.
AutomationIntent levels(double verse_dbfs, double chorus_dbfs) {
    AutomationIntent in;
    in.track_intents = {{}};
    std::vector<double> l(40, verse_dbfs);
    l.resize(80, chorus_dbfs);
    in.track_levels_dbfs_per_100ms = {l};
    return in;
}

const AutomationLane* makeup_lane(const Plan& p) {
    for (const auto& b : p.buses)
        for (const auto& l : b.automation)
            if (b.kind == "mix" && l.param == "makeup_db") return &l;
    return nullptr;
}

double evidence(const Rationale& r, const std::string& key) {
    for (const auto& [k, v] : r.evidence)
        if (k == key) return v;
    return std::nan("");
}

TEST(SectionContrast, EstimateFollowsTheStaticCurve) {
    const auto est = estimate_section_compression(two_section_plan(), levels(-20.0, -12.0));
    ASSERT_EQ(est.gain_reduction_db.size(), 2u);
    // Steady levels: the verse sits under the threshold (no reduction); the chorus is 6 dB over
    // it, which a 2:1 ratio halves: 3 dB. 1e-9: double arithmetic on exact steady powers.
    EXPECT_NEAR(est.gain_reduction_db[0], 0.0, 1e-9);
    EXPECT_NEAR(est.gain_reduction_db[1], 3.0, 1e-9);
    EXPECT_NEAR(est.loudness_db[1] - est.loudness_db[0], 8.0, 1e-9);
}

TEST(SectionContrast, MakeupGivesTheLouderSectionItsReductionBack) {
    Plan p = two_section_plan();
    keep_section_contrast(p, levels(-20.0, -12.0));
    const auto* lane = makeup_lane(p);
    ASSERT_NE(lane, nullptr);
    EXPECT_EQ(lane->rationale.code, "SECTION_CONTRAST_KEPT");
    // 0 dB in the verse (the least compressed section), +3 dB in the chorus, reached three
    // attack time constants (90 ms) after the boundary: the compressor clamps that fast.
    ASSERT_EQ(lane->points.size(), 3u);
    EXPECT_DOUBLE_EQ(lane->points[0].value, 0.0);
    EXPECT_DOUBLE_EQ(lane->points[1].time_s, 4.0);
    EXPECT_DOUBLE_EQ(lane->points[1].value, 0.0);
    EXPECT_NEAR(lane->points[2].time_s, 4.09, 1e-12);
    EXPECT_DOUBLE_EQ(lane->points[2].value, 3.0);
    // The plan states the contrast before the compressor, after it, and kept (8 - 3 + 3).
    EXPECT_DOUBLE_EQ(evidence(lane->rationale, "contrast_before_bus_lu"), 8.0);
    EXPECT_DOUBLE_EQ(evidence(lane->rationale, "contrast_after_bus_lu"), 5.0);
    EXPECT_DOUBLE_EQ(evidence(lane->rationale, "contrast_kept_lu"), 8.0);
    EXPECT_NE(lane->rationale.text.find("+3.00 dB in the chorus"), std::string::npos);
}

TEST(SectionContrast, FallsAsSlowlyAsTheCompressorReleases) {
    Plan p = two_section_plan();
    keep_section_contrast(p, levels(-12.0, -20.0));
    const auto* lane = makeup_lane(p);
    ASSERT_NE(lane, nullptr);
    // Louder verse: +3 dB there, falling to 0 over three release time constants (0.6 s).
    ASSERT_EQ(lane->points.size(), 3u);
    EXPECT_DOUBLE_EQ(lane->points[0].value, 3.0);
    EXPECT_NEAR(lane->points[2].time_s, 4.6, 1e-12);
    EXPECT_DOUBLE_EQ(lane->points[2].value, 0.0);
}

TEST(SectionContrast, NoLaneWhereTheCompressorTreatsSectionsAlike) {
    // Both sections under the threshold: no reduction anywhere.
    Plan quiet = two_section_plan();
    keep_section_contrast(quiet, levels(-30.0, -24.0));
    EXPECT_EQ(makeup_lane(quiet), nullptr);
    // Both 6 dB over it: the same reduction in each, the contrast is kept without help.
    Plan even = two_section_plan();
    keep_section_contrast(even, levels(-12.0, -12.0));
    EXPECT_EQ(makeup_lane(even), nullptr);
    // No mix bus compressor: nothing to keep the contrast from.
    Plan none = two_section_plan();
    none.buses.front().chain.front().enabled = false;
    keep_section_contrast(none, levels(-20.0, -12.0));
    EXPECT_EQ(makeup_lane(none), nullptr);
}

TEST(SectionContrast, SectionLanesAndFadersCountInTheEstimate) {
    // The same levels, but the track's gain lane lifts the chorus by 2 dB: 8 dB over the
    // threshold there, 4 dB of reduction.
    Plan p = two_section_plan();
    p.tracks.front().automation.push_back({"gain_db", {{3.5, 0.0}, {4.0, 2.0}}, {}});
    const auto est = estimate_section_compression(p, levels(-20.0, -12.0));
    ASSERT_EQ(est.gain_reduction_db.size(), 2u);
    // 1e-9 in the chorus: every block centre lies after the ramp, at the held +2 dB.
    EXPECT_NEAR(est.gain_reduction_db[1], 4.0, 1e-9);
    EXPECT_NEAR(est.gain_reduction_db[0], 0.0, 1e-9);
}

}  // namespace
}  // namespace secondear::plan
