#include "dsp/gain.hpp"

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

AudioBuffer run(const GainParams& p, const AudioBuffer& x, std::size_t block = 0) {
    GainStage g;
    g.set_params(p);
    return m::render_blocks(g, x, block);
}

TEST(GainStage, NeutralParamsAreBitExactIdentity) {
    const auto x = sig::white_noise(1, 48000.0, 0.1, 0.0);
    EXPECT_EQ(run(GainParams{}, x), x);
    GainParams mono_law;
    mono_law.source_is_mono = true;
    EXPECT_EQ(run(mono_law, x), x);
}

TEST(GainStage, PolarityGainAndMuteAreExact) {
    const auto x = sig::white_noise(2, 48000.0, 0.1, -3.0);
    GainParams p;
    p.invert_polarity = true;
    const auto inv = run(p, x);
    p.invert_polarity = false;
    p.gain_db = -7.5;
    const auto quieter = run(p, x);
    const double g = db_to_gain(-7.5);
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < x.frames(); ++i) {
            ASSERT_EQ(inv.channel(c)[i], -x.channel(c)[i]);
            ASSERT_EQ(quieter.channel(c)[i], static_cast<float>(x.channel(c)[i] * g));
        }
    p.mute = true;
    EXPECT_EQ(run(p, x), sig::silence(48000.0, 0.1));
}

TEST(GainStage, IntegerDelayIsExactAtEveryBlockSize) {
    const auto x = sig::white_noise(3, 44100.0, 0.1, -1.0);
    for (int delay : {1, 100, 1000}) {
        GainParams p;
        p.delay_frames = delay;
        for (std::size_t block : {0u, 1u, 7u, 64u, 512u}) {
            const auto y = run(p, x, block);
            const auto d = static_cast<std::size_t>(delay);
            for (int c = 0; c < 2; ++c)
                for (std::size_t i = 0; i < x.frames(); ++i)
                    ASSERT_EQ(y.channel(c)[i], i < d ? 0.0f : x.channel(c)[i - d])
                        << delay << " frames, block " << block << ", frame " << i;
        }
        GainStage g;
        g.set_params(p);
        EXPECT_EQ(g.latency_frames(), 0);  // intended alignment, not to be compensated
    }
}

TEST(GainStage, MonoSourcePanIsConstantPowerAndUnityAtCentre) {
    for (double pan = -1.0; pan <= 1.0; pan += 0.125) {
        GainParams p;
        p.pan = pan;
        p.source_is_mono = true;
        double l = 0.0, r = 0.0;
        GainStage::channel_gains(p, l, r);
        // 1e-12: the pair's power is that of the centred source for every pan position.
        EXPECT_NEAR(l * l + r * r, 2.0, 1e-12) << pan;
    }
    GainParams p;
    p.source_is_mono = true;
    p.pan = -1.0;
    double l = 0.0, r = 0.0;
    GainStage::channel_gains(p, l, r);
    EXPECT_NEAR(gain_to_db(l), 3.0103, 1e-4);  // hard left: +3.01 dB on the left
    EXPECT_LT(std::abs(r), 1e-15);             // and nothing on the right (cos(pi/2) rounding)

    // Half right on a duplicated mono source: left cos(3pi/8) sqrt(2), right sin(3pi/8) sqrt(2).
    const auto x = sig::sine(1000.0, 48000.0, 0.1, -6.0);
    p.pan = 0.5;
    const auto y = run(p, x);
    const std::size_t n = x.frames();
    // 1e-4 dB: float rounding of the samples.
    EXPECT_NEAR(m::gain_at_db(x, y, 1000.0, 0, n, 0),
                gain_to_db(std::sqrt(2.0) * std::cos(3.0 * std::acos(-1.0) / 8.0)), 1e-4);
    EXPECT_NEAR(m::gain_at_db(x, y, 1000.0, 0, n, 1),
                gain_to_db(std::sqrt(2.0) * std::sin(3.0 * std::acos(-1.0) / 8.0)), 1e-4);
}

TEST(GainStage, StereoSourcePanIsABalanceControl) {
    GainParams p;
    p.pan = 0.5;
    double l = 0.0, r = 0.0;
    GainStage::channel_gains(p, l, r);
    EXPECT_EQ(r, 1.0);                          // the near channel is untouched
    EXPECT_NEAR(gain_to_db(l), -3.0103, 1e-4);  // cos(pi/4)
    p.pan = -1.0;
    GainStage::channel_gains(p, l, r);
    EXPECT_EQ(l, 1.0);
    EXPECT_LT(std::abs(r), 1e-15);
}

TEST(GainStage, OneChannelIgnoresPan) {
    const auto x = sig::white_noise(4, 48000.0, 0.05, -6.0, 1);
    GainParams p;
    p.pan = 0.8;
    p.source_is_mono = true;
    EXPECT_EQ(run(p, x), x);
}

TEST(GainStage, ResetClearsTheDelayLineAndOutputIsFinite) {
    const double sr = 48000.0;
    GainParams p;
    p.gain_db = 12.0;
    p.delay_frames = 37;
    p.pan = -0.3;
    const auto x = sig::white_noise(5, sr, 0.1, 0.0);
    GainStage g;
    g.set_params(p);
    g.prepare({sr, static_cast<int>(x.frames()), 2});
    AudioBuffer first = x;
    g.process(AudioView(first));
    g.reset();
    AudioBuffer second = x;
    g.process(AudioView(second));
    EXPECT_EQ(first, second);
    const std::size_t n = 4800;
    for (const auto& hard : {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(40.0, sr, n, 0.0)})
        EXPECT_TRUE(m::all_finite(run(p, hard)));
}

TEST(GainStage, ValidationRejectsOutOfRangeValues) {
    const auto throws = [](auto mutate) { return m::rejects<GainStage, GainParams>(mutate); };
    EXPECT_FALSE(throws([](GainParams&) {}));
    EXPECT_TRUE(throws([](GainParams& p) { p.pan = 1.5; }));
    EXPECT_TRUE(throws([](GainParams& p) { p.delay_frames = -1; }));
    EXPECT_TRUE(throws([](GainParams& p) { p.delay_frames = 480001; }));  // > 10 s
    EXPECT_TRUE(throws([](GainParams& p) { p.gain_db = 30.0; }));
}

}  // namespace
}  // namespace secondear::dsp
