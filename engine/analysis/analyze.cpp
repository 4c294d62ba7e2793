#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/fft.hpp"
#include "core/units.hpp"

namespace secondear::analysis {
namespace {

constexpr double k_neg_inf = -std::numeric_limits<double>::infinity();

// GCC/Clang vector extensions (two doubles, four floats: one SSE2 register). Each lane does the
// scalar operation; GCC does not vectorise floating-point reductions by itself (it would have to
// reorder the additions), which most of these loops are.
using Pair = double __attribute__((vector_size(16)));
using Float4 = float __attribute__((vector_size(16)));

Float4 load(const float* p) noexcept {
    Float4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

void store(float* p, Float4 v) noexcept {
    std::memcpy(p, &v, sizeof v);
}
// A sample at or above this magnitude is "at full scale" (-0.0009 dBFS: the largest 16-bit
// positive value, 32767/32768, is above it).
constexpr float k_full_scale = 0.9999f;
constexpr double k_silence_window_s = 0.050;
constexpr double k_silence_dbfs = -70.0;

/// FFT length for the long-term spectrum: about 2.7 Hz per bin at any rate, so the 20 and 25 Hz
/// third-octave bands (4.6 and 5.8 Hz wide) hold at least one bin.
int spectrum_fft_size(double sample_rate_hz) {
    int n = 1024;
    while (sample_rate_hz / n > 2.7) n *= 2;
    return n;
}

}  // namespace

const std::vector<double>& third_octave_centres_hz() {
    static const std::vector<double> centres = {20,   25,   31.5, 40,    50,    63,    80,   100,
                                                125,  160,  200,  250,   315,   400,   500,  630,
                                                800,  1000, 1250, 1600,  2000,  2500,  3150, 4000,
                                                5000, 6300, 8000, 10000, 12500, 16000, 20000};
    return centres;
}

struct Analyzer::Impl {
    double sample_rate_hz;
    int channels;
    std::size_t frames = 0;
    LoudnessMeter loudness;

    // Whole-file sums (double: 10^7 squares of float keep ~1e-9 relative precision).
    double sum_sq_all = 0.0;
    double sum_ll = 0.0, sum_rr = 0.0, sum_lr = 0.0;
    std::vector<double> sum_per_channel;
    float peak = 0.0f;

    // Clipping runs per channel.
    std::vector<std::size_t> run_length;
    ClippingResult clipping;

    // 50 ms RMS windows (mean over channels), for noise floor and silence.
    std::size_t window_frames;
    std::size_t window_fill = 0;
    double window_sum_sq = 0.0;
    std::vector<double> window_db;

    // Long-term average spectrum: Hann frames, 50% overlap, power averaged over channels.
    RealFft fft;
    std::vector<float> window;
    std::vector<std::vector<float>> frame_buffer;  // per channel, fft.size() samples
    std::size_t frame_fill = 0;
    std::size_t new_since_fft = 0;
    std::vector<double> bin_power;     // sum over frames and channels of |X_k|^2
    double window_energy_sum = 0.0;    // sum over frames and channels of sum(w^2) on real samples
    double full_window_energy = -1.0;  // sum(w^2) over a whole frame; < 0 until first needed
    std::vector<float> scratch_in;
    std::vector<std::complex<float>> scratch_out;

    Impl(double rate, int ch)
        : sample_rate_hz(rate),
          channels(ch),
          loudness(rate, ch),
          sum_per_channel(static_cast<std::size_t>(ch), 0.0),
          run_length(static_cast<std::size_t>(ch), 0),
          window_frames(static_cast<std::size_t>(std::llround(k_silence_window_s * rate))),
          fft(spectrum_fft_size(rate)) {
        const auto n = static_cast<std::size_t>(fft.size());
        window.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            window[i] = static_cast<float>(
                0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                     static_cast<double>(n)));
        frame_buffer.assign(static_cast<std::size_t>(ch), std::vector<float>(n, 0.0f));
        bin_power.assign(static_cast<std::size_t>(fft.bins()), 0.0);
        scratch_in.resize(n);
        scratch_out.resize(static_cast<std::size_t>(fft.bins()));
    }

