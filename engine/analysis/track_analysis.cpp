#include "analysis/track_analysis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <string>

#include "analysis/fft.hpp"
#include "analysis/loudness.hpp"
#include "analysis/track_filters.hpp"
#include "core/errors.hpp"
#include "core/units.hpp"

namespace secondear::analysis {
namespace {

using track_detail::Biquad;
using track_detail::k_butterworth4_q;
using track_detail::mean_power_db;
using track_detail::percentile;
using track_detail::rbj_pass;

constexpr double k_neg_inf = -std::numeric_limits<double>::infinity();
// As analyze.cpp: a sample at or above this magnitude is at full scale.
constexpr float k_full_scale = 0.9999f;
constexpr double k_silent_peak_dbfs = -60.0;
constexpr double k_active_range_db = 40.0;
constexpr int k_blocks_per_100ms = 10;       // level series: 10 blocks of 10 ms
constexpr int k_blocks_per_crest_frame = 5;  // 50 ms frames for the frame crest factor
constexpr double k_min_gap_s = 0.250;
constexpr double k_gap_margin_s = 0.050;
constexpr double k_min_phrase_s = 0.050;
constexpr double k_uneven_db = 4.0;
constexpr std::size_t k_uneven_neighbours = 4;  // on each side
// 12 dB above the quantisation floor of 16-bit audio (6.02 * 16 = -96 dBFS).
constexpr double k_audible_gap_dbfs = -84.0;
constexpr double k_steady_gap_db = 6.0;
constexpr double k_min_gap_total_s = 0.5;
constexpr double k_pitch_clarity = 0.6;
constexpr double k_pitch_min_hz = 60.0, k_pitch_max_hz = 1000.0;
constexpr double k_sibilance_lo_hz = 5000.0, k_sibilance_hi_hz = 10000.0;

double to_db_power(double p) {
    return power_to_db(p);
}

/// FFT length for the long-term spectrum, as analyze.cpp: about 2.7 Hz per bin.
int long_fft_size(double sample_rate_hz) {
    int n = 1024;
    while (sample_rate_hz / n > 2.7) n *= 2;
    return n;
}

std::vector<float> hann(std::size_t n) {
    std::vector<float> w(n);
    for (std::size_t i = 0; i < n; ++i)
        w[i] = static_cast<float>(0.5 -
                                  0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                                 static_cast<double>(n)));
    return w;
}

/// Everything the sample-by-sample passes collect (level_pass, then mono_pass).
struct TimePass {
    std::vector<float> mono;
    float peak = 0.0f;
    double sum_sq = 0.0;  // over all channels
    ClippingResult clipping;
    std::size_t block_frames = 0;
    std::vector<double> block_power;     // mean over channels of the mean square, per 10 ms
    std::vector<double> mono_power;      // mono sum mean square per 10 ms
    std::vector<double> mono_peak;       // mono sum peak magnitude per 10 ms
    std::vector<double> sibilant_power;  // mono through 5-10 kHz, mean square per 10 ms
    bool has_sibilance_band = false;
};

/// Sum of squares and peak magnitude of x[0, n) in four interleaved lanes (four independent
/// additions per step instead of one chain: the loop runs at the adder's throughput, not its
/// latency). The lanes are combined in a fixed order, so the result depends on the data only.
struct SquaresAndPeak {
    double sum_sq = 0.0;
    float peak = 0.0f;
};
SquaresAndPeak squares_and_peak(const float* x, std::size_t n) {
    std::array<double, 4> sum{};
    std::array<float, 4> peak{};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (std::size_t l = 0; l < 4; ++l) {
            sum[l] += static_cast<double>(x[i + l]) * x[i + l];
            peak[l] = std::max(peak[l], std::fabs(x[i + l]));
        }
    for (; i < n; ++i) {
        sum[0] += static_cast<double>(x[i]) * x[i];
        peak[0] = std::max(peak[0], std::fabs(x[i]));
    }
    return {(sum[0] + sum[1]) + (sum[2] + sum[3]),
            std::max(std::max(peak[0], peak[1]), std::max(peak[2], peak[3]))};
}

/// The levels of every channel: what a silent track needs too.
TimePass level_pass(const AudioBuffer& audio) {
    TimePass t;
    const int channels = audio.channels();
    const std::size_t n = audio.frames();
    const double sr = audio.sample_rate_hz();
    t.block_frames = static_cast<std::size_t>(std::max(1L, std::lround(sr / 100.0)));
    const std::size_t blocks = n / t.block_frames;
    t.block_power.assign(blocks, 0.0);
    const double inv = 1.0 / static_cast<double>(t.block_frames);
    for (int c = 0; c < channels; ++c) {
        const float* x = audio.channel(c).data();
        std::size_t run = 0;  // clipped samples in a row
        auto close_run = [&] {
            if (run >= 2) {
                t.clipping.runs += 1;
                t.clipping.clipped_samples += run;
                t.clipping.longest_run_samples = std::max(t.clipping.longest_run_samples, run);
            }
            run = 0;
        };
        // 10 ms blocks, then what is left after the last whole one (in the totals only).
        for (std::size_t b = 0; b * t.block_frames < n; ++b) {
            const std::size_t first = b * t.block_frames;
            const std::size_t count = std::min(t.block_frames, n - first);
            const auto block = squares_and_peak(x + first, count);
            t.sum_sq += block.sum_sq;
            t.peak = std::max(t.peak, block.peak);
            if (b < blocks) t.block_power[b] += block.sum_sq * inv / channels;
            if (block.peak < k_full_scale) {
                close_run();
                continue;
            }
            for (std::size_t i = first; i < first + count; ++i) {
                if (std::fabs(x[i]) >= k_full_scale)
                    ++run;
                else if (run > 0)
                    close_run();
            }
        }
        close_run();
    }
    return t;
}

/// The mono sum and its 10 ms series (power, peak, 5-10 kHz power): only for tracks with content.
void mono_pass(const AudioBuffer& audio, TimePass& t) {
    const std::size_t n = audio.frames();
    const double sr = audio.sample_rate_hz();
    t.mono.resize(n);
    const auto left = audio.channel(0);
    if (audio.channels() == 2) {
        const auto right = audio.channel(1);
        for (std::size_t i = 0; i < n; ++i) t.mono[i] = 0.5f * (left[i] + right[i]);
    } else {
        std::copy(left.begin(), left.end(), t.mono.begin());
    }
    const std::size_t blocks = t.block_power.size();
    const std::size_t bf = t.block_frames;
    const double inv = 1.0 / static_cast<double>(bf);
    t.mono_power.assign(blocks, 0.0);
    t.mono_peak.assign(blocks, 0.0);
    t.sibilant_power.assign(blocks, 0.0);
    for (std::size_t b = 0; b < blocks; ++b) {
        const auto block = squares_and_peak(t.mono.data() + b * bf, bf);
        t.mono_power[b] = block.sum_sq * inv;
        t.mono_peak[b] = block.peak;
    }
    // 5-10 kHz band: 2nd-order Butterworth high-pass at 5 kHz then low-pass at 10 kHz (12 dB per
    // octave skirts: enough to tell sibilance from a voice's body, at half the cost of 4th order),
    // when the rate leaves room for it.
    t.has_sibilance_band = sr / 2.0 > 1.1 * k_sibilance_hi_hz;
    if (!t.has_sibilance_band) return;
    const std::array<Biquad, 2> band = {
        rbj_pass(k_sibilance_lo_hz, std::numbers::sqrt2 / 2, sr, true),
        rbj_pass(k_sibilance_hi_hz, std::numbers::sqrt2 / 2, sr, false)};
    // The filters are a chain that waits on itself every sample; the two halves of the track run
    // side by side (two independent chains in one loop, twice the speed). The second half's
    // filters start k_warm_frames early from rest: their start-up transient decays with the
    // poles (radius at most 0.89 at 192 kHz, 0.61 at 44.1 kHz) to under 1e-50 of the signal
    // before the half begins.
    constexpr std::size_t k_warm_frames = 1024;
    std::array<Biquad, 2> first = band;
    std::array<Biquad, 2> second = band;
    const auto filtered = [](std::array<Biquad, 2>& f, float x) {
        const double y = f[1].process(f[0].process(x));
        return y * y;
    };
    const std::size_t half_blocks = blocks / 2;
    const std::size_t mid = half_blocks * bf;
    for (std::size_t i = mid - std::min(mid, k_warm_frames); i < mid; ++i)
        filtered(second, t.mono[i]);
    for (std::size_t b = 0; b < half_blocks; ++b) {
        double s1 = 0.0, s2 = 0.0;
        const float* p1 = t.mono.data() + b * bf;
        const float* p2 = p1 + mid;
        for (std::size_t i = 0; i < bf; ++i) {
            s1 += filtered(first, p1[i]);
            s2 += filtered(second, p2[i]);
        }
        t.sibilant_power[b] = s1 * inv;
        t.sibilant_power[half_blocks + b] = s2 * inv;
    }
    for (std::size_t b = 2 * half_blocks; b < blocks; ++b) {  // an odd block count's last block
        double s2 = 0.0;
        for (std::size_t i = 0; i < bf; ++i) s2 += filtered(second, t.mono[b * bf + i]);
        t.sibilant_power[b] = s2 * inv;
    }
}

void levels(const TimePass& t, TrackFeatures& f) {
    const double total = static_cast<double>(f.frames) * f.channels;
    f.peak_dbfs = gain_to_db(t.peak);
    f.rms_dbfs = to_db_power(total > 0 ? t.sum_sq / total : 0.0);
    f.crest_db = std::isfinite(f.rms_dbfs) ? f.peak_dbfs - f.rms_dbfs : 0.0;
    f.clipping = t.clipping;
    const std::size_t groups = t.block_power.size() / k_blocks_per_100ms;
    double loudest = k_neg_inf;
    for (std::size_t g = 0; g < groups; ++g) {
        double p = 0.0;
        for (int k = 0; k < k_blocks_per_100ms; ++k)
            p += t.block_power[g * k_blocks_per_100ms + static_cast<std::size_t>(k)];
        const double db = to_db_power(p / k_blocks_per_100ms);
        f.level_dbfs_per_100ms.push_back(db);
        loudest = std::max(loudest, db);
    }
    std::size_t active = 0;
    for (double db : f.level_dbfs_per_100ms)
        if (std::isfinite(db) && db >= loudest - k_active_range_db) ++active;
    f.active_fraction =
        groups > 0 ? static_cast<double>(active) / static_cast<double>(groups) : 0.0;
}

/// Long-term spectrum at ~2.7 Hz resolution: whole track and per quarter, plus the median
/// spectral flatness of active frames (for the distortion evidence).
struct LongSpectrum {
    double bin_hz = 0.0;
    double scale = 0.0;  // bin power sum -> one-sided mean square (Parseval, as analyze.cpp)
    std::vector<double> power;
    std::array<std::vector<double>, 4> quarter_power;
    double median_flatness = 0.0;
};

LongSpectrum long_spectrum(const std::vector<float>& mono, double sr) {
    LongSpectrum s;
    const int n = long_fft_size(sr);
    const auto nu = static_cast<std::size_t>(n);
    RealFft fft(n);
    const auto window = hann(nu);
    s.bin_hz = sr / n;
    const auto bins = static_cast<std::size_t>(fft.bins());
    s.power.assign(bins, 0.0);
    for (auto& q : s.quarter_power) q.assign(bins, 0.0);
    // Frames without overlap: a long-term average needs no more, and it halves the cost.
    const std::size_t count = std::max<std::size_t>(1, (mono.size() + nu / 2) / nu);
    std::vector<float> in(nu);
    std::vector<std::complex<float>> out(bins);
    std::vector<float> pw(bins);
    double window_energy = 0.0;
    const auto flat_lo = static_cast<std::size_t>(std::ceil(300.0 / s.bin_hz));
    const auto flat_hi = std::min(bins - 1, static_cast<std::size_t>(6000.0 / s.bin_hz));
    std::vector<std::pair<double, double>> frame_flatness;  // {frame power, flatness}
    for (std::size_t fi = 0; fi < count; ++fi) {
        const std::size_t start = fi * nu;
        double w2 = 0.0;
        for (std::size_t i = 0; i < nu; ++i) {
            const bool valid = start + i < mono.size();
            in[i] = valid ? mono[start + i] * window[i] : 0.0f;
            if (valid) w2 += static_cast<double>(window[i]) * window[i];
        }
        window_energy += w2;
        fft.forward(in, out);
        const std::size_t q = std::min<std::size_t>(3, fi * 4 / count);
        double frame_power = 0.0;
        for (std::size_t k = 0; k < bins; ++k) {
            pw[k] = std::norm(out[k]);
            s.power[k] += pw[k];
            s.quarter_power[q][k] += pw[k];
            frame_power += pw[k];
        }
        if (sr / 2.0 > 6000.0 && flat_hi > flat_lo) {
            // Spectral flatness: geometric over arithmetic mean of bin power (floored so that a
            // silent bin does not send the geometric mean to zero).
            double log_sum = 0.0, lin_sum = 0.0;
            for (std::size_t k = flat_lo; k <= flat_hi; ++k) {
                const double p = std::max(static_cast<double>(pw[k]), 1e-20);
                log_sum += std::log(p);
                lin_sum += p;
            }
            const double m = static_cast<double>(flat_hi - flat_lo + 1);
            const double flat = lin_sum > 0 ? std::exp(log_sum / m) / (lin_sum / m) : 0.0;
            frame_flatness.emplace_back(frame_power, flat);
        }
    }
    s.scale = window_energy > 0 ? 2.0 / (n * window_energy) : 0.0;
    double loudest = 0.0;
    for (const auto& [p, fl] : frame_flatness) loudest = std::max(loudest, p);
    std::vector<double> flats;
    for (const auto& [p, fl] : frame_flatness)
        if (p > 0.0 && p >= loudest * 1e-3) flats.push_back(fl);  // within 30 dB of the loudest
    s.median_flatness = flats.empty() ? 0.0 : percentile(flats, 0.5);
    return s;
}

/// Power summed over bins [lo_hz, hi_hz), as a one-sided mean square.
double band_power(const LongSpectrum& s, const std::vector<double>& power, double lo_hz,
                  double hi_hz) {
    const auto k_lo =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(lo_hz / s.bin_hz)));
    const auto k_hi = std::min(power.size(), static_cast<std::size_t>(std::ceil(hi_hz / s.bin_hz)));
    double p = 0.0;
    for (std::size_t k = k_lo; k < k_hi; ++k) p += power[k];
    return p * s.scale;
}

