#pragma once
// TpdfDither: adds triangular-PDF dither of +-1 LSB peak before a fixed-point encode.
//
// Choice: it does NOT quantise. libsndfile quantises when io::encode writes 16- or 24-bit PCM,
// so quantising here too would round twice on a grid that need not match its scaling exactly
// (1/32767 versus 1/32768 per step); dither added before that single rounding decorrelates the
// error from the signal just the same. LSB = 2^-(bits - 1) of full scale.
// Noise: the difference of two independent uniform [0, 1) values, times one LSB: triangular on
// (-1, 1) LSB, mean 0, variance 2 x LSB^2/12 = LSB^2/6, so RMS = LSB / sqrt(6) (-101.2 dBFS at
// 16 bits). Deterministic: each value is a hash (SplitMix64) of the seed, the frame index since
// reset() and the channel, so the output is the same for any block size.

#include <cstdint>

#include "dsp/processor.hpp"

namespace secondear::dsp {

struct DitherParams {
    int bits = 16;           // 16 or 24
    std::uint64_t seed = 0;  // any value; the same seed gives the same noise
    friend bool operator==(const DitherParams&, const DitherParams&) = default;
};

class TpdfDither {
  public:
    TpdfDither() = default;
    explicit TpdfDither(const DitherParams& params) { set_params(params); }
    /// Validates (throws Error input_invalid).
    void set_params(const DitherParams& params);
    void prepare(const ProcessSpec& spec);
    void reset() noexcept { frame_ = 0; }
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }
    /// One least significant bit of the target format, in full-scale units.
    double lsb() const noexcept { return lsb_; }

  private:
    DitherParams params_;
    double lsb_ = 1.0 / 32768.0;
    std::uint64_t frame_ = 0;
};

static_assert(Processor<TpdfDither>);

}  // namespace secondear::dsp
