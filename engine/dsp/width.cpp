#include "dsp/width.hpp"

#include <cmath>
#include <numbers>

#include "core/errors.hpp"

namespace secondear::dsp {

void StereoWidth::set_params(const WidthParams& params) {
    if (!(params.width >= 0.0 && params.width <= 2.0))
        throw Error(ErrorKind::input_invalid, "width: width must be in [0, 2]");
    if (!(params.bass_mono_below_hz == 0.0 ||
          (params.bass_mono_below_hz >= 20.0 && params.bass_mono_below_hz <= 500.0)))
        throw Error(ErrorKind::input_invalid,
                    "width: bass_mono_below_hz must be 0 or in [20, 500]");
    params_ = params;
    update_coefficients();
}

void StereoWidth::prepare(const ProcessSpec& spec) {
    if (!(spec.sample_rate_hz > 0.0))
        throw Error(ErrorKind::input_invalid, "width: sample rate must be positive");
    sample_rate_hz_ = spec.sample_rate_hz;
    update_coefficients();
    reset();
}

void StereoWidth::update_coefficients() noexcept {
    // One-pole low-pass y += (1 - p)(x - y), p = exp(-2 pi f / fs) (impulse-invariant).
    pole_ = sample_rate_hz_ > 0.0 && params_.bass_mono_below_hz > 0.0
                ? std::exp(-2.0 * std::numbers::pi * params_.bass_mono_below_hz / sample_rate_hz_)
                : 0.0;
}

void StereoWidth::process(AudioView io) noexcept {
    if (io.channels() != 2) return;
    const bool bass_mono = params_.bass_mono_below_hz > 0.0;
    if (params_.width == 1.0 && !bass_mono) return;
    float* left = io.channel(0);
    float* right = io.channel(1);
    const double k = 1.0 - pole_;
    for (std::size_t i = 0; i < io.frames(); ++i) {
        const double l = left[i];
        const double r = right[i];
        const double mid = 0.5 * (l + r);
        double side = 0.5 * (l - r);
        if (bass_mono) {
            lp1_ += k * (side - lp1_);
            lp2_ += k * (lp1_ - lp2_);
            side -= lp2_;
        }
        side *= params_.width;
        left[i] = static_cast<float>(mid + side);
        right[i] = static_cast<float>(mid - side);
    }
}

}  // namespace secondear::dsp