void spectrum(const LongSpectrum& s, double sr, TrackFeatures& f) {
    double weighted = 0.0, total = 0.0;
    for (std::size_t k = 1; k < s.power.size(); ++k) {
        weighted += s.power[k] * static_cast<double>(k) * s.bin_hz;
        total += s.power[k];
    }
    f.centroid_hz = total > 0 ? weighted / total : 0.0;
    double cumulative = 0.0;
    for (std::size_t k = 1; k < s.power.size() && total > 0; ++k) {
        cumulative += s.power[k];
        if (cumulative >= 0.01 * total) {
            f.low_cut_hz = static_cast<double>(k) * s.bin_hz;
            break;
        }
    }
    for (double fc : third_octave_centres_hz()) {
        const double lo = fc * std::pow(2.0, -1.0 / 6.0), hi = fc * std::pow(2.0, 1.0 / 6.0);
        if (hi > sr / 2) break;
        double p = 0.0;
        const auto k_lo =
            std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(lo / s.bin_hz)));
        const auto k_hi =
            std::min(s.power.size() - 1, static_cast<std::size_t>(std::floor(hi / s.bin_hz)));
        for (std::size_t k = k_lo; k <= k_hi; ++k) p += s.power[k];
        f.spectrum_third_octave.push_back({fc, to_db_power(p * s.scale)});
    }
    auto mean_db = [&](double lo_hz, double hi_hz) {
        double sum = 0.0;
        int count = 0;
        for (const auto& b : f.spectrum_third_octave)
            if (b.hz >= lo_hz && b.hz <= hi_hz && std::isfinite(b.db)) {
                sum += b.db;
                ++count;
            }
        return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
    };
    const double boom = mean_db(125, 250), below = mean_db(63, 100), above = mean_db(315, 500);
    f.boominess_db = std::isfinite(boom) && std::isfinite(below) && std::isfinite(above)
                         ? boom - 0.5 * (below + above)
                         : 0.0;
}

