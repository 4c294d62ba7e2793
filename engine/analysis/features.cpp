#include "analysis/features.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <thread>

#include "analysis/fft.hpp"
#include "analysis/track_filters.hpp"

namespace secondear::analysis {
namespace {

constexpr double k_low_band_hz = 150.0;
constexpr double k_mid_band_hz = 2000.0;
constexpr double k_chroma_min_hz = 80.0;
constexpr double k_chroma_max_hz = 5000.0;
constexpr double k_timbre_min_hz = 50.0;
constexpr double k_timbre_max_hz = 16000.0;
// Log compression of magnitudes for the flux: log(1 + gamma |X|) makes the flux respond to
// relative change for anything above about -60 dBFS (1 / gamma).
constexpr double k_log_gamma = 1000.0;
constexpr double k_onset_mean_window_s = 0.5;

struct Biquad {
    double b0, b1, b2, a1, a2;
    double z1 = 0.0, z2 = 0.0;
    double process(double x) {  // transposed direct form II
        const double y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        return y;
    }
};

// ITU-R BS.1770-4 K-weighting at any rate: the pre-filter (high shelf, +4 dB above ~1.7 kHz)
// and the RLB high-pass (~38 Hz), as bilinear-transform designs whose analogue parameters
// reproduce the standard's 48 kHz coefficients.
Biquad k_prefilter(double fs) {
    const double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
    const double k = std::tan(std::numbers::pi * f0 / fs);
    const double vh = std::pow(10.0, gain_db / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    const double a0 = 1.0 + k / q + k * k;
    return {(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
            2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
}

Biquad k_highpass(double fs) {
    const double f0 = 38.13547087602444, q = 0.5003270373238773;
    const double k = std::tan(std::numbers::pi * f0 / fs);
    const double a0 = 1.0 + k / q + k * k;
    return {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
}

// Removes the local mean (centred moving average), rectifies and scales to unit std.
void normalise_onset(std::vector<float>& x, int mean_window) {
    const std::size_t n = x.size();
    if (n == 0) return;
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + x[i];
    const auto half = static_cast<std::size_t>(std::max(1, mean_window / 2));
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t lo = i > half ? i - half : 0;
        const std::size_t hi = std::min(n, i + half + 1);
        const double mean = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
        out[i] = static_cast<float>(std::max(0.0, x[i] - mean));
    }
    double sum = 0.0, sum2 = 0.0;
    for (float v : out) {
        sum += v;
        sum2 += static_cast<double>(v) * v;
    }
    const double mean = sum / static_cast<double>(n);
    const double sd = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - mean * mean));
    const double scale = sd > 1e-12 ? 1.0 / sd : 0.0;
    for (float& v : out) v = static_cast<float>(v * scale);
    x = std::move(out);
}

// Mean power per frame of the mono sum through a 2nd-order Butterworth band-pass (an RBJ
// high-pass and low-pass section); the high-pass is left out at or below 0 Hz and the low-pass
// at or above 0.45 x the sample rate.
std::vector<double> band_power_frames(const AudioBuffer& audio, double low_hz, double high_hz,
                                      double frame_s) {
    const double fs = audio.sample_rate_hz();
    const std::size_t n = audio.frames();
    if (n == 0 || audio.channels() == 0 || fs <= 0.0) return {};
    // Second order keeps the group delay near a low corner short (a few ms at 60 Hz for a 40 Hz
    // high-pass), so the energy of a hit is not smeared into the frames after it.
    constexpr double butterworth2_q = 0.7071067811865476;
    std::vector<track_detail::Biquad> filters;
    if (low_hz > 0.0) filters.push_back(track_detail::rbj_pass(low_hz, butterworth2_q, fs, true));
    if (high_hz < 0.45 * fs)
        filters.push_back(track_detail::rbj_pass(high_hz, butterworth2_q, fs, false));
    const auto hop = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(frame_s * fs)));
    std::vector<double> power(n / hop, 0.0);
    const float channel_gain = 1.0f / static_cast<float>(audio.channels());
    for (std::size_t i = 0; i < power.size() * hop; ++i) {
        float x = 0.0f;
        for (int c = 0; c < audio.channels(); ++c) x += channel_gain * audio.channel(c)[i];
        for (auto& f : filters) x = f.process(x);
        power[i / hop] += static_cast<double>(x) * x;
    }
    for (double& p : power) p /= static_cast<double>(hop);
    return power;
}

double power_db(double p) {
    return 10.0 * std::log10(std::max(p, 1e-20));
}

double mean_of(const std::vector<double>& v, std::size_t first, std::size_t last) {
    if (last <= first) return 0.0;
    double s = 0.0;
    for (std::size_t i = first; i < last; ++i) s += v[i];
    return s / static_cast<double>(last - first);
}

}  // namespace

