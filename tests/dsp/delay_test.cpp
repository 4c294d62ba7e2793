#include "dsp/delay.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/units.hpp"
#include "support/master_fx_render.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

using dsp::DelayParams;
using dsp::StereoDelay;

AudioBuffer impulse(double sr, double seconds, float left, float right) {
    AudioBuffer a = test::signals::silence(sr, seconds);
    a.channel(0)[0] = left;
    a.channel(1)[0] = right;
    return a;
}

TEST(StereoDelay, EchoesAtTimeWithFeedbackGainPerRepeat) {
    const double sr = 48000.0;
    const DelayParams p{.time_ms = 125.0, .feedback = 0.5, .wet_db = -6.0};
    StereoDelay delay(p);
    const AudioBuffer out = test::render_in_blocks(delay, impulse(sr, 0.6, 1.0f, 1.0f), 64);
    const std::size_t d = 6000;  // 125 ms at 48 kHz, exactly
    ASSERT_EQ(delay.delay_frames(), static_cast<int>(d));
    const double wet = db_to_gain(-6.0);
    for (int c = 0; c < 2; ++c) {
        for (std::size_t i = 0; i < out.frames(); ++i) {
            const bool at_echo = i > 0 && i % d == 0;
            // Float output: 1e-7 is one rounding of values up to 0.5.
            const double expected =
                at_echo ? wet * std::pow(0.5, static_cast<double>(i / d) - 1.0) : 0.0;
            ASSERT_NEAR(out.channel(c)[i], expected, 1e-7) << "channel " << c << " frame " << i;
        }
    }
}

TEST(StereoDelay, PingPongAlternatesChannels) {
    const double sr = 44100.0;
    StereoDelay delay(DelayParams{.time_ms = 100.0, .feedback = 0.5, .ping_pong = true});
    const AudioBuffer out = test::render_in_blocks(delay, impulse(sr, 0.35, 1.0f, 1.0f), 7);
    const auto d = static_cast<std::size_t>(delay.delay_frames());
    // Mono sum 1 into the left line: echo 1 left (1), echo 2 right (0.5), echo 3 left (0.25).
    EXPECT_FLOAT_EQ(out.channel(0)[d], 1.0f);
    EXPECT_FLOAT_EQ(out.channel(1)[d], 0.0f);
    EXPECT_FLOAT_EQ(out.channel(0)[2 * d], 0.0f);
    EXPECT_FLOAT_EQ(out.channel(1)[2 * d], 0.5f);
    EXPECT_FLOAT_EQ(out.channel(0)[3 * d], 0.25f);
}

TEST(StereoDelay, BlockSizeInvariantWithFiltersAndTailCoversMinus90dB) {
    const double sr = 48000.0;
    const DelayParams p{
        .time_ms = 50.0, .feedback = 0.6, .high_cut_hz = 5000.0, .low_cut_hz = 100.0};
    const AudioBuffer input = test::signals::white_noise(9, sr, 0.2, -6.0);
    StereoDelay whole_delay(p);
    const AudioBuffer whole = test::render_in_blocks(whole_delay, input, 0);
    for (std::size_t block : {1u, 7u, 64u, 512u}) {
        StereoDelay d(p);
        EXPECT_EQ(test::render_in_blocks(d, input, block), whole) << "block " << block;
    }
    // 0.6^n <= 10^-4.5 needs n = 21 repeats (20 log10 0.6 = -4.44 dB each).
    EXPECT_EQ(whole_delay.tail_frames(), 22 * 2400);
}

}  // namespace
}  // namespace secondear