/// Fractional-octave smoothing (width_oct wide, centred on each bin) via prefix sums.
std::vector<double> smooth_octaves(const std::vector<double>& power, double width_oct) {
    std::vector<double> prefix(power.size() + 1, 0.0);
    for (std::size_t k = 0; k < power.size(); ++k) prefix[k + 1] = prefix[k] + power[k];
    const double half = std::pow(2.0, width_oct / 2.0);
    std::vector<double> out(power.size(), 0.0);
    for (std::size_t k = 1; k < power.size(); ++k) {
        const auto lo = std::max<std::size_t>(
            1, static_cast<std::size_t>(std::floor(static_cast<double>(k) / half)));
        const auto hi = std::min(
            power.size() - 1, static_cast<std::size_t>(std::ceil(static_cast<double>(k) * half)));
        out[k] = (prefix[hi + 1] - prefix[lo]) / static_cast<double>(hi + 1 - lo);
    }
    return out;
}

/// Level of the 1/12-octave smoothed spectrum above its surroundings: the mean power of the
/// flanks from 1/4 to 1 octave away on both sides (the peak itself is left out of its reference,
/// so a broad peak is not measured against its own skirt).
std::vector<double> prominence_db(const std::vector<double>& power) {
    const auto fine = smooth_octaves(power, 1.0 / 12.0);
    std::vector<double> prefix(power.size() + 1, 0.0);
    for (std::size_t k = 0; k < power.size(); ++k) prefix[k + 1] = prefix[k] + power[k];
    const double inner = std::pow(2.0, 0.25);
    std::vector<double> out(power.size(), 0.0);
    const std::size_t last = power.size() - 1;
    for (std::size_t k = 2; k < power.size(); ++k) {
        const double kd = static_cast<double>(k);
        const auto lo0 = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(kd / 2.0)));
        const auto lo1 =
            std::max(lo0, std::min(k, static_cast<std::size_t>(std::floor(kd / inner))));
        const auto hi0 = std::min(last, static_cast<std::size_t>(std::ceil(kd * inner)));
        const auto hi1 = std::min(last, static_cast<std::size_t>(std::ceil(kd * 2.0)));
        const double sum = (prefix[lo1] - prefix[lo0]) + (prefix[hi1 + 1] - prefix[hi0]);
        const double count = static_cast<double>((lo1 - lo0) + (hi1 + 1 - hi0));
        const double flanks = count > 0 ? sum / count : 0.0;
        out[k] = fine[k] > 0 && flanks > 0 ? 10.0 * std::log10(fine[k] / flanks) : 0.0;
    }
    return out;
}

