#include "dsp/deesser.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_sqrt_half = 0.7071067811865476;  // Butterworth Q of the split low-pass
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
        split_[c].set_coeffs(design_low_pass(params_.split_hz, k_sqrt_half, sr));
    }
    // Reduction growing means the gain falls: attack is the falling time constant.
    smoother_.prepare(params_.attack_ms, params_.release_ms, sr);
}

void Deesser::reset() noexcept {
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        band_[c].reset();
        split_[c].reset();
    }
    smoother_.reset(0.0);
    band_ms_ = 0.0;
    broad_ms_ = 0.0;
    max_red_db_ = 0.0;
    sum_red_db_ = 0.0;
    active_frames_ = 0;
}

void Deesser::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const std::size_t frames = io.frames();
    for (std::size_t i = 0; i < frames; ++i) {
        double band_sq = 0.0;
        double broad_sq = 0.0;
        double low[AudioView::k_max_channels] = {0.0, 0.0};
        for (int c = 0; c < channels; ++c) {
            const double x = io.channel(c)[i];
            const double b = band_[c].process_sample(x);
            band_sq += b * b;
            broad_sq += x * x;
            low[c] = split_[c].process_sample(x);
        }
        band_ms_ = band_sq + window_coeff_ * (band_ms_ - band_sq);
        broad_ms_ = broad_sq + window_coeff_ * (broad_ms_ - broad_sq);

        const bool active = broad_ms_ > k_floor_power * channels;
        double target = 0.0;
        if (active && band_ms_ > 0.0) {
            const double over = power_to_db_fast(band_ms_ / broad_ms_) - params_.threshold_db;
            if (over > 0.0) target = -std::min(over, params_.max_reduction_db);
        }
        double g_db = smoother_.process(target);
        if (target == 0.0) {
            smoother_.snap(0.0, k_snap_db);
            g_db = smoother_.gain_db();
        }
        if (g_db != 0.0) {
            const double g_minus_one = db_to_gain_fast(g_db) - 1.0;
            for (int c = 0; c < channels; ++c) {
                const double x = io.channel(c)[i];
                io.channel(c)[i] = static_cast<float>(x + g_minus_one * (x - low[c]));
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
