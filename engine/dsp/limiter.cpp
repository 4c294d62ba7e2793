#include "dsp/limiter.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace secondear::dsp {

namespace {

constexpr int k_short_half = TruePeakLimiter::k_short_taps / 2;
constexpr int k_long_half = TruePeakLimiter::k_long_taps / 2;
// Fixed-point scale of the moving average: sums of up to 2^12 gains stay exact in int64 and
// convert exactly to double (< 2^53).
constexpr double k_fixed_one = 1099511627776.0;  // 2^40
// Renormalisation of the gain product: far from underflow, exact (powers of two).
constexpr int k_renormalise_exp = 512;
const double k_renormalise_below = std::ldexp(1.0, -k_renormalise_exp);
const double k_renormalise_scale = std::ldexp(1.0, k_renormalise_exp);

double bessel_i0(double x) {
    // Power series of the modified Bessel function of the first kind, order 0.
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < 1e-17 * sum) break;
    }
    return sum;
}

double kaiser(double u, double beta) {
    if (std::abs(u) >= 1.0) return 0.0;
    return bessel_i0(beta * std::sqrt(1.0 - u * u)) / bessel_i0(beta);
}

double sinc(double x) {
    if (x == 0.0) return 1.0;
    const double px = 3.14159265358979323846 * x;
    return std::sin(px) / px;
}

// Phase k (1..L-1) interpolates at m + k/L from x[m - T/2 + 1 .. m + T/2]: a Kaiser-windowed
// sinc sampled at the tap distances, normalised to unit DC gain. Layout [tap][phase slot].
template <std::size_t N>
void design_interpolator(std::array<float, N>& coeffs, int taps, int oversampling, double beta) {
    coeffs.fill(0.0f);
    const int half = taps / 2;
    for (int k = 1; k < oversampling; ++k) {
        const double frac = static_cast<double>(k) / oversampling;
        double sum = 0.0;
        for (int i = 0; i < taps; ++i) {
            const double d = static_cast<double>(i - half + 1) - frac;
            sum += sinc(d) * kaiser(d / half, beta);
        }
        for (int i = 0; i < taps; ++i) {
            const double d = static_cast<double>(i - half + 1) - frac;
            coeffs[static_cast<std::size_t>(i * 4 + k - 1)] =
                static_cast<float>(sinc(d) * kaiser(d / half, beta) / sum);
        }
    }
}

// The interpolated points of one interval, 4 phase slots, from `taps` samples.
std::array<float, 4> interpolate(const float* window, const float* coeffs, int taps) noexcept {
    std::array<float, 4> acc{};
    for (int i = 0; i < taps; ++i) {
        const float x = window[i];
        const float* c = coeffs + i * 4;
        for (int k = 0; k < 4; ++k) acc[static_cast<std::size_t>(k)] += c[k] * x;
    }
    return acc;
}

[[noreturn]] void invalid(const std::string& what) {
    throw Error(ErrorKind::input_invalid, "limiter: " + what);
}

}  // namespace

void TruePeakLimiter::set_params(const LimiterParams& params) {
    if (!(params.ceiling_dbtp >= -24.0 && params.ceiling_dbtp <= 0.0))
        invalid("ceiling_dbtp must be in [-24, 0]");
    if (!(params.lookahead_ms >= 1.0 && params.lookahead_ms <= 20.0))
        invalid("lookahead_ms must be in [1, 20]");
    if (!(params.release_ms >= 1.0 && params.release_ms <= 2000.0))
        invalid("release_ms must be in [1, 2000]");
    params_ = params;
    if (sample_rate_hz_ > 0.0) update_coefficients();
}

void TruePeakLimiter::update_coefficients() noexcept {
    const double ceiling_lin = db_to_gain(params_.ceiling_dbtp);
    threshold_lin_ = ceiling_lin * db_to_gain(-k_detector_margin_db);
    screen_lin_ = threshold_lin_ * db_to_gain(-k_screen_db);
    quiet_lin_ = screen_lin_ / (refine_bound_ * std::max(short_abs_sum_, 1.0));
    ceiling_f_ = static_cast<float>(ceiling_lin);
    if (static_cast<double>(ceiling_f_) > ceiling_lin)
        ceiling_f_ = std::nextafter(ceiling_f_, 0.0f);
    const double fast_frames = params_.release_ms * 1e-3 * sample_rate_hz_;
    fast_coeff_ = std::exp(-1.0 / fast_frames);
    slow_coeff_ = std::exp(-1.0 / (k_sustain_factor * fast_frames));
    sustain_coeff_ = 1.0 - slow_coeff_;
}

