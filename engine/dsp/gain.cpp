#include "dsp/gain.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_max_delay_s = 10.0;

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "gain: " + what);
}

}  // namespace

void GainStage::validate(const GainParams& p, double sample_rate_hz) {
    check(p.gain_db >= -120.0 && p.gain_db <= 24.0, "gain_db must be in [-120, 24]");
    check(p.pan >= -1.0 && p.pan <= 1.0, "pan must be in [-1, 1]");
    check(p.delay_frames >= 0, "delay_frames must be >= 0");
    if (sample_rate_hz > 0.0)
        check(p.delay_frames <= k_max_delay_s * sample_rate_hz, "delay_frames must be <= 10 s");
}

void GainStage::channel_gains(const GainParams& p, double& left, double& right) noexcept {
    double g = p.mute ? 0.0 : std::pow(10.0, p.gain_db / 20.0);
    if (p.invert_polarity) g = -g;
    double pl = 1.0;
    double pr = 1.0;
    if (p.pan != 0.0) {
        if (p.source_is_mono) {
            const double theta = (p.pan + 1.0) * std::numbers::pi / 4.0;
            pl = std::numbers::sqrt2 * std::cos(theta);
            pr = std::numbers::sqrt2 * std::sin(theta);
        } else if (p.pan > 0.0) {
            pl = std::cos(p.pan * std::numbers::pi / 2.0);
        } else {
            pr = std::cos(-p.pan * std::numbers::pi / 2.0);
        }
    }
    left = g * pl;
    right = g * pr;
}

void GainStage::set_params(const GainParams& params) {
    validate(params, sample_rate_hz_);
    const bool new_delay = params.delay_frames != params_.delay_frames;
    params_ = params;
    if (sample_rate_hz_ > 0.0) {
        configure();
        if (new_delay) reset();
    }
}

void GainStage::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    reset();
}

void GainStage::configure() {
    channel_gains(params_, gain_lin_[0], gain_lin_[1]);
    GainParams centred = params_;
    centred.pan = 0.0;
    double unused = 0.0;
    channel_gains(centred, mono_gain_lin_, unused);
    delay_.resize(static_cast<std::size_t>(params_.delay_frames) * AudioView::k_max_channels);
}

void GainStage::reset() noexcept {
    std::fill(delay_.begin(), delay_.end(), 0.0f);
    delay_pos_ = 0;
}

void GainStage::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const std::size_t frames = io.frames();
    const auto d = static_cast<std::size_t>(params_.delay_frames);
    for (int c = 0; c < channels; ++c) {
        float* x = io.channel(c);
        const double g = channels == 1 ? mono_gain_lin_ : gain_lin_[c];
        if (d == 0) {
            if (g != 1.0)
                for (std::size_t i = 0; i < frames; ++i) x[i] = static_cast<float>(x[i] * g);
            continue;
        }
        float* ring = delay_.data() + static_cast<std::size_t>(c) * d;
        std::size_t pos = delay_pos_;
        for (std::size_t i = 0; i < frames; ++i) {
            const float delayed = ring[pos];
            ring[pos] = x[i];
            x[i] = static_cast<float>(delayed * g);
            if (++pos == d) pos = 0;
        }
    }
    if (d > 0) delay_pos_ = (delay_pos_ + frames) % d;
}

}  // namespace secondear::dsp
