#include "analysis/loudness_k_weighting.hpp"

#include <cmath>
#include <complex>
#include <numbers>

namespace secondear::analysis {
namespace {
constexpr double k_table_rate_hz = 48000.0;
}  // namespace

KBiquad bs1770_shelf_48k() noexcept {
    return {1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241,
            0.73248077421585};
}

KBiquad bs1770_high_pass_48k() noexcept {
    return {1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621};
}

// With s = (1/K)(1 - z^-1)/(1 + z^-1), multiplying through by K^2 (1 + z^-1)^2 gives
//   denominator (1 + K/Q + K^2), 2 (K^2 - 1), (1 - K/Q + K^2)
//   numerator   (Vh + Vb K/Q + Vl K^2), 2 (Vl K^2 - Vh), (Vh - Vb K/Q + Vl K^2)
// before normalising by a0 = 1 + K/Q + K^2. Evaluating at z = 1 (DC), z = -1 (Nyquist) and
// taking b0 - b2 against 1 - a2 separates the unknowns:
//   K^2 = (1 + a1 + a2) / (1 - a1 + a2),   K/Q = 2 (1 - a2) / (1 - a1 + a2),
//   Vl = (b0 + b1 + b2) / (1 + a1 + a2),   Vh = (b0 - b1 + b2) / (1 - a1 + a2),
//   Vb = (b0 - b2) / (1 - a2).
KPrototype prototype_from_biquad(const KBiquad& d, double sample_rate_hz) noexcept {
    const double at_dc = 1.0 + d.a1 + d.a2;
    const double at_nyquist = 1.0 - d.a1 + d.a2;
    const double k = std::sqrt(at_dc / at_nyquist);
    const double k_over_q = 2.0 * (1.0 - d.a2) / at_nyquist;
    KPrototype p;
    p.corner_hz = sample_rate_hz / std::numbers::pi * std::atan(k);
    p.q = k / k_over_q;
    p.gain_low_lin = (d.b0 + d.b1 + d.b2) / at_dc;
    p.gain_high_lin = (d.b0 - d.b1 + d.b2) / at_nyquist;
    p.gain_band_lin = (d.b0 - d.b2) / (1.0 - d.a2);
    return p;
}

KBiquad biquad_from_prototype(const KPrototype& p, double sample_rate_hz) noexcept {
    const double k = std::tan(std::numbers::pi * p.corner_hz / sample_rate_hz);
    const double k2 = k * k;
    const double kq = k / p.q;
    const double a0 = 1.0 + kq + k2;
    KBiquad d;
    d.b0 = (p.gain_high_lin + p.gain_band_lin * kq + p.gain_low_lin * k2) / a0;
    d.b1 = 2.0 * (p.gain_low_lin * k2 - p.gain_high_lin) / a0;
    d.b2 = (p.gain_high_lin - p.gain_band_lin * kq + p.gain_low_lin * k2) / a0;
    d.a1 = 2.0 * (k2 - 1.0) / a0;
    d.a2 = (1.0 - kq + k2) / a0;
    return d;
}

KWeighting design_k_weighting(double sample_rate_hz) noexcept {
    const KPrototype shelf = prototype_from_biquad(bs1770_shelf_48k(), k_table_rate_hz);
    const KPrototype high_pass = prototype_from_biquad(bs1770_high_pass_48k(), k_table_rate_hz);
    return {biquad_from_prototype(shelf, sample_rate_hz),
            biquad_from_prototype(high_pass, sample_rate_hz)};
}

double k_biquad_magnitude_db(const KBiquad& s, double freq_hz, double sample_rate_hz) noexcept {
    const std::complex<double> z1 =
        std::polar(1.0, -2.0 * std::numbers::pi * freq_hz / sample_rate_hz);
    const std::complex<double> num = s.b0 + z1 * (s.b1 + z1 * s.b2);
    const std::complex<double> den = 1.0 + z1 * (s.a1 + z1 * s.a2);
    return 20.0 * std::log10(std::abs(num / den));
}

}  // namespace secondear::analysis