void resonances(const LongSpectrum& s, TrackFeatures& f) {
    constexpr double k_min_prominence_db = 6.0;
    constexpr double k_persistent_db = 3.0;  // in each quarter, a looser bar than the whole
    const auto prom = prominence_db(s.power);
    std::vector<std::vector<double>> quarter_prom;
    for (const auto& q : s.quarter_power) {
        double sum = 0.0;
        for (double p : q) sum += p;
        if (sum > 0) quarter_prom.push_back(prominence_db(q));
    }
    const auto k_lo = static_cast<std::size_t>(std::ceil(80.0 / s.bin_hz));
    const auto k_hi = std::min(prom.size() - 2, static_cast<std::size_t>(8000.0 / s.bin_hz));
    std::vector<Resonance> found;
    for (std::size_t k = std::max<std::size_t>(k_lo, 1); k <= k_hi; ++k) {
        if (prom[k] < k_min_prominence_db || prom[k] < prom[k - 1] || prom[k] <= prom[k + 1])
            continue;
        std::size_t persistent = 0;
        for (const auto& qp : quarter_prom)
            if (qp[k] >= k_persistent_db) ++persistent;
        if (4 * persistent < 3 * quarter_prom.size()) continue;
        // Width where the prominence falls to half its peak (in dB).
        std::size_t lo = k, hi = k;
        while (lo > 1 && prom[lo - 1] > prom[k] / 2) --lo;
        while (hi + 1 < prom.size() && prom[hi + 1] > prom[k] / 2) ++hi;
        const double width_hz = static_cast<double>(hi - lo + 1) * s.bin_hz;
        const double hz = static_cast<double>(k) * s.bin_hz;
        found.push_back({hz, prom[k], hz / width_hz});
    }
    std::sort(found.begin(), found.end(), [](const Resonance& a, const Resonance& b) {
        return a.prominence_db > b.prominence_db;
    });
    for (const auto& r : found) {
        // One peak per 1/3 octave: the smoothed curve can show shoulders of the same peak.
        const bool near = std::any_of(
            f.resonances.begin(), f.resonances.end(),
            [&](const Resonance& o) { return std::fabs(std::log2(o.hz / r.hz)) < 1.0 / 3.0; });
        if (!near) f.resonances.push_back(r);
        if (f.resonances.size() == 3) break;
    }
}

