#include "dsp/delay.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numbers>
#include <string>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace secondear::dsp {

namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw Error(ErrorKind::input_invalid, "delay: " + what);
}

bool off_or_in(double v, double lo, double hi) {
    return v == 0.0 || (v >= lo && v <= hi);
}

// One-pole pole p = exp(-2 pi f / fs) (impulse-invariant); 0 when off.
double pole(double freq_hz, double sample_rate_hz) {
    return freq_hz > 0.0 && sample_rate_hz > 0.0
               ? std::exp(-2.0 * std::numbers::pi * freq_hz / sample_rate_hz)
               : 0.0;
}

}  // namespace

void StereoDelay::set_params(const DelayParams& params) {
    if (!(params.time_ms > 0.0 && params.time_ms <= 2000.0))
        invalid("time_ms must be in (0, 2000]");
    if (!(params.feedback >= 0.0 && params.feedback <= 0.95))
        invalid("feedback must be in [0, 0.95]");
    if (!off_or_in(params.high_cut_hz, 1000.0, 20000.0))
        invalid("high_cut_hz must be 0 or in [1000, 20000]");
    if (!off_or_in(params.low_cut_hz, 20.0, 1000.0))
        invalid("low_cut_hz must be 0 or in [20, 1000]");
    if (!(params.wet_db >= -60.0 && params.wet_db <= 6.0)) invalid("wet_db must be in [-60, 6]");
    params_ = params;
    update_coefficients();
}

void StereoDelay::update_coefficients() noexcept {
    wet_gain_ = db_to_gain(params_.wet_db);
    high_cut_pole_ = pole(params_.high_cut_hz, sample_rate_hz_);
    low_cut_pole_ = pole(params_.low_cut_hz, sample_rate_hz_);
    // Repeats until -90 dB: feedback^n <= 10^(-90/20).
    const double repeats =
        params_.feedback > 0.0 ? std::ceil(-90.0 / (20.0 * std::log10(params_.feedback))) : 0.0;
    tail_frames_ =
        static_cast<int>(std::min(static_cast<double>(INT_MAX), (repeats + 1.0) * delay_frames_));
}

void StereoDelay::prepare(const ProcessSpec& spec) {
    if (!(spec.sample_rate_hz > 0.0)) invalid("sample rate must be positive");
    if (spec.channels < 1 || spec.channels > 2) invalid("only mono and stereo are supported");
    sample_rate_hz_ = spec.sample_rate_hz;
    delay_frames_ =
        std::max(1, static_cast<int>(std::lround(params_.time_ms * 1e-3 * sample_rate_hz_)));
    for (auto& l : line_) l.assign(static_cast<std::size_t>(delay_frames_), 0.0);
    update_coefficients();
    reset();
}

void StereoDelay::reset() noexcept {
    for (auto& l : line_) std::fill(l.begin(), l.end(), 0.0);
    pos_ = 0;
    high_cut_state_.fill(0.0);
    low_cut_state_.fill(0.0);
}

void StereoDelay::process(AudioView io) noexcept {
    const int channels = io.channels();
    const bool ping_pong = params_.ping_pong && channels == 2;
    const bool high_cut = params_.high_cut_hz > 0.0;
    const bool low_cut = params_.low_cut_hz > 0.0;
    for (std::size_t i = 0; i < io.frames(); ++i) {
        std::array<double, 2> echo{};
        std::array<double, 2> loop{};
        for (int c = 0; c < channels; ++c) {
            const auto cc = static_cast<std::size_t>(c);
            echo[cc] = line_[cc][static_cast<std::size_t>(pos_)];
            double y = echo[cc];
            if (high_cut) {
                high_cut_state_[cc] += (1.0 - high_cut_pole_) * (y - high_cut_state_[cc]);
                y = high_cut_state_[cc];
            }
            if (low_cut) {
                low_cut_state_[cc] += (1.0 - low_cut_pole_) * (y - low_cut_state_[cc]);
                y -= low_cut_state_[cc];
            }
            loop[cc] = params_.feedback * y;
        }
        if (ping_pong) {
            const double mono = 0.5 * (static_cast<double>(io.channel(0)[i]) + io.channel(1)[i]);
            line_[0][static_cast<std::size_t>(pos_)] = mono + loop[1];
            line_[1][static_cast<std::size_t>(pos_)] = loop[0];
        } else {
            for (int c = 0; c < channels; ++c)
                line_[static_cast<std::size_t>(c)][static_cast<std::size_t>(pos_)] =
                    static_cast<double>(io.channel(c)[i]) + loop[static_cast<std::size_t>(c)];
        }
        for (int c = 0; c < channels; ++c)
            io.channel(c)[i] = static_cast<float>(wet_gain_ * echo[static_cast<std::size_t>(c)]);
        pos_ = pos_ + 1 == delay_frames_ ? 0 : pos_ + 1;
    }
}

}  // namespace secondear::dsp
