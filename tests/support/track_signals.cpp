#include "support/track_signals.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "core/units.hpp"

namespace secondear::test::track {
namespace {

constexpr double k_two_pi = 2.0 * std::numbers::pi;

/// RBJ Audio EQ Cookbook biquad, direct form I in double.
struct Section {
    double b0, b1, b2, a1, a2;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    double process(double x) {
        const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        return y;
    }
};

Section normalised(double b0, double b1, double b2, double a0, double a1, double a2) {
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

Section band_pass(double f, double q, double sr) {
    const double w = k_two_pi * f / sr, alpha = std::sin(w) / (2 * q), c = std::cos(w);
    return normalised(alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
}

Section high_pass(double f, double q, double sr) {
    const double w = k_two_pi * f / sr, alpha = std::sin(w) / (2 * q), c = std::cos(w);
    return normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Section peak(double f, double gain_db, double q, double sr) {
    const double a = std::pow(10.0, gain_db / 40.0);
    const double w = k_two_pi * f / sr, alpha = std::sin(w) / (2 * q), c = std::cos(w);
    return normalised(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
}

AudioBuffer mono(double sr, double seconds) {
    return AudioBuffer(1, static_cast<std::size_t>(std::llround(seconds * sr)), sr);
}

void normalise_peak(AudioBuffer& b, double level_dbfs) {
    float pk = 0.0f;
    for (int c = 0; c < b.channels(); ++c)
        for (float s : b.channel(c)) pk = std::max(pk, std::fabs(s));
    if (pk <= 0.0f) return;
    const auto g = static_cast<float>(db_to_gain(level_dbfs) / pk);
    for (int c = 0; c < b.channels(); ++c)
        for (float& s : b.channel(c)) s *= g;
}

}  // namespace

AudioBuffer sawtooth(double freq_hz, double sample_rate_hz, double seconds, double level_dbfs) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    const double amp = db_to_gain(level_dbfs);
    double phase = 0.0;
    for (float& s : out.channel(0)) {
        s = static_cast<float>(amp * (2.0 * phase - 1.0));
        phase += freq_hz / sample_rate_hz;
        if (phase >= 1.0) phase -= 1.0;
    }
    return out;
}

AudioBuffer tanh_drive(const AudioBuffer& in, double drive) {
    AudioBuffer out = in;
    const double norm = std::tanh(drive);
    for (int c = 0; c < out.channels(); ++c)
        for (float& s : out.channel(c)) s = static_cast<float>(std::tanh(drive * s) / norm);
    return out;
}

AudioBuffer band_noise(std::uint64_t seed, double centre_hz, double q, double sample_rate_hz,
                       double seconds, double rms_dbfs) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> dist(0.0, 1.0);
    Section s1 = band_pass(centre_hz, q, sample_rate_hz), s2 = s1;
    double sum_sq = 0.0;
    for (float& s : out.channel(0)) {
        const double y = s2.process(s1.process(dist(rng)));
        s = static_cast<float>(y);
        sum_sq += y * y;
    }
    const double rms = std::sqrt(sum_sq / static_cast<double>(out.frames()));
    const auto g = static_cast<float>(db_to_gain(rms_dbfs) / rms);
    for (float& s : out.channel(0)) s *= g;
    return out;
}

void apply_peak_eq(AudioBuffer& audio, double freq_hz, double gain_db, double q) {
    for (int c = 0; c < audio.channels(); ++c) {
        Section f = peak(freq_hz, gain_db, q, audio.sample_rate_hz());
        for (float& s : audio.channel(c)) s = static_cast<float>(f.process(s));
    }
}

void apply_high_pass(AudioBuffer& audio, double freq_hz) {
    for (int c = 0; c < audio.channels(); ++c) {
        Section h1 = high_pass(freq_hz, 0.54119610014619701, audio.sample_rate_hz());
        Section h2 = high_pass(freq_hz, 1.3065629648763766, audio.sample_rate_hz());
        for (float& s : audio.channel(c)) s = static_cast<float>(h2.process(h1.process(s)));
    }
}

AudioBuffer mix(const AudioBuffer& a, const AudioBuffer& b) {
    AudioBuffer out(a.channels(), std::max(a.frames(), b.frames()), a.sample_rate_hz());
    for (int c = 0; c < a.channels(); ++c) {
        auto o = out.channel(c);
        for (std::size_t i = 0; i < a.frames(); ++i) o[i] += a.channel(c)[i];
        for (std::size_t i = 0; i < b.frames(); ++i) o[i] += b.channel(c)[i];
    }
    return out;
}

AudioBuffer gated(const AudioBuffer& in, const std::vector<Span>& spans) {
    AudioBuffer out(in.channels(), in.frames(), in.sample_rate_hz());
    const double sr = in.sample_rate_hz(), ramp_s = 0.010;
    for (const auto& span : spans) {
        const auto b0 = static_cast<std::size_t>(std::llround(span.start_s * sr));
        const auto b1 =
            std::min(in.frames(), static_cast<std::size_t>(std::llround(span.end_s * sr)));
        const double g = db_to_gain(span.gain_db);
        for (std::size_t i = b0; i < b1; ++i) {
            const double t = static_cast<double>(i - b0) / sr, u = static_cast<double>(b1 - i) / sr;
            const double edge = std::min({1.0, t / ramp_s, u / ramp_s});
            const double w = g * 0.5 * (1.0 - std::cos(std::numbers::pi * edge));
            for (int c = 0; c < in.channels(); ++c)
                out.channel(c)[i] = static_cast<float>(in.channel(c)[i] * w);
        }
    }
    return out;
}

AudioBuffer delayed(const AudioBuffer& in, std::size_t frames, bool invert) {
    AudioBuffer out(in.channels(), in.frames(), in.sample_rate_hz());
    const float sign = invert ? -1.0f : 1.0f;
    for (int c = 0; c < in.channels(); ++c)
        for (std::size_t i = frames; i < in.frames(); ++i)
            out.channel(c)[i] = sign * in.channel(c)[i - frames];
    return out;
}

AudioBuffer kick_like(double sample_rate_hz, double seconds, double period_s) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    auto ch = out.channel(0);
    const auto period = static_cast<std::size_t>(std::llround(period_s * sample_rate_hz));
    for (std::size_t start = 0; start < ch.size(); start += period) {
        double phase = 0.0;
        for (std::size_t i = start; i < std::min(ch.size(), start + period); ++i) {
            const double t = static_cast<double>(i - start) / sample_rate_hz;
            const double f = 50.0 + 70.0 * std::exp(-t / 0.03);
            phase += k_two_pi * f / sample_rate_hz;
            const double body = std::exp(-t / 0.06) * std::sin(phase);
            const double click =
                t < 0.003 ? 0.5 * std::exp(-t / 0.001) * std::sin(k_two_pi * 3000.0 * t) : 0.0;
            ch[i] = static_cast<float>(0.8 * (body + click));
        }
    }
    return out;
}

AudioBuffer hihat_like(std::uint64_t seed, double sample_rate_hz, double seconds, double period_s) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    auto ch = out.channel(0);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> dist(0.0, 1.0);
    Section h1 = high_pass(7000.0, 0.54119610014619701, sample_rate_hz);
    Section h2 = high_pass(7000.0, 1.3065629648763766, sample_rate_hz);
    const auto period = static_cast<std::size_t>(std::llround(period_s * sample_rate_hz));
    for (std::size_t i = 0; i < ch.size(); ++i) {
        const double t = static_cast<double>(i % period) / sample_rate_hz;
        ch[i] = static_cast<float>(0.3 * std::exp(-t / 0.04) * h2.process(h1.process(dist(rng))));
    }
    normalise_peak(out, -20.0);
    return out;
}

AudioBuffer bass_like(double sample_rate_hz, double seconds) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    auto ch = out.channel(0);
    const double notes[] = {41.2, 55.0, 73.4, 98.0};
    const double note_s = 0.5;
    std::vector<double> phase(8, 0.0);
    for (std::size_t i = 0; i < ch.size(); ++i) {
        const double t = static_cast<double>(i) / sample_rate_hz;
        const auto n = static_cast<std::size_t>(t / note_s);
        const double tn = t - static_cast<double>(n) * note_s;
        const double f0 = notes[n % 4];
        double s = 0.0;
        for (std::size_t h = 0; h < phase.size(); ++h) {
            phase[h] += k_two_pi * f0 * static_cast<double>(h + 1) / sample_rate_hz;
            s += std::sin(phase[h]) / static_cast<double>(h + 1);
        }
        const double env = std::min(1.0, tn / 0.005) * std::exp(-tn / 1.5);
        ch[i] = static_cast<float>(0.3 * env * s);
    }
    normalise_peak(out, -6.0);
    return out;
}

