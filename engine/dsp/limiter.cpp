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
        history_[static_cast<std::size_t>(c)].assign(k_long_taps - 1 + k_chunk_frames, 0.0f);
        delay_[static_cast<std::size_t>(c)].assign(static_cast<std::size_t>(latency_frames_), 0.0f);
        GainChain& chain = chains_[static_cast<std::size_t>(c)];
        chain.min_index.assign(static_cast<std::size_t>(window_frames_ + 1), 0);
        chain.min_value.assign(static_cast<std::size_t>(window_frames_ + 1), 1.0);
        chain.box.assign(static_cast<std::size_t>(window_frames_), 0);
    }
    box_scale_ = 1.0 / (k_fixed_one * window_frames_);
    trace_block_frames_ = std::max(1, static_cast<int>(std::lround(0.1 * sample_rate_hz_)));
    silence_lin_ = db_to_gain(k_silence_dbfs);
    trace_db_.clear();
    trace_db_.reserve(36000);
    update_coefficients();
    reset();
}

void TruePeakLimiter::reset() noexcept {
    for (auto& h : history_) std::fill(h.begin(), h.end(), 0.0f);
    for (auto& d : delay_) std::fill(d.begin(), d.end(), 0.0f);
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

void TruePeakLimiter::run_chain(GainChain& chain, double* gains, std::size_t frames) noexcept {
    // The chain's state in locals for the loop (members would be reloaded every frame: the
    // compiler cannot rule out that they alias `gains`).
    const int window = window_frames_;
    const int cap = window + 1;
    const double fast = fast_coeff_;
    const double slow = slow_coeff_;
    const double sustain = sustain_coeff_;
    const double box_scale = box_scale_;
    std::int64_t* min_index = chain.min_index.data();
    double* min_value = chain.min_value.data();
    std::int64_t* box = chain.box.data();
    int head = chain.min_head;
    int size = chain.min_size;
    double released = chain.released;
    double sustained = chain.sustained;
    std::int64_t box_sum = chain.box_sum;
    const std::int64_t box_full = chain.box_full;
    int box_pos = chain.box_pos;
    std::int64_t frame = frame_;
    for (std::size_t i = 0; i < frames; ++i, ++frame) {
        const double required = gains[i];
        // Sliding minimum over the last W required gains.
        while (size > 0) {
            int back = head + size - 1;
            if (back >= cap) back -= cap;
            if (min_value[back] < required) break;
            --size;
        }
        int slot = head + size;
        if (slot >= cap) slot -= cap;
        min_index[slot] = frame;
        min_value[slot] = required;
        ++size;
        while (min_index[head] <= frame - window) {
            head = head + 1 == cap ? 0 : head + 1;
            --size;
        }
        const double held = min_value[head];

        // Two-stage release (see header); the result never exceeds the held requirement.
        released = std::min(held, 1.0 - (1.0 - released) * fast);
        sustained = held < sustained ? sustained + (held - sustained) * sustain
                                     : 1.0 - (1.0 - sustained) * slow;
        const double gain = std::min(released, sustained);

        // Moving average over W frames, rounded down so that the smoothed gain never exceeds
        // the exact average.
        const auto q = static_cast<std::int64_t>(gain * k_fixed_one);
        box_sum += q - box[box_pos];
        box[box_pos] = q;
        box_pos = box_pos + 1 == window ? 0 : box_pos + 1;
        gains[i] = box_sum == box_full ? 1.0 : static_cast<double>(box_sum) * box_scale;
    }
    chain.min_head = head;
    chain.min_size = size;
    chain.released = released;
    chain.sustained = sustained;
    chain.box_sum = box_sum;
    chain.box_pos = box_pos;
}

void TruePeakLimiter::account(const double* gains, const double* input_peaks,
                              std::size_t frames) noexcept {
    double min_gain = min_gain_;
    double trace_min_gain = trace_min_gain_;
    int trace_fill = trace_fill_;
    double product = gain_product_;
    std::int64_t product_exp = gain_product_exp_;
    std::int64_t gr_frames = gr_frames_;
    for (std::size_t i = 0; i < frames; ++i) {
        const double gain = gains[i];
        min_gain = std::min(min_gain, gain);
        trace_min_gain = std::min(trace_min_gain, gain);
        if (++trace_fill == trace_block_frames_) {
            trace_db_.push_back(-gain_to_db(trace_min_gain));
            trace_fill = 0;
            trace_min_gain = 1.0;
        }
        if (input_peaks[i] <= silence_lin_) continue;
        ++gr_frames;
        product *= gain;
        if (product < k_renormalise_below) {
            product *= k_renormalise_scale;
            product_exp -= k_renormalise_exp;
        }
    }
    min_gain_ = min_gain;
    trace_min_gain_ = trace_min_gain;
    trace_fill_ = trace_fill;
    gain_product_ = product;
    gain_product_exp_ = product_exp;
    gr_frames_ = gr_frames;
}

void TruePeakLimiter::process(AudioView io) noexcept {
    const int channels = std::min(io.channels(), channels_);
    for (std::size_t start = 0; start < io.frames(); start += k_chunk_frames) {
        const std::size_t n = std::min(k_chunk_frames, io.frames() - start);
        detect(io, start, n, channels);
        apply(io, start, n, channels);
    }
}

void TruePeakLimiter::detect(const AudioView& io, std::size_t start, std::size_t frames,
                             int channels) noexcept {
    for (int c = 0; c < channels; ++c) {
        const auto ch = static_cast<std::size_t>(c);
        // history_[c]: the last k_long_taps - 1 inputs, then this chunk; the window of frame i
        // (k_long_taps samples, oldest first, ending at frame i) starts at history_[c][i].
        float* h = history_[ch].data();
        const float* x = io.channel(c) + start;
        std::copy_n(x, frames, h + k_long_taps - 1);
        const double quiet_lin = quiet_lin_;
        int quiet = quiet_run_[ch];
        double before = prev_interval_peak_[ch];
        double* peak = peak_[ch].data();
        for (std::size_t i = 0; i < frames; ++i) {
            const float* window = h + i;
            // The short interpolator reads window[k_long_half - k_short_half, k_long_half +
            // k_short_half): when all of those are quiet, the interval cannot reach the screen
            // level (bound in update_coefficients()), so it cannot reach the threshold either and
            // its exact value cannot change a gain; 0 stands for it.
            quiet = std::abs(window[k_long_half + k_short_half - 1]) < quiet_lin
                        ? std::min(quiet + 1, k_short_taps)
                        : 0;
            const double after = quiet == k_short_taps ? 0.0 : interval_peak(window);
            peak[i] =
                std::max({static_cast<double>(std::abs(window[k_long_half - 1])), before, after});
            before = after;
        }
        quiet_run_[ch] = quiet;
        prev_interval_peak_[ch] = before;
        std::copy_n(h + frames, k_long_taps - 1, h);
    }
}

void TruePeakLimiter::apply(AudioView io, std::size_t start, std::size_t frames,
                            int channels) noexcept {
    const bool linked = params_.stereo_link || channels == 1;
    // Required gain per frame, then the gain chains (they carry state from frame to frame).
    const double threshold = threshold_lin_;
    const auto required = [threshold](double p) { return p > threshold ? threshold / p : 1.0; };
    if (linked) {
        for (std::size_t i = 0; i < frames; ++i)
            gain_[0][i] =
                required(channels == 2 ? std::max(peak_[0][i], peak_[1][i]) : peak_[0][i]);
        run_chain(chains_[0], gain_[0].data(), frames);
        if (channels == 2) std::copy_n(gain_[0].begin(), frames, gain_[1].begin());
    } else {
        for (std::size_t c = 0; c < static_cast<std::size_t>(channels); ++c) {
            for (std::size_t i = 0; i < frames; ++i) gain_[c][i] = required(peak_[c][i]);
            run_chain(chains_[c], gain_[c].data(), frames);
        }
    }
    frame_ += static_cast<std::int64_t>(frames);
    // Output: the input delayed by latency_frames(), times the gain; then the safety stage.
    std::array<double, k_chunk_frames> input_peak{};
    const float ceiling = ceiling_f_;
    const int latency = latency_frames_;
    int pos = delay_pos_;
    for (int c = 0; c < channels; ++c) {
        const auto ch = static_cast<std::size_t>(c);
        float* d = delay_[ch].data();
        float* y = io.channel(c) + start;  // this chunk's input, replaced by the output
        pos = delay_pos_;
        for (std::size_t i = 0; i < frames; ++i) {
            const float delayed = d[pos];
            d[pos] = y[i];
            input_peak[i] = std::max(input_peak[i], static_cast<double>(std::abs(delayed)));
            const auto out = static_cast<float>(static_cast<double>(delayed) * gain_[ch][i]);
            // Safety stage: the sample-peak bound holds whatever the rounding.
            y[i] = std::clamp(out, -ceiling, ceiling);
            pos = pos + 1 == latency ? 0 : pos + 1;
        }
    }
    delay_pos_ = pos;
    if (channels == 2 && !linked)
        for (std::size_t i = 0; i < frames; ++i) gain_[0][i] = std::min(gain_[0][i], gain_[1][i]);
    account(gain_[0].data(), input_peak.data(), frames);
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