int analysis_hop_frames(double sample_rate_hz) {
    const double target = 0.0112 * sample_rate_hz;
    const int exponent = static_cast<int>(std::lround(std::log2(std::max(target, 16.0))));
    return 1 << exponent;
}

double k_power_to_lufs(double mean_square) {
    return mean_square > 0.0 ? -0.691 + 10.0 * std::log10(mean_square)
                             : -std::numeric_limits<double>::infinity();
}

std::vector<double> k_weighted_power_per_hop(const AudioBuffer& audio, int hop_frames) {
    const std::size_t n = audio.frames();
    const double fs = audio.sample_rate_hz();
    if (n == 0 || hop_frames <= 0 || fs <= 0.0) return {};
    const auto hop = static_cast<std::size_t>(hop_frames);
    const std::size_t count = (n + hop - 1) / hop;
    std::vector<double> power(count, 0.0);
    for (int c = 0; c < audio.channels(); ++c) {
        Biquad pre = k_prefilter(fs), hp = k_highpass(fs);
        const auto ch = audio.channel(c);
        for (std::size_t t = 0; t < count; ++t) {
            const std::size_t first = t == 0 ? 0 : t * hop - hop / 2;
            const std::size_t last = t + 1 == count ? n : std::min(n, t * hop + hop / 2);
            double sum = 0.0;
            for (std::size_t i = first; i < last; ++i) {
                const double y = hp.process(pre.process(ch[i]));
                sum += y * y;
            }
            power[t] += sum;
        }
    }
    for (std::size_t t = 0; t < count; ++t) {
        const std::size_t first = t == 0 ? 0 : t * hop - hop / 2;
        const std::size_t last = t + 1 == count ? n : std::min(n, t * hop + hop / 2);
        if (last > first) power[t] /= static_cast<double>(last - first);
    }
    return power;
}

std::vector<double> k_weighted_power_in_spans(const AudioBuffer& audio,
                                              const std::vector<double>& starts_s) {
    const std::size_t n = audio.frames();
    const double fs = audio.sample_rate_hz();
    std::vector<double> power(starts_s.size(), 0.0);
    if (n == 0 || fs <= 0.0) return power;
    auto frame_of = [&](double t_s) {
        return static_cast<std::size_t>(
            std::clamp(std::llround(t_s * fs), 0LL, static_cast<long long>(n)));
    };
    for (int c = 0; c < audio.channels(); ++c) {
        Biquad pre = k_prefilter(fs), hp = k_highpass(fs);
        const auto ch = audio.channel(c);
        std::size_t span = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double y = hp.process(pre.process(ch[i]));
            while (span + 1 < starts_s.size() && i >= frame_of(starts_s[span + 1])) ++span;
            if (!starts_s.empty() && i >= frame_of(starts_s[span])) power[span] += y * y;
        }
    }
    for (std::size_t k = 0; k < starts_s.size(); ++k) {
        const std::size_t first = frame_of(starts_s[k]);
        const std::size_t last = k + 1 < starts_s.size() ? frame_of(starts_s[k + 1]) : n;
        power[k] = last > first ? power[k] / static_cast<double>(last - first) : 0.0;
    }
    return power;
}