void TruePeakLimiter::prepare(const ProcessSpec& spec) {
    if (!(spec.sample_rate_hz >= 8000.0 && spec.sample_rate_hz <= 768000.0))
        invalid("sample rate out of range");
    if (spec.channels < 1 || spec.channels > 2) invalid("only mono and stereo are supported");
    sample_rate_hz_ = spec.sample_rate_hz;
    channels_ = spec.channels;
    oversampling_ = 4;
    latency_frames_ =
        std::max(static_cast<int>(std::lround(params_.lookahead_ms * 1e-3 * sample_rate_hz_)),
                 k_long_half + 1);
    window_frames_ = latency_frames_ - k_long_half + 1;
    refine_bound_ = 1.0 / std::cos(3.14159265358979323846 / (2.0 * oversampling_));
    design_interpolator(short_coeffs_, k_short_taps, oversampling_, 8.0);
    design_interpolator(long_coeffs_, k_long_taps, oversampling_, 9.0);
    // |interpolated point| <= sum |c| * max |x| over the short window.
    short_abs_sum_ = 0.0;
    for (int k = 0; k < 4; ++k) {
        double sum = 0.0;
        for (int i = 0; i < k_short_taps; ++i)
            sum +=
                std::abs(static_cast<double>(short_coeffs_[static_cast<std::size_t>(i * 4 + k)]));
        short_abs_sum_ = std::max(short_abs_sum_, sum);
    }

    for (int c = 0; c < 2; ++c) {
        history_[static_cast<std::size_t>(c)].assign(2 * k_long_taps, 0.0f);
        delay_[static_cast<std::size_t>(c)].assign(static_cast<std::size_t>(latency_frames_), 0.0f);
        GainChain& chain = chains_[static_cast<std::size_t>(c)];
        chain.min_index.assign(static_cast<std::size_t>(window_frames_ + 1), 0);
        chain.min_value.assign(static_cast<std::size_t>(window_frames_ + 1), 1.0);
        chain.box.assign(static_cast<std::size_t>(window_frames_), 0);
    }
    box_scale_ = 1.0 / (k_fixed_one * window_frames_);
    trace_block_frames_ = std::max(1, static_cast<int>(std::lround(0.1 * sample_rate_hz_)));
    trace_db_.clear();
    trace_db_.reserve(36000);
    update_coefficients();
    reset();
}

void TruePeakLimiter::reset() noexcept {
    for (auto& h : history_) std::fill(h.begin(), h.end(), 0.0f);
    for (auto& d : delay_) std::fill(d.begin(), d.end(), 0.0f);
    history_pos_ = 0;
    delay_pos_ = 0;
    prev_interval_peak_.fill(0.0);
    quiet_run_.fill(0);
    for (GainChain& chain : chains_) {
        chain.min_head = 0;
        chain.min_size = 0;
        chain.released = 1.0;
        chain.sustained = 1.0;
        const auto one = static_cast<std::int64_t>(k_fixed_one);
        std::fill(chain.box.begin(), chain.box.end(), one);
        chain.box_full = one * static_cast<std::int64_t>(chain.box.size());
        chain.box_sum = chain.box_full;
        chain.box_pos = 0;
    }
    frame_ = 0;
    min_gain_ = 1.0;
    gain_product_ = 1.0;
    gain_product_exp_ = 0;
    gr_frames_ = 0;
    trace_fill_ = 0;
    trace_min_gain_ = 1.0;
    trace_db_.clear();
}

double TruePeakLimiter::refine(const std::array<double, 5>& z, int oversampling) noexcept {
    int best = 1;
    for (int k = 2; k < oversampling; ++k)
        if (std::abs(z[static_cast<std::size_t>(k)]) > std::abs(z[static_cast<std::size_t>(best)]))
            best = k;
    // Parabola through the best point and its neighbours, sign-normalised so that the vertex
    // is a maximum of |z|.
    const double s = z[static_cast<std::size_t>(best)] < 0.0 ? -1.0 : 1.0;
    const double a = s * z[static_cast<std::size_t>(best - 1)];
    const double b = s * z[static_cast<std::size_t>(best)];
    const double c = s * z[static_cast<std::size_t>(best + 1)];
    const double curvature = a - 2.0 * b + c;
    if (curvature >= 0.0) return b;
    const double offset = std::clamp(0.5 * (a - c) / curvature, -1.0, 1.0);
    return std::max(b, b - 0.25 * (a - c) * offset);
}

