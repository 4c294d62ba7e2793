#include "dsp/saturation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace secondear::dsp {

namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw Error(ErrorKind::input_invalid, "saturation: " + what);
}

bool in_range(double v, double lo, double hi) {
    return v >= lo && v <= hi;  // false for NaN
}

// Modified Bessel function of the first kind, order 0 (power series), for the Kaiser window.
double bessel_i0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return sum;
}

}  // namespace

void Saturation::set_params(const SaturationParams& params) {
    if (!in_range(params.drive_db, -24.0, 48.0)) invalid("drive_db must be in [-24, 48]");
    if (!in_range(params.mix, 0.0, 1.0)) invalid("mix must be in [0, 1]");
    if (params.mode != SaturationMode::soft_clip && params.mode != SaturationMode::tape &&
        params.mode != SaturationMode::hard_clip)
        invalid("unknown mode");
    if (!in_range(params.ceiling_db, -24.0, 6.0)) invalid("ceiling_db must be in [-24, 6]");
    if (!in_range(params.output_db, -24.0, 24.0)) invalid("output_db must be in [-24, 24]");
    params_ = params;
    update_gains();
}

void Saturation::update_gains() noexcept {
    drive_ = db_to_gain(params_.drive_db);
    inv_drive_ = 1.0 / drive_;
    const double out = db_to_gain(params_.output_db);
    const bool hard = params_.mode == SaturationMode::hard_clip;
    linear_gain_ = hard ? drive_ * out : 1.0;
    output_gain_ = hard ? 1.0 : out;
    const double ceiling = db_to_gain(params_.ceiling_db);
    ceiling_f_ = static_cast<float>(ceiling);
    if (static_cast<double>(ceiling_f_) > ceiling) ceiling_f_ = std::nextafter(ceiling_f_, 0.0f);
    const double tb = std::tanh(k_tape_bias);
    tape_offset_ = tb;
    tape_scale_ = 1.0 / (1.0 - tb * tb);
    // The upsampler's output is at most max_p sum_q |up[q][p]| times the largest input in its
    // window; below ceiling / (G * that) the clipper cannot engage. 1e-4 covers float rounding.
    double worst = 0.0;
    for (int p = 0; p < k_oversampling; ++p) {
        double s = 0.0;
        for (const auto& tap : up_) s += std::abs(static_cast<double>(tap[p]));
        worst = std::max(worst, s);
    }
    quiet_lin_ =
        worst > 0.0 ? static_cast<float>(ceiling / (linear_gain_ * worst) * (1.0 - 1e-4)) : 0.0f;
    silence_lin_ = static_cast<float>(db_to_gain(k_silence_dbfs));
}

void Saturation::prepare(const ProcessSpec& spec) {
    if (!(spec.sample_rate_hz > 0.0)) invalid("sample rate must be positive");
    if (spec.channels < 1 || spec.channels > 2) invalid("only mono and stereo are supported");
    sample_rate_hz_ = spec.sample_rate_hz;
    channels_ = spec.channels;
    // Kaiser-windowed sinc at the 4x rate, centred on tap 2M, unity gain at DC.
    constexpr int n = k_filter_taps;
    constexpr double centre = (n - 1) / 2.0;
    const double fc = k_cutoff_ratio * 0.5 / k_oversampling;  // cycles per 4x-rate sample
    std::array<double, n> h{};
    double sum = 0.0;
    for (int j = 0; j < n; ++j) {
        const double t = j - centre;
        const double arg = 2.0 * std::numbers::pi * fc * t;
        const double sinc = t == 0.0 ? 1.0 : std::sin(arg) / arg;
        const double r = t / centre;
        const double w = bessel_i0(k_kaiser_beta * std::sqrt(std::max(0.0, 1.0 - r * r))) /
                         bessel_i0(k_kaiser_beta);
        h[static_cast<std::size_t>(j)] = 2.0 * fc * sinc * w;
        sum += h[static_cast<std::size_t>(j)];
    }
    for (auto& v : h) v /= sum;
    for (int q = 0; q < k_window; ++q) {
        for (int p = 0; p < k_oversampling; ++p) {
            const int ju = k_oversampling * q + p;
            const int jd = k_oversampling * q - p;
            const auto qi = static_cast<std::size_t>(q);
            const auto pi = static_cast<std::size_t>(p);
            up_[qi][pi] = ju < n
                              ? static_cast<float>(k_oversampling * h[static_cast<std::size_t>(ju)])
                              : 0.0f;
            down_[qi][pi] =
                jd >= 0 && jd < n ? static_cast<float>(h[static_cast<std::size_t>(jd)]) : 0.0f;
        }
    }
    chunk_frames_ = static_cast<std::size_t>(std::max(spec.max_block_frames, 64));
    for (Channel& ch : state_) {
        ch.x.assign(chunk_frames_ + k_taps_per_phase, 0.0f);
        ch.e.assign((chunk_frames_ + k_taps_per_phase) * k_oversampling, 0.0f);
    }
    dc_pole_ = std::exp(-2.0 * std::numbers::pi * k_tape_dc_block_hz / sample_rate_hz_);
    update_gains();
    reset();
}