SpectralFrames compute_spectral_frames(const AudioBuffer& audio, int threads) {
    SpectralFrames out;
    const double fs = audio.sample_rate_hz();
    out.sample_rate_hz = fs;
    out.hop_frames = analysis_hop_frames(fs > 0.0 ? fs : 44100.0);
    out.fft_size = 4 * out.hop_frames;
    out.hop_s = fs > 0.0 ? out.hop_frames / fs : 0.0;
    const std::size_t n = audio.frames();
    if (n == 0 || audio.channels() == 0 || fs <= 0.0) return out;

    const std::size_t hop = static_cast<std::size_t>(out.hop_frames);
    const std::size_t count = (n + hop - 1) / hop;
    const int size = out.fft_size;
    const int bins = size / 2 + 1;

    std::vector<float> mono(n, 0.0f);
    const float channel_gain = 1.0f / static_cast<float>(audio.channels());
    for (int c = 0; c < audio.channels(); ++c) {
        const auto ch = audio.channel(c);
        for (std::size_t i = 0; i < n; ++i) mono[i] += channel_gain * ch[i];
    }

    out.k_weighted_power = k_weighted_power_per_hop(audio, out.hop_frames);

    // Per-bin lookup tables.
    const double bin_hz = fs / size;
    std::vector<int> band_group(static_cast<std::size_t>(bins));  // 0 low, 1 mid, 2 high
    std::array<int, 3> group_bins{};
    std::vector<int> pitch_class(static_cast<std::size_t>(bins), -1);
    std::vector<int> timbre_band(static_cast<std::size_t>(bins), -1);
    std::array<int, k_timbre_bands> timbre_bins{};
    const double timbre_max_hz = std::min(k_timbre_max_hz, 0.95 * fs / 2.0);
    for (int k = 1; k < bins; ++k) {
        const double f = k * bin_hz;
        const int g = f < k_low_band_hz ? 0 : (f < k_mid_band_hz ? 1 : 2);
        band_group[static_cast<std::size_t>(k)] = g;
        ++group_bins[static_cast<std::size_t>(g)];
        if (f >= k_chroma_min_hz && f <= k_chroma_max_hz) {
            const double midi = 69.0 + 12.0 * std::log2(f / 440.0);
            pitch_class[static_cast<std::size_t>(k)] = static_cast<int>(std::lround(midi)) % 12;
        }
        if (f >= k_timbre_min_hz && f < timbre_max_hz) {
            const int b = static_cast<int>(k_timbre_bands * std::log(f / k_timbre_min_hz) /
                                           std::log(timbre_max_hz / k_timbre_min_hz));
            timbre_band[static_cast<std::size_t>(k)] = b;
            ++timbre_bins[static_cast<std::size_t>(b)];
        }
    }

    std::vector<float> window(static_cast<std::size_t>(size));
    double window_sum = 0.0;
    for (int i = 0; i < size; ++i) {
        window[static_cast<std::size_t>(i)] =
            static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / size));
        window_sum += window[static_cast<std::size_t>(i)];
    }
    const auto power_scale = static_cast<float>((2.0 / window_sum) * (2.0 / window_sum));
    const auto log_gamma = static_cast<float>(k_log_gamma);

    out.onset_strength.assign(count, 0.0f);
    out.low_onset_strength.assign(count, 0.0f);
    out.chroma.assign(count, {});
    out.band_db.assign(count, {});

    // Frames [first, last): each frame is a function of the audio alone except its flux, which
    // needs the frame before's log magnitudes; a range that does not start at 0 computes them
    // first. So ranges can run on threads of their own and give the same values.
    const auto half = static_cast<std::ptrdiff_t>(size / 2);
    const auto frame_range = [&](std::size_t first, std::size_t last) {
        RealFft fft(size);
        std::vector<float> frame(static_cast<std::size_t>(size));
        std::vector<std::complex<float>> spectrum(static_cast<std::size_t>(bins));
        std::vector<float> log_mag(static_cast<std::size_t>(bins), 0.0f);
        std::vector<float> prev_log_mag(static_cast<std::size_t>(bins), 0.0f);
        const auto transform = [&](std::size_t t) {
            const std::ptrdiff_t start = static_cast<std::ptrdiff_t>(t * hop) - half;
            for (int i = 0; i < size; ++i) {
                const std::ptrdiff_t s = start + i;
                const float x = (s >= 0 && s < static_cast<std::ptrdiff_t>(n))
                                    ? mono[static_cast<std::size_t>(s)]
                                    : 0.0f;
                frame[static_cast<std::size_t>(i)] = x * window[static_cast<std::size_t>(i)];
            }
            fft.forward(frame, spectrum);
        };
        if (first > 0) {
            transform(first - 1);
            for (int k = 1; k < bins; ++k) {
                const auto uk = static_cast<std::size_t>(k);
                prev_log_mag[uk] =
                    std::log1p(log_gamma * std::sqrt(std::norm(spectrum[uk]) * power_scale));
            }
        }
        for (std::size_t t = first; t < last; ++t) {
            transform(t);
            std::array<double, 3> flux{};
            std::array<double, k_timbre_bands> band_power{};
            auto& chroma = out.chroma[t];
            for (int k = 1; k < bins; ++k) {
                const auto uk = static_cast<std::size_t>(k);
                const float power = std::norm(spectrum[uk]) * power_scale;
                log_mag[uk] = std::log1p(log_gamma * std::sqrt(power));
                const float rise = log_mag[uk] - prev_log_mag[uk];
                if (rise > 0.0f) flux[static_cast<std::size_t>(band_group[uk])] += rise;
                if (pitch_class[uk] >= 0)
                    chroma[static_cast<std::size_t>(pitch_class[uk])] += static_cast<float>(power);
                if (timbre_band[uk] >= 0)
                    band_power[static_cast<std::size_t>(timbre_band[uk])] += power;
            }
            std::swap(log_mag, prev_log_mag);
            double onset = 0.0;
            for (std::size_t g = 0; g < 3; ++g)
                if (group_bins[g] > 0) onset += flux[g] / group_bins[g];
            out.onset_strength[t] = static_cast<float>(onset);
            out.low_onset_strength[t] =
                group_bins[0] > 0 ? static_cast<float>(flux[0] / group_bins[0]) : 0.0f;
            for (std::size_t b = 0; b < k_timbre_bands; ++b) {
                const double mean = timbre_bins[b] > 0 ? band_power[b] / timbre_bins[b] : 0.0;
                out.band_db[t][b] = static_cast<float>(10.0 * std::log10(std::max(mean, 1e-12)));
            }
        }
    };
    const std::size_t parts = std::clamp<std::size_t>(static_cast<std::size_t>(threads), 1,
                                                      std::max<std::size_t>(1, count / 64));
    {
        std::vector<std::jthread> helpers;
        for (std::size_t p = 1; p < parts; ++p)
            helpers.emplace_back(frame_range, count * p / parts, count * (p + 1) / parts);
        frame_range(0, count / parts);
    }
    // The first frame's flux compares against silence; it is not an onset of the music.
    out.onset_strength[0] = 0.0f;
    out.low_onset_strength[0] = 0.0f;
    const int mean_window = static_cast<int>(std::lround(k_onset_mean_window_s / out.hop_s));
    normalise_onset(out.onset_strength, mean_window);
    normalise_onset(out.low_onset_strength, mean_window);
    return out;
}

