#pragma once
// The mix bus "width" lane: a mid/side scaler whose width follows the lane (M = (L + R) / 2,
// S = (L - R) / 2, S' = width * S, L' = M + S', R' = M - S'). The width is exact every 64 frames
// and linear in between, like the gain lanes. The scaling is linear in the signal, so applying the
// same width to every stem and to the mix keeps the stems summing to the (widened) mix. Where the
// lane is 1.0 over a whole 64-frame step nothing is touched: the output is bit-identical to no
// lane.

#include <cstddef>
#include <vector>

#include "core/audio_buffer.hpp"
#include "plan/plan.hpp"

namespace secondear::render {

class MixWidth {
  public:
    /// lane may be null (no width automation). Times of the lane are seconds of the output.
    MixWidth(const plan::AutomationLane* lane, double sample_rate_hz);

    bool active() const noexcept { return lane_ != nullptr && !lane_->points.empty(); }

    /// Scales the side of every stem and of the mix by the lane's width at start_s + i / rate.
    /// Does nothing for a block where the width stays 1.
    void process(double start_s, const std::vector<AudioView>& stems, AudioView mix);

  private:
    const plan::AutomationLane* lane_;
    double sample_rate_hz_;
    std::vector<float> width_;
};

/// Scales the side of one stereo block by width[i] at frame i (mono views pass unchanged).
void scale_side(AudioView v, const float* width);

}  // namespace secondear::render
