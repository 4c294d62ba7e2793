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

/// 10 log10(power) for a normal, positive power. power = 2^e * m with m in [sqrt(1/2), sqrt(2)];
/// ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, series to s^13 (the next term is
/// under 2e-13 of ln m).
double series_power_to_db(double power) noexcept {
    constexpr double k_sqrt2 = 1.4142135623730951;
    constexpr double k_ln2 = 0.6931471805599453;
    constexpr double k_db_per_ln = 4.3429448190325175;  // 10 / ln(10)
    const auto bits = std::bit_cast<std::uint64_t>(power);
    int exponent = static_cast<int>((bits >> 52) & 0x7ffu) - 1023;
    double m = std::bit_cast<double>((bits & 0x000fffffffffffffu) | 0x3ff0000000000000u);
    const bool high = m > k_sqrt2;
    m = high ? 0.5 * m : m;
    exponent += high ? 1 : 0;
    const double s = (m - 1.0) / (m + 1.0);
    const double z = s * s;
    const double series =
        1.0 + z * (1.0 / 3 +
                   z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13))))));
    return k_db_per_ln * (static_cast<double>(exponent) * k_ln2 + 2.0 * s * series);
}

/// 10^(db / 20) for db in [-6000, 6000] (clamped). 2^t with t = n + f, n the nearest integer
/// (the add-and-subtract of 1.5 * 2^52 rounds to nearest), |f| <= 1/2; 2^f = e^u with
/// |u| <= ln(2) / 2 as a Taylor series to u^10 (remainder under 3e-13 relative); 2^n built in the
/// exponent bits.
double series_db_to_gain(double db) noexcept {
    constexpr double k_log2_per_db = 0.16609640474436813;  // log2(10) / 20
    constexpr double k_ln2 = 0.6931471805599453;
    constexpr double k_round = 6755399441055744.0;  // 1.5 * 2^52
    const double t = std::clamp(db * k_log2_per_db, -1000.0, 1000.0);
    const double rounded = t + k_round;
    const auto n = static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(rounded) & 0xffffffffu);
    const double u = (t - (rounded - k_round)) * k_ln2;
    // Horner form of sum u^k / k!, k = 0..10.
    const double e =
        1.0 +
        u * (1.0 + u * (1.0 / 2 +
                        u * (1.0 / 6 +
                             u * (1.0 / 24 +
                                  u * (1.0 / 120 +
                                       u * (1.0 / 720 + u * (1.0 / 5040 +
                                                             u * (1.0 / 40320 +
                                                                  u * (1.0 / 362880 +
                                                                       u * (1.0 / 3628800))))))))));
    const auto scale = std::bit_cast<double>(static_cast<std::uint64_t>(n + 1023) << 52);
    return e * scale;
}

void check(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorKind::input_invalid, "compressor: " + what);
}

}  // namespace

double Compressor::gain_computer_db(const CompressorParams& p, double x_db) noexcept {
    const double over = x_db - p.threshold_db;
    const double slope = 1.0 / p.ratio - 1.0;  // <= 0
    if (2.0 * over < -p.knee_db) return 0.0;
    if (2.0 * std::abs(over) <= p.knee_db && p.knee_db > 0.0) {
        const double into = over + p.knee_db / 2.0;
        return slope * into * into / (2.0 * p.knee_db);
    }
    return slope * over;
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
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        if (sidechain_on_)
            sidechain_[c].set_coeffs(
                design_high_pass(params_.sidechain_high_pass_hz, k_sqrt_half, sr));
        detector_[c].prepare(params_.detector, params_.rms_window_ms, sr);
        smoother_[c].prepare(params_.attack_ms, params_.release_ms, sr);
    }
}

void Compressor::reset() noexcept {
    for (int c = 0; c < AudioView::k_max_channels; ++c) {
        sidechain_[c].reset();
        detector_[c].reset();
        smoother_[c].reset(0.0);
    }
    stats_mean_square_ = 0.0;
    max_gr_db_ = 0.0;
    sum_gr_db_ = 0.0;
    active_frames_ = 0;
}

double Compressor::target_gain_db(double power) const noexcept {
    if (power <= knee_start_power_) return 0.0;
    return gain_computer_db(params_, series_power_to_db(power));
}