double direct_to_reverb_db(const AudioBuffer& audio) {
    constexpr double frame_s = 0.01;
    constexpr std::size_t before = 5;  // 50 ms: the direct sound's level before the offset
    constexpr std::size_t fall = 3;    // 30 ms: the fall that marks an offset
    constexpr double fall_db = 8.0;
    constexpr std::size_t tail_from = 6;  // 60 ms: past the direct sound's own release
    constexpr std::size_t tail_to = 25;   // 250 ms: before the delay's first repeat (375 ms and
                                          // more in the mixes the planner makes) dominates
    constexpr double active_range_db = 30.0;
    constexpr double rise_db = 1.0;  // a tail frame this far over the level at the fall: a new note
    const auto p = band_power_frames(audio, 50.0, 16000.0, frame_s);
    if (p.size() < before + tail_to + 1) return std::numeric_limits<double>::quiet_NaN();
    const double top = power_db(*std::max_element(p.begin(), p.end()));
    std::vector<double> ratios;
    for (std::size_t i = before; i + tail_to < p.size(); ++i) {
        const double pre =
            power_db(*std::max_element(p.begin() + static_cast<std::ptrdiff_t>(i - before),
                                       p.begin() + static_cast<std::ptrdiff_t>(i)));
        if (pre < top - active_range_db || pre - power_db(p[i + fall]) < fall_db) continue;
        // The offset: the first frame of the fall that is fall_db under the direct sound.
        std::size_t o = i + 1;
        while (pre - power_db(p[o]) < fall_db) ++o;
        if (o + tail_to >= p.size()) break;
        const double tail_peak =
            power_db(*std::max_element(p.begin() + static_cast<std::ptrdiff_t>(o + tail_from),
                                       p.begin() + static_cast<std::ptrdiff_t>(o + tail_to)));
        if (tail_peak <= power_db(p[o]) + rise_db)
            ratios.push_back(pre - power_db(mean_of(p, o + tail_from, o + tail_to)));
        i = o + tail_to;  // one measurement per offset
    }
    return track_detail::percentile(ratios, 0.5);
}

