#include "dsp/eq.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "support/dsp_measure.hpp"
#include "support/signals.hpp"

namespace secondear::dsp {
namespace {

namespace m = test::dsp_measure;
namespace sig = test::signals;

constexpr double k_sample_rates_hz[] = {44100.0, 48000.0, 96000.0};

EqParams vocal_eq() {
    return EqParams{{
        {EqBandType::high_pass, 90.0, 0.0, 0.7071, 4, true},
        {EqBandType::low_shelf, 250.0, -3.0, 0.7071, 2, true},
        {EqBandType::peak, 3000.0, 2.5, 1.2, 2, true},
        {EqBandType::high_shelf, 10000.0, 4.0, 0.7071, 2, true},
        {EqBandType::peak, 500.0, 12.0, 4.0, 2, false},  // disabled: must change nothing
        {EqBandType::low_pass, 18000.0, 0.0, 0.7071, 1, true},
    }};
}

AudioBuffer run(const EqParams& p, const AudioBuffer& x, std::size_t block = 0) {
    Equalizer eq;
    eq.set_params(p);
    return m::render_blocks(eq, x, block);
}

TEST(Equalizer, NeutralBandsAreBitExactIdentity) {
    const EqParams neutral{{
        {EqBandType::peak, 1000.0, 0.0, 1.0, 2, true},
        {EqBandType::low_shelf, 100.0, 0.0, 0.7071, 2, true},
        {EqBandType::high_shelf, 8000.0, 0.0, 0.7071, 2, true},
        {EqBandType::high_pass, 80.0, 0.0, 0.7071, 8, false},
    }};
    const auto x = sig::white_noise(21, 48000.0, 0.1, 0.0);
    EXPECT_EQ(run(neutral, x), x);
    EXPECT_EQ(run(EqParams{}, x), x);
    EXPECT_EQ(Equalizer::response_db(neutral, 1234.0, 48000.0), 0.0);
}

TEST(Equalizer, MeasuredGainMatchesResponseDbAcrossRates) {
    const EqParams p = vocal_eq();
    for (double sr : k_sample_rates_hz)
        // 1 s at whole-Hz frequencies holds whole cycles; the second half is settled.
        for (double f : {60.0, 90.0, 250.0, 1000.0, 3000.0, 10000.0, 16000.0}) {
            const auto x = sig::sine(f, sr, 1.0, -12.0, 1);
            const auto y = run(p, x);
            const std::size_t half = x.frames() / 2;
            // 0.01 dB: float output rounding and the settled tail of the start-up transient.
            EXPECT_NEAR(m::gain_at_db(x, y, f, half, x.frames()), Equalizer::response_db(p, f, sr),
                        0.01)
                << f << " Hz at " << sr;
        }
}

TEST(Equalizer, ImpulseResponseSpectrumMatchesResponseDb) {
    const EqParams p = vocal_eq();
    const double sr = 48000.0;
    const auto h = run(p, m::impulse(sr, 96000, 1));
    for (double f : {40.0, 90.0, 180.0, 700.0, 3000.0, 7000.0, 12000.0, 20000.0})
        // 0.01 dB: the float impulse response has decayed to rounding level within 2 s.
        EXPECT_NEAR(m::dft_magnitude_db(h.channel(0), f, sr), Equalizer::response_db(p, f, sr),
                    0.01)
            << f;
}

TEST(Equalizer, PassBandsUseButterworthOrderAndBandPassPeaksAtZero) {
    const double sr = 48000.0;
    const EqParams hp{{{EqBandType::high_pass, 120.0, 0.0, 0.7071, 6, true}}};
    // 1e-9 dB: exact by construction of the prewarped Butterworth cascade.
    EXPECT_NEAR(Equalizer::response_db(hp, 120.0, sr), -3.0102999566398120, 1e-9);
    // 36 dB/octave: one octave below, 10 log10(1 + 2^12) = 36.12 dB (analog), warping < 0.01 dB.
    EXPECT_NEAR(Equalizer::response_db(hp, 60.0, sr), -36.124, 0.01);
    const EqParams bp{{{EqBandType::band_pass, 2000.0, 0.0, 2.0, 2, true}}};
    EXPECT_NEAR(Equalizer::response_db(bp, 2000.0, sr), 0.0, 1e-9);
}

TEST(Equalizer, ValidationRejectsOutOfRangeValues) {
    const auto bad = [](EqBandParams b, double sr) {
        Equalizer eq;
        eq.prepare({sr, 512, 2});
        try {
            eq.set_params(EqParams{{b}});
        } catch (const Error& e) {
            return e.kind() == ErrorKind::input_invalid;
        }
        return false;
    };
    const EqBandParams ok{};
    EXPECT_FALSE(bad(ok, 48000.0));
    EXPECT_TRUE(bad({EqBandType::peak, 0.0, 0.0, 1.0, 2, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::peak, 23520.0, 0.0, 1.0, 2, true}, 48000.0));  // 0.49 sr
    EXPECT_FALSE(bad({EqBandType::peak, 23519.0, 0.0, 1.0, 2, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::peak, 1000.0, 0.0, 0.09, 2, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::peak, 1000.0, 0.0, 20.1, 2, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::peak, 1000.0, 24.5, 1.0, 2, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::high_pass, 100.0, 0.0, 0.7, 0, true}, 48000.0));
    EXPECT_TRUE(bad({EqBandType::high_pass, 100.0, 0.0, 0.7, 9, true}, 48000.0));

    // Before prepare() the rate is unknown; prepare() performs the deferred frequency check.
    Equalizer eq;
    eq.set_params(EqParams{{{EqBandType::peak, 30000.0, 3.0, 1.0, 2, true}}});
    EXPECT_THROW(eq.prepare({48000.0, 512, 2}), Error);
    EXPECT_NO_THROW(eq.prepare({96000.0, 512, 2}));
}

TEST(Equalizer, BlockSizeInvarianceResetAndFiniteOnHardSignals) {
    const EqParams p = vocal_eq();
    const double sr = 48000.0;
    const auto x = sig::white_noise(4, sr, 0.25, -1.0);
    const auto whole = run(p, x);
    for (std::size_t block : {1u, 7u, 64u, 512u}) EXPECT_EQ(run(p, x, block), whole) << block;

    Equalizer eq;
    eq.set_params(p);
    eq.prepare({sr, static_cast<int>(x.frames()), 2});
    AudioBuffer first = x;
    eq.process(AudioView(first));
    eq.reset();
    AudioBuffer second = x;
    eq.process(AudioView(second));
    EXPECT_EQ(first, second);

    const std::size_t n = 24000;
    for (const auto& hard : {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(40.0, sr, n, 0.0),
                             sig::white_noise(8, sr, 0.5, 0.0)})
        EXPECT_TRUE(m::all_finite(run(p, hard)));
}

}  // namespace
}  // namespace secondear::dsp
