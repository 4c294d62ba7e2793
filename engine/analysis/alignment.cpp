#include "analysis/alignment.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "analysis/fft.hpp"
#include "core/errors.hpp"

namespace secondear::analysis {
namespace {

constexpr double k_region_max_s = 20.0;
constexpr double k_band_lo_hz = 30.0, k_band_hi_hz = 16000.0;
constexpr double k_phat_exponent = 0.75;
constexpr double k_peak_exclusion_ms = 1.0;  // around the peak, left out of the noise estimate

std::vector<float> mono_sum(const AudioBuffer& a, std::size_t frames) {
    std::vector<float> m(frames);
    const auto l = a.channel(0);
    if (a.channels() == 2) {
        const auto r = a.channel(1);
        for (std::size_t i = 0; i < frames; ++i) m[i] = 0.5f * (l[i] + r[i]);
    } else {
        std::copy(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(frames), m.begin());
    }
    return m;
}

/// Start of the window of `length` frames with the most energy in both tracks (each track's
/// energy normalised by its total, so a loud track does not choose alone), on a 100 ms grid.
std::size_t loudest_region(const std::vector<float>& a, const std::vector<float>& b,
                           std::size_t length, std::size_t step) {
    const std::size_t blocks = a.size() / step;
    std::vector<double> ea(blocks, 0.0), eb(blocks, 0.0);
    double ta = 0.0, tb = 0.0;
    for (std::size_t k = 0; k < blocks; ++k) {
        for (std::size_t i = k * step; i < (k + 1) * step; ++i) {
            ea[k] += static_cast<double>(a[i]) * a[i];
            eb[k] += static_cast<double>(b[i]) * b[i];
        }
        ta += ea[k];
        tb += eb[k];
    }
    const std::size_t span = length / step;
    if (span >= blocks || ta <= 0.0 || tb <= 0.0) return 0;
    std::vector<double> score(blocks);
    for (std::size_t k = 0; k < blocks; ++k) score[k] = ea[k] / ta + eb[k] / tb;
    double sum = 0.0;
    for (std::size_t k = 0; k < span; ++k) sum += score[k];
    double best = sum;
    std::size_t best_k = 0;
    for (std::size_t k = span; k < blocks; ++k) {
        sum += score[k] - score[k - span];
        if (sum > best) {
            best = sum;
            best_k = k + 1 - span;
        }
    }
    return best_k * step;
}

}  // namespace

PairAlignment align_pair(const AudioBuffer& reference, const AudioBuffer& other,
                         double max_offset_ms) {
    if (reference.sample_rate_hz() != other.sample_rate_hz())
        throw Error(ErrorKind::input_invalid,
                    "alignment needs two tracks at the same sample rate (" +
                        std::to_string(reference.sample_rate_hz()) + " and " +
                        std::to_string(other.sample_rate_hz()) + " Hz)");
    if (reference.channels() > 2 || other.channels() > 2 || reference.channels() < 1 ||
        other.channels() < 1)
        throw Error(ErrorKind::input_invalid, "alignment takes mono or stereo tracks");
    PairAlignment out;
    const double sr = reference.sample_rate_hz();
    const std::size_t frames = std::min(reference.frames(), other.frames());
    if (frames == 0) return out;
    const auto max_lag = static_cast<std::size_t>(std::llround(max_offset_ms * 1e-3 * sr));
    const auto a_all = mono_sum(reference, frames), b_all = mono_sum(other, frames);
    const std::size_t length =
        std::min(frames, static_cast<std::size_t>(std::llround(k_region_max_s * sr)));
    const std::size_t start = loudest_region(
        a_all, b_all, length, std::max<std::size_t>(1, static_cast<std::size_t>(sr / 10)));
    out.region_start_s = static_cast<double>(start) / sr;
    out.region_s = static_cast<double>(length) / sr;

    std::size_t n = 1024;
    while (n < length + max_lag) n *= 2;
    RealFft fft(static_cast<int>(n));
    std::vector<float> buf(n, 0.0f);
    const auto bins = static_cast<std::size_t>(fft.bins());
    std::vector<std::complex<float>> x(bins), y(bins);
    std::copy(a_all.begin() + static_cast<std::ptrdiff_t>(start),
              a_all.begin() + static_cast<std::ptrdiff_t>(start + length), buf.begin());
    fft.forward(buf, x);
    std::fill(buf.begin(), buf.end(), 0.0f);
    std::copy(b_all.begin() + static_cast<std::ptrdiff_t>(start),
              b_all.begin() + static_cast<std::ptrdiff_t>(start + length), buf.begin());
    fft.forward(buf, y);

    const double bin_hz = sr / static_cast<double>(n);
    const auto k_lo =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(k_band_lo_hz / bin_hz)));
    const auto k_hi =
        std::min(bins - 1, static_cast<std::size_t>(std::min(k_band_hi_hz, 0.45 * sr) / bin_hz));
    // cross[k] = conj(X) Y: its inverse transform at lag d is sum_t a(t) b(t + d) (times n).
    std::vector<std::complex<double>> cross(bins, 0.0);
    double ex = 0.0, ey = 0.0;
    for (std::size_t k = k_lo; k <= k_hi; ++k) {
        const std::complex<double> xk(x[k]), yk(y[k]);
        cross[k] = std::conj(xk) * yk;
        ex += std::norm(xk);
        ey += std::norm(yk);
    }
    if (ex <= 0.0 || ey <= 0.0) return out;

    std::vector<std::complex<float>> weighted(bins, 0.0f);
    double largest = 0.0;
    for (std::size_t k = k_lo; k <= k_hi; ++k) largest = std::max(largest, std::abs(cross[k]));
    for (std::size_t k = k_lo; k <= k_hi; ++k) {
        // A floor 120 dB under the largest bin keeps empty bins from dividing by zero.
        const double w = std::pow(std::max(std::abs(cross[k]), largest * 1e-12), -k_phat_exponent);
        weighted[k] = std::complex<float>(cross[k] * w);
    }
    std::vector<float> gcc(n);
    fft.inverse(weighted, gcc);
    auto at_lag = [&](long d) {
        return gcc[d >= 0 ? static_cast<std::size_t>(d) : n - static_cast<std::size_t>(-d)];
    };
    const auto lag = static_cast<long>(max_lag);
    long best = 0;
    for (long d = -lag; d <= lag; ++d)
        if (std::fabs(at_lag(d)) > std::fabs(at_lag(best))) best = d;
    const auto exclusion = static_cast<long>(std::llround(k_peak_exclusion_ms * 1e-3 * sr));
    double noise = 0.0;
    std::size_t count = 0;
    for (long d = -lag; d <= lag; ++d) {
        if (std::labs(d - best) <= exclusion) continue;
        noise += static_cast<double>(at_lag(d)) * at_lag(d);
        ++count;
    }
    const double peak = std::fabs(at_lag(best));
    out.peak_to_noise =
        count > 0 && noise > 0 ? peak / std::sqrt(noise / static_cast<double>(count)) : 0.0;

    // Plain normalised correlation at the chosen lag, overall and per octave band:
    // sum_k Re(conj(X) Y e^{2 pi i k d / n}) over the band, normalised by the band energies.
    auto correlation = [&](double lo_hz, double hi_hz) {
        const auto b0 = std::max(k_lo, static_cast<std::size_t>(std::ceil(lo_hz / bin_hz)));
        const auto b1 = std::min(k_hi, static_cast<std::size_t>(std::floor(hi_hz / bin_hz)));
        double num = 0.0, sx = 0.0, sy = 0.0;
        for (std::size_t k = b0; k <= b1; ++k) {
            const double phase = 2.0 * std::numbers::pi * static_cast<double>(k) *
                                 static_cast<double>(best) / static_cast<double>(n);
            num += (cross[k] * std::complex<double>(std::cos(phase), std::sin(phase))).real();
            sx += std::norm(std::complex<double>(x[k]));
            sy += std::norm(std::complex<double>(y[k]));
        }
        return sx > 0 && sy > 0 ? num / std::sqrt(sx * sy) : 0.0;
    };
    out.offset_frames = static_cast<int>(best);
    out.offset_ms = static_cast<double>(best) * 1e3 / sr;
    out.correlation_at_best = correlation(k_band_lo_hz, k_band_hi_hz);
    out.polarity_inverted = out.correlation_at_best < 0.0;
    const double sharp = std::clamp((out.peak_to_noise - 2.0) / 4.0, 0.0, 1.0);
    const double strong = std::clamp(std::fabs(out.correlation_at_best) / 0.3, 0.0, 1.0);
    out.confidence = sharp * strong;
    for (double fc : {31.5, 63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0}) {
        if (fc * std::sqrt(2.0) > sr / 2) break;
        const double c = correlation(fc / std::sqrt(2.0), fc * std::sqrt(2.0));
        out.band_correlation.push_back({fc, c});
        if (c * out.correlation_at_best > 0 &&
            std::fabs(c) >= 0.5 * std::fabs(out.correlation_at_best)) {
            if (out.coherence_band_low_hz == 0.0) out.coherence_band_low_hz = fc;
            out.coherence_band_high_hz = fc;
        }
    }
    return out;
}

bool shares_source(const PairAlignment& alignment, double min_abs_correlation,
                   double min_confidence) {
    return std::fabs(alignment.correlation_at_best) >= min_abs_correlation &&
           alignment.confidence >= min_confidence;
}

}  // namespace secondear::analysis
