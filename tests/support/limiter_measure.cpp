#include "support/limiter_measure.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "analysis/fft.hpp"
#include "core/units.hpp"

namespace secondear::test::limiter_measure {

double sample_peak_dbfs(const AudioBuffer& audio) {
    float peak = 0.0f;
    for (int c = 0; c < audio.channels(); ++c)
        for (float s : audio.channel(c)) peak = std::max(peak, std::abs(s));
    return gain_to_db(peak);
}

double true_peak_fft_dbtp(const AudioBuffer& audio) {
    constexpr int k_factor = 16;
    constexpr std::size_t k_pad_frames = 1024;
    const std::size_t needed = audio.frames() + 2 * k_pad_frames;
    int n = 1;
    while (static_cast<std::size_t>(n) < needed) n *= 2;
    analysis::RealFft small(n);
    analysis::RealFft large(n * k_factor);
    std::vector<float> time(static_cast<std::size_t>(n));
    std::vector<std::complex<float>> spectrum(static_cast<std::size_t>(small.bins()));
    std::vector<std::complex<float>> wide(static_cast<std::size_t>(large.bins()));
    std::vector<float> fine(static_cast<std::size_t>(n * k_factor));
    double peak = 0.0;
    for (int c = 0; c < audio.channels(); ++c) {
        std::fill(time.begin(), time.end(), 0.0f);
        std::copy(audio.channel(c).begin(), audio.channel(c).end(),
                  time.begin() + static_cast<std::ptrdiff_t>(k_pad_frames));
        small.forward(time, spectrum);
        std::fill(wide.begin(), wide.end(), std::complex<float>{});
        const std::size_t nyquist = static_cast<std::size_t>(n / 2);
        std::copy(spectrum.begin(), spectrum.begin() + static_cast<std::ptrdiff_t>(nyquist),
                  wide.begin());
        // The Nyquist bin of the short transform is shared by +fs/2 and -fs/2: split it.
        wide[nyquist] = 0.5f * spectrum[nyquist];
        large.inverse(wide, fine);
        // Forward then inverse multiplies by n (FFTW is unscaled).
        for (float s : fine) peak = std::max(peak, std::abs(static_cast<double>(s)));
    }
    return gain_to_db(peak / n);
}

double true_peak_fir_dbtp(const AudioBuffer& audio) {
    constexpr int k_factor = 16;
    constexpr int k_taps = 64;
    constexpr double k_beta = 9.0;
    const auto i0 = [](double x) { return std::cyl_bessel_i(0.0, x); };
    std::vector<double> coeffs(static_cast<std::size_t>(k_factor * k_taps));
    for (int k = 1; k < k_factor; ++k) {
        const double frac = static_cast<double>(k) / k_factor;
        double sum = 0.0;
        for (int i = 0; i < k_taps; ++i) {
            const double d = static_cast<double>(i - k_taps / 2 + 1) - frac;
            const double u = d / (k_taps / 2);
            const double w = i0(k_beta * std::sqrt(std::max(0.0, 1.0 - u * u))) / i0(k_beta);
            const double s = std::sin(std::numbers::pi * d) / (std::numbers::pi * d);
            coeffs[static_cast<std::size_t>(k * k_taps + i)] = s * w;
            sum += s * w;
        }
        for (int i = 0; i < k_taps; ++i) coeffs[static_cast<std::size_t>(k * k_taps + i)] /= sum;
    }
    double peak = 0.0;
    const auto n = static_cast<std::ptrdiff_t>(audio.frames());
    for (int c = 0; c < audio.channels(); ++c) {
        const auto x = audio.channel(c);
        for (std::ptrdiff_t m = 0; m < n; ++m) {
            peak = std::max(peak, std::abs(static_cast<double>(x[static_cast<std::size_t>(m)])));
            for (int k = 1; k < k_factor; ++k) {
                double acc = 0.0;
                for (int i = 0; i < k_taps; ++i) {
                    const std::ptrdiff_t j = m + i - k_taps / 2 + 1;
                    if (j >= 0 && j < n)
                        acc += coeffs[static_cast<std::size_t>(k * k_taps + i)] *
                               x[static_cast<std::size_t>(j)];
                }
                peak = std::max(peak, std::abs(acc));
            }
        }
    }
    return gain_to_db(peak);
}

void fade_edges(AudioBuffer& audio, double fade_s) {
    const auto n = std::min(static_cast<std::size_t>(std::lround(fade_s * audio.sample_rate_hz())),
                            audio.frames() / 2);
    for (std::size_t i = 0; i < n; ++i) {
        const double w = 0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(i) /
                                              static_cast<double>(n));
        for (int c = 0; c < audio.channels(); ++c) {
            audio.channel(c)[i] = static_cast<float>(audio.channel(c)[i] * w);
            audio.channel(c)[audio.frames() - 1 - i] =
                static_cast<float>(audio.channel(c)[audio.frames() - 1 - i] * w);
        }
    }
}

AudioBuffer drop_front(const AudioBuffer& audio, std::size_t frames) {
    const std::size_t keep = audio.frames() > frames ? audio.frames() - frames : 0;
    AudioBuffer out(audio.channels(), keep, audio.sample_rate_hz());
    for (int c = 0; c < audio.channels(); ++c)
        std::copy(audio.channel(c).begin() + static_cast<std::ptrdiff_t>(frames),
                  audio.channel(c).end(), out.channel(c).begin());
    return out;
}

}  // namespace secondear::test::limiter_measure