    void close_run(std::size_t c) {
        if (run_length[c] >= 2) {
            clipping.runs += 1;
            clipping.clipped_samples += run_length[c];
            clipping.longest_run_samples = std::max(clipping.longest_run_samples, run_length[c]);
        }
        run_length[c] = 0;
    }

    void spectrum_frame(std::size_t valid) {
        const auto n = static_cast<std::size_t>(fft.size());
        // sum(w^2) over the valid samples: a serial chain of n additions, so the full frame's
        // value is summed once (same loop, same result) and reused.
        if (valid == n && full_window_energy < 0.0) full_window_energy = window_energy(n);
        const double w2 = valid == n ? full_window_energy : window_energy(valid);
        const float* w = window.data();
        float* in = scratch_in.data();
        for (int c = 0; c < channels; ++c) {
            const float* buf = frame_buffer[static_cast<std::size_t>(c)].data();
            std::size_t i = 0;
            for (; i + 4 <= valid; i += 4) store(in + i, load(buf + i) * load(w + i));
            for (; i < valid; ++i) in[i] = buf[i] * w[i];
            std::fill(in + valid, in + n, 0.0f);
            fft.forward(scratch_in, scratch_out);
            // |X_k|^2 in float as std::norm computes it (re * re + im * im), then summed in
            // double; two bins per vector: their four squares, each bin's two added (float
            // addition commutes exactly), widened and added to the two sums.
            const float* re_im = reinterpret_cast<const float*>(scratch_out.data());
            double* power = bin_power.data();
            const std::size_t bins = scratch_out.size();
            std::size_t k = 0;
            for (; k + 2 <= bins; k += 2) {
                const Float4 sq = load(re_im + 2 * k) * load(re_im + 2 * k);
                const Float4 norm = sq + __builtin_shufflevector(sq, sq, 1, 0, 3, 2);
                Pair sum;
                std::memcpy(&sum, power + k, sizeof sum);
                sum += Pair{norm[0], norm[2]};
                std::memcpy(power + k, &sum, sizeof sum);
            }
            for (; k < bins; ++k) {
                const float re = re_im[2 * k], im = re_im[2 * k + 1];
                power[k] += static_cast<double>(re * re + im * im);
            }
            window_energy_sum += w2;
        }
    }

    double window_energy(std::size_t valid) const {
        double w2 = 0.0;
        for (std::size_t i = 0; i < valid; ++i) w2 += static_cast<double>(window[i]) * window[i];
        return w2;
    }

    /// Clipping runs of one channel over a stretch that may contain full-scale samples.
    void scan_runs(std::size_t c, const float* x, std::size_t count) {
        for (std::size_t k = 0; k < count; ++k) {
            if (std::fabs(x[k]) >= k_full_scale)
                ++run_length[c];
            else if (run_length[c] > 0)
                close_run(c);
        }
    }

    /// Mono: the sums of one stretch; returns its sum of squares.
    double mono_sums(const float* const* data, std::size_t offset, std::size_t count) {
        const float* x = data[0] + offset;
        double sq = 0.0, sum = 0.0;
        float pk = 0.0f;
        for (std::size_t k = 0; k < count; ++k) {
            const double v = x[k];
            sq += v * v;
            sum += v;
            pk = std::max(pk, std::fabs(x[k]));
        }
        if (pk >= k_full_scale || run_length[0] > 0) scan_runs(0, x, count);
        sum_per_channel[0] += sum;
        peak = std::max(peak, pk);
        return sq;
    }

    // Both channels in the lanes of one Pair (lane 0 left, lane 1 right): each lane does exactly
    // the operations of a per-channel loop, in the same order, so the sums are bit-identical to
    // separate loops; one pass over both channels instead of three.