void Saturation::reset() noexcept {
    for (Channel& ch : state_) {
        std::fill(ch.x.begin(), ch.x.end(), 0.0f);
        std::fill(ch.e.begin(), ch.e.end(), 0.0f);
        ch.quiet_run = 0;
        ch.residual_age = k_window;
        ch.dc_in = 0.0;
        ch.dc_out = 0.0;
    }
    max_gr_db_ = 0.0;
    sum_gr_db_ = 0.0;
    counted_samples_ = 0;
    reduced_samples_ = 0;
}

double Saturation::mean_gain_reduction_db() const noexcept {
    return counted_samples_ > 0 ? sum_gr_db_ / static_cast<double>(counted_samples_) : 0.0;
}

float Saturation::curve_residual(float u) const noexcept {
    const double x = u;
    switch (params_.mode) {
        case SaturationMode::hard_clip: {
            const double v = linear_gain_ * x;
            const double c = ceiling_f_;
            return static_cast<float>(std::clamp(v, -c, c) - v);
        }
        case SaturationMode::tape:
            return static_cast<float>((std::tanh(drive_ * x + k_tape_bias) - tape_offset_) *
                                          tape_scale_ * inv_drive_ -
                                      x);
        case SaturationMode::soft_clip:
            break;
    }
    return static_cast<float>(std::tanh(drive_ * x) * inv_drive_ - x);
}

double Saturation::process_frame(Channel& ch, std::size_t i) noexcept {
    constexpr std::size_t os = k_oversampling;
    constexpr auto m = static_cast<std::size_t>(k_taps_per_phase);
    const float* x = &ch.x[m + i];  // x[-q] = input q frames ago

    std::array<float, os> e{};
    if (params_.mode != SaturationMode::hard_clip || ch.quiet_run < k_window) {
        std::array<float, os> u{};
        for (std::size_t q = 0; q <= m; ++q)
            for (std::size_t p = 0; p < os; ++p)
                u[p] += up_[q][p] * x[-static_cast<std::ptrdiff_t>(q)];
        for (std::size_t p = 0; p < os; ++p) e[p] = curve_residual(u[p]);
    }
    float* r = &ch.e[(m + i) * os];  // r[-k * 4 + p] = e[4 (n - k) + p]
    std::copy(e.begin(), e.end(), r);
    const bool any = e[0] != 0.0f || e[1] != 0.0f || e[2] != 0.0f || e[3] != 0.0f;
    ch.residual_age = any ? 0 : std::min(ch.residual_age + 1, k_window);

    double d = 0.0;
    if (ch.residual_age < k_window) {
        std::array<float, os> acc{};
        for (std::size_t k = 0; k <= m; ++k)
            for (std::size_t p = 0; p < os; ++p)
                acc[p] += down_[k][p] * r[p - static_cast<std::ptrdiff_t>(k * os)];
        d = static_cast<double>(acc[0]) + acc[1] + acc[2] + acc[3];
    }
    if (params_.mode == SaturationMode::tape) {
        // First-order DC blocker: y = x - x[-1] + p y[-1].
        const double y = d - ch.dc_in + dc_pole_ * ch.dc_out;
        ch.dc_in = d;
        // Flushed below 1e-30 so the decaying state never turns denormal.
        ch.dc_out = std::abs(y) < 1e-30 ? 0.0 : y;
        d = y;
    }
    return output_gain_ * (linear_gain_ * static_cast<double>(x[-static_cast<std::ptrdiff_t>(m)]) +
                           params_.mix * d);
}

