// secondear master, end to end on real mixes: lands on the target, under the ceiling by an
// independent meter, sample-exact length, deterministic, leaves a finished master alone, stops at
// the limiting bound unless forced, and matches a reference.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "io/decode.hpp"
#include "pipeline.hpp"
#include "plan/master_planner.hpp"
#include "support/ffmpeg_meter.hpp"
#include "support/paths.hpp"

namespace secondear {
namespace {

namespace fs = std::filesystem;

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

pipeline::MasterOutcome master_to(const fs::path& in, const fs::path& out, const std::string& target,
                                  bool force = false) {
    pipeline::MasterJob job;
    job.input = in;
    job.output = out;
    job.target_name = target;
    job.force = force;
    return pipeline::master(job);
}

// ±0.5 LU is the product tolerance for the delivered loudness (issue 3); we aim at ±0.1 and the
// renderer stops searching within ±0.05 LU of its own meter.
constexpr double k_loudness_tolerance_lu = 0.5;
// ffmpeg's ebur128 and our meter are both BS.1770 meters: ±0.1 LU (EBU Tech 3341) apart at most.
constexpr double k_meter_agreement_lu = 0.1;

TEST(Master, LandsOnTargetUnderCeilingWithIndependentMeter) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::scratch_dir();
    const auto in = test::corpus_path("mixes/kevin_macleod-vibe_ace.flac");
    const auto out = dir / "vibe_ace.spotify.wav";
    const auto outcome = master_to(in, out, "spotify");
    const auto& after = outcome.render.after.loudness;
    EXPECT_NEAR(after.integrated_lufs, -14.0, k_loudness_tolerance_lu);
    EXPECT_LE(after.true_peak_dbtp, -1.0);
    EXPECT_EQ(io::decode(out).audio.frames(), io::decode(in).audio.frames());
    if (test::ffmpeg_available()) {
        const auto ff = test::ffmpeg_ebur128(out);
        ASSERT_TRUE(ff.has_value());
        EXPECT_NEAR(ff->integrated_lufs, -14.0, k_loudness_tolerance_lu);
        EXPECT_NEAR(ff->integrated_lufs, after.integrated_lufs, k_meter_agreement_lu + 0.05);
        EXPECT_LE(ff->true_peak_dbtp, -1.0);
    }
}

TEST(Master, TwoRunsAreByteIdentical) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::scratch_dir();
    const auto in = test::corpus_path("mixes/steven_m_bryant-slow_motion_dream-excerpt.flac");
    master_to(in, dir / "a.wav", "apple-music");
    master_to(in, dir / "b.wav", "apple-music");
    EXPECT_EQ(file_bytes(dir / "a.wav"), file_bytes(dir / "b.wav"));
}

TEST(Master, AFinishedMasterIsLeftNearlyAlone) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::scratch_dir();
    const auto first = dir / "first.wav";
    master_to(test::corpus_path("mixes/kevin_macleod-gold_rush.flac"), first, "spotify");
    const auto again = master_to(first, dir / "second.wav", "spotify");
    // Issue 3: an already delivered, balanced master comes out with bands within 0.5 dB and
    // loudness within 0.2 LU, and the report says it was left alone.
    const auto& before = again.before;
    const auto& after = again.render.after;
    EXPECT_NEAR(after.loudness.integrated_lufs, before.loudness.integrated_lufs, 0.2);
    const auto rb = plan::relative_spectrum(before.spectrum_third_octave);
    const auto ra = plan::relative_spectrum(after.spectrum_third_octave);
    for (std::size_t i = 0; i < rb.size(); ++i) {
        if (rb[i].hz < 40 || rb[i].hz > 16000) continue;
        EXPECT_NEAR(ra[i].db, rb[i].db, 0.5) << rb[i].hz << " Hz";
    }
    EXPECT_FALSE(again.report["left_alone"].empty());
}

TEST(Master, StopsAtTheLimitingBoundUnlessForced) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::scratch_dir();
    // A wide-dynamics orchestral excerpt (LRA 14 LU) pushed to a club master (-7 LUFS).
    const auto in = test::corpus_path("mixes/kevin_macleod-sugar_plum_fairy-first60s.flac");
    const auto bounded = master_to(in, dir / "bounded.wav", "club");
    EXPECT_TRUE(bounded.render.stopped_at_limiting_bound);
    EXPECT_LT(bounded.render.after.loudness.integrated_lufs, -7.5);
    // The bound: loud passages limited by at most 6 dB (0.1 dB search tolerance).
    EXPECT_LE(bounded.render.loud_passage_gain_reduction_db, 6.1);
    EXPECT_NE(bounded.summary.find("--force"), std::string::npos);
    const auto forced = master_to(in, dir / "forced.wav", "club", true);
    EXPECT_FALSE(forced.render.stopped_at_limiting_bound);
    EXPECT_NEAR(forced.render.after.loudness.integrated_lufs, -7.0, k_loudness_tolerance_lu);
    EXPECT_LE(forced.render.after.loudness.true_peak_dbtp, -0.5);
}

// Pairs of corpus mixes of different genres whose tonal gap lies within the matcher's safety
// bounds (no band needs a boost of more than 12 dB; cuts may go to 24 dB, and the last pair
// needs 30 dB less top and sub than its input has). Pairs beyond the boost bound (a dull old
// recording against a bright modern one: 39 dB at 16 kHz) close less, by design:
// docs/benchmarks.md lists all 30.
class MasterReferencePairs : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(MasterReferencePairs, MatchingClosesAtLeastSixtyPercentOfTheTonalDistance) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::scratch_dir();
    pipeline::MasterJob job;
    job.input = test::corpus_path(std::string("mixes/") + GetParam().first + ".flac");
    job.reference = test::corpus_path(std::string("mixes/") + GetParam().second + ".flac");
    job.output = dir / "matched.wav";
    const auto outcome = pipeline::master(job);
    const auto ref = pipeline::analyze_file(*job.reference).analysis;
    const double before = plan::tonal_distance_db(outcome.before.spectrum_third_octave,
                                                  ref.spectrum_third_octave);
    const double after = plan::tonal_distance_db(outcome.render.after.spectrum_third_octave,
                                                 ref.spectrum_third_octave);
    // Issue 3: the mean absolute 1/3-octave distance (loudness-normalised, 40 Hz-16 kHz) falls
    // by at least 60%.
    EXPECT_LE(after, 0.4 * before) << "before " << before << " dB, after " << after << " dB";
}

INSTANTIATE_TEST_SUITE_P(
    CorpusPairs, MasterReferencePairs,
    ::testing::Values(std::pair{"kevin_macleod-vibe_ace", "karissa_hobbs-lets_go_fishin-first60s"},
                      std::pair{"karissa_hobbs-lets_go_fishin-first60s", "kevin_macleod-vibe_ace"},
                      std::pair{"kevin_macleod-krampus_workshop-first60s",
                                "steven_m_bryant-slow_motion_dream-excerpt"},
                      std::pair{"karissa_hobbs-lets_go_fishin-first60s",
                                "kevin_macleod-sugar_plum_fairy-first60s"}));

}  // namespace
}  // namespace secondear
