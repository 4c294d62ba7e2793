#include "dsp/biquad.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

namespace secondear::dsp {
namespace {

struct Angular {
    double cos_w0;
    double sin_w0;
};

Angular angular(double freq_hz, double sample_rate_hz) {
    const double w0 = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
    return {std::cos(w0), std::sin(w0)};
}

BiquadCoeffs normalise(double b0, double b1, double b2, double a0, double a1, double a2) {
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

}  // namespace

BiquadCoeffs design_peak(double freq_hz, double gain_db, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double a = std::pow(10.0, gain_db / 40.0);
    const double alpha = sw / (2.0 * q);
    return normalise(1.0 + alpha * a, -2.0 * cw, 1.0 - alpha * a, 1.0 + alpha / a, -2.0 * cw,
                     1.0 - alpha / a);
}

BiquadCoeffs design_low_shelf(double freq_hz, double gain_db, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double a = std::pow(10.0, gain_db / 40.0);
    const double two_sqrt_a_alpha = 2.0 * std::sqrt(a) * sw / (2.0 * q);
    return normalise(
        a * ((a + 1.0) - (a - 1.0) * cw + two_sqrt_a_alpha), 2.0 * a * ((a - 1.0) - (a + 1.0) * cw),
        a * ((a + 1.0) - (a - 1.0) * cw - two_sqrt_a_alpha),
        (a + 1.0) + (a - 1.0) * cw + two_sqrt_a_alpha, -2.0 * ((a - 1.0) + (a + 1.0) * cw),
        (a + 1.0) + (a - 1.0) * cw - two_sqrt_a_alpha);
}

BiquadCoeffs design_high_shelf(double freq_hz, double gain_db, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double a = std::pow(10.0, gain_db / 40.0);
    const double two_sqrt_a_alpha = 2.0 * std::sqrt(a) * sw / (2.0 * q);
    return normalise(a * ((a + 1.0) + (a - 1.0) * cw + two_sqrt_a_alpha),
                     -2.0 * a * ((a - 1.0) + (a + 1.0) * cw),
                     a * ((a + 1.0) + (a - 1.0) * cw - two_sqrt_a_alpha),
                     (a + 1.0) - (a - 1.0) * cw + two_sqrt_a_alpha,
                     2.0 * ((a - 1.0) - (a + 1.0) * cw),
                     (a + 1.0) - (a - 1.0) * cw - two_sqrt_a_alpha);
}

BiquadCoeffs design_high_pass(double freq_hz, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double alpha = sw / (2.0 * q);
    return normalise((1.0 + cw) / 2.0, -(1.0 + cw), (1.0 + cw) / 2.0, 1.0 + alpha, -2.0 * cw,
                     1.0 - alpha);
}

BiquadCoeffs design_low_pass(double freq_hz, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double alpha = sw / (2.0 * q);
    return normalise((1.0 - cw) / 2.0, 1.0 - cw, (1.0 - cw) / 2.0, 1.0 + alpha, -2.0 * cw,
                     1.0 - alpha);
}

BiquadCoeffs design_band_pass(double freq_hz, double q, double sample_rate_hz) {
    const auto [cw, sw] = angular(freq_hz, sample_rate_hz);
    const double alpha = sw / (2.0 * q);
    return normalise(alpha, 0.0, -alpha, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
}

// Bilinear transform of 1/(1 + s) (low) and s/(1 + s) (high) with K = tan(w0 / 2) as prewarp.
BiquadCoeffs design_first_order_high_pass(double freq_hz, double sample_rate_hz) {
    const double k = std::tan(std::numbers::pi * freq_hz / sample_rate_hz);
    return {1.0 / (1.0 + k), -1.0 / (1.0 + k), 0.0, (k - 1.0) / (k + 1.0), 0.0};
}

BiquadCoeffs design_first_order_low_pass(double freq_hz, double sample_rate_hz) {
    const double k = std::tan(std::numbers::pi * freq_hz / sample_rate_hz);
    return {k / (1.0 + k), k / (1.0 + k), 0.0, (k - 1.0) / (k + 1.0), 0.0};
}

namespace {

template <class SecondOrder, class FirstOrder>
std::vector<BiquadCoeffs> butterworth(double freq_hz, int order, double sample_rate_hz,
                                      SecondOrder second, FirstOrder first) {
    std::vector<BiquadCoeffs> out;
    const int pairs = order / 2;
    for (int k = 1; k <= pairs; ++k) {
        // Pole pair k of the analog Butterworth prototype sits at angle (order + 1 - 2k) pi /
        // (2 order) from the negative real axis; its section Q is 1 / (2 cos(angle)).
        const double angle = (order + 1.0 - 2.0 * k) * std::numbers::pi / (2.0 * order);
        out.push_back(second(freq_hz, 1.0 / (2.0 * std::cos(angle)), sample_rate_hz));
    }
    if (order % 2 == 1) out.push_back(first(freq_hz, sample_rate_hz));
    return out;
}

}  // namespace

std::vector<BiquadCoeffs> butterworth_high_pass_sections(double freq_hz, int order,
                                                         double sample_rate_hz) {
    return butterworth(freq_hz, order, sample_rate_hz, design_high_pass,
                       design_first_order_high_pass);
}

std::vector<BiquadCoeffs> butterworth_low_pass_sections(double freq_hz, int order,
                                                        double sample_rate_hz) {
    return butterworth(freq_hz, order, sample_rate_hz, design_low_pass,
                       design_first_order_low_pass);
}

double magnitude_db(const BiquadCoeffs& c, double freq_hz, double sample_rate_hz) {
    const double w = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
    const std::complex<double> z1 = std::polar(1.0, -w);
    const std::complex<double> z2 = z1 * z1;
    const std::complex<double> num = c.b0 + c.b1 * z1 + c.b2 * z2;
    const std::complex<double> den = 1.0 + c.a1 * z1 + c.a2 * z2;
    return 20.0 * std::log10(std::abs(num) / std::abs(den));
}

double magnitude_db(std::span<const BiquadCoeffs> sections, double freq_hz, double sample_rate_hz) {
    double sum = 0.0;
    for (const auto& c : sections) sum += magnitude_db(c, freq_hz, sample_rate_hz);
    return sum;
}

void BiquadCascade::set_sections(std::span<const BiquadCoeffs> sections) {
    const bool same_count = sections.size() == coeffs_.size();
    coeffs_.assign(sections.begin(), sections.end());
    if (!same_count) state_.assign(coeffs_.size() * AudioView::k_max_channels, Biquad{});
    for (std::size_t c = 0; c < AudioView::k_max_channels; ++c)
        for (std::size_t k = 0; k < coeffs_.size(); ++k)
            state_[c * coeffs_.size() + k].set_coeffs(coeffs_[k]);
}

void BiquadCascade::reset() noexcept {
    for (auto& s : state_) s.reset();
}

namespace {

/// Both channels through N sections (N <= 4) of a cascade, over samples held in double, the
/// sections copied into locals: with N known the compiler keeps every coefficient and state in
/// registers, so the recursions do not wait on stores and loads of the state, and the two
/// channels' recursions overlap in the CPU's pipeline.
template <std::size_t N>
void sections_stereo(Biquad* left, Biquad* right, double* l, double* r,
                     std::size_t frames) noexcept {
    std::array<Biquad, N> l_sections;
    std::array<Biquad, N> r_sections;
    std::copy_n(left, N, l_sections.begin());
    std::copy_n(right, N, r_sections.begin());
    for (std::size_t i = 0; i < frames; ++i)
        for (std::size_t k = 0; k < N; ++k) {
            l[i] = l_sections[k].process_sample(l[i]);
            r[i] = r_sections[k].process_sample(r[i]);
        }
    std::copy_n(l_sections.begin(), N, left);
    std::copy_n(r_sections.begin(), N, right);
}

}  // namespace

void BiquadCascade::process(AudioView io) noexcept {
    if (coeffs_.empty()) return;
    const std::size_t frames = io.frames();
    if (io.channels() == 2) {
        // Chunk by chunk, the sections four at a time over the chunk; samples stay in double
        // between sections, so every sample gets the operations of a sample-by-sample loop.
        constexpr std::size_t k_chunk = 256;
        const std::size_t n = coeffs_.size();
        Biquad* left = state_.data();
        Biquad* right = state_.data() + n;
        std::array<double, k_chunk> l;
        std::array<double, k_chunk> r;
        for (std::size_t start = 0; start < frames; start += k_chunk) {
            const std::size_t m = std::min(k_chunk, frames - start);
            float* xl = io.channel(0) + start;
            float* xr = io.channel(1) + start;
            std::copy_n(xl, m, l.begin());
            std::copy_n(xr, m, r.begin());
            for (std::size_t k = 0; k < n; k += 4) {
                switch (std::min<std::size_t>(4, n - k)) {
                    case 1:
                        sections_stereo<1>(left + k, right + k, l.data(), r.data(), m);
                        break;
                    case 2:
                        sections_stereo<2>(left + k, right + k, l.data(), r.data(), m);
                        break;
                    case 3:
                        sections_stereo<3>(left + k, right + k, l.data(), r.data(), m);
                        break;
                    default:
                        sections_stereo<4>(left + k, right + k, l.data(), r.data(), m);
                }
            }
            for (std::size_t i = 0; i < m; ++i) {
                xl[i] = static_cast<float>(l[i]);
                xr[i] = static_cast<float>(r[i]);
            }
        }
        return;
    }
    for (int c = 0; c < io.channels(); ++c) {
        float* x = io.channel(c);
        for (std::size_t i = 0; i < frames; ++i)
            x[i] = static_cast<float>(process_sample(c, static_cast<double>(x[i])));
    }
}

}  // namespace secondear::dsp
