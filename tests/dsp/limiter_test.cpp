#include "dsp/limiter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "support/limiter_measure.hpp"
#include "support/master_fx_render.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

using dsp::LimiterParams;
using dsp::TruePeakLimiter;
namespace lm = test::limiter_measure;

constexpr double k_ceiling_dbtp = -1.0;
// Allowance against the independent 16x / 64-tap meter: covers the detector's residual
// under-read of content near Nyquist and of far sinc tails (the meter under-reads a tone at
// Nyquist by at most 0.04 dB itself).
constexpr double k_true_peak_tolerance_db = 0.1;
// Full-band white noise is the pathological case: its extreme inter-sample peaks are sums over
// many taps, and the part beyond the limiter's +-24-tap interpolator (measured: up to 0.3 dB
// against the 64-tap meter, 1.3 dB against a brick-wall FFT interpolation) is not seen.
constexpr double k_white_noise_tolerance_db = 0.35;

bool bit_equal(const AudioBuffer& a, const AudioBuffer& b) {
    if (a.channels() != b.channels() || a.frames() != b.frames()) return false;
    for (int c = 0; c < a.channels(); ++c)
        for (std::size_t i = 0; i < a.frames(); ++i)
            if (a.channel(c)[i] != b.channel(c)[i]) return false;
    return true;
}

double max_abs(const AudioBuffer& a) {
    double m = 0.0;
    for (int c = 0; c < a.channels(); ++c)
        for (float s : a.channel(c)) m = std::max(m, std::abs(static_cast<double>(s)));
    return m;
}

// Signals start and stop with 5 ms fades, as program material does (an abrupt start at +9
// dBFS rings in any band-limited meter). The renderer feeds latency_frames() of silence at the
// end, so the tests do too (k_flush_frames exceeds every latency here).
constexpr std::size_t k_flush_frames = 400;

AudioBuffer faded(AudioBuffer audio) {
    lm::fade_edges(audio, 0.005);
    return audio;
}

AudioBuffer tone_bursts(double sr) {
    // 440 Hz with a stepped envelope -20, +6, -10, +9 dBFS, like the matchering limiter signal.
    AudioBuffer a = test::signals::sine(440.0, sr, 0.3, 0.0);
    const double level_db[] = {-20.0, 6.0, -10.0, 9.0};
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < a.frames(); ++i)
            a.channel(c)[i] =
                static_cast<float>(a.channel(c)[i] * db_to_gain(level_db[i * 4 / a.frames()]));
    return faded(std::move(a));
}

AudioBuffer inter_sample_peak(double sr) {
    // sr/4 at 45 degrees: every sample is at A/sqrt(2), the true peak is A (+3 dBTP here).
    return faded(test::signals::sine(sr / 4.0, sr, 0.2, 3.0, 2, 45.0));
}

AudioBuffer loud_pink_noise(double sr) {
    return faded(test::signals::pink_noise(42, sr, 0.2, 12.0));
}

AudioBuffer loud_white_noise(double sr) {
    return faded(test::signals::white_noise(42, sr, 0.2, 12.0));
}

void expect_never_above_ceiling(AudioBuffer (*make)(double), const char* name,
                                double tolerance_db = k_true_peak_tolerance_db) {
    for (double sr : {44100.0, 48000.0, 96000.0}) {
        const AudioBuffer input = make(sr);
        TruePeakLimiter whole_limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
        const AudioBuffer whole = test::render_in_blocks(whole_limiter, input, 0, k_flush_frames);
        for (std::size_t block : {1u, 7u, 64u, 512u}) {
            TruePeakLimiter limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
            const AudioBuffer out = test::render_in_blocks(limiter, input, block, k_flush_frames);
            EXPECT_TRUE(bit_equal(out, whole)) << name << " sr " << sr << " block " << block;
        }
        // Sample peak: exact bound, no tolerance.
        EXPECT_LE(max_abs(whole), db_to_gain(k_ceiling_dbtp)) << name << " sr " << sr;
        EXPECT_LE(lm::true_peak_fir_dbtp(whole), k_ceiling_dbtp + tolerance_db)
            << name << " sr " << sr;
        // The limiter did work (the input is well over the ceiling).
        EXPECT_GT(whole_limiter.max_gain_reduction_db(), 3.0) << name << " sr " << sr;
    }
}

TEST(TruePeakLimiter, ToneBurstsNeverExceedCeiling) {
    expect_never_above_ceiling(&tone_bursts, "tone bursts");
}