AudioBuffer vocal_like(double sample_rate_hz, double seconds) {
    AudioBuffer out = mono(sample_rate_hz, seconds);
    auto ch = out.channel(0);
    const double notes[] = {196.0, 220.0, 262.0, 165.0, 247.0};
    const double formants[][2] = {{700.0, 110.0}, {1200.0, 140.0}, {2600.0, 200.0}};
    const double phrase_s = 2.0, sung_s = 1.5;
    double phase = 0.0;
    for (std::size_t i = 0; i < ch.size(); ++i) {
        const double t = static_cast<double>(i) / sample_rate_hz;
        const auto n = static_cast<std::size_t>(t / phrase_s);
        const double tp = t - static_cast<double>(n) * phrase_s;
        const double f0 = notes[n % 5] * (1.0 + 0.01 * std::sin(k_two_pi * 5.5 * t));
        phase += k_two_pi * f0 / sample_rate_hz;
        if (tp >= sung_s) continue;
        double s = 0.0;
        for (int h = 1; f0 * h < 5000.0; ++h) {
            const double fh = f0 * h;
            double g = 0.05;
            for (const auto& fm : formants) g += 1.0 / (1.0 + std::pow((fh - fm[0]) / fm[1], 2.0));
            s += g / h * std::sin(phase * h);
        }
        const double env = std::min({1.0, tp / 0.05, (sung_s - tp) / 0.05});
        ch[i] = static_cast<float>(0.2 * env * s);
    }
    normalise_peak(out, -8.0);
    return out;
}

}  // namespace secondear::test::track
