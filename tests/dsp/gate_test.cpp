#include "dsp/gate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "support/dsp_measure.hpp"
#include "support/signals.hpp"

namespace secondear::dsp {
namespace {

namespace m = test::dsp_measure;
namespace sig = test::signals;

constexpr double k_sample_rates_hz[] = {44100.0, 48000.0, 96000.0};

GateParams gate(double lookahead_ms = 0.0) {
    GateParams p;
    p.threshold_db = -50.0;
    p.range_db = 20.0;
    p.ratio = 100.0;
    p.attack_ms = 0.5;
    p.hold_ms = 30.0;
    p.release_ms = 50.0;
    p.hysteresis_db = 4.0;
    p.lookahead_ms = lookahead_ms;
    return p;
}

AudioBuffer run(const GateParams& p, const AudioBuffer& x, std::size_t block = 0) {
    Gate g;
    g.set_params(p);
    return m::render_blocks(g, x, block);
}

TEST(Gate, ExpanderCurve) {
    GateParams p = gate();
    EXPECT_EQ(Gate::closed_gain_db(p, -40.0), 0.0);
    EXPECT_EQ(Gate::closed_gain_db(p, -70.0), -20.0);  // capped at range_db
    p.ratio = 2.0;
    // 1:2 expander: 1 dB more attenuation per dB below threshold (1e-12: double arithmetic).
    EXPECT_NEAR(Gate::closed_gain_db(p, -60.0), -10.0, 1e-12);
    EXPECT_NEAR(Gate::closed_gain_db(p, -90.0), -20.0, 1e-12);
}

TEST(Gate, AttenuatesNoiseByRangeAndPassesLoudToneUnchanged) {
    for (double sr : k_sample_rates_hz) {
        SCOPED_TRACE(sr);
        const GateParams p = gate();
        const auto noise = sig::white_noise(12, sr, 1.0, -70.0);
        const auto y = run(p, noise);
        const std::size_t from = noise.frames() / 2;
        // 0.02 dB: the gate starts closed and the target is exactly -range_db; float rounding.
        EXPECT_NEAR(m::rms_db(y, from, y.frames()) - m::rms_db(noise, from, noise.frames()), -20.0,
                    0.02);

        // A -10 dBFS tone opens the gate within a few attack constants; the 30 ms hold bridges
        // the zero crossings, and once open the gain is exactly unity.
        const auto tone = sig::sine(100.0, sr, 0.5, -10.0);
        const auto t = run(p, tone);
        const auto settled = static_cast<std::size_t>(0.05 * sr);
        for (int c = 0; c < 2; ++c)
            for (std::size_t i = settled; i < tone.frames(); ++i)
                ASSERT_EQ(t.channel(c)[i], tone.channel(c)[i]) << i;
    }
}

TEST(Gate, LookaheadOpensBeforeTheTransientAndReportsLatency) {
    const double sr = 48000.0;
    const auto x =
        sig::concat(sig::white_noise(2, sr, 0.2, -80.0), sig::sine(1000.0, sr, 0.1, -6.0));
    const auto onset = static_cast<std::size_t>(0.2 * sr);
    const std::size_t cycle = 48;  // one 1 kHz cycle at 48 kHz

    Gate with;
    with.set_params(gate(5.0));
    const auto y = m::render_blocks(with, x);
    ASSERT_EQ(with.latency_frames(), 240);  // 5 ms at 48 kHz
    // The first cycle of the tone comes out delayed by the latency and at full level: the gain
    // had 5 ms = 10 attack constants to open (0.05 dB: e^-10 of 20 dB is 0.001 dB, plus the
    // single-bin measurement over one cycle).
    const auto in_first = x.channel(0).subspan(onset, cycle);
    const auto out_first = y.channel(0).subspan(onset + 240, cycle);
    EXPECT_NEAR(m::tone_db(out_first, 1000.0, sr) - m::tone_db(in_first, 1000.0, sr), 0.0, 0.05);

    // Without lookahead the same first cycle is audibly chopped (more than 1 dB down).
    const auto z = run(gate(0.0), x);
    EXPECT_LT(m::tone_db(z.channel(0).subspan(onset, cycle), 1000.0, sr) -
                  m::tone_db(in_first, 1000.0, sr),
              -1.0);
}

TEST(Gate, HysteresisKeepsAnOpenGateOpenAndAClosedGateClosed) {
    const double sr = 48000.0;
    const GateParams p = gate();
    // Open at -40 dBFS, then -52 dBFS (between threshold - hysteresis and threshold).
    const auto x =
        sig::concat(sig::sine(1000.0, sr, 0.2, -40.0), sig::sine(1000.0, sr, 0.3, -52.0));
    const auto y = run(p, x);
    const auto from = static_cast<std::size_t>(0.25 * sr);
    // Still open: unity gain, bit-exact.
    for (std::size_t i = from; i < x.frames(); ++i) ASSERT_EQ(y.channel(0)[i], x.channel(0)[i]);

    // Starting closed, the same -52 dBFS tone never opens the gate: range_db of attenuation.
    const auto quiet = sig::sine(1000.0, sr, 0.3, -52.0);
    const auto q = run(p, quiet);
    const std::size_t half = quiet.frames() / 2;
    // 0.02 dB: settled at exactly -range_db; float rounding.
    EXPECT_NEAR(m::gain_at_db(quiet, q, 1000.0, half, quiet.frames()), -20.0, 0.02);
}

TEST(Gate, NeutralSettingsAreIdentity) {
    const double sr = 48000.0;
    const auto x = sig::white_noise(3, sr, 0.2, -70.0);
    GateParams p = gate();
    p.range_db = 0.0;
    EXPECT_EQ(run(p, x), x);
    p = gate();
    p.ratio = 1.0;  // a 1:1 expander never attenuates, whatever range_db
    EXPECT_EQ(run(p, x), x);
}

TEST(Gate, BlockSizeInvarianceResetAndFiniteOnHardSignals) {
    const double sr = 48000.0;
    GateParams p = gate(3.0);
    p.sidechain_high_pass_hz = 100.0;
    const auto x = sig::concat(
        sig::white_noise(5, sr, 0.1, -70.0),
        sig::concat(sig::white_noise(6, sr, 0.1, -20.0), sig::white_noise(7, sr, 0.2, -65.0)));
    const auto whole = run(p, x);
    for (std::size_t block : {1u, 7u, 64u, 512u}) EXPECT_EQ(run(p, x, block), whole) << block;

    Gate g;
    g.set_params(p);
    g.prepare({sr, static_cast<int>(x.frames()), 2});
    AudioBuffer first = x;
    g.process(AudioView(first));
    g.reset();
    AudioBuffer second = x;
    g.process(AudioView(second));
    EXPECT_EQ(first, second);

    const std::size_t n = 24000;
    for (const auto& hard :
         {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(40.0, sr, n, 0.0), sig::silence(sr, 0.5)})
        EXPECT_TRUE(m::all_finite(run(p, hard)));
}

TEST(Gate, ValidationRejectsOutOfRangeValues) {
    const auto throws = [](auto mutate) { return m::rejects<Gate, GateParams>(mutate); };
    EXPECT_FALSE(throws([](GateParams&) {}));
    EXPECT_TRUE(throws([](GateParams& p) { p.range_db = -5.0; }));
    EXPECT_TRUE(throws([](GateParams& p) { p.ratio = 0.5; }));
    EXPECT_TRUE(throws([](GateParams& p) { p.lookahead_ms = 60.0; }));
    EXPECT_TRUE(throws([](GateParams& p) { p.hysteresis_db = -1.0; }));
    EXPECT_TRUE(throws([](GateParams& p) { p.sidechain_high_pass_hz = 24000.0; }));
}

}  // namespace
}  // namespace secondear::dsp