TEST(TruePeakLimiter, InterSamplePeakSignalNeverExceedsCeiling) {
    expect_never_above_ceiling(&inter_sample_peak, "inter-sample peak");
}

TEST(TruePeakLimiter, PinkNoisePlus12dBNeverExceedsCeiling) {
    expect_never_above_ceiling(&loud_pink_noise, "pink noise +12 dB RMS");
}

TEST(TruePeakLimiter, WhiteNoisePlus12dBNeverExceedsCeiling) {
    expect_never_above_ceiling(&loud_white_noise, "white noise +12 dBFS",
                               k_white_noise_tolerance_db);
}

TEST(TruePeakLimiter, LatencyIsLookaheadInFrames) {
    for (double sr : {44100.0, 48000.0, 96000.0}) {
        TruePeakLimiter limiter(LimiterParams{.lookahead_ms = 1.5});
        // 1.5 ms is more than the detector's own 24 frames of look-ahead at every rate here.
        limiter.prepare({sr, 512, 2});
        EXPECT_EQ(limiter.latency_frames(), static_cast<int>(std::lround(1.5e-3 * sr)));
        EXPECT_EQ(limiter.oversampling_factor(), 4);
    }
}

TEST(TruePeakLimiter, BelowThresholdIsDelayedIdentity) {
    const double sr = 44100.0;
    // Pink noise at -24 dBFS RMS peaks near -12 dBFS, a 1 kHz sine at -2 dBFS stays 0.95 dB
    // under the ceiling's threshold: neither needs any gain reduction.
    const AudioBuffer input = test::signals::concat(test::signals::pink_noise(7, sr, 0.2, -24.0),
                                                    test::signals::sine(1000.0, sr, 0.2, -2.0));
    TruePeakLimiter limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
    const int latency = [&] {
        limiter.prepare({sr, 64, 2});
        return limiter.latency_frames();
    }();
    const AudioBuffer out =
        test::render_in_blocks(limiter, input, 64, static_cast<std::size_t>(latency));
    for (int c = 0; c < 2; ++c) {
        for (int i = 0; i < latency; ++i)
            ASSERT_EQ(out.channel(c)[static_cast<std::size_t>(i)], 0.0f);
        for (std::size_t i = 0; i < input.frames(); ++i)
            ASSERT_EQ(out.channel(c)[i + static_cast<std::size_t>(latency)], input.channel(c)[i])
                << "frame " << i;
    }
    EXPECT_EQ(limiter.max_gain_reduction_db(), 0.0);
    EXPECT_EQ(limiter.mean_gain_reduction_db(), 0.0);
}

TEST(TruePeakLimiter, UnlinkedChannelsAreBlockSizeInvariantAndIndependent) {
    const double sr = 48000.0;
    AudioBuffer input = test::signals::white_noise(3, sr, 0.2, 6.0);
    // Right channel quiet: unlinked, it must pass untouched (delayed).
    for (float& s : input.channel(1)) s *= 0.1f;
    const LimiterParams p{.ceiling_dbtp = k_ceiling_dbtp, .stereo_link = false};
    TruePeakLimiter a(p), b(p);
    const AudioBuffer whole = test::render_in_blocks(a, input, 0);
    const AudioBuffer small = test::render_in_blocks(b, input, 7);
    EXPECT_TRUE(bit_equal(whole, small));
    const auto latency = static_cast<std::size_t>(a.latency_frames());
    for (std::size_t i = latency; i < input.frames(); ++i)
        ASSERT_EQ(whole.channel(1)[i], input.channel(1)[i - latency]);
    EXPECT_LE(max_abs(whole), db_to_gain(k_ceiling_dbtp));
}

