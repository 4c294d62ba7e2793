#include "analysis/alignment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.hpp"
#include "io/decode.hpp"
#include "support/paths.hpp"
#include "support/signals.hpp"
#include "support/track_signals.hpp"

namespace secondear::analysis {
namespace {

namespace sig = test::signals;
namespace trk = test::track;
constexpr double k_sr = 44100.0;

// Program-like material: pink noise plus kick-like hits (1.5 s keeps ASan fast).
AudioBuffer source() {
    return trk::mix(sig::pink_noise(21, k_sr, 1.5, -20.0, 1), trk::kick_like(k_sr, 1.5, 0.5));
}

TEST(Alignment, DelayedCopyGivesTheExactOffset) {
    const auto a = source();
    const auto r = align_pair(a, trk::delayed(a, 37, false));
    EXPECT_EQ(r.offset_frames, 37);
    EXPECT_FALSE(r.polarity_inverted);
    // A delayed copy differs only by the 37 frames shifted out: correlation within 1% of 1.
    EXPECT_GT(r.correlation_at_best, 0.99);
    EXPECT_GT(r.confidence, 0.9);
    EXPECT_TRUE(shares_source(r));
}

TEST(Alignment, LeadingCopyGivesANegativeOffset) {
    const auto a = source();
    const auto r = align_pair(trk::delayed(a, 12, false), a);
    EXPECT_EQ(r.offset_frames, -12);
}

TEST(Alignment, InvertedCopyIsFlagged) {
    const auto a = source();
    const auto r = align_pair(a, trk::delayed(a, 0, true));
    EXPECT_EQ(r.offset_frames, 0);
    EXPECT_TRUE(r.polarity_inverted);
    EXPECT_LT(r.correlation_at_best, -0.99);
    EXPECT_TRUE(shares_source(r));
}

TEST(Alignment, DelayedAndInvertedBoth) {
    const auto a = source();
    const auto r = align_pair(a, trk::delayed(a, 37, true));
    EXPECT_EQ(r.offset_frames, 37);
    EXPECT_TRUE(r.polarity_inverted);
}

TEST(Alignment, FilteredDelayedCopyStillAligns) {
    // Like a second mic: another tone colour and some noise of its own.
    const auto a = source();
    auto b = trk::delayed(a, 80, false);
    trk::apply_peak_eq(b, 2000.0, -9.0, 0.7);
    b = trk::mix(b, sig::pink_noise(99, k_sr, 1.5, -30.0, 1));
    const auto r = align_pair(a, b);
    EXPECT_EQ(r.offset_frames, 80);
    EXPECT_GT(r.correlation_at_best, 0.5);
    EXPECT_TRUE(shares_source(r));
}

TEST(Alignment, UnrelatedNoiseHasLowConfidence) {
    const auto a = sig::pink_noise(1, k_sr, 1.5, -20.0, 1);
    const auto b = sig::pink_noise(2, k_sr, 1.5, -20.0, 1);
    const auto r = align_pair(a, b);
    // Independent noises of 66 000 samples correlate by about 1/sqrt(n) at any lag; the best of
    // 1300 lags stays far under 0.1.
    EXPECT_LT(std::fabs(r.correlation_at_best), 0.1);
    EXPECT_LT(r.confidence, 0.3);
    EXPECT_FALSE(shares_source(r));
}

TEST(Alignment, SilenceGivesNothing) {
    const auto r = align_pair(sig::silence(k_sr, 0.5, 1), source());
    EXPECT_DOUBLE_EQ(r.confidence, 0.0);
    EXPECT_FALSE(shares_source(r));
}

TEST(Alignment, DifferentRatesAreRefused) {
    EXPECT_THROW(align_pair(sig::silence(44100.0, 0.1, 1), sig::silence(48000.0, 0.1, 1)), Error);
}

AudioBuffer hit(const std::string& dir, const std::string& mic) {
    return io::decode(
               test::corpus_path("multitrack/muldjordkit_drum_hits/" + dir + "/" + mic + ".flac"))
        .audio;
}

void print(const char* what, const PairAlignment& r) {
    std::printf(
        "%-34s offset %+4d frames (%+.2f ms)  corr %+.3f  pnr %5.1f  conf %.2f  "
        "coherent %.0f-%.0f Hz\n",
        what, r.offset_frames, r.offset_ms, r.correlation_at_best, r.peak_to_noise, r.confidence,
        r.coherence_band_low_hz, r.coherence_band_high_hz);
}

// Real multi-mic drum hits. There is no documented ground truth (corpus README), so the test
// asserts physics: the overheads (about a metre or more above the kit) hear each drum later than
// its close mic, by the same amount for every hit of that drum, and the kick and snare close mics
// clearly share a source with the overheads.
TEST(AlignmentCorpus, KickInLeadsTheOverheads) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto kick = hit("kdruml_hit25", "KdrumL");
    for (const char* mic : {"OHL", "OHR"}) {
        const auto r = align_pair(kick, hit("kdruml_hit25", mic));
        print((std::string("kick: KdrumL vs ") + mic).c_str(), r);
        // 0.5-10 ms: 17 cm to 3.4 m more path to the overheads than to a mic in the drum.
        EXPECT_GT(r.offset_ms, 0.5);
        EXPECT_LT(r.offset_ms, 10.0);
    }
    // The left overhead (nearer the left kick) clearly holds it; measured +0.26.
    EXPECT_TRUE(shares_source(align_pair(kick, hit("kdruml_hit25", "OHL"))));
    const auto room = align_pair(kick, hit("kdruml_hit25", "AmbL"));
    print("kick: KdrumL vs AmbL", room);
    EXPECT_GT(room.offset_ms, 0.5);  // the room mic is further than the overheads
}

TEST(AlignmentCorpus, SnareTopAndBottomAndOverheads) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto top = hit("snare_hit56", "Snare_top");
    const auto bottom = align_pair(top, hit("snare_hit56", "Snare_bottom"));
    print("snare: top vs bottom", bottom);
    // What the data shows: a strong relation (|c| ~ 0.5). The ringing drum makes the lag
    // ambiguous: the measured best is -2.7 ms with a positive sign, which is where an inverted
    // copy at 0 ms matches again half a period later (1 / (2 x 2.7 ms) = 184 Hz, the snare's
    // fundamental). So only the relation and a bound of one period (5.4 ms) are asserted.
    EXPECT_TRUE(shares_source(bottom));
    EXPECT_LT(std::abs(bottom.offset_ms), 5.5);
    for (const char* mic : {"OHL", "OHR"}) {
        const auto r = align_pair(top, hit("snare_hit56", mic));
        print((std::string("snare: top vs ") + mic).c_str(), r);
        EXPECT_GT(r.offset_ms, 0.5);
        EXPECT_LT(r.offset_ms, 10.0);
        EXPECT_TRUE(shares_source(r));
    }
}

TEST(AlignmentCorpus, TomLeadsTheOverheads) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto tom = hit("tom1_hit9", "Tom1");
    const auto r = align_pair(tom, hit("tom1_hit9", "OHL"));
    print("tom: Tom1 vs OHL", r);
    EXPECT_GT(r.offset_ms, 0.5);
    EXPECT_LT(r.offset_ms, 10.0);
    EXPECT_TRUE(shares_source(r));
}

TEST(AlignmentCorpus, OverheadPairIsConsistentAcrossHits) {
    SECONDEAR_REQUIRE_CORPUS();
    // The overhead pair is fixed, so its mutual offset can only change with where the drum sits
    // between the two mics: within 3 ms (1 m of path) for every hit.
    for (const char* dir : {"kdruml_hit25", "snare_hit56", "tom1_hit9"}) {
        const auto r = align_pair(hit(dir, "OHL"), hit(dir, "OHR"));
        print((std::string(dir) + ": OHL vs OHR").c_str(), r);
        EXPECT_LT(std::fabs(r.offset_ms), 3.0);
    }
}

}  // namespace
}  // namespace secondear::analysis