/// Periodicity per frame on a decimated copy: normalised autocorrelation with the window's own
/// autocorrelation divided out (Boersma 1993, "Accurate short-term analysis of the fundamental
/// frequency and the harmonics-to-noise ratio of a sampled sound").
struct PitchTrack {
    std::vector<double> f0_hz;  // pitched active frames only
    std::size_t active_frames = 0;
};

PitchTrack pitch_track(const std::vector<float>& mono, double sr) {
    PitchTrack out;
    const int decim = std::max(1, static_cast<int>(std::lround(sr / 11025.0)));
    const double rate = sr / decim;
    // Decimation: a boxcar mean of `decim` samples (first null at the new rate, cheap), then a
    // 4th-order Butterworth low-pass at 0.4 of the new rate on the decimated samples. What the
    // boxcar lets alias is attenuated by its side lobes (13 dB and more) and only blurs the
    // periodicity measure slightly.
    std::array<Biquad, 2> lp = {rbj_pass(0.4 * rate, k_butterworth4_q[0], rate, false),
                                rbj_pass(0.4 * rate, k_butterworth4_q[1], rate, false)};
    const auto du = static_cast<std::size_t>(decim);
    std::vector<float> x(mono.size() / du);
    for (std::size_t j = 0; j < x.size(); ++j) {
        float sum = 0.0f;
        for (std::size_t i = j * du; i < (j + 1) * du; ++i) sum += mono[i];
        x[j] = lp[1].process(lp[0].process(sum / static_cast<float>(decim)));
    }
    std::size_t frame = 256;
    while (static_cast<double>(frame) / rate < 0.040) frame *= 2;  // >= 40 ms: 2.4 periods at 60 Hz
    const std::size_t hop = frame / 2;
    const std::size_t n = 2 * frame;  // zero-padded: the circular ACF equals the linear one
    RealFft fft(static_cast<int>(n));
    const auto window = hann(frame);
    std::vector<float> in(n, 0.0f), acf(n);
    std::vector<std::complex<float>> spec(static_cast<std::size_t>(fft.bins()));
    auto autocorrelate = [&]() {
        fft.forward(in, spec);
        for (auto& c : spec) c = std::norm(c);
        fft.inverse(spec, acf);
    };
    std::copy(window.begin(), window.end(), in.begin());
    autocorrelate();
    std::vector<double> window_acf(frame / 2 + 1);
    for (std::size_t k = 0; k < window_acf.size(); ++k) window_acf[k] = acf[k] / acf[0];

    const auto lag_min = static_cast<std::size_t>(std::floor(rate / k_pitch_max_hz));
    const auto lag_max =
        std::min(frame / 2, static_cast<std::size_t>(std::ceil(rate / k_pitch_min_hz)));
    const std::size_t count = x.size() >= frame ? (x.size() - frame) / hop + 1 : 0;
    std::vector<double> energy(count);
    double loudest = 0.0;
    for (std::size_t t = 0; t < count; ++t) {
        double e = 0.0;
        for (std::size_t i = 0; i < frame; ++i)
            e += static_cast<double>(x[t * hop + i]) * x[t * hop + i];
        energy[t] = e;
        loudest = std::max(loudest, e);
    }
    const double active_floor = loudest * std::pow(10.0, -k_active_range_db / 10.0);
    std::vector<double> r(lag_max + 2, 0.0);
    for (std::size_t t = 0; t < count; ++t) {
        if (energy[t] <= 0.0 || energy[t] < active_floor) continue;
        ++out.active_frames;
        for (std::size_t i = 0; i < frame; ++i) in[i] = x[t * hop + i] * window[i];
        autocorrelate();
        if (acf[0] <= 0.0f) continue;
        for (std::size_t k = 0; k <= lag_max + 1 && k < window_acf.size(); ++k)
            r[k] = window_acf[k] > 0.05 ? acf[k] / acf[0] / window_acf[k] : 0.0;
        double best = 0.0;
        for (std::size_t k = lag_min + 1; k < lag_max; ++k)
            if (r[k] > r[k - 1] && r[k] >= r[k + 1]) best = std::max(best, r[k]);
        if (best < k_pitch_clarity) continue;
        // The shortest lag whose peak is nearly as high as the best: avoids octave-down errors.
        for (std::size_t k = lag_min + 1; k < lag_max; ++k) {
            if (r[k] > r[k - 1] && r[k] >= r[k + 1] && r[k] >= 0.9 * best) {
                const double denom = r[k - 1] - 2.0 * r[k] + r[k + 1];
                const double shift = denom < 0 ? 0.5 * (r[k - 1] - r[k + 1]) / denom : 0.0;
                out.f0_hz.push_back(rate / (static_cast<double>(k) + shift));
                break;
            }
        }
    }
    return out;
}

