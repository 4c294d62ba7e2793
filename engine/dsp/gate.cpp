#include "dsp/gate.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_sqrt_half = 0.7071067811865476;  // Butterworth Q for the sidechain filter
constexpr double k_snap_db = 1e-7;  // under half a float ulp in linear gain (see compressor.cpp)

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "gate: " + what);
}

}  // namespace

double Gate::closed_gain_db(const GateParams& p, double level_db) noexcept {
    if (p.ratio == 1.0 || p.range_db == 0.0 || level_db >= p.threshold_db) return 0.0;
    return -std::min(p.range_db, (p.threshold_db - level_db) * (p.ratio - 1.0));
}

void Gate::validate(const GateParams& p, double sample_rate_hz) {
    check(p.threshold_db >= -100.0 && p.threshold_db <= 0.0, "threshold_db must be in [-100, 0]");
    check(p.range_db >= 0.0 && p.range_db <= 120.0, "range_db must be in [0, 120]");
    check(p.ratio >= 1.0 && p.ratio <= 1000.0, "ratio must be in [1, 1000]");
    check(p.attack_ms >= 0.0 && p.attack_ms <= 500.0, "attack_ms must be in [0, 500]");
    check(p.hold_ms >= 0.0 && p.hold_ms <= 5000.0, "hold_ms must be in [0, 5000]");
    check(p.release_ms >= 0.0 && p.release_ms <= 5000.0, "release_ms must be in [0, 5000]");
    check(p.hysteresis_db >= 0.0 && p.hysteresis_db <= 40.0, "hysteresis_db must be in [0, 40]");
    check(p.lookahead_ms >= 0.0 && p.lookahead_ms <= 50.0, "lookahead_ms must be in [0, 50]");
    check(p.sidechain_high_pass_hz >= 0.0 && std::isfinite(p.sidechain_high_pass_hz),
          "sidechain_high_pass_hz must be >= 0 (0 = off)");
    if (sample_rate_hz > 0.0)
        check(p.sidechain_high_pass_hz < 0.49 * sample_rate_hz,
              "sidechain_high_pass_hz must be below 0.49 * sample rate");
}

void Gate::set_params(const GateParams& params) {
    validate(params, sample_rate_hz_);
    const bool new_delay = params.lookahead_ms != params_.lookahead_ms;
    params_ = params;
    if (sample_rate_hz_ > 0.0) {
        configure();
        if (new_delay) {
            std::fill(delay_.begin(), delay_.end(), 0.0f);
            delay_pos_ = 0;
        }
    }
}

void Gate::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    reset();
}

void Gate::configure() {
    const double sr = sample_rate_hz_;
    lookahead_frames_ = static_cast<int>(std::lround(params_.lookahead_ms * sr / 1000.0));
    hold_frames_ = static_cast<int>(std::lround(params_.hold_ms * sr / 1000.0));
    open_power_ = std::pow(10.0, params_.threshold_db / 10.0);
    close_power_ = std::pow(10.0, (params_.threshold_db - params_.hysteresis_db) / 10.0);
    floor_power_ =
        params_.ratio > 1.0
            ? std::pow(10.0,
                       (params_.threshold_db - params_.range_db / (params_.ratio - 1.0)) / 10.0)
            : 0.0;
    sidechain_on_ = params_.sidechain_high_pass_hz > 0.0;
    for (auto& f : sidechain_)
        f.set_coeffs(sidechain_on_
                         ? design_high_pass(params_.sidechain_high_pass_hz, k_sqrt_half, sr)
                         : BiquadCoeffs{});
    smoother_.prepare(params_.release_ms, params_.attack_ms, sr);
    delay_.resize(static_cast<std::size_t>(lookahead_frames_) * AudioView::k_max_channels);
    if (delay_pos_ >= static_cast<std::size_t>(std::max(lookahead_frames_, 1))) delay_pos_ = 0;
}

void Gate::reset() noexcept {
    for (auto& f : sidechain_) f.reset();
    smoother_.reset(params_.ratio > 1.0 ? -params_.range_db : 0.0);
    open_ = false;
    hold_left_ = 0;
    std::fill(delay_.begin(), delay_.end(), 0.0f);
    delay_pos_ = 0;
    max_att_db_ = 0.0;
    sum_att_db_ = 0.0;
    frames_ = 0;
}

void Gate::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const std::size_t frames = io.frames();
    const auto la = static_cast<std::size_t>(lookahead_frames_);
    for (std::size_t i = 0; i < frames; ++i) {
        double power = 0.0;
        for (int c = 0; c < channels; ++c) {
            const double x = io.channel(c)[i];
            const double sc = sidechain_on_ ? sidechain_[c].process_sample(x) : x;
            power = std::max(power, sc * sc);
        }

        double target = 0.0;
        if (power >= (open_ ? close_power_ : open_power_)) {
            open_ = true;
            hold_left_ = hold_frames_;
        } else if (hold_left_ > 0) {
            --hold_left_;
        } else {
            open_ = false;
            if (power <= floor_power_)
                target = params_.ratio > 1.0 ? -params_.range_db : 0.0;
            else
                target = closed_gain_db(params_, power_to_db_fast(power));
        }
        double g_db = smoother_.process(target);
        if (target == 0.0) {
            smoother_.snap(0.0, k_snap_db);
            g_db = smoother_.gain_db();
        }
        const double g = g_db == 0.0 ? 1.0 : db_to_gain_fast(g_db);

        for (int c = 0; c < channels; ++c) {
            float& s = io.channel(c)[i];
            float x = s;
            if (la > 0) {
                float& slot = delay_[static_cast<std::size_t>(c) * la + delay_pos_];
                x = slot;
                slot = s;
            }
            s = static_cast<float>(x * g);
        }
        if (la > 0 && ++delay_pos_ == la) delay_pos_ = 0;

        max_att_db_ = std::max(max_att_db_, -g_db);
        sum_att_db_ += -g_db;
        ++frames_;
    }
}

}  // namespace secondear::dsp
