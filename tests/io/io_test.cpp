#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "support/paths.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

TEST(IoRoundTrip, Float32WavIsBitExact) {
    const auto dir = test::scratch_dir();
    const AudioBuffer x = test::signals::white_noise(1, 48000.0, 0.5, -6.0);
    io::encode(x, dir / "x.wav", {io::Container::wav, io::SampleFormat::float32});
    const io::Decoded d = io::decode(dir / "x.wav");
    EXPECT_EQ(d.audio, x);
    EXPECT_EQ(d.info.sample_rate_hz, 48000.0);
}

}  // namespace
}  // namespace secondear