void pitch(const PitchTrack& p, TrackFeatures& f) {
    f.pitch_presence = p.active_frames > 0 ? static_cast<double>(p.f0_hz.size()) /
                                                 static_cast<double>(p.active_frames)
                                           : 0.0;
    if (!p.f0_hz.empty()) {
        f.median_f0_hz = percentile(p.f0_hz, 0.5);
        f.low_f0_hz = percentile(p.f0_hz, 0.1);
    }
}

void rumble(const LongSpectrum& s, TrackFeatures& f) {
    constexpr double k_min_hz = 5.0;  // below this is DC drift, measured elsewhere
    const bool pitched = f.pitch_presence >= 0.3 && f.low_f0_hz > 0.0;
    f.rumble_cutoff_hz = pitched ? std::clamp(0.5 * f.low_f0_hz, 25.0, 80.0) : 40.0;
    double loudest = k_neg_inf;
    for (const auto& b : f.spectrum_third_octave) loudest = std::max(loudest, b.db);
    double p = 0.0, weighted = 0.0;
    const auto k_lo = static_cast<std::size_t>(std::ceil(k_min_hz / s.bin_hz));
    const auto k_hi = std::min(s.power.size(),
                               static_cast<std::size_t>(std::ceil(f.rumble_cutoff_hz / s.bin_hz)));
    for (std::size_t k = k_lo; k < k_hi; ++k) {
        p += s.power[k];
        weighted += s.power[k] * static_cast<double>(k) * s.bin_hz;
    }
    f.rumble_db = std::isfinite(loudest) ? to_db_power(p * s.scale) - loudest : k_neg_inf;
    f.rumble_hz = p > 0 ? weighted / p : 0.0;
}

void transients(const TimePass& t, TrackFeatures& f) {
    // An onset: a 10 ms block 9 dB above the mean of the 100 ms before it (steady noise, whose
    // 10 ms blocks scatter by a few dB, does not get there).
    constexpr double k_rise_db = 9.0;
    constexpr std::size_t k_lookback = 10, k_attack = 2, k_body = 10, k_refractory = 5;
    const auto& p = t.mono_power;
    double loudest = 0.0;
    for (double v : p) loudest = std::max(loudest, v);
    if (loudest <= 0.0) return;
    const double floor = loudest * std::pow(10.0, -k_active_range_db / 10.0);
    std::vector<double> contrast;
    std::size_t onsets = 0, last = 0, first_active = p.size(), last_active = 0;
    for (std::size_t b = 0; b < p.size(); ++b) {
        if (p[b] >= floor) {
            first_active = std::min(first_active, b);
            last_active = b;
        }
        if (b < k_lookback || p[b] < floor || (onsets > 0 && b - last < k_refractory)) continue;
        double before = 0.0;
        for (std::size_t k = b - k_lookback; k < b; ++k) before += p[k];
        before /= static_cast<double>(k_lookback);
        if (p[b] < before * std::pow(10.0, k_rise_db / 10.0)) continue;
        ++onsets;
        last = b;
        if (b + k_attack + k_body > p.size()) continue;
        double attack = 0.0, body = 0.0;
        for (std::size_t k = b; k < b + k_attack; ++k) attack = std::max(attack, p[k]);
        for (std::size_t k = b + k_attack; k < b + k_attack + k_body; ++k) body += p[k];
        body /= static_cast<double>(k_body);
        if (body > 0.0) contrast.push_back(10.0 * std::log10(attack / body));
    }
    const double active_s = first_active <= last_active
                                ? static_cast<double>(last_active + 1 - first_active) *
                                      static_cast<double>(t.block_frames) / f.sample_rate_hz
                                : 0.0;
    f.onset_rate_per_s = active_s > 0 ? static_cast<double>(onsets) / active_s : 0.0;
    f.transient_to_body_db = contrast.empty() ? 0.0 : percentile(contrast, 0.5);
}