double low_sustain_db(const AudioBuffer& audio, double low_hz, double high_hz) {
    constexpr double frame_s = 0.005;
    constexpr std::size_t rise = 4;  // 20 ms
    constexpr double rise_db = 6.0;
    constexpr double active_range_db = 30.0;
    constexpr std::size_t spacing = 20;  // 100 ms between onsets
    constexpr std::size_t attack = 10;   // 50 ms: the hit
    constexpr std::size_t sustain = 50;  // to 250 ms: what rings on
    const auto p = band_power_frames(audio, low_hz, high_hz, frame_s);
    if (p.size() < rise + sustain) return std::numeric_limits<double>::quiet_NaN();
    const double top = power_db(*std::max_element(p.begin(), p.end()));
    std::vector<std::size_t> onsets;
    for (std::size_t i = rise; i < p.size(); ++i) {
        const double level = power_db(p[i]);
        if (level - power_db(p[i - rise]) < rise_db || level < top - active_range_db) continue;
        if (!onsets.empty() && i - onsets.back() < spacing) continue;
        // The onset is the start of the rise: the first frame within 6 dB of this one.
        std::size_t start = i;
        while (start > i - rise && level - power_db(p[start - 1]) < rise_db) --start;
        onsets.push_back(start);
    }
    std::vector<double> ratios;
    for (std::size_t k = 0; k < onsets.size(); ++k) {
        const std::size_t o = onsets[k];
        const std::size_t end =
            std::min({o + sustain, p.size(), k + 1 < onsets.size() ? onsets[k + 1] : p.size()});
        if (end < o + attack + attack) continue;  // at least 50 ms of sustain to measure
        const double hit = mean_of(p, o, o + attack);
        const double ring = mean_of(p, o + attack, end);
        if (hit > 0.0) ratios.push_back(power_db(ring) - power_db(hit));
    }
    return track_detail::percentile(ratios, 0.5);
}

}  // namespace secondear::analysis