double TruePeakLimiter::interval_peak(const float* window) const noexcept {
    // `window` holds k_long_taps samples; the interval runs from x[m] = window[T/2 - 1] to
    // x[m + 1] = window[T/2] with T = k_long_taps.
    std::array<double, 5> z{};
    z[0] = window[k_long_half - 1];
    z[static_cast<std::size_t>(oversampling_)] = window[k_long_half];
    const auto coarse =
        interpolate(window + (k_long_half - k_short_half), short_coeffs_.data(), k_short_taps);
    double coarse_max = 0.0;
    for (int k = 1; k < oversampling_; ++k) {
        z[static_cast<std::size_t>(k)] = coarse[static_cast<std::size_t>(k - 1)];
        coarse_max = std::max(coarse_max, std::abs(z[static_cast<std::size_t>(k)]));
    }
    // The parabola can raise a point by at most 1 / cos(pi / 2L) (a tone at Nyquist sampled
    // half a step from its crest): below that bound the interval cannot reach the screen.
    if (coarse_max * refine_bound_ < screen_lin_) return coarse_max;
    const double estimate = refine(z, oversampling_);
    if (estimate < screen_lin_) return estimate;
    const auto fine = interpolate(window, long_coeffs_.data(), k_long_taps);
    for (int k = 1; k < oversampling_; ++k)
        z[static_cast<std::size_t>(k)] = fine[static_cast<std::size_t>(k - 1)];
    return refine(z, oversampling_);
}

double TruePeakLimiter::next_gain(GainChain& chain, double required) noexcept {
    const int cap = window_frames_ + 1;
    // Sliding minimum over the last W required gains.
    while (chain.min_size > 0) {
        int back = chain.min_head + chain.min_size - 1;
        if (back >= cap) back -= cap;
        if (chain.min_value[static_cast<std::size_t>(back)] < required) break;
        --chain.min_size;
    }
    int slot = chain.min_head + chain.min_size;
    if (slot >= cap) slot -= cap;
    chain.min_index[static_cast<std::size_t>(slot)] = frame_;
    chain.min_value[static_cast<std::size_t>(slot)] = required;
    ++chain.min_size;
    while (chain.min_index[static_cast<std::size_t>(chain.min_head)] <= frame_ - window_frames_) {
        chain.min_head = chain.min_head + 1 == cap ? 0 : chain.min_head + 1;
        --chain.min_size;
    }
    const double held = chain.min_value[static_cast<std::size_t>(chain.min_head)];

    // Two-stage release (see header); the result never exceeds the held requirement.
    chain.released = std::min(held, 1.0 - (1.0 - chain.released) * fast_coeff_);
    chain.sustained = held < chain.sustained
                          ? chain.sustained + (held - chain.sustained) * sustain_coeff_
                          : 1.0 - (1.0 - chain.sustained) * slow_coeff_;
    const double gain = std::min(chain.released, chain.sustained);

    // Moving average over W frames, rounded down so that the smoothed gain never exceeds the
    // exact average.
    const auto q = static_cast<std::int64_t>(gain * k_fixed_one);
    chain.box_sum += q - chain.box[static_cast<std::size_t>(chain.box_pos)];
    chain.box[static_cast<std::size_t>(chain.box_pos)] = q;
    chain.box_pos = chain.box_pos + 1 == window_frames_ ? 0 : chain.box_pos + 1;
    if (chain.box_sum == chain.box_full) return 1.0;
    return static_cast<double>(chain.box_sum) * box_scale_;
}

