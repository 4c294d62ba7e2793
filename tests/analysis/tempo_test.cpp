#include "analysis/tempo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/decode.hpp"
#include "support/arrangement_signals.hpp"
#include "support/paths.hpp"
#include "support/signals.hpp"

namespace secondear::analysis {
namespace {

using test::arrangement::f_measure;
using test::arrangement::make_song;
using test::arrangement::SongSpec;

// A verse and a chorus (8 bars): enough beats for the tracker, short for ASan.
SongSpec short_song(double bpm, double sample_rate_hz = 44100.0) {
    SongSpec spec;
    spec.tempo_bpm = bpm;
    spec.sample_rate_hz = sample_rate_hz;
    spec.form = {{"verse", 4}, {"chorus", 4}};
    return spec;
}

double relative_error(double measured, double truth) {
    return std::abs(measured - truth) / truth;
}

class TempoAtBpm : public ::testing::TestWithParam<double> {};

TEST_P(TempoAtBpm, SyntheticSongTempoAndBeats) {
    const double bpm = GetParam();
    const auto song = make_song(short_song(bpm));
    const TempoResult r = analyze_tempo(song.mix);
    // 2%: the target (octave errors would show as ~50% or 100% here).
    EXPECT_LT(relative_error(r.tempo_bpm, bpm), 0.02) << "measured " << r.tempo_bpm;
    // +-70 ms F-measure >= 0.9 (the brief; mir_eval's usual beat window); every beat within
    // +-50 ms keeps the F-measure at that tighter window as high.
    EXPECT_GE(f_measure(r.beats_s, song.beats_s, 0.070), 0.9);
    EXPECT_GE(f_measure(r.beats_s, song.beats_s, 0.050), 0.9);
    EXPECT_GT(r.confidence, 0.2);  // a drum pattern repeats most of its onset energy
    EXPECT_EQ(r.onset_strength.size(),
              static_cast<std::size_t>(std::ceil(song.mix.duration_s() / r.hop_s - 1e-9)));
}

INSTANTIATE_TEST_SUITE_P(Tempi, TempoAtBpm, ::testing::Values(90.0, 120.0, 128.0, 140.0, 174.0));

TEST(Tempo, DownbeatsFallOnBarStarts) {
    const auto song = make_song(short_song(120.0));
    const TempoResult r = analyze_tempo(song.mix);
    EXPECT_EQ(r.beats_per_bar, 4);
    // The chords change and the kick lands on every bar's first beat.
    EXPECT_GE(f_measure(r.downbeats_s, song.downbeats_s, 0.070), 0.9);
}

TEST(Tempo, HopScalesWithSampleRate) {
    for (const double rate : {22050.0, 48000.0}) {
        const auto song = make_song(short_song(128.0, rate));
        const TempoResult r = analyze_tempo(song.mix);
        EXPECT_LT(relative_error(r.tempo_bpm, 128.0), 0.02) << rate << " Hz: " << r.tempo_bpm;
        // 10-12 ms hops (nearest power of two to 11.2 ms).
        EXPECT_GT(r.hop_s, 0.0099) << rate;
        EXPECT_LT(r.hop_s, 0.0121) << rate;
    }
}

TEST(Tempo, SilenceHasNoPulse) {
    const TempoResult r = analyze_tempo(test::signals::silence(44100.0, 5.0));
    EXPECT_EQ(r.tempo_bpm, 0.0);
    EXPECT_TRUE(r.beats_s.empty());
    EXPECT_TRUE(r.downbeats_s.empty());
    EXPECT_EQ(analyze_tempo(AudioBuffer{}).tempo_bpm, 0.0);
}

TEST(Tempo, SameInputSameOutput) {
    const auto song = make_song(short_song(140.0));
    const TempoResult a = analyze_tempo(song.mix);
    const TempoResult b = analyze_tempo(song.mix);
    EXPECT_EQ(a.tempo_bpm, b.tempo_bpm);
    EXPECT_EQ(a.beats_s, b.beats_s);
    EXPECT_EQ(a.downbeats_s, b.downbeats_s);
}

TEST(TempoCorpus, CaesiumMasterIs130Bpm) {
    SECONDEAR_REQUIRE_CORPUS();
    // The corpus README gives 130 BPM; the excerpt is the artist's master at 24 kHz.
    const auto audio =
        io::decode(
            test::corpus_path(
                "multitrack/software_entwicklungskit-caesium/reference_master_artist_excerpt.flac"))
            .audio;
    const TempoResult r = analyze_tempo(audio);
    std::printf("Caesium master excerpt: %.2f BPM\n", r.tempo_bpm);
    EXPECT_LT(relative_error(r.tempo_bpm, 130.0), 0.02) << "measured " << r.tempo_bpm;
}

TEST(TempoReleaseOnly, CaesiumStemSumIs130Bpm) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::corpus_path("multitrack/software_entwicklungskit-caesium/stems");
    AudioBuffer sum;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".flac") continue;
        const auto stem = io::decode(entry.path()).audio;
        if (sum.frames() == 0) sum = AudioBuffer(2, stem.frames(), stem.sample_rate_hz());
        for (int c = 0; c < 2; ++c) {
            const auto src = stem.channel(std::min(c, stem.channels() - 1));
            auto dst = sum.channel(c);
            for (std::size_t i = 0; i < std::min(src.size(), dst.size()); ++i) dst[i] += src[i];
        }
    }
    ASSERT_GT(sum.frames(), 0u);
    const TempoResult r = analyze_tempo(sum);
    std::printf("Caesium stem sum: %.2f BPM\n", r.tempo_bpm);
    EXPECT_LT(relative_error(r.tempo_bpm, 130.0), 0.02) << "measured " << r.tempo_bpm;
}

TEST(TempoReleaseOnly, LongSyntheticSongsAtSeveralTempi) {
    int exact = 0;
    for (const double bpm : {90.0, 120.0, 128.0, 140.0, 174.0}) {
        SongSpec spec;
        spec.tempo_bpm = bpm;  // the 52-bar standard form
        const auto song = make_song(spec);
        const TempoResult r = analyze_tempo(song.mix);
        // The issue counts octave errors separately: every estimate is within 2% of the tempo,
        // its half or its double, and the beats must be right whenever the tempo is.
        const double best =
            std::min({relative_error(r.tempo_bpm, bpm), relative_error(r.tempo_bpm, bpm / 2.0),
                      relative_error(r.tempo_bpm, bpm * 2.0)});
        EXPECT_LT(best, 0.02) << bpm << ": " << r.tempo_bpm;
        std::printf(
            "synthetic 52-bar song at %.0f BPM: %.2f BPM, beat F %.3f, downbeat F %.3f "
            "at 70 ms\n",
            bpm, r.tempo_bpm, f_measure(r.beats_s, song.beats_s, 0.070),
            f_measure(r.downbeats_s, song.downbeats_s, 0.070));
        if (relative_error(r.tempo_bpm, bpm) >= 0.02) continue;
        ++exact;
        EXPECT_GE(f_measure(r.beats_s, song.beats_s, 0.070), 0.9) << bpm;
        EXPECT_GE(f_measure(r.downbeats_s, song.downbeats_s, 0.070), 0.9) << bpm;
    }
    // Measured: all five exact. Before the octave check, 174 BPM over the long form (half-time
    // bridge and sparse intro/outro) read 87.27 BPM, where the prior ties the two octaves.
    EXPECT_EQ(exact, 5);
}

}  // namespace
}  // namespace secondear::analysis
