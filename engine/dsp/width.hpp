#pragma once
// StereoWidth: mid/side width with an optional mono bass.
//
// M = (L + R) / 2, S = (L - R) / 2; S' = width * (S - LP(S)); L' = M + S', R' = M - S'.
// LP is a critically damped second-order low-pass (two one-poles at bass_mono_below_hz);
// subtracting it from S is exactly complementary (S = LP(S) + (S - LP(S))), so only the side's
// low end is removed. Its high-pass response 1 - (1 / (1 + s))^2 rises above unity by at most
// 0.97 dB near the corner (at w = 1: |(-1 + 2j) / 2j| = sqrt(5) / 2). bass_mono_below_hz = 0
// turns it off. The mid (and so the mono sum L + R) is never touched.
// width 1 with bass mono off is bit-exact identity. Mono input passes unchanged.

#include "dsp/processor.hpp"

namespace secondear::dsp {

struct WidthParams {
    double width = 1.0;               // [0, 2]: 0 mono, 1 unchanged
    double bass_mono_below_hz = 0.0;  // 0 (off) or [20, 500]
    friend bool operator==(const WidthParams&, const WidthParams&) = default;
};

class StereoWidth {
  public:
    StereoWidth() = default;
    explicit StereoWidth(const WidthParams& params) { set_params(params); }
    /// Validates (throws Error input_invalid); applies from the next block.
    void set_params(const WidthParams& params);
    void prepare(const ProcessSpec& spec);
    void reset() noexcept { lp1_ = lp2_ = 0.0; }
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }

  private:
    void update_coefficients() noexcept;

    WidthParams params_;
    double sample_rate_hz_ = 0.0;
    double pole_ = 0.0;
    double lp1_ = 0.0;
    double lp2_ = 0.0;
};

static_assert(Processor<StereoWidth>);

}  // namespace secondear::dsp
