#include "dsp/dither.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.hpp"
#include "support/master_fx_render.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

using dsp::DitherParams;
using dsp::TpdfDither;

TEST(TpdfDither, NoiseFloorMatchesTpdfTheory) {
    // On silence the output is the dither itself: RMS LSB / sqrt(6), |d| < 1 LSB, mean 0.
    const AudioBuffer silence = test::signals::silence(48000.0, 1.0);
    TpdfDither dither(DitherParams{.bits = 16, .seed = 11});
    const AudioBuffer out = test::render_in_blocks(dither, silence, 512);
    double sum = 0.0, sum_sq = 0.0, peak = 0.0;
    const double n = 2.0 * static_cast<double>(out.frames());
    for (int c = 0; c < 2; ++c)
        for (float s : out.channel(c)) {
            sum += s;
            sum_sq += static_cast<double>(s) * s;
            peak = std::max(peak, std::abs(static_cast<double>(s)));
        }
    const double lsb = dither.lsb();
    // 96000 draws: the RMS estimate has a relative standard deviation of sqrt(1.4 / n) / 2
    // = 0.2% (TPDF kurtosis 2.4); 1% is five of those.
    EXPECT_NEAR(std::sqrt(sum_sq / n) / (lsb / std::sqrt(6.0)), 1.0, 0.01);
    EXPECT_LT(peak, lsb);
    // Mean: standard error LSB / sqrt(6 n) = 0.0013 LSB; 0.01 LSB is over seven of those.
    EXPECT_LT(std::abs(sum / n), 0.01 * lsb);
}

TEST(TpdfDither, DeterministicAndBlockSizeInvariant) {
    const AudioBuffer input = test::signals::sine(997.0, 44100.0, 0.1, -40.0);
    TpdfDither a(DitherParams{.bits = 16, .seed = 5});
    const AudioBuffer whole = test::render_in_blocks(a, input, 0);
    for (std::size_t block : {1u, 7u, 64u, 512u}) {
        TpdfDither b(DitherParams{.bits = 16, .seed = 5});
        EXPECT_EQ(test::render_in_blocks(b, input, block), whole) << "block " << block;
    }
    TpdfDither other(DitherParams{.bits = 16, .seed = 6});
    EXPECT_NE(test::render_in_blocks(other, input, 0), whole);
}

TEST(TpdfDither, TwentyFourBitLsb) {
    TpdfDither dither(DitherParams{.bits = 24});
    EXPECT_EQ(dither.lsb(), std::ldexp(1.0, -23));
    EXPECT_THROW(dither.set_params(DitherParams{.bits = 8}), Error);
}

}  // namespace
}  // namespace secondear
