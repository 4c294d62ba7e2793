// The measures behind the revision checks of intimate/distant/dry/spacious (direct_to_reverb_db)
// and tight (low_sustain_db), on synthetic events whose tail is known: they follow the tail, not
// the level, and say NaN when there is nothing to measure.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/features.hpp"
#include "support/signals.hpp"

namespace secondear::analysis {
namespace {

constexpr double k_sr = 48000.0;

/// Phrases of white noise (400 ms) every second for 8 s, each followed by an exponentially
/// decaying noise tail (a reverb return: RT60 rt60_s) that starts tail_db under the phrase's
/// level at its end. The phrase ends abruptly, as a gated or released direct sound.
AudioBuffer phrases_with_tails(double tail_db, double rt60_s, double gain_db = 0.0) {
    const AudioBuffer dry = test::signals::white_noise(7, k_sr, 8.0, -20.0, 1);
    const AudioBuffer wet = test::signals::white_noise(11, k_sr, 8.0, -20.0, 1);
    AudioBuffer out(1, dry.frames(), k_sr);
    const double tail_gain = std::pow(10.0, tail_db / 20.0);
    const double g = std::pow(10.0, gain_db / 20.0);
    // Amplitude falls 60 dB in rt60_s: exp(-t / tau) with tau = rt60_s / ln(1000).
    const double tau_s = rt60_s / std::log(1000.0);
    for (std::size_t i = 0; i < out.frames(); ++i) {
        const double t = std::fmod(static_cast<double>(i) / k_sr, 1.0);
        const double direct = t < 0.4 ? dry.channel(0)[i] : 0.0;
        const double tail =
            t >= 0.4 ? wet.channel(0)[i] * tail_gain * std::exp(-(t - 0.4) / tau_s) : 0.0;
        out.channel(0)[i] = static_cast<float>(g * (direct + tail));
    }
    return out;
}

/// A 60 Hz hit every 500 ms for 6 s: 5 ms attack, then an exponential decay whose amplitude falls
/// by 1/e every tau_s.
AudioBuffer low_hits(double tau_s, double gain_db = 0.0) {
    AudioBuffer out(1, static_cast<std::size_t>(6.0 * k_sr), k_sr);
    const double g = 0.5 * std::pow(10.0, gain_db / 20.0);
    for (std::size_t i = 0; i < out.frames(); ++i) {
        const double t = std::fmod(static_cast<double>(i) / k_sr, 0.5);
        const double env = t < 0.005 ? t / 0.005 : std::exp(-(t - 0.005) / tau_s);
        out.channel(0)[i] = static_cast<float>(g * env * std::sin(2.0 * M_PI * 60.0 * t));
    }
    return out;
}

/// low_sustain_db of low_hits' envelope itself (no filter, no frames): mean power over 50-250 ms
/// relative to the first 50 ms, integrated numerically in 10 us steps.
double expected_low_sustain_db(double tau_s) {
    const auto mean_power = [&](double a, double b) {
        constexpr double dt = 1e-5;
        double sum = 0.0;
        for (double t = a; t < b; t += dt) {
            const double env = t < 0.005 ? t / 0.005 : std::exp(-(t - 0.005) / tau_s);
            sum += env * env * dt;
        }
        return sum / (b - a);
    };
    return 10.0 * std::log10(mean_power(0.05, 0.25) / mean_power(0.0, 0.05));
}

TEST(DirectToReverb, ALouderTailLowersItDecibelForDecibel) {
    const double a = direct_to_reverb_db(phrases_with_tails(-24.0, 1.2));
    const double b = direct_to_reverb_db(phrases_with_tails(-18.0, 1.2));
    const double c = direct_to_reverb_db(phrases_with_tails(-12.0, 1.2));
    std::printf("direct_to_reverb_db: tail -24 dB %.2f, -18 dB %.2f, -12 dB %.2f\n", a, b, c);
    // Each 6 dB on the tail is 6 dB off the estimate: the phrase level before the offset is the
    // direct sound alone. 0.3 dB: the medians of 8 offsets of independent noise (10 ms frames).
    EXPECT_NEAR(a - b, 6.0, 0.3);
    EXPECT_NEAR(b - c, 6.0, 0.3);
    // The tail's mean power over 60-250 ms, under its start: an RT60 of 1.2 s falls 50 dB/s,
    // so 10 log10(mean of 10^(-5 t)) = -6.92 dB. 1 dB: the level before the offset is the loudest
    // 10 ms frame of the noise (about 0.4 dB over its mean).
    EXPECT_NEAR(a, 24.0 + 6.92, 1.0);
}

TEST(DirectToReverb, ALongerReverbLowersIt) {
    const double short_tail = direct_to_reverb_db(phrases_with_tails(-18.0, 0.6));
    const double long_tail = direct_to_reverb_db(phrases_with_tails(-18.0, 2.4));
    EXPECT_GT(short_tail - long_tail, 3.0);  // 100 vs 25 dB/s over ~155 ms: about 11 dB apart
}

TEST(DirectToReverb, TheSourceLevelDoesNotMoveIt) {
    // A pure gain moves the direct sound and its tail together; 0.01 dB is float rounding.
    EXPECT_NEAR(direct_to_reverb_db(phrases_with_tails(-18.0, 1.2, -15.0)),
                direct_to_reverb_db(phrases_with_tails(-18.0, 1.2)), 0.01);
}

TEST(DirectToReverb, NothingToMeasureIsNaN) {
    EXPECT_TRUE(std::isnan(direct_to_reverb_db(test::signals::silence(k_sr, 2.0, 1))));
    // A steady tone never stops: no offset.
    EXPECT_TRUE(std::isnan(direct_to_reverb_db(test::signals::sine(440.0, k_sr, 2.0, -20.0, 1))));
}

TEST(LowSustain, FollowsTheDecayOfTheHits) {
    for (double tau_s : {0.04, 0.08, 0.16}) {
        const double measured = low_sustain_db(low_hits(tau_s), 40.0, 200.0);
        std::printf("low_sustain_db tau %.0f ms: %.2f (ideal %.2f)\n", tau_s * 1000.0, measured,
                    expected_low_sustain_db(tau_s));
        // 1.5 dB: the band-pass filter's group delay (a few ms at 60 Hz) moves some of the hit
        // into the ring, most for the shortest decay.
        EXPECT_NEAR(measured, expected_low_sustain_db(tau_s), 1.5) << tau_s;
    }
    EXPECT_LT(low_sustain_db(low_hits(0.04), 40.0, 200.0),
              low_sustain_db(low_hits(0.08), 40.0, 200.0) - 3.0);
}

TEST(LowSustain, TheLevelDoesNotMoveIt) {
    // 0.01 dB: float rounding; the detector's thresholds are relative to the loudest frame.
    EXPECT_NEAR(low_sustain_db(low_hits(0.08, -20.0), 40.0, 200.0),
                low_sustain_db(low_hits(0.08), 40.0, 200.0), 0.01);
}

TEST(LowSustain, ANoteThatDoesNotDecayReadsZeroAndSilenceNaN) {
    EXPECT_TRUE(std::isnan(low_sustain_db(test::signals::silence(k_sr, 2.0, 1), 40.0, 200.0)));
    // One onset (the tone's start), then a steady level: 0 dB. 1 dB: the band filter's start-up
    // (a few 60 Hz cycles at a 40 Hz corner) lowers the first frames of the hit (0.7 measured).
    const AudioBuffer note = test::signals::concat(test::signals::silence(k_sr, 0.5, 1),
                                                   test::signals::sine(60.0, k_sr, 2.0, -20.0, 1));
    EXPECT_NEAR(low_sustain_db(note, 40.0, 200.0), 0.0, 1.0);
}

}  // namespace
}  // namespace secondear::analysis
