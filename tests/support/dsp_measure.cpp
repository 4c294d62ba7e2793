#include "support/dsp_measure.hpp"

#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

#include "core/units.hpp"

namespace secondear::test::dsp_measure {
namespace {

std::complex<double> dft_bin(std::span<const float> x, double freq_hz, double sample_rate_hz) {
    const double w = 2.0 * std::numbers::pi * freq_hz / sample_rate_hz;
    std::complex<double> sum = 0.0;
    for (std::size_t n = 0; n < x.size(); ++n)
        sum += static_cast<double>(x[n]) * std::polar(1.0, -w * static_cast<double>(n));
    return sum;
}

std::span<const float> range(const AudioBuffer& a, std::size_t start, std::size_t end,
                             int channel) {
    return a.channel(channel).subspan(start, end - start);
}

}  // namespace

double tone_db(std::span<const float> x, double freq_hz, double sample_rate_hz) {
    const double amplitude =
        2.0 * std::abs(dft_bin(x, freq_hz, sample_rate_hz)) / static_cast<double>(x.size());
    return gain_to_db(amplitude);
}

double gain_at_db(const AudioBuffer& x, const AudioBuffer& y, double freq_hz, std::size_t start,
                  std::size_t end, int channel) {
    const double sr = x.sample_rate_hz();
    return tone_db(range(y, start, end, channel), freq_hz, sr) -
           tone_db(range(x, start, end, channel), freq_hz, sr);
}

double rms_db(std::span<const float> x) {
    double sum = 0.0;
    for (float s : x) sum += static_cast<double>(s) * s;
    return power_to_db(sum / static_cast<double>(x.size()));
}

double rms_db(const AudioBuffer& a, std::size_t start, std::size_t end, int channel) {
    return rms_db(range(a, start, end, channel));
}

double max_abs_diff(const AudioBuffer& a, const AudioBuffer& b) {
    double worst = 0.0;
    for (int c = 0; c < a.channels(); ++c)
        for (std::size_t i = 0; i < a.frames(); ++i)
            worst = std::max(worst, std::abs(static_cast<double>(a.channel(c)[i]) -
                                             static_cast<double>(b.channel(c)[i])));
    return worst;
}

bool all_finite(const AudioBuffer& a) {
    for (int c = 0; c < a.channels(); ++c)
        for (float s : a.channel(c))
            if (!std::isfinite(s)) return false;
    return true;
}

double dft_magnitude_db(std::span<const float> x, double freq_hz, double sample_rate_hz) {
    return gain_to_db(std::abs(dft_bin(x, freq_hz, sample_rate_hz)));
}

AudioBuffer impulse(double sample_rate_hz, std::size_t frames, int channels) {
    AudioBuffer out(channels, frames, sample_rate_hz);
    for (int c = 0; c < channels; ++c) out.channel(c)[0] = 1.0f;
    return out;
}

AudioBuffer dc(double sample_rate_hz, std::size_t frames, double value, int channels) {
    AudioBuffer out(channels, frames, sample_rate_hz);
    for (int c = 0; c < channels; ++c)
        std::fill(out.channel(c).begin(), out.channel(c).end(), static_cast<float>(value));
    return out;
}

AudioBuffer square(double freq_hz, double sample_rate_hz, std::size_t frames, double level_dbfs,
                   int channels) {
    AudioBuffer out(channels, frames, sample_rate_hz);
    const auto amp = static_cast<float>(db_to_gain(level_dbfs));
    for (int c = 0; c < channels; ++c)
        for (std::size_t i = 0; i < frames; ++i) {
            const double phase = std::fmod(static_cast<double>(i) * freq_hz / sample_rate_hz, 1.0);
            out.channel(c)[i] = phase < 0.5 ? amp : -amp;
        }
    return out;
}

}  // namespace secondear::test::dsp_measure