TEST(TruePeakLimiter, SustainedOverloadIsReachedByGainNotClipping) {
    const double sr = 48000.0;  // 48 samples per cycle of 1 kHz: an exact fit window.
    const AudioBuffer input = test::signals::sine(1000.0, sr, 1.0, k_ceiling_dbtp + 6.0);
    TruePeakLimiter limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
    const AudioBuffer out = test::render_in_blocks(limiter, input, 512);
    // Least-squares fit of the fundamental over the last 0.5 s (24000 samples, 500 cycles).
    const auto& y = out.channel(0);
    const std::size_t start = out.frames() / 2;
    const auto n = static_cast<double>(out.frames() - start);
    double a = 0.0, b = 0.0, total = 0.0;
    for (std::size_t i = start; i < out.frames(); ++i) {
        const double w = 2.0 * std::numbers::pi * 1000.0 * static_cast<double>(i) / sr;
        a += y[i] * std::cos(w);
        b += y[i] * std::sin(w);
        total += static_cast<double>(y[i]) * y[i];
    }
    a *= 2.0 / n;
    b *= 2.0 / n;
    const double fundamental_power = (a * a + b * b) / 2.0;
    const double residual_power = std::max(total / n - fundamental_power, 1e-30);
    // -80 dB: the gain is constant once settled, so only float rounding and the detector's
    // sub-0.01 dB ripple remain; a clipper reaching the same ceiling would leave about -20 dB.
    EXPECT_LT(power_to_db(residual_power / fundamental_power), -80.0);
    // The level settles just under the ceiling: 6 dB plus the detector margin of reduction.
    EXPECT_NEAR(limiter.max_gain_reduction_db(), 6.0 + TruePeakLimiter::k_detector_margin_db,
                0.02);  // 0.02 dB: the fit of a 4x-interpolated parabola to a 1 kHz peak
    // Mean over non-silent frames: the 1.5 ms attack ramp is 0.15% of the second.
    EXPECT_NEAR(limiter.mean_gain_reduction_db(), 6.0 + TruePeakLimiter::k_detector_margin_db,
                0.05);
}

// Time (s) after `from_s` at which the per-100 ms gain-reduction trace first drops below
// `below_db`.
double recovery_s(const std::vector<double>& trace, double from_s, double below_db) {
    for (std::size_t i = static_cast<std::size_t>(std::lround(from_s * 10.0)); i < trace.size();
         ++i)
        if (trace[i] < below_db) return static_cast<double>(i) / 10.0 - from_s;
    return 1e9;
}

TEST(TruePeakLimiter, ReleaseRecoversFasterAfterTransientsThanAfterSustainedOverload) {
    const double sr = 48000.0;
    TruePeakLimiter burst_limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
    const AudioBuffer burst =
        test::signals::tone_sequence(sr, {{0.1, -12.0}, {0.02, 5.0}, {2.88, -12.0}});
    test::render_in_blocks(burst_limiter, burst, 512);
    TruePeakLimiter long_limiter(LimiterParams{.ceiling_dbtp = k_ceiling_dbtp});
    const AudioBuffer sustained =
        test::signals::tone_sequence(sr, {{0.1, -12.0}, {2.0, 5.0}, {2.9, -12.0}});
    test::render_in_blocks(long_limiter, sustained, 512);

    const double burst_recovery_s =
        recovery_s(burst_limiter.gain_reduction_db_per_100ms(), 0.1, 1.0);
    const double long_recovery_s = recovery_s(long_limiter.gain_reduction_db_per_100ms(), 2.1, 1.0);
    // With release_ms = 80: a transient recovers on the fast stage (~0.15 s to 1 dB), a 2 s
    // overload on the slow stage (4 x 80 ms, ~0.5 s to 1 dB). The factor 2 leaves room for the
    // 100 ms resolution of the trace.
    EXPECT_LT(burst_recovery_s, 0.35);
    EXPECT_GT(long_recovery_s, 2.0 * burst_recovery_s);
    // Both recover fully: under 0.05 dB of reduction 2.5 s after the overload ends.
    EXPECT_LT(burst_limiter.gain_reduction_db_per_100ms().back(), 0.05);
    EXPECT_LT(long_limiter.gain_reduction_db_per_100ms().back(), 0.05);
}

TEST(TruePeakLimiter, ResetGivesTheSameOutput) {
    const double sr = 44100.0;
    const AudioBuffer input = loud_white_noise(sr);
    TruePeakLimiter limiter(LimiterParams{.ceiling_dbtp = -3.0});
    const AudioBuffer first = test::render_in_blocks(limiter, input, 64);
    const AudioBuffer second = test::render_in_blocks(limiter, input, 64);
    EXPECT_TRUE(bit_equal(first, second));
}

TEST(TruePeakLimiter, RejectsInvalidParams) {
    TruePeakLimiter limiter;
    EXPECT_THROW(limiter.set_params(LimiterParams{.ceiling_dbtp = 1.0}), Error);
    EXPECT_THROW(limiter.set_params(LimiterParams{.lookahead_ms = 0.5}), Error);
    EXPECT_THROW(limiter.set_params(LimiterParams{.release_ms = 0.0}), Error);
    EXPECT_THROW(limiter.set_params(LimiterParams{.ceiling_dbtp = std::nan("")}), Error);
}

}  // namespace
}  // namespace secondear
