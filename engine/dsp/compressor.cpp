#include "dsp/compressor.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_sqrt_half = 0.7071067811865476;  // Butterworth Q for the sidechain filter
constexpr double k_stats_window_ms = 50.0;          // "is the input active" RMS window
constexpr double k_stats_floor_power = 1e-6;        // -60 dBFS as a power
// Below this a settled gain is set to exactly 0 dB: 1e-7 dB is 1.2e-8 in linear gain, under half
// a float ulp at full scale, so the snap is inaudible and invisible in the float output.
constexpr double k_snap_db = 1e-7;

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "compressor: " + what);
}

}  // namespace

double Compressor::gain_computer_db(const CompressorParams& p, double x_db) noexcept {
    const double over = x_db - p.threshold_db;
    const double slope = 1.0 / p.ratio - 1.0;  // <= 0
    if (2.0 * over < -p.knee_db) return 0.0;
    if (2.0 * std::abs(over) <= p.knee_db && p.knee_db > 0.0) {
        const double into = over + p.knee_db / 2.0;
        return slope * into * into / (2.0 * p.knee_db);
    }
    return slope * over;
}

double Compressor::static_gain_db(const CompressorParams& p, double input_level_db) noexcept {
    const double wet = std::pow(10.0, (gain_computer_db(p, input_level_db) + p.makeup_db) / 20.0);
    return 20.0 * std::log10((1.0 - p.mix) + p.mix * wet);
}

void Compressor::validate(const CompressorParams& p, double sample_rate_hz) {
    check(p.threshold_db >= -80.0 && p.threshold_db <= 0.0, "threshold_db must be in [-80, 0]");
    check(p.ratio >= 1.0 && p.ratio <= 100.0, "ratio must be in [1, 100] (n:1)");
    check(p.knee_db >= 0.0 && p.knee_db <= 40.0, "knee_db must be in [0, 40]");
    check(p.attack_ms >= 0.0 && p.attack_ms <= 500.0, "attack_ms must be in [0, 500]");
    check(p.release_ms >= 0.0 && p.release_ms <= 5000.0, "release_ms must be in [0, 5000]");
    check(p.makeup_db >= -24.0 && p.makeup_db <= 40.0, "makeup_db must be in [-24, 40]");
    check(p.rms_window_ms > 0.0 && p.rms_window_ms <= 1000.0, "rms_window_ms must be in (0, 1000]");
    check(p.sidechain_high_pass_hz >= 0.0 && std::isfinite(p.sidechain_high_pass_hz),
          "sidechain_high_pass_hz must be >= 0 (0 = off)");
    if (sample_rate_hz > 0.0)
        check(p.sidechain_high_pass_hz < 0.49 * sample_rate_hz,
              "sidechain_high_pass_hz must be below 0.49 * sample rate");
    check(p.mix >= 0.0 && p.mix <= 1.0, "mix must be in [0, 1]");
}

void Compressor::set_params(const CompressorParams& params) {
    validate(params, sample_rate_hz_);
    params_ = params;
    if (sample_rate_hz_ > 0.0) configure();
}

void Compressor::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    reset();
}

void Compressor::configure() {
    const double sr = sample_rate_hz_;
    knee_start_power_ = std::pow(10.0, (params_.threshold_db - params_.knee_db / 2.0) / 10.0);
    makeup_lin_ = std::pow(10.0, params_.makeup_db / 20.0);
    stats_coeff_ = one_pole_coeff(k_stats_window_ms, sr);
    sidechain_on_ = params_.sidechain_high_pass_hz > 0.0;
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        if (sidechain_on_)
            sidechain_[c].set_coeffs(
                design_high_pass(params_.sidechain_high_pass_hz, k_sqrt_half, sr));
        detector_[c].prepare(params_.detector, params_.rms_window_ms, sr);
        smoother_[c].prepare(params_.attack_ms, params_.release_ms, sr);
    }
}

void Compressor::reset() noexcept {
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        sidechain_[c].reset();
        detector_[c].reset();
        smoother_[c].reset(0.0);
    }
    stats_mean_square_ = 0.0;
    max_gr_db_ = 0.0;
    sum_gr_db_ = 0.0;
    active_frames_ = 0;
}

double Compressor::target_gain_db(double power) const noexcept {
    if (power <= knee_start_power_) return 0.0;
    return gain_computer_db(params_, power_to_db_fast(power));
}

double Compressor::frame_factor(const AudioView& io, std::size_t i, double* factors) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const double dry = 1.0 - params_.mix;
    const double wet = params_.mix * makeup_lin_;
    double power[AudioView::k_max_channels] = {0.0, 0.0};
    double in_sq = 0.0;
    for (int c = 0; c < channels; ++c) {
        const double x = io.channel(c)[i];
        in_sq = std::max(in_sq, x * x);
        const double sc = sidechain_on_ ? sidechain_[c].process_sample(x) : x;
        power[c] = detector_[c].process(sc);
    }
    stats_mean_square_ = in_sq + stats_coeff_ * (stats_mean_square_ - in_sq);

    double frame_gr_db = 0.0;
    const int gains = params_.stereo_link ? 1 : channels;
    for (int c = 0; c < gains; ++c) {
        double p = power[c];
        if (params_.stereo_link)
            for (int k = 1; k < channels; ++k) p = std::max(p, power[k]);
        const double target = target_gain_db(p);
        double g_db = smoother_[c].process(target);
        if (target == 0.0) {
            smoother_[c].snap(0.0, k_snap_db);
            g_db = smoother_[c].gain_db();
        }
        const double g = g_db == 0.0 ? 1.0 : db_to_gain_fast(g_db);
        factors[c] = dry + wet * g;
        frame_gr_db = std::max(frame_gr_db, -g_db);
    }
    if (params_.stereo_link)
        for (int c = 1; c < channels; ++c) factors[c] = factors[0];
    max_gr_db_ = std::max(max_gr_db_, frame_gr_db);
    if (stats_mean_square_ > k_stats_floor_power) {
        sum_gr_db_ += frame_gr_db;
        ++active_frames_;
    }
    return factors[0];
}

void Compressor::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    double factors[AudioView::k_max_channels] = {1.0, 1.0};
    for (std::size_t i = 0; i < io.frames(); ++i) {
        frame_factor(io, i, factors);
        for (int c = 0; c < channels; ++c)
            io.channel(c)[i] = static_cast<float>(io.channel(c)[i] * factors[c]);
    }
}

void Compressor::gain_envelope(AudioView detector_input, float* gain_lin) noexcept {
    double factors[AudioView::k_max_channels] = {1.0, 1.0};
    for (std::size_t i = 0; i < detector_input.frames(); ++i)
        gain_lin[i] = static_cast<float>(frame_factor(detector_input, i, factors));
}

}  // namespace secondear::dsp
