#include "dsp/width.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/master_fx_render.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

using dsp::StereoWidth;
using dsp::WidthParams;

// Mid and side energy of a stereo buffer.
std::pair<double, double> mid_side_energy(const AudioBuffer& a, std::size_t from = 0) {
    double mid = 0.0, side = 0.0;
    for (std::size_t i = from; i < a.frames(); ++i) {
        const double m = 0.5 * (static_cast<double>(a.channel(0)[i]) + a.channel(1)[i]);
        const double s = 0.5 * (static_cast<double>(a.channel(0)[i]) - a.channel(1)[i]);
        mid += m * m;
        side += s * s;
    }
    return {mid, side};
}

TEST(StereoWidth, UnityWidthIsIdentity) {
    const AudioBuffer input = test::signals::white_noise(1, 44100.0, 0.1, -6.0);
    StereoWidth width(WidthParams{});
    EXPECT_EQ(test::render_in_blocks(width, input, 64), input);
}

TEST(StereoWidth, SideToMidEnergyScalesWithWidthSquaredAndMonoSumIsKept) {
    const AudioBuffer input = test::signals::white_noise(2, 48000.0, 0.2, -6.0);
    const auto [mid0, side0] = mid_side_energy(input);
    for (double w : {0.0, 0.5, 1.5, 2.0}) {
        StereoWidth width(WidthParams{.width = w});
        const AudioBuffer out = test::render_in_blocks(width, input, 7);
        const auto [mid, side] = mid_side_energy(out);
        // 1e-5 relative: float rounding of the output samples.
        EXPECT_NEAR((side / mid) / (side0 / mid0), w * w, 1e-5 + 1e-5 * w * w) << "width " << w;
        for (std::size_t i = 0; i < out.frames(); ++i) {
            const double before = static_cast<double>(input.channel(0)[i]) + input.channel(1)[i];
            const double after = static_cast<double>(out.channel(0)[i]) + out.channel(1)[i];
            // 1.2e-7: two float roundings of values up to 0.5.
            ASSERT_NEAR(after, before, 1.2e-7) << "width " << w << " frame " << i;
        }
    }
}

TEST(StereoWidth, BassMonoRemovesLowSideOnlyAndIsBlockSizeInvariant) {
    const double sr = 48000.0;
    // Anti-phase 40 Hz (pure side, below 120 Hz) and anti-phase 2 kHz (side, well above).
    AudioBuffer low = test::signals::sine(40.0, sr, 1.0, -12.0);
    AudioBuffer high = test::signals::sine(2000.0, sr, 1.0, -12.0);
    for (AudioBuffer* b : {&low, &high})
        for (float& s : b->channel(1)) s = -s;
    const WidthParams p{.width = 1.0, .bass_mono_below_hz = 120.0};
    StereoWidth a(p), b(p);
    const AudioBuffer low_out = test::render_in_blocks(a, low, 0);
    EXPECT_EQ(test::render_in_blocks(b, low, 7), low_out);
    const AudioBuffer high_out = test::render_in_blocks(a, high, 64);
    const std::size_t settled = low.frames() / 2;
    const double low_ratio =
        mid_side_energy(low_out, settled).second / mid_side_energy(low, settled).second;
    const double high_ratio =
        mid_side_energy(high_out, settled).second / mid_side_energy(high, settled).second;
    // 40 Hz, 1.6 octaves under the corner: the complementary high-pass passes
    // |s^2 + 2s| / |s + 1|^2 = 0.61 at s = j/3, a power ratio of 0.37; 0.5 is the bound.
    EXPECT_LT(low_ratio, 0.5);
    // 2 kHz, 4 octaves above: within 0.1 dB of unity (power ratio 0.977..1.023).
    EXPECT_NEAR(high_ratio, 1.0, 0.023);
}

}  // namespace
}  // namespace secondear
