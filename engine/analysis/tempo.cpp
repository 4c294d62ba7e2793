#include "analysis/tempo.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>

#include "analysis/fft.hpp"

namespace secondear::analysis {
namespace {

constexpr int k_comb_harmonics = 4;
constexpr double k_grid_ratio = 1.0025;   // 0.25% tempo steps, 8x finer than the 2% target
constexpr double k_triple_margin = 1.25;  // 3/4 must beat 4/4's downbeat contrast by this factor

// Autocorrelation of the mean-removed onset strength, lags 0..max_lag, scaled so lag 0 is 1.
std::vector<double> autocorrelation(const std::vector<float>& x, std::size_t max_lag) {
    const std::size_t n = x.size();
    int size = 1;
    while (static_cast<std::size_t>(size) < 2 * n) size *= 2;
    const double mean =
        std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(std::max<std::size_t>(n, 1));
    std::vector<float> padded(static_cast<std::size_t>(size), 0.0f);
    for (std::size_t i = 0; i < n; ++i) padded[i] = static_cast<float>(x[i] - mean);
    RealFft fft(size);
    std::vector<std::complex<float>> spectrum(static_cast<std::size_t>(fft.bins()));
    fft.forward(padded, spectrum);
    for (auto& c : spectrum) c = std::complex<float>(std::norm(c), 0.0f);  // Wiener-Khinchin
    fft.inverse(spectrum, padded);
    std::vector<double> acf(std::min(max_lag + 1, n), 0.0);
    const double zero = padded[0];
    for (std::size_t l = 0; l < acf.size(); ++l) acf[l] = zero > 0.0 ? padded[l] / zero : 0.0;
    return acf;
}

double interpolate(const std::vector<double>& v, double pos) {
    if (pos < 0.0 || pos > static_cast<double>(v.size() - 1)) return 0.0;
    const auto i = static_cast<std::size_t>(pos);
    if (i + 1 >= v.size()) return v[i];
    const double frac = pos - static_cast<double>(i);
    return v[i] * (1.0 - frac) + v[i + 1] * frac;
}

double comb_score(const std::vector<double>& acf, double period) {
    double s = 0.0;
    for (int h = 1; h <= k_comb_harmonics; ++h) s += interpolate(acf, h * period);
    return s;
}

// Octave check. The prior decides between a tempo and its double when their comb scores are
// close, but the onset strength may be periodic at the faster period itself: then the slower
// reading's extra evidence, the autocorrelation at the even multiples of the fast period, is no
// stronger than at the odd ones, and the faster period is the fundamental. Decided by comparing
// the means of the odd and even multiples 1..2 * k_comb_harmonics: the slower reading stands
// only if the even mean is higher by more than two standard errors (Welch; the 95% rule).
bool is_fundamental(const std::vector<double>& acf, double fast_period) {
    std::vector<double> odd, even;
    for (int h = 1; h <= 2 * k_comb_harmonics; ++h)
        (h % 2 ? odd : even).push_back(interpolate(acf, h * fast_period));
    auto mean_var = [](const std::vector<double>& v) {
        const double n = static_cast<double>(v.size());
        const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
        double ss = 0.0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return std::pair{mean, ss / (n - 1.0)};
    };
    const auto [odd_mean, odd_var] = mean_var(odd);
    const auto [even_mean, even_var] = mean_var(even);
    const double standard_error = std::sqrt(odd_var / static_cast<double>(odd.size()) +
                                            even_var / static_cast<double>(even.size()));
    return odd_mean > 0.0 && even_mean - odd_mean < 2.0 * standard_error;
}

struct TempoEstimate {
    double period_frames = 0.0;
    double confidence = 0.0;
};

TempoEstimate estimate_period(const std::vector<float>& onset, double hop_s,
                              const TempoOptions& opt) {
    const double max_period = 60.0 / (opt.min_bpm * hop_s);
    const auto max_lag = static_cast<std::size_t>(std::ceil(k_comb_harmonics * max_period)) + 2;
    const auto acf = autocorrelation(onset, max_lag);
    if (acf.size() < 3) return {};
    std::vector<double> bpms, scores;
    for (double bpm = opt.min_bpm; bpm <= opt.max_bpm; bpm *= k_grid_ratio) {
        const double period = 60.0 / (bpm * hop_s);
        const double octaves = std::log2(bpm / opt.prior_centre_bpm) / opt.prior_octaves;
        const double prior = std::exp(-0.5 * octaves * octaves);
        bpms.push_back(bpm);
        scores.push_back(std::max(0.0, comb_score(acf, period)) * prior);
    }
    const auto best =
        static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    if (scores[best] <= 0.0) return {};
    // Parabolic refinement on the log-tempo grid.
    double log_bpm = std::log(bpms[best]);
    if (best > 0 && best + 1 < scores.size()) {
        const double a = scores[best - 1], b = scores[best], c = scores[best + 1];
        const double denom = a - 2.0 * b + c;
        if (denom < 0.0) log_bpm += 0.5 * (a - c) / denom * std::log(k_grid_ratio);
    }
    double period = 60.0 / (std::exp(log_bpm) * hop_s);
    while (60.0 / (0.5 * period * hop_s) <= opt.max_bpm && is_fundamental(acf, 0.5 * period))
        period *= 0.5;
    const double periodicity = comb_score(acf, period) / k_comb_harmonics;
    return {period, std::clamp(periodicity, 0.0, 1.0)};
}

// Ellis 2007: C(t) = O(t) + max_tau [C(tau) - tightness * log((t - tau) / period)^2].
std::vector<std::size_t> track_beats(const std::vector<float>& onset, double period,
                                     double tightness) {
    const std::size_t n = onset.size();
    // Local score: onset strength smoothed by a Gaussian of period / 32 (Ellis's choice).
    const double sigma = std::max(0.5, period / 32.0);
    const int radius = static_cast<int>(std::ceil(3.0 * sigma));
    std::vector<double> local(n, 0.0);
    for (std::size_t t = 0; t < n; ++t) {
        double s = 0.0;
        for (int d = -radius; d <= radius; ++d) {
            const auto i = static_cast<std::ptrdiff_t>(t) + d;
            if (i < 0 || i >= static_cast<std::ptrdiff_t>(n)) continue;
            s += onset[static_cast<std::size_t>(i)] * std::exp(-0.5 * d * d / (sigma * sigma));
        }
        local[t] = s;
    }
    const auto min_back = static_cast<std::ptrdiff_t>(std::lround(period / 2.0));
    const auto max_back = static_cast<std::ptrdiff_t>(std::lround(2.0 * period));
    std::vector<double> penalty(static_cast<std::size_t>(max_back + 1), 0.0);
    for (std::ptrdiff_t d = std::max<std::ptrdiff_t>(1, min_back); d <= max_back; ++d) {
        const double r = std::log(static_cast<double>(d) / period);
        penalty[static_cast<std::size_t>(d)] = -tightness * r * r;
    }
    std::vector<double> score(n, 0.0);
    std::vector<std::ptrdiff_t> back(n, -1);
    for (std::size_t t = 0; t < n; ++t) {
        double best = 0.0;
        std::ptrdiff_t arg = -1;
        const auto ti = static_cast<std::ptrdiff_t>(t);
        for (std::ptrdiff_t d = std::max<std::ptrdiff_t>(1, min_back); d <= max_back && d <= ti;
             ++d) {
            const double s =
                score[static_cast<std::size_t>(ti - d)] + penalty[static_cast<std::size_t>(d)];
            if (s > best) {
                best = s;
                arg = ti - d;
            }
        }
        score[t] = local[t] + best;
        back[t] = arg;
    }
    // The last beat: the best cumulative score within the final period.
    const std::size_t tail = std::min(n, static_cast<std::size_t>(std::ceil(period)));
    std::size_t last = n - tail;
    for (std::size_t t = n - tail; t < n; ++t)
        if (score[t] > score[last]) last = t;
    std::vector<std::size_t> beats;
    for (std::ptrdiff_t t = static_cast<std::ptrdiff_t>(last); t >= 0;
         t = back[static_cast<std::size_t>(t)])
        beats.push_back(static_cast<std::size_t>(t));
    std::reverse(beats.begin(), beats.end());

    // Drop beats before the music starts and after it ends (no onset within a period).
    const auto reach = static_cast<std::size_t>(std::ceil(period));
    auto has_onset_near = [&](std::size_t b) {
        const std::size_t lo = b > reach ? b - reach : 0;
        const std::size_t hi = std::min(n, b + reach + 1);
        return std::any_of(onset.begin() + static_cast<std::ptrdiff_t>(lo),
                           onset.begin() + static_cast<std::ptrdiff_t>(hi),
                           [](float v) { return v > 0.5f; });
    };
    while (!beats.empty() && !has_onset_near(beats.front())) beats.erase(beats.begin());
    while (!beats.empty() && !has_onset_near(beats.back())) beats.pop_back();
    return beats;
}

// Moves a beat to the strongest onset within +-2 frames, then to the parabolic peak.
double refine_beat(const std::vector<float>& onset, std::size_t frame) {
    const std::size_t n = onset.size();
    std::size_t best = frame;
    for (std::size_t t = frame > 2 ? frame - 2 : 0; t <= std::min(n - 1, frame + 2); ++t)
        if (onset[t] > onset[best]) best = t;
    double pos = static_cast<double>(best);
    if (best > 0 && best + 1 < n) {
        const double a = onset[best - 1], b = onset[best], c = onset[best + 1];
        const double denom = a - 2.0 * b + c;
        if (denom < 0.0) pos += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
    }
    return pos;
}

// Least-squares slope of beat time against beat number; skipped beats count as gaps.
double slope_period(const std::vector<double>& beats, double period) {
    const std::size_t n = beats.size();
    std::vector<double> index(n, 0.0);
    for (std::size_t i = 1; i < n; ++i)
        index[i] = index[i - 1] + std::max(1.0, std::round((beats[i] - beats[i - 1]) / period));
    const double mx = std::accumulate(index.begin(), index.end(), 0.0) / static_cast<double>(n);
    const double my = std::accumulate(beats.begin(), beats.end(), 0.0) / static_cast<double>(n);
    double sxy = 0.0, sxx = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        sxy += (index[i] - mx) * (beats[i] - my);
        sxx += (index[i] - mx) * (index[i] - mx);
    }
    return sxx > 0.0 ? sxy / sxx : period;
}

struct Meter {
    int beats_per_bar = 4;
    int phase = 0;
};

Meter find_meter(const SpectralFrames& frames, const std::vector<std::size_t>& beat_frames) {
    const std::size_t nb = beat_frames.size();
    if (nb < 8) return {};
    const std::size_t n = frames.frames();
    std::vector<double> low(nb, 0.0), change(nb, 0.0);
    std::vector<std::array<double, k_pitch_classes>> seg(nb + 1);
    for (std::size_t k = 0; k <= nb; ++k) {
        const std::size_t lo = k == 0 ? 0 : beat_frames[k - 1];
        const std::size_t hi = k == nb ? n : beat_frames[k];
        auto& c = seg[k];
        c.fill(0.0);
        for (std::size_t t = lo; t < hi; ++t)
            for (std::size_t p = 0; p < k_pitch_classes; ++p) c[p] += frames.chroma[t][p];
        const double norm = std::sqrt(std::inner_product(c.begin(), c.end(), c.begin(), 0.0));
        if (norm > 0.0)
            for (double& v : c) v /= norm;
    }
    for (std::size_t k = 0; k < nb; ++k) {
        const std::size_t b = beat_frames[k];
        for (std::size_t t = b > 2 ? b - 2 : 0; t <= std::min(n - 1, b + 2); ++t)
            low[k] = std::max(low[k], static_cast<double>(frames.low_onset_strength[t]));
        // seg[k] is the beat before beat k, seg[k + 1] the beat starting at it.
        change[k] = 1.0 - std::inner_product(seg[k].begin(), seg[k].end(), seg[k + 1].begin(), 0.0);
    }
    auto normalise = [](std::vector<double>& v) {
        const double mean =
            std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        if (mean > 0.0)
            for (double& x : v) x /= mean;
    };
    normalise(low);
    normalise(change);

    auto contrast_for = [&](int m, int& best_phase) {
        std::vector<double> sum(static_cast<std::size_t>(m), 0.0),
            cnt(static_cast<std::size_t>(m), 0.0);
        for (std::size_t k = 0; k < nb; ++k) {
            sum[k % static_cast<std::size_t>(m)] += low[k] + change[k];
            cnt[k % static_cast<std::size_t>(m)] += 1.0;
        }
        for (std::size_t p = 0; p < sum.size(); ++p) sum[p] /= std::max(1.0, cnt[p]);
        best_phase = static_cast<int>(std::max_element(sum.begin(), sum.end()) - sum.begin());
        double others = 0.0;
        for (std::size_t p = 0; p < sum.size(); ++p)
            if (static_cast<int>(p) != best_phase) others += sum[p];
        others /= (m - 1);
        return others > 0.0 ? sum[static_cast<std::size_t>(best_phase)] / others : 1.0;
    };
    int phase4 = 0, phase3 = 0;
    const double c4 = contrast_for(4, phase4);
    const double c3 = contrast_for(3, phase3);
    if (c3 > k_triple_margin * c4) return {3, phase3};
    return {4, phase4};
}

}  // namespace

