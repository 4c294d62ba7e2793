#include "dsp/biquad.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/dsp_measure.hpp"
#include "support/signals.hpp"

namespace secondear::dsp {
namespace {

namespace m = test::dsp_measure;
namespace sig = test::signals;

constexpr double k_sample_rates_hz[] = {44100.0, 48000.0, 96000.0};
constexpr double k_minus_3db = -3.0102999566398120;  // 20 log10(1/sqrt(2))

// Runs a cascade over a copy of x.
AudioBuffer filter(std::span<const BiquadCoeffs> sections, const AudioBuffer& x,
                   std::size_t block = 0) {
    BiquadCascade cascade;
    cascade.set_sections(sections);
    AudioBuffer y = x;
    AudioView all(y);
    const std::size_t n = y.frames();
    const std::size_t b = block == 0 ? n : block;
    for (std::size_t s = 0; s < n; s += b) cascade.process(all.sub_block(s, std::min(b, n - s)));
    return y;
}

TEST(Biquad, PeakGainAtCentreMatchesDesignAnalyticAndMeasured) {
    for (double sr : k_sample_rates_hz)
        for (double gain_db : {-12.0, -3.0, 6.0, 15.0})
            for (double q : {0.5, 2.0}) {
                SCOPED_TRACE(testing::Message() << sr << " Hz, " << gain_db << " dB, q " << q);
                const auto c = design_peak(1000.0, gain_db, q, sr);
                // 1e-9 dB: the RBJ peak is exact at w0; only double rounding remains.
                EXPECT_NEAR(magnitude_db(c, 1000.0, sr), gain_db, 1e-9);
                // 0.5 s holds exactly 500 cycles at every rate; the second half is settled (the
                // slowest pole here decays by e in Q / (pi f) < 1 ms).
                const auto x = sig::sine(1000.0, sr, 0.5, -20.0, 1);
                const auto y = filter(std::span(&c, 1), x);
                const std::size_t half = x.frames() / 2;
                // 0.01 dB: float output rounding is ~1e-6 dB; the rest is the start-up transient.
                EXPECT_NEAR(m::gain_at_db(x, y, 1000.0, half, x.frames()), gain_db, 0.01);
            }
}

TEST(Biquad, PeakBoostThenEqualCutIsFlat) {
    for (double sr : k_sample_rates_hz) {
        const std::vector<BiquadCoeffs> pair = {design_peak(2500.0, 9.0, 1.4, sr),
                                                design_peak(2500.0, -9.0, 1.4, sr)};
        for (double f = 20.0; f < 0.49 * sr; f *= 1.5)
            // 1e-9 dB: numerator and denominator swap exactly for RBJ peaks.
            EXPECT_NEAR(magnitude_db(pair, f, sr), 0.0, 1e-9) << f << " Hz at " << sr;
        const auto x = sig::white_noise(7, sr, 0.1, -6.0, 1);
        // 2e-6: float input and output, double in between; the cascade is identity to rounding.
        EXPECT_LT(m::max_abs_diff(filter(pair, x), x), 2e-6);
    }
}

TEST(Biquad, ShelvesReachGainFarFromCornerAndHalfAtMidpoint) {
    for (double sr : k_sample_rates_hz) {
        SCOPED_TRACE(sr);
        const auto low = design_low_shelf(200.0, 6.0, 0.7071, sr);
        const auto high = design_high_shelf(5000.0, -8.0, 0.7071, sr);
        // 1e-9 dB: the RBJ shelf midpoint is exactly gain / 2 by construction.
        EXPECT_NEAR(magnitude_db(low, 200.0, sr), 3.0, 1e-9);
        EXPECT_NEAR(magnitude_db(high, 5000.0, sr), -4.0, 1e-9);
        // 0.05 dB: with S = 1 the shelf is within 0.05 dB of its plateau 4+ octaves away.
        EXPECT_NEAR(magnitude_db(low, 10.0, sr), 6.0, 0.05);
        EXPECT_NEAR(magnitude_db(low, 8000.0, sr), 0.0, 0.05);
        EXPECT_NEAR(magnitude_db(high, 0.45 * sr, sr), -8.0, 0.05);
        EXPECT_NEAR(magnitude_db(high, 100.0, sr), 0.0, 0.05);
    }
}

TEST(Biquad, SecondOrderPassAndBandPassValuesAtDesignFrequency) {
    for (double sr : k_sample_rates_hz) {
        // 1e-9 dB: RBJ low-/high-pass have |H(w0)| = Q, band-pass 0 dB, exactly.
        EXPECT_NEAR(magnitude_db(design_low_pass(3000.0, 2.0, sr), 3000.0, sr),
                    20.0 * std::log10(2.0), 1e-9);
        EXPECT_NEAR(magnitude_db(design_high_pass(60.0, 0.5, sr), 60.0, sr), 20.0 * std::log10(0.5),
                    1e-9);
        EXPECT_NEAR(magnitude_db(design_band_pass(6500.0, 1.5, sr), 6500.0, sr), 0.0, 1e-9);
    }
}

TEST(Biquad, ButterworthIsMinus3dBAtCutoffForEveryOrder) {
    for (double sr : k_sample_rates_hz)
        for (int order = 1; order <= 8; ++order) {
            SCOPED_TRACE(testing::Message() << sr << " Hz, order " << order);
            const auto hp = butterworth_high_pass_sections(100.0, order, sr);
            const auto lp = butterworth_low_pass_sections(4000.0, order, sr);
            EXPECT_EQ(hp.size(), static_cast<std::size_t>((order + 1) / 2));
            // 1e-9 dB: bilinear transform prewarped at the cutoff maps it exactly.
            EXPECT_NEAR(magnitude_db(hp, 100.0, sr), k_minus_3db, 1e-9);
            EXPECT_NEAR(magnitude_db(lp, 4000.0, sr), k_minus_3db, 1e-9);
            // Maximally flat: four octaves into the pass band even order 1 (the gentlest) is within
            // 10 log10(1 + 1/256) = 0.017 dB of 0 dB.
            EXPECT_NEAR(magnitude_db(hp, 1600.0, sr), 0.0, 0.02);
            EXPECT_NEAR(magnitude_db(lp, 250.0, sr), 0.0, 0.02);
            // 6.02 dB per octave per order: two octaves below the cutoff the analog prototype is
            // -10 log10(1 + 4^(2 order)); 0.02 dB covers that and the bilinear warping at 25 Hz.
            EXPECT_NEAR(magnitude_db(hp, 25.0, sr), -10.0 * std::log10(1.0 + std::pow(16.0, order)),
                        0.02);
            // Measured: a sine at the cutoff over whole cycles, settled second half.
            const auto x = sig::sine(100.0, sr, 1.0, -6.0, 1);
            const std::size_t half = x.frames() / 2;
            // 0.01 dB: float rounding plus the transient of the slowest section (order 8 has a
            // pole pair with Q 2.56, decaying by e in 8 ms, far before the second half).
            EXPECT_NEAR(m::gain_at_db(x, filter(hp, x), 100.0, half, x.frames()), k_minus_3db,
                        0.01);
        }
}

TEST(Biquad, ImpulseResponseSpectrumMatchesMagnitudeDb) {
    for (double sr : k_sample_rates_hz) {
        std::vector<BiquadCoeffs> chain = butterworth_high_pass_sections(80.0, 3, sr);
        chain.push_back(design_peak(400.0, -5.0, 1.2, sr));
        chain.push_back(design_high_shelf(8000.0, 4.0, 0.7071, sr));
        chain.push_back(design_low_pass(16000.0, 0.9, sr));
        // 2 s: the slowest pole (80 Hz high-pass) has decayed below float resolution.
        const auto h = filter(chain, m::impulse(sr, static_cast<std::size_t>(2.0 * sr), 1));
        for (double f : {50.0, 80.0, 200.0, 400.0, 1000.0, 5000.0, 8000.0, 15000.0, 20000.0}) {
            // 0.01 dB: the impulse response is float; truncation and rounding are ~1e-5 dB.
            EXPECT_NEAR(m::dft_magnitude_db(h.channel(0), f, sr), magnitude_db(chain, f, sr), 0.01)
                << f << " Hz at " << sr;
        }
    }
}

TEST(Biquad, TransposedFormMatchesNaiveDirectFormOne) {
    const double sr = 48000.0;
    const auto c = design_peak(300.0, 10.0, 3.0, sr);
    const auto x = sig::white_noise(3, sr, 0.2, -3.0, 1);
    const auto y = filter(std::span(&c, 1), x);
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    double worst = 0.0;
    for (std::size_t i = 0; i < x.frames(); ++i) {
        const double xn = x.channel(0)[i];
        const double yn = c.b0 * xn + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
        x2 = x1;
        x1 = xn;
        y2 = y1;
        y1 = yn;
        worst = std::max(worst, std::abs(yn - y.channel(0)[i]));
    }
    // 1e-5: both are double inside; the difference is the float output rounding (|y| < 4).
    EXPECT_LT(worst, 1e-5);
}

TEST(Biquad, EmptyCascadeIsBitExactIdentity) {
    const auto x = sig::white_noise(11, 48000.0, 0.05, 0.0);
    EXPECT_EQ(filter({}, x), x);
}

TEST(Biquad, BlockSizeInvarianceResetAndFiniteOnHardSignals) {
    const double sr = 48000.0;
    std::vector<BiquadCoeffs> chain = butterworth_low_pass_sections(12000.0, 5, sr);
    chain.push_back(design_peak(100.0, 12.0, 8.0, sr));
    const auto x = sig::white_noise(5, sr, 0.3, 0.0);
    const auto whole = filter(chain, x);
    for (std::size_t block : {1u, 7u, 64u, 512u}) EXPECT_EQ(filter(chain, x, block), whole);

    BiquadCascade cascade;
    cascade.set_sections(chain);
    AudioBuffer a = x;
    cascade.process(AudioView(a));
    cascade.reset();
    AudioBuffer b = x;
    cascade.process(AudioView(b));
    EXPECT_EQ(a, b);

    const std::size_t n = 24000;
    for (const auto& hard : {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(50.0, sr, n, 0.0),
                             sig::white_noise(9, sr, 0.5, 0.0)})
        EXPECT_TRUE(m::all_finite(filter(chain, hard)));
}

}  // namespace
}  // namespace secondear::dsp