    /// Stereo: the sums of one stretch (per-channel squares, sums, peaks and the cross product
    /// L * R); returns the stretch's sum of squares over both channels.
    double stereo_sums(const float* const* data, std::size_t offset, std::size_t count) {
        const float* l = data[0] + offset;
        const float* r = data[1] + offset;
        Pair sq{}, sum{};
        double lr = 0.0;
        float pk_l = 0.0f, pk_r = 0.0f;
        for (std::size_t k = 0; k < count; ++k) {
            const Pair v = {l[k], r[k]};
            sq += v * v;
            sum += v;
            lr += v[0] * v[1];
            pk_l = std::max(pk_l, std::fabs(l[k]));
            pk_r = std::max(pk_r, std::fabs(r[k]));
        }
        if (pk_l >= k_full_scale || run_length[0] > 0) scan_runs(0, l, count);
        if (pk_r >= k_full_scale || run_length[1] > 0) scan_runs(1, r, count);
        sum_per_channel[0] += sum[0];
        sum_per_channel[1] += sum[1];
        peak = std::max({peak, pk_l, pk_r});
        // The squares of each channel are also its L*L (or R*R) sum.
        sum_ll += sq[0];
        sum_rr += sq[1];
        sum_lr += lr;
        return (0.0 + sq[0]) + sq[1];
    }

    // Works in stretches that end at the next 50 ms window or FFT frame boundary, with one plain
    // loop over the stretch (no per-sample branching: this runs on every render's output).
    void add(const float* const* data, std::size_t count) {
        loudness.add(data, count);
        const auto n = static_cast<std::size_t>(fft.size());
        const std::size_t hop = n / 2;
        for (std::size_t i = 0; i < count;) {
            const std::size_t chunk =
                std::min({count - i, window_frames - window_fill, n - frame_fill});
            const double chunk_sq =
                channels == 2 ? stereo_sums(data, i, chunk) : mono_sums(data, i, chunk);
            for (int c = 0; c < channels; ++c)
                std::copy(data[c] + i, data[c] + i + chunk,
                          frame_buffer[static_cast<std::size_t>(c)].begin() +
                              static_cast<std::ptrdiff_t>(frame_fill));
            sum_sq_all += chunk_sq;
            window_sum_sq += chunk_sq / channels;
            window_fill += chunk;
            if (window_fill == window_frames) {
                window_db.push_back(
                    power_to_db(window_sum_sq / static_cast<double>(window_frames)));
                window_fill = 0;
                window_sum_sq = 0.0;
            }
            new_since_fft += chunk;
            frame_fill += chunk;
            if (frame_fill == n) {
                spectrum_frame(n);
                for (auto& buf : frame_buffer)
                    std::copy(buf.begin() + static_cast<std::ptrdiff_t>(hop), buf.end(),
                              buf.begin());
                frame_fill = n - hop;
                new_since_fft = 0;
            }
            i += chunk;
        }
        frames += count;
    }

    Analysis finish() {
        for (std::size_t c = 0; c < run_length.size(); ++c) close_run(c);
        // The tail not yet covered by a full frame (or a file shorter than one frame).
        if (new_since_fft > 0 || window_energy_sum == 0.0) spectrum_frame(frame_fill);

        Analysis a;
        a.sample_rate_hz = sample_rate_hz;
        a.channels = channels;
        a.frames = frames;
        a.duration_s = static_cast<double>(frames) / sample_rate_hz;
        a.loudness = loudness.result();
        const double total = static_cast<double>(frames) * channels;
        a.rms_dbfs = power_to_db(total > 0 ? sum_sq_all / total : 0.0);
        a.crest_db = gain_to_db(peak) - a.rms_dbfs;
        a.plr_db = a.loudness.true_peak_dbtp - a.loudness.integrated_lufs;
        double dc = 0.0;
        for (double s : sum_per_channel)
            dc = std::max(dc, std::fabs(s) / std::max<double>(1.0, static_cast<double>(frames)));
        a.dc_offset_dbfs = gain_to_db(dc);
        if (channels == 2) {
            a.correlation = (sum_ll > 0 && sum_rr > 0) ? sum_lr / std::sqrt(sum_ll * sum_rr) : 1.0;
            // mid = (l+r)/2, side = (l-r)/2
            const double mid = sum_ll + sum_rr + 2 * sum_lr, side = sum_ll + sum_rr - 2 * sum_lr;
            a.side_mid_ratio_db = mid > 0 ? power_to_db(side / mid) : k_neg_inf;
        } else {
            a.correlation = 1.0;
            a.side_mid_ratio_db = k_neg_inf;
        }
        compute_spectrum(a);
        a.clipping = clipping;
        compute_floor(a);
        find_problems(a);
        return a;
    }