void Compressor::compute_factors(const AudioView& io, std::size_t start,
                                 std::size_t frames) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    const int gains = params_.stereo_link ? 1 : channels;
    // Stage by stage over the chunk: only the detectors and the smoother carry state from frame
    // to frame; the logarithm, the gain computer and the exponential of different frames are
    // independent, so the CPU overlaps them. Every frame gets exactly the operations of a
    // frame-by-frame loop.
    // Running state is copied into locals for the loops (members would be reloaded and stored
    // every frame: the compiler cannot rule out that they alias the work arrays).
    double mean_square = stats_mean_square_;
    for (std::size_t i = 0; i < frames; ++i) {
        double power[AudioView::k_max_channels] = {0.0, 0.0};
        double in_sq = 0.0;
        for (int c = 0; c < channels; ++c) {
            const double x = io.channel(c)[start + i];
            in_sq = std::max(in_sq, x * x);
            const double sc = sidechain_on_ ? sidechain_[c].process_sample(x) : x;
            power[c] = detector_[c].process(sc);
        }
        mean_square = in_sq + stats_coeff_ * (mean_square - in_sq);
        active_[i] = mean_square > k_stats_floor_power;
        if (params_.stereo_link)
            work_[0][i] = channels > 1 ? std::max(power[0], power[1]) : power[0];
        else
            for (int c = 0; c < channels; ++c) work_[c][i] = power[c];
    }
    stats_mean_square_ = mean_square;
    for (int c = 0; c < gains; ++c)
        for (std::size_t i = 0; i < frames; ++i) work_[c][i] = target_gain_db(work_[c][i]);
    for (int c = 0; c < gains; ++c) {
        GainSmoother smoother = smoother_[c];
        for (std::size_t i = 0; i < frames; ++i) {
            const double target = work_[c][i];
            double g_db = smoother.process(target);
            if (target == 0.0) {
                smoother.snap(0.0, k_snap_db);
                g_db = smoother.gain_db();
            }
            work_[c][i] = g_db;
        }
        smoother_[c] = smoother;
    }
    double max_gr_db = max_gr_db_;
    double sum_gr_db = sum_gr_db_;
    long long active_frames = active_frames_;
    for (std::size_t i = 0; i < frames; ++i) {
        double frame_gr_db = 0.0;
        for (int c = 0; c < gains; ++c) frame_gr_db = std::max(frame_gr_db, -work_[c][i]);
        max_gr_db = std::max(max_gr_db, frame_gr_db);
        if (active_[i]) {
            sum_gr_db += frame_gr_db;
            ++active_frames;
        }
    }
    max_gr_db_ = max_gr_db;
    sum_gr_db_ = sum_gr_db;
    active_frames_ = active_frames;
    const double dry = 1.0 - params_.mix;
    const double wet = params_.mix * makeup_lin_;
    for (int c = 0; c < gains; ++c) {
        for (std::size_t i = 0; i < frames; ++i) {
            const double g_db = work_[c][i];
            // No branch for 0 dB (series_db_to_gain(0) is exactly 1): the loop vectorises.
            work_[c][i] = dry + wet * series_db_to_gain(g_db);
        }
    }
}

void Compressor::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), AudioView::k_max_channels);
    for (std::size_t start = 0; start < io.frames(); start += k_chunk_frames) {
        const std::size_t n = std::min(k_chunk_frames, io.frames() - start);
        compute_factors(io, start, n);
        for (int c = 0; c < channels; ++c) {
            const auto& factor = work_[params_.stereo_link ? 0 : c];
            float* x = io.channel(c) + start;
            for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(x[i] * factor[i]);
        }
    }
}

void Compressor::gain_envelope(AudioView detector_input, float* gain_lin) noexcept {
    for (std::size_t start = 0; start < detector_input.frames(); start += k_chunk_frames) {
        const std::size_t n = std::min(k_chunk_frames, detector_input.frames() - start);
        compute_factors(detector_input, start, n);
        for (std::size_t i = 0; i < n; ++i) gain_lin[start + i] = static_cast<float>(work_[0][i]);
    }
}

}  // namespace secondear::dsp
