#include "dsp/compressor.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_sqrt_half = 0.7071067811865476;  // Butterworth Q for the sidechain filter
constexpr double k_stats_window_ms = 50.0;          // "is the input active" RMS window
constexpr double k_stats_floor_power = 1e-6;        // -60 dBFS as a power
// Below this a settled gain is set to exactly 0 dB: 1e-7 dB is 1.2e-8 in linear gain, under half
// a float ulp at full scale, so the snap is inaudible and invisible in the float output.
constexpr double k_snap_db = 1e-7;

// The per-frame conversions of the gain path (about 20% of a master render with libm's exp and
// log10). Both are exact range reductions plus a short series; errors checked against libm over
// their whole working range (worst measured over -120..+40 dBFS and -200..+20 dB: 2e-12 dB and
// 3e-13 relative, libm's own rounding included). They do not feed back into the smoother's state,
// so an error stays an error of one output sample's gain.

/// 10^(db / 20) for db in [-6000, 6000] (clamped). 2^t with t = n + f, n the nearest integer
/// (the add-and-subtract of 1.5 * 2^52 rounds to nearest), |f| <= 1/2; 2^f = e^u with
/// |u| <= ln(2) / 2 as a Taylor series to u^10 (remainder under 3e-13 relative); 2^n built in the
/// exponent bits. Two values at once (GCC/Clang vector extensions: two doubles, or two 64-bit
/// integers, in one SSE2 register; GCC does not vectorise the bit manipulations by itself). Each
/// lane does exactly the scalar operations, so a value's result does not depend on its neighbour.
using Pair = double __attribute__((vector_size(16)));
using Int2 = std::int64_t __attribute__((vector_size(16)));

Pair series_db_to_gain(Pair db) noexcept {
    constexpr double k_log2_per_db = 0.16609640474436813;  // log2(10) / 20
    constexpr double k_ln2 = 0.6931471805599453;
    constexpr double k_round = 6755399441055744.0;  // 1.5 * 2^52
    Pair t = db * k_log2_per_db;
    t = t < -1000.0 ? Pair{} - 1000.0 : t;  // std::clamp(t, -1000, 1000)
    t = 1000.0 < t ? Pair{} + 1000.0 : t;
    const Pair rounded = t + k_round;
    // n: the low 32 bits of the rounded value's bits, sign-extended.
    const Int2 low = reinterpret_cast<Int2>(rounded) & 0xffffffff;
    const Int2 n = (low ^ 0x80000000) - 0x80000000;
    const Pair u = (t - (rounded - k_round)) * k_ln2;
    // Horner form of sum u^k / k!, k = 0..10.
    const Pair e =
        1.0 +
        u * (1.0 + u * (1.0 / 2 +
                        u * (1.0 / 6 +
                             u * (1.0 / 24 +
                                  u * (1.0 / 120 +
                                       u * (1.0 / 720 + u * (1.0 / 5040 +
                                                             u * (1.0 / 40320 +
                                                                  u * (1.0 / 362880 +
                                                                       u * (1.0 / 3628800))))))))));
    const Pair scale = reinterpret_cast<Pair>((n + 1023) << 52);
    return e * scale;
}

/// 10 log10(power) for a normal, positive power. power = 2^e * m with m in [sqrt(1/2), sqrt(2)];
/// ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, series to s^13 (the next term is
/// under 2e-13 of ln m). Two values at once, as series_db_to_gain.
Pair series_power_to_db(Pair power) noexcept {
    constexpr double k_sqrt2 = 1.4142135623730951;
    constexpr double k_ln2 = 0.6931471805599453;
    constexpr double k_db_per_ln = 4.3429448190325175;  // 10 / ln(10)
    constexpr double k_round = 6755399441055744.0;      // 1.5 * 2^52
    const auto bits = reinterpret_cast<Int2>(power);
    Int2 exponent = ((bits >> 52) & 0x7ff) - 1023;
    Pair m = reinterpret_cast<Pair>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
    const Int2 high = m > k_sqrt2;  // -1 where true
    m = high ? 0.5 * m : m;
    exponent -= high;
    // The exponent as a double, exactly: its integer added to the bits of 1.5 * 2^52.
    const Pair e =
        reinterpret_cast<Pair>(exponent + reinterpret_cast<Int2>(Pair{} + k_round)) - k_round;
    const Pair s = (m - 1.0) / (m + 1.0);
    const Pair z = s * s;
    const Pair series =
        1.0 + z * (1.0 / 3 +
                   z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13))))));
    return k_db_per_ln * (e * k_ln2 + 2.0 * s * series);
}