TempoResult analyze_tempo(const AudioBuffer& audio, const TempoOptions& options) {
    return analyze_tempo(compute_spectral_frames(audio), options);
}

TempoResult analyze_tempo(const SpectralFrames& frames, const TempoOptions& options) {
    TempoResult out;
    out.hop_s = frames.hop_s;
    out.onset_strength.assign(frames.onset_strength.begin(), frames.onset_strength.end());
    const auto estimate = estimate_period(frames.onset_strength, frames.hop_s, options);
    // Fewer than four periods of audio: no meaningful pulse.
    if (estimate.period_frames <= 0.0 ||
        static_cast<double>(frames.frames()) < 4.0 * estimate.period_frames)
        return out;
    const auto beat_frames =
        track_beats(frames.onset_strength, estimate.period_frames, options.tightness);
    out.confidence = estimate.confidence;
    for (std::size_t b : beat_frames)
        out.beats_s.push_back(refine_beat(frames.onset_strength, b) * frames.hop_s);
    const double period_s = estimate.period_frames * frames.hop_s;
    out.tempo_bpm =
        out.beats_s.size() >= 4 ? 60.0 / slope_period(out.beats_s, period_s) : 60.0 / period_s;
    const Meter meter = find_meter(frames, beat_frames);
    out.beats_per_bar = meter.beats_per_bar;
    for (std::size_t k = static_cast<std::size_t>(meter.phase); k < out.beats_s.size();
         k += static_cast<std::size_t>(meter.beats_per_bar))
        out.downbeats_s.push_back(out.beats_s[k]);
    return out;
}

}  // namespace secondear::analysis
