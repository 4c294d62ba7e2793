#include "render/width_automation.hpp"

#include <algorithm>

#include "render/mix_render.hpp"

namespace secondear::render {
namespace {

constexpr std::size_t k_step_frames = 64;  // as the gain lanes: exact every 64 frames

}  // namespace

MixWidth::MixWidth(const plan::AutomationLane* lane, double sample_rate_hz)
    : lane_(lane), sample_rate_hz_(sample_rate_hz) {}

void MixWidth::process(double start_s, const std::vector<AudioView>& stems, AudioView mix) {
    if (!active()) return;
    const std::size_t n = mix.frames();
    width_.assign(n, 1.0f);
    bool moved = false;
    for (std::size_t i0 = 0; i0 < n; i0 += k_step_frames) {
        const std::size_t m = std::min(k_step_frames, n - i0);
        const auto time_of = [&](std::size_t i) {
            return start_s + static_cast<double>(i) / sample_rate_hz_;
        };
        if (lane_point_inside(*lane_, time_of(i0), time_of(i0 + m))) {
            // A ramp starts or ends inside the step: frame by frame, so that the width is exactly
            // the held value up to the ramp.
            for (std::size_t i = 0; i < m; ++i)
                width_[i0 + i] = static_cast<float>(lane_value(*lane_, time_of(i0 + i)));
            moved = true;
            continue;
        }
        const double w0 = lane_value(*lane_, time_of(i0));
        const double w1 = lane_value(*lane_, time_of(i0 + m));
        if (w0 == 1.0 && w1 == 1.0) continue;
        moved = true;
        for (std::size_t i = 0; i < m; ++i)
            width_[i0 + i] = static_cast<float>(w0 + (w1 - w0) * static_cast<double>(i) /
                                                         static_cast<double>(m));
    }
    if (!moved) return;
    for (const auto& s : stems) scale_side(s, width_.data());
    scale_side(mix, width_.data());
}

void scale_side(AudioView v, const float* width) {
    if (v.channels() < 2) return;
    float* l = v.channel(0);
    float* r = v.channel(1);
    for (std::size_t i = 0; i < v.frames(); ++i) {
        if (width[i] == 1.0f) continue;
        const float mid = 0.5f * (l[i] + r[i]);
        const float side = 0.5f * (l[i] - r[i]) * width[i];
        l[i] = mid + side;
        r[i] = mid - side;
    }
}

}  // namespace secondear::render