/// Giannoulis et al. 2012, eq. 4 (see Compressor::gain_computer_db).
[[gnu::always_inline]] inline double soft_knee_gain_db(const CompressorParams& p,
                                                       double x_db) noexcept {
    const double over = x_db - p.threshold_db;
    const double slope = 1.0 / p.ratio - 1.0;  // <= 0
    if (2.0 * over < -p.knee_db) return 0.0;
    if (2.0 * std::abs(over) <= p.knee_db && p.knee_db > 0.0) {
        const double into = over + p.knee_db / 2.0;
        return slope * into * into / (2.0 * p.knee_db);
    }
    return slope * over;
}

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "compressor: " + what);
}

}  // namespace

double Compressor::gain_computer_db(const CompressorParams& p, double x_db) noexcept {
    return soft_knee_gain_db(p, x_db);
}

double Compressor::static_gain_db(const CompressorParams& p, double input_level_db) noexcept {
    const double wet = std::pow(10.0, (gain_computer_db(p, input_level_db) + p.makeup_db) / 20.0);
    return 20.0 * std::log10((1.0 - p.mix) + p.mix * wet);
}

void Compressor::validate(const CompressorParams& p, double sample_rate_hz) {
    check(p.threshold_db >= -80.0 && p.threshold_db <= 0.0, "threshold_db must be in [-80, 0]");
    check(p.ratio >= 1.0 && p.ratio <= 100.0, "ratio must be in [1, 100] (n:1)");
    check(p.knee_db >= 0.0 && p.knee_db <= 40.0, "knee_db must be in [0, 40]");
    check(p.attack_ms >= 0.0 && p.attack_ms <= 500.0, "attack_ms must be in [0, 500]");
    check(p.release_ms >= 0.0 && p.release_ms <= 5000.0, "release_ms must be in [0, 5000]");
    check(p.makeup_db >= -24.0 && p.makeup_db <= 40.0, "makeup_db must be in [-24, 40]");
    check(p.rms_window_ms > 0.0 && p.rms_window_ms <= 1000.0, "rms_window_ms must be in (0, 1000]");
    check(p.sidechain_high_pass_hz >= 0.0 && std::isfinite(p.sidechain_high_pass_hz),
          "sidechain_high_pass_hz must be >= 0 (0 = off)");
    if (sample_rate_hz > 0.0)
        check(p.sidechain_high_pass_hz < 0.49 * sample_rate_hz,
              "sidechain_high_pass_hz must be below 0.49 * sample rate");
    check(p.mix >= 0.0 && p.mix <= 1.0, "mix must be in [0, 1]");
}

void Compressor::set_params(const CompressorParams& params) {
    validate(params, sample_rate_hz_);
    params_ = params;
    if (sample_rate_hz_ > 0.0) configure();
}

void Compressor::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    reset();
}

void Compressor::configure() {
    const double sr = sample_rate_hz_;
    knee_start_power_ = std::pow(10.0, (params_.threshold_db - params_.knee_db / 2.0) / 10.0);
    makeup_lin_ = std::pow(10.0, params_.makeup_db / 20.0);
    stats_coeff_ = one_pole_coeff(k_stats_window_ms, sr);
    sidechain_on_ = params_.sidechain_high_pass_hz > 0.0;
    if (sidechain_on_)
        sidechain_ = design_high_pass(params_.sidechain_high_pass_hz, k_sqrt_half, sr);
    detector_coeff_ = one_pole_coeff(params_.rms_window_ms, sr);
    for (int c = 0; c < AudioView::k_max_channels; ++c)
        smoother_[c].prepare(params_.attack_ms, params_.release_ms, sr);
}

void Compressor::reset() noexcept {
    sidechain_s1_ = Pair{};
    sidechain_s2_ = Pair{};
    mean_square_ = Pair{};
    for (int c = 0; c < AudioView::k_max_channels; ++c) smoother_[c].reset(0.0);
    stats_mean_square_ = 0.0;
    max_gr_db_ = 0.0;
    sum_gr_db_ = 0.0;
    active_frames_ = 0;
}