double Saturation::curve_reduction_db(double x) const noexcept {
    double shaped = 0.0;
    switch (params_.mode) {
        case SaturationMode::hard_clip:
            shaped = std::min(std::abs(linear_gain_ * x), static_cast<double>(ceiling_f_));
            return gain_to_db(std::abs(linear_gain_ * x) / shaped);
        case SaturationMode::tape:
            shaped =
                (std::tanh(drive_ * x + k_tape_bias) - tape_offset_) * tape_scale_ * inv_drive_;
            break;
        case SaturationMode::soft_clip:
            shaped = std::tanh(drive_ * x) * inv_drive_;
            break;
    }
    return std::max(0.0, gain_to_db(std::abs(x) / std::abs(shaped)));
}

void Saturation::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), channels_);
    for (std::size_t start = 0; start < io.frames(); start += chunk_frames_)
        for (int c = 0; c < channels; ++c)
            process_chunk(state_[static_cast<std::size_t>(c)], io.channel(c) + start,
                          std::min(chunk_frames_, io.frames() - start));
}

void Saturation::process_chunk(Channel& ch, float* s, std::size_t n) noexcept {
    constexpr std::size_t os = k_oversampling;
    constexpr auto m = static_cast<std::size_t>(k_taps_per_phase);
    const bool hard = params_.mode == SaturationMode::hard_clip;
    const double ceiling = ceiling_f_;
    const double lin_scale = output_gain_ * linear_gain_;
    // Input magnitudes above which a sample is non-silent / the clipper cuts (statistics).
    const double silent_in = silence_lin_ / lin_scale;
    const double clip_in = ceiling / lin_scale;
    // ch.x and ch.e hold the last m frames of history, then this chunk.
    std::copy(s, s + n, &ch.x[m]);
    for (std::size_t i = 0; i < n; ++i) {
        const float in = s[i];
        ch.quiet_run = std::abs(in) <= quiet_lin_ ? std::min(ch.quiet_run + 1, k_window) : 0;
        if (hard && ch.quiet_run == k_window && ch.residual_age == k_window) {
            // Fast path: no sample in the upsampler's window can reach the ceiling and the
            // decimator's window holds only zero residual, so the output is the linear path
            // (and stays so while the input stays quiet).
            std::size_t j = i + 1;
            while (j < n && std::abs(s[j]) <= quiet_lin_) ++j;
            std::fill(&ch.e[(m + i) * os], &ch.e[(m + j) * os], 0.0f);
            for (std::size_t k = i; k < j; ++k) {
                const double delayed = ch.x[k];
                s[k] = static_cast<float>(lin_scale * delayed);
                if (std::abs(delayed) > silent_in) ++counted_samples_;
            }
            i = j - 1;
            continue;
        }
        double y = process_frame(ch, i);
        if (hard) y = std::clamp(y, -ceiling, ceiling);
        s[i] = static_cast<float>(y);
        const double delayed = ch.x[i];
        const double a = std::abs(delayed);
        if (a > silent_in) {
            ++counted_samples_;
            if (!hard || a > clip_in) {
                const double gr = curve_reduction_db(delayed);
                sum_gr_db_ += gr;
                max_gr_db_ = std::max(max_gr_db_, gr);
                if (gr > 0.01) ++reduced_samples_;
            }
        }
    }
    std::copy(&ch.x[n], &ch.x[n + m], ch.x.begin());
    std::copy(&ch.e[n * os], &ch.e[(n + m) * os], ch.e.begin());
}

}  // namespace secondear::dsp
