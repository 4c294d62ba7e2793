#include "support/signals.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "core/units.hpp"

namespace secondear::test::signals {

AudioBuffer sine(double freq_hz, double sample_rate_hz, double seconds, double level_dbfs,
                 int channels, double phase_deg) {
    const auto frames = static_cast<std::size_t>(std::llround(seconds * sample_rate_hz));
    AudioBuffer out(channels, frames, sample_rate_hz);
    const double amp = db_to_gain(level_dbfs);
    const double phase = phase_deg * std::numbers::pi / 180.0;
    for (int c = 0; c < channels; ++c) {
        auto ch = out.channel(c);
        for (std::size_t i = 0; i < frames; ++i)
            ch[i] = static_cast<float>(
                amp * std::sin(2.0 * std::numbers::pi * freq_hz * static_cast<double>(i) /
                                   sample_rate_hz +
                               phase));
    }
    return out;
}

AudioBuffer silence(double sample_rate_hz, double seconds, int channels) {
    return AudioBuffer(channels, static_cast<std::size_t>(std::llround(seconds * sample_rate_hz)),
                       sample_rate_hz);
}

AudioBuffer white_noise(std::uint64_t seed, double sample_rate_hz, double seconds,
                        double level_dbfs, int channels) {
    AudioBuffer out = silence(sample_rate_hz, seconds, channels);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    const double amp = db_to_gain(level_dbfs);
    for (int c = 0; c < channels; ++c)
        for (float& s : out.channel(c)) s = static_cast<float>(amp * dist(rng));
    return out;
}

AudioBuffer pink_noise(std::uint64_t seed, double sample_rate_hz, double seconds, double rms_dbfs,
                       int channels) {
    AudioBuffer out = silence(sample_rate_hz, seconds, channels);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> dist(0.0, 1.0);
    for (int c = 0; c < channels; ++c) {
        // Paul Kellet's economy pink filter on white noise (±0.5 dB from 9 Hz to Nyquist at 44.1k).
        double b0 = 0, b1 = 0, b2 = 0;
        double sum_sq = 0.0;
        auto ch = out.channel(c);
        for (float& s : ch) {
            const double w = dist(rng);
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            const double p = b0 + b1 + b2 + w * 0.1848;
            s = static_cast<float>(p);
            sum_sq += p * p;
        }
        const double rms = std::sqrt(sum_sq / static_cast<double>(ch.size()));
        const double scale = db_to_gain(rms_dbfs) / rms;
        for (float& s : ch) s = static_cast<float>(s * scale);
    }
    return out;
}

AudioBuffer concat(const AudioBuffer& a, const AudioBuffer& b) {
    AudioBuffer out(a.channels(), a.frames() + b.frames(), a.sample_rate_hz());
    for (int c = 0; c < a.channels(); ++c) {
        std::copy(a.channel(c).begin(), a.channel(c).end(), out.channel(c).begin());
        std::copy(b.channel(c).begin(), b.channel(c).end(),
                  out.channel(c).begin() + static_cast<std::ptrdiff_t>(a.frames()));
    }
    return out;
}

AudioBuffer tone_sequence(double sample_rate_hz, std::initializer_list<Segment> segments,
                          double freq_hz, int channels) {
    AudioBuffer out(channels, 0, sample_rate_hz);
    for (const Segment& seg : segments) {
        AudioBuffer part = seg.level_dbfs <= -200.0
                               ? silence(sample_rate_hz, seg.seconds, channels)
                               : sine(freq_hz, sample_rate_hz, seg.seconds, seg.level_dbfs, channels);
        out = concat(out, part);
    }
    return out;
}

}  // namespace secondear::test::signals