void Compressor::target_gains_db(double* work, std::size_t frames) const noexcept {
    // Two frames per vector (an odd last frame is paired with itself), both knee formulas
    // computed and the scalar form's conditions picking one, so every value is the one
    // soft_knee_gain_db(series_power_to_db) returns; pairs below the knee skip the work.
    const CompressorParams& p = params_;
    const double slope = 1.0 / p.ratio - 1.0;
    const double knee_start = knee_start_power_;
    for (std::size_t i = 0; i < frames; i += 2) {
        const std::size_t j = std::min(i + 1, frames - 1);
        const Pair power = {work[i], work[j]};
        if (power[0] <= knee_start && power[1] <= knee_start) {
            work[i] = 0.0;
            work[j] = 0.0;
            continue;
        }
        const Pair over = series_power_to_db(power) - p.threshold_db;
        const Pair into = over + p.knee_db / 2.0;
        const Pair in_knee = slope * into * into / (2.0 * p.knee_db);
        const Pair abs_over = over < 0.0 ? -over : over;
        Pair gain = slope * over;
        if (p.knee_db > 0.0) gain = 2.0 * abs_over <= p.knee_db ? in_knee : gain;
        gain = 2.0 * over < -p.knee_db ? Pair{} : gain;
        gain = power <= knee_start ? Pair{} : gain;
        work[i] = gain[0];
        work[j] = gain[1];
    }
}

namespace {

/// One frame of the gain smoother, with the snap to exactly 0 dB once settled.
inline double smooth_step(GainSmoother& smoother, double target) noexcept {
    const double g_db = smoother.process(target);
    if (target != 0.0) return g_db;
    smoother.snap(0.0, k_snap_db);
    return smoother.gain_db();
}

}  // namespace

template <bool k_sidechain, bool k_rms>
void Compressor::detect(const AudioView& io, std::size_t start, std::size_t frames, int set,
                        int smooth_set, std::size_t smooth_frames) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const int gains = params_.stereo_link ? 1 : channels;
    const float* left = io.channel(0) + start;
    const float* right = io.channel(channels - 1) + start;
    const double right_gain = channels > 1 ? 1.0 : 0.0;
    const BiquadCoeffs f = sidechain_;
    const double detector_coeff = detector_coeff_;
    const double stats_coeff = stats_coeff_;
    Pair s1 = sidechain_s1_, s2 = sidechain_s2_, ms = mean_square_;
    double mean_square = stats_mean_square_;
    auto& work = work_[static_cast<std::size_t>(set)];
    double* work0 = work[0].data();
    double* work1 = work[1].data();
    bool* active = active_[static_cast<std::size_t>(set)].data();
    // The previous chunk's smoothers, advanced in the same loop: an independent recursion, so
    // the CPU overlaps the two dependency chains instead of running one after the other.
    const bool smoothing = smooth_set >= 0;
    auto& smooth = work_[static_cast<std::size_t>(smoothing ? smooth_set : 0)];
    GainSmoother smoother[AudioView::k_max_channels] = {smoother_[0], smoother_[1]};
    const std::size_t fused = smoothing ? std::min(frames, smooth_frames) : 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const Pair x = {left[i], right_gain * right[i]};
        const Pair x_sq = x * x;
        // The louder channel's square (the right lane is zero for mono).
        const double in_sq = std::max(std::max(0.0, x_sq[0]), x_sq[1]);
        Pair sc = x;
        if constexpr (k_sidechain) {
            // Transposed direct form II, as dsp::Biquad::process_sample.
            const Pair y = f.b0 * x + s1;
            s1 = f.b1 * x - f.a1 * y + s2;
            s2 = f.b2 * x - f.a2 * y;
            sc = y;
        }
        // The level detector (level_detector.hpp): the square, or its one-pole mean.
        Pair power = sc * sc;
        if constexpr (k_rms) {
            ms = power + detector_coeff * (ms - power);
            power = ms;
        }
        mean_square = in_sq + stats_coeff * (mean_square - in_sq);
        active[i] = mean_square > k_stats_floor_power;
        if (params_.stereo_link) {
            work0[i] = channels > 1 ? std::max(power[0], power[1]) : power[0];
        } else {
            work0[i] = power[0];
            work1[i] = power[1];
        }
        if (i < fused)
            for (int c = 0; c < gains; ++c)
                smooth[static_cast<std::size_t>(c)][i] =
                    smooth_step(smoother[c], smooth[static_cast<std::size_t>(c)][i]);
    }
    for (std::size_t i = fused; smoothing && i < smooth_frames; ++i)
        for (int c = 0; c < gains; ++c)
            smooth[static_cast<std::size_t>(c)][i] =
                smooth_step(smoother[c], smooth[static_cast<std::size_t>(c)][i]);
    sidechain_s1_ = s1;
    sidechain_s2_ = s2;
    mean_square_ = ms;
    stats_mean_square_ = mean_square;
    smoother_[0] = smoother[0];
    smoother_[1] = smoother[1];
}