    void compute_spectrum(Analysis& a) const {
        const double n = fft.size();
        const double bin_hz = sample_rate_hz / n;
        // One-sided power: mean square in band = 2 * sum|X_k|^2 / (n * sum w^2) (Parseval).
        const double scale = window_energy_sum > 0 ? 2.0 / (n * window_energy_sum) : 0.0;
        double weighted = 0.0, total = 0.0;
        // Magnitude-weighted (the usual definition): power weighting would pin it to the bass.
        for (std::size_t k = 1; k < bin_power.size(); ++k) {
            const double magnitude = std::sqrt(bin_power[k]);
            weighted += magnitude * static_cast<double>(k) * bin_hz;
            total += magnitude;
        }
        a.spectral_centroid_hz = total > 0 ? weighted / total : 0.0;
        std::vector<double> xs, ys;
        for (double fc : third_octave_centres_hz()) {
            const double lo = fc * std::pow(2.0, -1.0 / 6.0), hi = fc * std::pow(2.0, 1.0 / 6.0);
            if (hi > sample_rate_hz / 2) break;
            double p = 0.0;
            const auto k_lo = static_cast<std::size_t>(std::ceil(lo / bin_hz));
            const auto k_hi =
                std::min(bin_power.size() - 1, static_cast<std::size_t>(std::floor(hi / bin_hz)));
            for (std::size_t k = std::max<std::size_t>(1, k_lo); k <= k_hi; ++k) p += bin_power[k];
            const double db = power_to_db(p * scale);
            a.spectrum_third_octave.push_back({fc, db});
            if (fc >= 50 && fc <= 16000 && std::isfinite(db)) {
                xs.push_back(std::log2(fc / 1000.0));
                ys.push_back(db);
            }
        }
        if (xs.size() >= 2) {
            const double mx =
                std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
            const double my =
                std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(ys.size());
            double sxy = 0, sxx = 0;
            for (std::size_t i = 0; i < xs.size(); ++i) {
                sxy += (xs[i] - mx) * (ys[i] - my);
                sxx += (xs[i] - mx) * (xs[i] - mx);
            }
            a.spectral_tilt_db_per_octave = sxx > 0 ? sxy / sxx : 0.0;
        }
    }

    void compute_floor(Analysis& a) const {
        std::vector<double> audible;
        std::size_t silent = 0;
        for (double db : window_db) {
            if (db < k_silence_dbfs)
                ++silent;
            else
                audible.push_back(db);
        }
        a.silence_s = static_cast<double>(silent) * k_silence_window_s;
        if (audible.empty()) {
            a.noise_floor_dbfs = k_neg_inf;
            return;
        }
        const auto idx = static_cast<std::size_t>(0.05 * static_cast<double>(audible.size() - 1));
        std::nth_element(audible.begin(), audible.begin() + static_cast<std::ptrdiff_t>(idx),
                         audible.end());
        a.noise_floor_dbfs = audible[idx];
    }