void distortion(const TimePass& t, const LongSpectrum& s, TrackFeatures& f) {
    // Frame crest of the mono sum over 50 ms frames within 30 dB of the loudest frame.
    std::vector<std::pair<double, double>> frames;  // {power, peak}
    double loudest = 0.0;
    for (std::size_t b = 0; b + k_blocks_per_crest_frame <= t.mono_power.size();
         b += k_blocks_per_crest_frame) {
        double p = 0.0, pk = 0.0;
        for (int k = 0; k < k_blocks_per_crest_frame; ++k) {
            p += t.mono_power[b + static_cast<std::size_t>(k)];
            pk = std::max(pk, t.mono_peak[b + static_cast<std::size_t>(k)]);
        }
        p /= k_blocks_per_crest_frame;
        frames.emplace_back(p, pk);
        loudest = std::max(loudest, p);
    }
    std::vector<double> crest;
    for (const auto& [p, pk] : frames)
        if (p > 0.0 && p >= loudest * 1e-3) crest.push_back(gain_to_db(pk) - to_db_power(p));
    auto& m = f.distortion;
    m.frame_crest_db = crest.empty() ? 0.0 : percentile(crest, 0.5);
    m.spectral_flatness = s.median_flatness;
    if (f.median_f0_hz > 0.0) {
        const double all = band_power(s, s.power, 20.0, f.sample_rate_hz / 2);
        const double upper = band_power(s, s.power, 3.5 * f.median_f0_hz, f.sample_rate_hz / 2);
        m.harmonic_richness = all > 0 ? upper / all : 0.0;
    }
    // Two routes to "driven": (a) a pitched part whose waveform is flattened (crest well under a
    // sawtooth's 4.8 dB) while rich in harmonics, as a saturated single-note line; (b) a dense,
    // noise-like spectrum of intermodulation products at a moderate crest, as driven chords.
    // Noise-like sources with a high crest (hats, breath) and sines (no harmonics) score 0.
    const bool pitched = f.pitch_presence >= 0.3;
    const double flat_wave = std::clamp((6.5 - m.frame_crest_db) / 5.0, 0.0, 1.0);
    const double rich = pitched ? std::clamp(m.harmonic_richness / 0.05, 0.0, 1.0) : 0.0;
    const double moderate_crest = std::clamp((9.0 - m.frame_crest_db) / 5.0, 0.0, 1.0);
    const double dense = std::clamp((m.spectral_flatness - 0.1) / 0.2, 0.0, 1.0);
    f.distortion_score = std::max(flat_wave * rich, moderate_crest * dense);
}

void sibilance(const TimePass& t, const LongSpectrum& s, TrackFeatures& f) {
    f.sibilance_db = k_neg_inf;
    if (!t.has_sibilance_band) return;
    double loudest = 0.0;
    for (double v : t.mono_power) loudest = std::max(loudest, v);
    if (loudest <= 0.0) return;
    const double floor = loudest * std::pow(10.0, -k_active_range_db / 10.0);
    std::vector<double> active_db, sibilant_db;
    for (std::size_t b = 0; b < t.mono_power.size(); ++b) {
        if (t.mono_power[b] < floor) continue;
        active_db.push_back(to_db_power(t.mono_power[b]));
        if (t.sibilant_power[b] >= t.mono_power[b] / 3.0)
            sibilant_db.push_back(to_db_power(t.sibilant_power[b]));
    }
    if (sibilant_db.empty()) return;
    f.sibilance_db = percentile(sibilant_db, 0.95) - percentile(active_db, 0.5);
    const auto sm = smooth_octaves(s.power, 1.0 / 6.0);
    const auto k_lo = static_cast<std::size_t>(std::ceil(k_sibilance_lo_hz / s.bin_hz));
    const auto k_hi =
        std::min(sm.size() - 1, static_cast<std::size_t>(k_sibilance_hi_hz / s.bin_hz));
    std::size_t best = k_lo;
    for (std::size_t k = k_lo; k <= k_hi; ++k)
        if (sm[k] > sm[best]) best = k;
    f.sibilance_hz = static_cast<double>(best) * s.bin_hz;
}