void Compressor::detect_next(const AudioView& io, std::size_t start, std::size_t frames, int set,
                             int smooth_set, std::size_t smooth_frames) noexcept {
    if (sidechain_on_) {
        if (params_.detector == DetectorMode::rms)
            detect<true, true>(io, start, frames, set, smooth_set, smooth_frames);
        else
            detect<true, false>(io, start, frames, set, smooth_set, smooth_frames);
    } else {
        if (params_.detector == DetectorMode::rms)
            detect<false, true>(io, start, frames, set, smooth_set, smooth_frames);
        else
            detect<false, false>(io, start, frames, set, smooth_set, smooth_frames);
    }
    const int gains = params_.stereo_link ? 1 : std::min(io.channels(), AudioView::k_max_channels);
    auto& work = work_[static_cast<std::size_t>(set)];
    for (int c = 0; c < gains; ++c)
        target_gains_db(work[static_cast<std::size_t>(c)].data(), frames);
}

void Compressor::finish_factors(int set, std::size_t frames, int gains) noexcept {
    auto& work = work_[static_cast<std::size_t>(set)];
    const bool* active = active_[static_cast<std::size_t>(set)].data();
    double max_gr_db = max_gr_db_;
    double sum_gr_db = sum_gr_db_;
    long long active_frames = active_frames_;
    for (std::size_t i = 0; i < frames; ++i) {
        double frame_gr_db = 0.0;
        for (int c = 0; c < gains; ++c)
            frame_gr_db = std::max(frame_gr_db, -work[static_cast<std::size_t>(c)][i]);
        max_gr_db = std::max(max_gr_db, frame_gr_db);
        if (active[i]) {
            sum_gr_db += frame_gr_db;
            ++active_frames;
        }
    }
    max_gr_db_ = max_gr_db;
    sum_gr_db_ = sum_gr_db;
    active_frames_ = active_frames;
    const double dry = 1.0 - params_.mix;
    const double wet = params_.mix * makeup_lin_;
    // No branch for 0 dB (series_db_to_gain(0) is exactly 1). Two frames per vector (an odd
    // last frame is paired with itself).
    for (int c = 0; c < gains; ++c) {
        double* w = work[static_cast<std::size_t>(c)].data();
        for (std::size_t i = 0; i < frames; i += 2) {
            const std::size_t j = std::min(i + 1, frames - 1);
            const Pair factor = dry + wet * series_db_to_gain(Pair{w[i], w[j]});
            w[i] = factor[0];
            w[j] = factor[1];
        }
    }
}

template <class Emit>
void Compressor::run(const AudioView& io, const Emit& emit) noexcept {
    // Stage by stage over chunks of k_chunk_frames: only the detectors and the smoothers carry
    // state from frame to frame; the logarithm, the gain computer and the exponential of
    // different frames are independent, so the CPU overlaps them. The smoothers of chunk k run
    // in the detectors' loop over chunk k + 1 (software pipelining). Every frame gets exactly
    // the operations of a frame-by-frame loop, in the same order for each recursion.
    // Running state is copied into locals for the loops (members would be reloaded and stored
    // every frame: the compiler cannot rule out that they alias the work arrays).
    const int gains = params_.stereo_link ? 1 : std::min(io.channels(), AudioView::k_max_channels);
    const std::size_t total = io.frames();
    if (total == 0) return;
    int set = 0;
    std::size_t frames = std::min(k_chunk_frames, total);
    detect_next(io, 0, frames, set, -1, 0);
    for (std::size_t start = 0; start < total; start += k_chunk_frames) {
        const std::size_t next_frames = std::min(k_chunk_frames, total - (start + frames));
        detect_next(io, start + frames, next_frames, 1 - set, set, frames);
        finish_factors(set, frames, gains);
        emit(start, frames, work_[static_cast<std::size_t>(set)]);
        set = 1 - set;
        frames = next_frames;
    }
}

void Compressor::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    run(io, [&](std::size_t start, std::size_t n, const auto& factors) {
        for (int c = 0; c < channels; ++c) {
            const auto& factor = factors[static_cast<std::size_t>(params_.stereo_link ? 0 : c)];
            float* x = io.channel(c) + start;
            for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(x[i] * factor[i]);
        }
    });
}

void Compressor::gain_envelope(AudioView detector_input, float* gain_lin) noexcept {
    run(detector_input, [&](std::size_t start, std::size_t n, const auto& factors) {
        for (std::size_t i = 0; i < n; ++i) gain_lin[start + i] = static_cast<float>(factors[0][i]);
    });
}

}  // namespace secondear::dsp
