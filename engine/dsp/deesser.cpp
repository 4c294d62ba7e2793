#include "dsp/deesser.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_shelf_q = 0.7071067811865476;  // RBJ shelf slope S = 1
// 5 ms averages about 30 cycles at 6.5 kHz (a steady band reading) while still following a
// sibilant, which lasts 50-200 ms.
constexpr double k_window_ms = 5.0;
constexpr double k_floor_power = 1e-6;  // -60 dBFS broadband: below, nothing is treated
constexpr double k_snap_db = 1e-7;  // under half a float ulp in linear gain (see compressor.cpp)

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "de-esser: " + what);
}

}  // namespace

void Deesser::validate(const DeesserParams& p, double sr) {
    const double nyq_limit = sr > 0.0 ? 0.49 * sr : 1e300;
    check(p.freq_hz > 1000.0 && p.freq_hz < nyq_limit, "freq_hz must be in (1000, 0.49 * sr)");
    check(p.split_hz > 1000.0 && p.split_hz < nyq_limit, "split_hz must be in (1000, 0.49 * sr)");
    check(p.q >= 0.3 && p.q <= 10.0, "q must be in [0.3, 10]");
    check(p.threshold_db >= -40.0 && p.threshold_db <= 0.0, "threshold_db must be in [-40, 0]");
    check(p.max_reduction_db >= 0.0 && p.max_reduction_db <= 30.0,
          "max_reduction_db must be in [0, 30]");
    check(p.attack_ms >= 0.0 && p.attack_ms <= 100.0, "attack_ms must be in [0, 100]");
    check(p.release_ms >= 0.0 && p.release_ms <= 1000.0, "release_ms must be in [0, 1000]");
}

void Deesser::set_params(const DeesserParams& params) {
    validate(params, sample_rate_hz_);
    params_ = params;
    if (sample_rate_hz_ > 0.0) configure();
}

void Deesser::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    reset();
}

void Deesser::configure() {
    const double sr = sample_rate_hz_;
    window_coeff_ = one_pole_coeff(k_window_ms, sr);
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        band_[c].set_coeffs(design_band_pass(params_.freq_hz, params_.q, sr));
    }
    const double w0 = 2.0 * std::numbers::pi * params_.split_hz / sr;
    shelf_cos_w0_ = std::cos(w0);
    shelf_alpha_ = std::sin(w0) / (2.0 * k_shelf_q);
    threshold_ratio_ = std::pow(10.0, params_.threshold_db / 10.0);
    // Reduction growing means the gain falls: attack is the falling time constant.
    smoother_.prepare(params_.attack_ms, params_.release_ms, sr);
}

void Deesser::reset() noexcept {
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        band_[c].reset();
        shelf_[c].reset();
        shelf_[c].set_coeffs(BiquadCoeffs{});
    }
    shelf_idle_ = true;
    smoother_.reset(0.0);
    band_ms_ = 0.0;
    broad_ms_ = 0.0;
    max_red_db_ = 0.0;
    sum_red_db_ = 0.0;
    active_frames_ = 0;
}

// RBJ high shelf (the same formulas as design_high_shelf) with A = 10^(g_db / 40), from the
// precomputed cos(w0) and alpha, so that a per-frame update needs no trigonometry.
BiquadCoeffs Deesser::shelf_coeffs(double g_db) const noexcept {
    constexpr double k_ln10_over_80 = 0.028782313662425573;  // ln(10) / 80
    const double sqrt_a = g_db == 0.0 ? 1.0 : std::exp(g_db * k_ln10_over_80);
    const double a = sqrt_a * sqrt_a;
    const double cw = shelf_cos_w0_;
    const double t = 2.0 * sqrt_a * shelf_alpha_;
    const double inv_a0 = 1.0 / ((a + 1.0) - (a - 1.0) * cw + t);
    return {a * ((a + 1.0) + (a - 1.0) * cw + t) * inv_a0,
            -2.0 * a * ((a - 1.0) + (a + 1.0) * cw) * inv_a0,
            a * ((a + 1.0) + (a - 1.0) * cw - t) * inv_a0,
            2.0 * ((a - 1.0) - (a + 1.0) * cw) * inv_a0, ((a + 1.0) - (a - 1.0) * cw - t) * inv_a0};
}

void Deesser::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const std::size_t frames = io.frames();
    for (std::size_t i = 0; i < frames; ++i) {
        double band_sq = 0.0;
        double broad_sq = 0.0;
        for (int c = 0; c < channels; ++c) {
            const double x = io.channel(c)[i];
            const double b = band_[c].process_sample(x);
            band_sq += b * b;
            broad_sq += x * x;
        }
        band_ms_ = band_sq + window_coeff_ * (band_ms_ - band_sq);
        broad_ms_ = broad_sq + window_coeff_ * (broad_ms_ - broad_sq);

        const bool active = broad_ms_ > k_floor_power * channels;
        double target = 0.0;
        // The logarithm only when the band is over the threshold (the same test in linear
        // power): most frames are not.
        if (active && band_ms_ > threshold_ratio_ * broad_ms_) {
            const double over = power_to_db_fast(band_ms_ / broad_ms_) - params_.threshold_db;
            if (over > 0.0) target = -std::min(over, params_.max_reduction_db);
        }
        double g_db = smoother_.process(target);
        if (target == 0.0) {
            smoother_.snap(0.0, k_snap_db);
            g_db = smoother_.gain_db();
        }
        if (g_db != 0.0) shelf_idle_ = false;
        if (!shelf_idle_) {
            // At 0 dB the coefficients are exactly the identity (b == a, b0 == 1); the state then
            // rings down through the poles and the shelf goes idle once it is exactly zero.
            const BiquadCoeffs k = shelf_coeffs(g_db);
            bool settled = g_db == 0.0;
            for (int c = 0; c < channels; ++c) {
                shelf_[c].set_coeffs(k);
                const double y = shelf_[c].process_sample(io.channel(c)[i]);
                const auto out = static_cast<float>(y);
                settled = settled && out == io.channel(c)[i];
                io.channel(c)[i] = out;
            }
            if (settled) {
                for (auto& s : shelf_) s.reset();
                shelf_idle_ = true;
            }
        }

        max_red_db_ = std::max(max_red_db_, -g_db);
        if (active) {
            sum_red_db_ += -g_db;
            ++active_frames_;
        }
    }
}

}  // namespace secondear::dsp