    void find_problems(Analysis& a) const {
        if (peak == 0.0f) {
            a.problems.push_back(
                {"SILENT", "The file is digital silence.", {{"duration_s", a.duration_s}}});
            return;
        }
        if (!std::isfinite(a.loudness.integrated_lufs))
            a.problems.push_back({"NEAR_SILENT",
                                  "Nothing in the file is loud enough to measure (below the "
                                  "-70 LUFS gate).",
                                  {{"sample_peak_dbfs", a.loudness.sample_peak_dbfs}}});
        if (a.clipping.runs > 0)
            a.problems.push_back(
                {"CLIPPING",
                 fmt::format("{} clipped samples in {} runs (longest {} samples): the waveform "
                             "was cut off at full scale; this cannot be undone, only hidden.",
                             a.clipping.clipped_samples, a.clipping.runs,
                             a.clipping.longest_run_samples),
                 {{"clipped_samples", static_cast<double>(a.clipping.clipped_samples)},
                  {"clipped_runs", static_cast<double>(a.clipping.runs)},
                  {"longest_run_samples", static_cast<double>(a.clipping.longest_run_samples)}}});
        // A full-scale sine reads up to +0.03 dBTP between samples: not worth a warning.
        if (a.loudness.true_peak_dbtp > 0.05)
            a.problems.push_back(
                {"TRUE_PEAK_OVER",
                 fmt::format("True peak is {:+.2f} dBTP: above full scale between samples, so "
                             "converters and lossy encoders will clip it.",
                             a.loudness.true_peak_dbtp),
                 {{"true_peak_dbtp", a.loudness.true_peak_dbtp}}});
        if (a.dc_offset_dbfs > -50.0)
            a.problems.push_back(
                {"DC_OFFSET",
                 fmt::format("DC offset of {:.1f} dBFS: wastes headroom and clicks at edits; a "
                             "high-pass filter removes it.",
                             a.dc_offset_dbfs),
                 {{"dc_offset_dbfs", a.dc_offset_dbfs}}});
        if (channels == 2 && a.correlation < 0.0)
            a.problems.push_back(
                {"PHASE_ANTI_CORRELATED",
                 fmt::format("Left and right are anti-correlated (correlation {:.2f}): the mix "
                             "will lose level and bass when summed to mono. Check a channel's "
                             "polarity.",
                             a.correlation),
                 {{"correlation", a.correlation}}});
        if (!a.spectrum_third_octave.empty()) {
            double sub = -1e9, loudest = -1e9;
            for (const auto& b : a.spectrum_third_octave) {
                if (b.hz <= 25) sub = std::max(sub, b.db);
                loudest = std::max(loudest, b.db);
            }
            // Music rarely has energy at 20-25 Hz within 6 dB of its loudest band; rumble does.
            if (std::isfinite(sub) && sub > loudest - 6.0)
                a.problems.push_back(
                    {"SUBSONIC_ENERGY",
                     fmt::format("Strong energy at 20-25 Hz ({:.1f} dB, {:.1f} dB below the "
                                 "loudest band): likely rumble or DC drift that eats headroom.",
                                 sub, loudest - sub),
                     {{"band_20_25hz_db", sub}, {"loudest_band_db", loudest}}});
        }
    }
};

Analyzer::Analyzer(double sample_rate_hz, int channels)
    : impl_(std::make_unique<Impl>(sample_rate_hz, channels)) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

void Analyzer::add(const float* const* channels, std::size_t frames) {
    impl_->add(channels, frames);
}
void Analyzer::add(const AudioBuffer& audio) {
    const float* planes[2] = {audio.channel(0).data(),
                              audio.channels() > 1 ? audio.channel(1).data() : nullptr};
    impl_->add(planes, audio.frames());
}
Analysis Analyzer::finish() {
    return impl_->finish();
}

Analysis analyze(const AudioBuffer& audio) {
    Analyzer analyzer(audio.sample_rate_hz(), audio.channels());
    analyzer.add(audio);
    return analyzer.finish();
}

}  // namespace secondear::analysis