void phrases(const TimePass& t, TrackFeatures& f) {
    const auto& p = t.block_power;
    const double block_s = static_cast<double>(t.block_frames) / f.sample_rate_hz;
    std::vector<double> db(p.size());
    for (std::size_t b = 0; b < p.size(); ++b) db[b] = p[b] > 0 ? to_db_power(p[b]) : -200.0;
    if (db.empty()) return;
    // Activity threshold between the floor and the phrases: halfway in dB, but never more than
    // 40 dB under the loud blocks. A part without a distinct floor (less than 12 dB between the
    // 10th and 90th percentiles) is active wherever it is within 40 dB.
    const double floor = percentile(db, 0.1), top = percentile(db, 0.9);
    const double threshold = top - floor < 12.0
                                 ? top - k_active_range_db
                                 : std::max(floor + 0.5 * (top - floor), top - k_active_range_db);
    const auto min_gap = static_cast<std::size_t>(std::lround(k_min_gap_s / block_s));
    const auto margin = static_cast<std::size_t>(std::lround(k_gap_margin_s / block_s));
    const auto min_phrase = static_cast<std::size_t>(std::lround(k_min_phrase_s / block_s));
    // Runs of active blocks, merged across gaps shorter than 250 ms.
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end)
    for (std::size_t b = 0; b < db.size(); ++b) {
        if (db[b] < threshold) continue;
        if (!runs.empty() && b - runs.back().second < min_gap)
            runs.back().second = b + 1;
        else
            runs.emplace_back(b, b + 1);
    }
    std::erase_if(runs, [&](const auto& r) { return r.second - r.first < min_phrase; });
    std::vector<double> levels;
    for (const auto& [b0, b1] : runs) {
        double sum = 0.0;
        for (std::size_t b = b0; b < b1; ++b) sum += p[b];
        const double level = to_db_power(sum / static_cast<double>(b1 - b0));
        f.phrases.push_back(
            {static_cast<double>(b0) * block_s, static_cast<double>(b1) * block_s, level});
        levels.push_back(level);
    }
    // Gaps: everything outside phrases, 50 ms away from their edges (decays and pre-echo).
    std::vector<bool> in_gap(db.size(), true);
    for (const auto& [b0, b1] : runs)
        for (std::size_t b = b0 > margin ? b0 - margin : 0; b < std::min(db.size(), b1 + margin);
             ++b)
            in_gap[b] = false;
    std::vector<double> gap_power, gap_db;
    for (std::size_t b = 0; b < db.size(); ++b)
        if (in_gap[b]) {
            gap_power.push_back(p[b]);
            gap_db.push_back(db[b]);
        }
    f.gap_s = static_cast<double>(gap_power.size()) * block_s;
    f.gap_floor_dbfs = mean_power_db(gap_power);
    if (!gap_db.empty()) {
        double mean = 0.0, var = 0.0;
        for (double v : gap_db) mean += v;
        mean /= static_cast<double>(gap_db.size());
        for (double v : gap_db) var += (v - mean) * (v - mean);
        f.gap_steadiness_db = std::sqrt(var / static_cast<double>(gap_db.size()));
    }
    f.noise_between_phrases = !runs.empty() && f.gap_s >= k_min_gap_total_s &&
                              f.gap_floor_dbfs > k_audible_gap_dbfs &&
                              f.gap_steadiness_db < k_steady_gap_db;
    if (levels.empty()) {
        f.phrase_level_dbfs = k_neg_inf;
        return;
    }
    f.phrase_level_dbfs = percentile(levels, 0.5);
    f.level_spread_db = *std::max_element(levels.begin(), levels.end()) - f.phrase_level_dbfs;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        std::vector<double> neighbours;
        const std::size_t lo = i > k_uneven_neighbours ? i - k_uneven_neighbours : 0;
        for (std::size_t j = lo; j < std::min(levels.size(), i + k_uneven_neighbours + 1); ++j)
            if (j != i) neighbours.push_back(levels[j]);
        if (neighbours.size() >= 2 &&
            std::fabs(levels[i] - percentile(neighbours, 0.5)) > k_uneven_db)
            f.uneven_phrases.push_back(i);
    }
}

}  // namespace

TrackFeatures analyze_track(const AudioBuffer& audio) {
    if (audio.channels() < 1 || audio.channels() > 2)
        throw Error(ErrorKind::input_invalid, "track analysis takes mono or stereo audio, not " +
                                                  std::to_string(audio.channels()) + " channels");
    if (!(audio.sample_rate_hz() >= 8000.0))
        throw Error(ErrorKind::input_invalid,
                    "track analysis needs a sample rate of at least 8 kHz");
    TrackFeatures f;
    f.sample_rate_hz = audio.sample_rate_hz();
    f.channels = audio.channels();
    f.frames = audio.frames();
    f.duration_s = audio.duration_s();
    {
        // Loudness only: the peaks come from the level pass (sample peak), and no caller reads a
        // track's true peak.
        LoudnessMeter meter(audio.sample_rate_hz(), audio.channels(), PeakMetering::skipped);
        meter.add(audio);
        f.integrated_lufs = meter.result().integrated_lufs;
    }

    TimePass t = level_pass(audio);
    levels(t, f);
    f.silent = !(f.peak_dbfs >= k_silent_peak_dbfs);
    if (f.silent) {
        f.sibilance_db = k_neg_inf;
        f.gap_floor_dbfs = k_neg_inf;
        f.phrase_level_dbfs = k_neg_inf;
        f.rumble_db = k_neg_inf;
        return f;
    }
    mono_pass(audio, t);
    const LongSpectrum s = long_spectrum(t.mono, f.sample_rate_hz);
    spectrum(s, f.sample_rate_hz, f);
    pitch(pitch_track(t.mono, f.sample_rate_hz), f);
    rumble(s, f);
    transients(t, f);
    distortion(t, s, f);
    sibilance(t, s, f);
    resonances(s, f);
    phrases(t, f);
    return f;
}

}  // namespace secondear::analysis