void TruePeakLimiter::account(double gain, double input_peak) noexcept {
    min_gain_ = std::min(min_gain_, gain);
    trace_min_gain_ = std::min(trace_min_gain_, gain);
    if (++trace_fill_ == trace_block_frames_) {
        trace_db_.push_back(-gain_to_db(trace_min_gain_));
        trace_fill_ = 0;
        trace_min_gain_ = 1.0;
    }
    static const double silence_lin = db_to_gain(k_silence_dbfs);
    if (input_peak <= silence_lin) return;
    ++gr_frames_;
    gain_product_ *= gain;
    if (gain_product_ < k_renormalise_below) {
        gain_product_ *= k_renormalise_scale;
        gain_product_exp_ -= k_renormalise_exp;
    }
}

void TruePeakLimiter::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), channels_);
    const bool linked = params_.stereo_link || channels == 1;
    const auto frames = io.frames();
    for (std::size_t i = 0; i < frames; ++i) {
        std::array<float, 2> x{};
        for (int c = 0; c < channels; ++c) x[static_cast<std::size_t>(c)] = io.channel(c)[i];

        std::array<double, 2> peak{};
        for (int c = 0; c < channels; ++c) {
            auto& h = history_[static_cast<std::size_t>(c)];
            h[static_cast<std::size_t>(history_pos_)] = x[static_cast<std::size_t>(c)];
            h[static_cast<std::size_t>(history_pos_ + k_long_taps)] =
                x[static_cast<std::size_t>(c)];
        }
        history_pos_ = history_pos_ + 1 == k_long_taps ? 0 : history_pos_ + 1;
        for (int c = 0; c < channels; ++c) {
            int& quiet = quiet_run_[static_cast<std::size_t>(c)];
            quiet = std::abs(x[static_cast<std::size_t>(c)]) < quiet_lin_
                        ? std::min(quiet + 1, k_long_taps)
                        : 0;
        }
        for (int c = 0; c < channels; ++c) {
            const float* window =
                &history_[static_cast<std::size_t>(c)][static_cast<std::size_t>(history_pos_)];
            // A window of quiet samples cannot interpolate to the screen level (bound below).
            const double after = quiet_run_[static_cast<std::size_t>(c)] == k_long_taps
                                     ? 0.0
                                     : interval_peak(window);
            double& before = prev_interval_peak_[static_cast<std::size_t>(c)];
            peak[static_cast<std::size_t>(c)] =
                std::max({static_cast<double>(std::abs(window[k_long_half - 1])), before, after});
            before = after;
        }

        std::array<double, 2> gain{};
        if (linked) {
            const double p = channels == 2 ? std::max(peak[0], peak[1]) : peak[0];
            gain[0] = gain[1] =
                next_gain(chains_[0], p > threshold_lin_ ? threshold_lin_ / p : 1.0);
        } else {
            for (int c = 0; c < channels; ++c) {
                const double p = peak[static_cast<std::size_t>(c)];
                gain[static_cast<std::size_t>(c)] =
                    next_gain(chains_[static_cast<std::size_t>(c)],
                              p > threshold_lin_ ? threshold_lin_ / p : 1.0);
            }
        }

        double input_peak = 0.0;
        for (int c = 0; c < channels; ++c) {
            auto& d = delay_[static_cast<std::size_t>(c)];
            const float delayed = d[static_cast<std::size_t>(delay_pos_)];
            d[static_cast<std::size_t>(delay_pos_)] = x[static_cast<std::size_t>(c)];
            input_peak = std::max(input_peak, static_cast<double>(std::abs(delayed)));
            const float y = static_cast<float>(static_cast<double>(delayed) *
                                               gain[static_cast<std::size_t>(c)]);
            // Safety stage: the sample-peak bound holds whatever the rounding.
            io.channel(c)[i] = std::clamp(y, -ceiling_f_, ceiling_f_);
        }
        delay_pos_ = delay_pos_ + 1 == latency_frames_ ? 0 : delay_pos_ + 1;
        account(channels == 2 ? std::min(gain[0], gain[1]) : gain[0], input_peak);
        ++frame_;
    }
}

double TruePeakLimiter::max_gain_reduction_db() const noexcept {
    return -gain_to_db(min_gain_);
}

double TruePeakLimiter::mean_gain_reduction_db() const noexcept {
    if (gr_frames_ == 0) return 0.0;
    // -20 log10(prod gain) / n, with prod gain = mantissa * 2^exponent.
    const double log2_product = std::log2(gain_product_) + static_cast<double>(gain_product_exp_);
    return -20.0 * std::log10(2.0) * log2_product / static_cast<double>(gr_frames_);
}

}  // namespace secondear::dsp
