#pragma once
// Private helpers of the track analysis (not for other layers): a small biquad and robust
// statistics. The analysis layer does not depend on dsp/, so the few filters it needs live here.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <vector>

namespace secondear::analysis::track_detail {

/// Transposed direct form II biquad, a0 normalised to 1. Coefficients from the RBJ Audio EQ
/// Cookbook (Bristow-Johnson).
struct Biquad {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
    double z1 = 0.0, z2 = 0.0;

    float process(float x) noexcept {
        const double xd = x;
        const double y = b0 * xd + z1;
        z1 = b1 * xd - a1 * y + z2;
        z2 = b2 * xd - a2 * y;
        return static_cast<float>(y);
    }
};

/// RBJ low-pass (high_pass = false) or high-pass at freq_hz with quality q.
inline Biquad rbj_pass(double freq_hz, double q, double sample_rate_hz, bool high_pass) {
    const double w0 = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
    const double cw = std::cos(w0), alpha = std::sin(w0) / (2.0 * q);
    const double a0 = 1.0 + alpha;
    Biquad f;
    if (high_pass) {
        f.b0 = (1.0 + cw) / 2.0 / a0;
        f.b1 = -(1.0 + cw) / a0;
    } else {
        f.b0 = (1.0 - cw) / 2.0 / a0;
        f.b1 = (1.0 - cw) / a0;
    }
    f.b2 = f.b0;
    f.a1 = -2.0 * cw / a0;
    f.a2 = (1.0 - alpha) / a0;
    return f;
}

/// Q of the two sections of a 4th-order Butterworth filter: 1 / (2 cos(pi (2k + 1) / 8)).
inline constexpr double k_butterworth4_q[2] = {0.54119610014619701, 1.3065629648763766};

/// Nearest-rank percentile (p in 0..1) of a copy; NaN for an empty list.
inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    const auto idx =
        static_cast<std::size_t>(std::llround(p * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(idx),
                     values.end());
    return values[idx];
}

/// Mean of powers, as a level in dB (-inf for an empty list or zero power).
inline double mean_power_db(const std::vector<double>& powers) {
    if (powers.empty()) return -std::numeric_limits<double>::infinity();
    double s = 0.0;
    for (double p : powers) s += p;
    const double m = s / static_cast<double>(powers.size());
    return m > 0.0 ? 10.0 * std::log10(m) : -std::numeric_limits<double>::infinity();
}

}  // namespace secondear::analysis::track_detail
