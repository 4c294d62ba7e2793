#include "analysis/track_analysis.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "support/signals.hpp"
#include "support/track_signals.hpp"

namespace secondear::analysis {
namespace {

namespace sig = test::signals;
namespace trk = test::track;
constexpr double k_sr = 44100.0;

// Phrases of a tone: `count` phrases of 0.6 s separated by 0.4 s gaps; `jump` phrase gets +8 dB.
AudioBuffer tone_phrases(int count, int jump_index, double jump_db) {
    const auto tone = sig::sine(330.0, k_sr, count * 1.0, -20.0, 1);
    std::vector<trk::Span> spans;
    for (int i = 0; i < count; ++i)
        spans.push_back({i * 1.0 + 0.2, i * 1.0 + 0.8, i == jump_index ? jump_db : 0.0});
    return trk::gated(tone, spans);
}

TEST(TrackAnalysis, SineLevelsAndCrest) {
    const auto f = analyze_track(sig::sine(1000.0, k_sr, 1.0, -6.0, 2));
    // 0.01 dB: float samples of a sine hit their peak within 1e-4 relative.
    EXPECT_NEAR(f.peak_dbfs, -6.0, 0.01);
    // A sine's RMS is 3.01 dB under its peak; 0.02 dB for the partial last cycle.
    EXPECT_NEAR(f.rms_dbfs, -9.01, 0.02);
    EXPECT_NEAR(f.crest_db, 3.01, 0.02);
    EXPECT_FALSE(f.silent);
    EXPECT_DOUBLE_EQ(f.active_fraction, 1.0);
    EXPECT_EQ(f.level_dbfs_per_100ms.size(), 10u);
    // BS.1770: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS; two channels add 3.01 dB.
    // 0.1 LU: the EBU Tech 3341 tolerance.
    EXPECT_NEAR(f.integrated_lufs, -6.0, 0.1);
    // The 1 kHz third-octave band holds the whole sine: its RMS, -9.03 dB.
    for (const auto& b : f.spectrum_third_octave) {
        if (b.hz == 1000.0) {
            EXPECT_NEAR(b.db, -9.03, 0.2);  // 0.2 dB: Hann leakage at the band edges
        }
    }
    EXPECT_NEAR(f.centroid_hz, 1000.0, 10.0);  // 10 Hz: leakage into neighbouring bins
}

TEST(TrackAnalysis, SilenceAndQuietTracksAreSilent) {
    EXPECT_TRUE(analyze_track(sig::silence(k_sr, 1.0, 2)).silent);
    EXPECT_TRUE(analyze_track(sig::sine(440.0, k_sr, 1.0, -70.0, 1)).silent);
    EXPECT_TRUE(analyze_track(AudioBuffer(1, 0, k_sr)).silent);
}

TEST(TrackAnalysis, PureToneIsPitchedAndClean) {
    const auto f = analyze_track(sig::sine(220.0, k_sr, 2.0, -12.0, 1));
    EXPECT_GT(f.pitch_presence, 0.95);        // every frame of a steady sine is periodic
    EXPECT_NEAR(f.median_f0_hz, 220.0, 2.2);  // 1%: parabolic interpolation of the ACF peak
    EXPECT_LT(f.distortion_score, 0.1);
    EXPECT_TRUE(f.resonances.size() <= 3u);
    EXPECT_EQ(f.clipping.runs, 0u);
}

TEST(TrackAnalysis, DrivenSawtoothScoresAsDistortedAndCleanSawLower) {
    const auto clean = trk::sawtooth(110.0, k_sr, 2.0, -6.0);
    const auto driven = trk::tanh_drive(clean, 8.0);
    const auto fc = analyze_track(clean);
    const auto fd = analyze_track(driven);
    EXPECT_GT(fd.distortion_score, 0.8) << "crest " << fd.distortion.frame_crest_db;
    EXPECT_LT(fc.distortion_score, 0.5) << "crest " << fc.distortion.frame_crest_db;
    EXPECT_GT(fd.distortion_score, fc.distortion_score + 0.3);
    // A sawtooth's crest factor is sqrt(3) (4.77 dB); 0.3 dB for the 50 ms frame edges.
    EXPECT_NEAR(fc.distortion.frame_crest_db, 4.77, 0.3);
    // Neither reaches full scale: distortion is not clipping.
    EXPECT_EQ(fd.clipping.runs, 0u);
}

TEST(TrackAnalysis, HardClippedSineCountsClipping) {
    auto x = sig::sine(100.0, k_sr, 0.5, 6.0, 1);
    for (float& s : x.channel(0)) s = std::clamp(s, -1.0f, 1.0f);
    const auto f = analyze_track(x);
    // Two flat tops per cycle of 100 Hz for 0.5 s.
    EXPECT_EQ(f.clipping.runs, 100u);
}

TEST(TrackAnalysis, RumbleUnderAPadIsFound) {
    auto pad = sig::pink_noise(3, k_sr, 3.0, -20.0, 1);
    trk::apply_high_pass(pad, 80.0);  // a pad has little below its range
    const auto with_rumble = trk::mix(pad, trk::band_noise(4, 20.0, 2.0, k_sr, 3.0, -20.0));
    const auto f = analyze_track(with_rumble);
    const auto control = analyze_track(pad);
    // 3 Hz: the rumble band is 20 Hz +- 5 Hz (Q 2), the weighted mean lands near its centre.
    EXPECT_NEAR(f.rumble_hz, 20.0, 3.0);
    EXPECT_GT(f.rumble_db, -3.0) << f.rumble_cutoff_hz;  // as loud as the whole pad, in one band
    // The pad's own sub-40 Hz content is 4th-order filtered (24 dB/octave from 80 Hz).
    EXPECT_LT(control.rumble_db, f.rumble_db - 20.0);
}

TEST(TrackAnalysis, PlantedJumpIsUneven) {
    const auto f = analyze_track(tone_phrases(8, 4, 8.0));
    ASSERT_EQ(f.phrases.size(), 8u);
    ASSERT_EQ(f.uneven_phrases.size(), 1u);
    EXPECT_EQ(f.uneven_phrases[0], 4u);
    // 0.3 dB: the 10 ms blocks at the ramps are counted in every phrase alike.
    EXPECT_NEAR(f.level_spread_db, 8.0, 0.3);
    EXPECT_NEAR(f.phrases[0].start_s, 0.2, 0.02);  // 20 ms: two 10 ms blocks of ramp
    const auto even = analyze_track(tone_phrases(8, -1, 0.0));
    EXPECT_TRUE(even.uneven_phrases.empty());
}

TEST(TrackAnalysis, HissBetweenPhrasesIsFoundAndDigitalSilenceIsNot) {
    const auto clean = tone_phrases(6, -1, 0.0);
    const auto hiss = sig::white_noise(7, k_sr, clean.duration_s(), -50.0, 1);
    const auto noisy = analyze_track(trk::mix(clean, hiss));
    EXPECT_TRUE(noisy.noise_between_phrases);
    // Uniform noise of peak -50 dBFS has an RMS of -54.77 dBFS; 1 dB for the 10 ms estimates.
    EXPECT_NEAR(noisy.gap_floor_dbfs, -54.77, 1.0);
    EXPECT_EQ(noisy.phrases.size(), 6u);
    const auto quiet = analyze_track(clean);
    EXPECT_FALSE(quiet.noise_between_phrases);
    EXPECT_FALSE(std::isfinite(quiet.gap_floor_dbfs));
    EXPECT_EQ(quiet.phrases.size(), 6u);
}

TEST(TrackAnalysis, ResonanceOnPinkNoiseIsFound) {
    auto x = sig::pink_noise(11, k_sr, 4.0, -20.0, 1);
    const auto control = analyze_track(x);
    trk::apply_peak_eq(x, 800.0, 12.0, 4.0);
    const auto f = analyze_track(x);
    ASSERT_FALSE(f.resonances.empty());
    // Within 1/6 octave, the resolution the brief asks for.
    EXPECT_LT(std::fabs(std::log2(f.resonances[0].hz / 800.0)), 1.0 / 6.0) << f.resonances[0].hz;
    EXPECT_GT(f.resonances[0].prominence_db, 6.0);
    EXPECT_TRUE(control.resonances.empty()) << control.resonances[0].hz;
}

TEST(TrackAnalysis, SibilantBurstsAreFoundAtTheirFrequency) {
    const auto voice = trk::vocal_like(k_sr, 4.0);
    std::vector<trk::Span> bursts;
    for (int i = 0; i < 4; ++i) bursts.push_back({i * 1.0 + 0.3, i * 1.0 + 0.38});
    const auto ess = trk::gated(trk::band_noise(5, 7000.0, 4.0, k_sr, 4.0, -14.0), bursts);
    const auto f = analyze_track(trk::mix(voice, ess));
    const auto control = analyze_track(voice);
    EXPECT_LT(std::fabs(std::log2(f.sibilance_hz / 7000.0)), 1.0 / 6.0) << f.sibilance_hz;
    EXPECT_GT(f.sibilance_db, 0.0);  // the bursts stand above the voice's median level
    EXPECT_GT(f.sibilance_db, control.sibilance_db + 10.0);
}

TEST(TrackAnalysis, KickIsTransientAndPadIsNot) {
    const auto kick = analyze_track(trk::kick_like(k_sr, 3.0, 0.5));
    EXPECT_GT(kick.transient_to_body_db, 4.0);
    // 2 hits per second; 0.3/s because the span ends where the last decay drops 40 dB.
    EXPECT_NEAR(kick.onset_rate_per_s, 2.0, 0.3);
    const auto pad = analyze_track(sig::pink_noise(2, k_sr, 3.0, -20.0, 1));
    EXPECT_LT(pad.transient_to_body_db, 1.0);
    EXPECT_LT(pad.onset_rate_per_s, 0.5);
}

}  // namespace
}  // namespace secondear::analysis
