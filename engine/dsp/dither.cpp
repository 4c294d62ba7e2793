#include "dsp/dither.hpp"

#include <cmath>

#include "core/errors.hpp"

namespace secondear::dsp {

namespace {

// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
std::uint64_t mix(std::uint64_t z) noexcept {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Uniform on [0, 1) from the top 53 bits.
double uniform(std::uint64_t bits) noexcept {
    return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace

void TpdfDither::set_params(const DitherParams& params) {
    if (params.bits != 16 && params.bits != 24)
        throw Error(ErrorKind::input_invalid, "dither: bits must be 16 or 24");
    params_ = params;
    lsb_ = std::ldexp(1.0, -(params.bits - 1));
}

void TpdfDither::prepare(const ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > 2)
        throw Error(ErrorKind::input_invalid, "dither: only mono and stereo are supported");
    reset();
}

void TpdfDither::process(AudioView io) noexcept {
    const std::uint64_t key = mix(params_.seed);
    for (std::size_t i = 0; i < io.frames(); ++i) {
        for (int c = 0; c < io.channels(); ++c) {
            // Two draws per (frame, channel): counters 4 * frame + 2 * channel + {0, 1}.
            const std::uint64_t counter = 4 * frame_ + 2 * static_cast<std::uint64_t>(c);
            const double d =
                (uniform(mix(key ^ counter)) - uniform(mix(key ^ (counter + 1)))) * lsb_;
            io.channel(c)[i] = static_cast<float>(static_cast<double>(io.channel(c)[i]) + d);
        }
        ++frame_;
    }
}

}  // namespace secondear::dsp
