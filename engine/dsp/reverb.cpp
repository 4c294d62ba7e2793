#include "dsp/reverb.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace secondear::dsp {

namespace {

[[noreturn]] void invalid(const std::string& what) {
    throw Error(ErrorKind::input_invalid, "reverb: " + what);
}

bool in_range(double v, double lo, double hi) {
    return v >= lo && v <= hi;  // false for NaN
}

bool off_or_in(double v, double lo, double hi) {
    return v == 0.0 || in_range(v, lo, hi);
}

struct KindDesign {
    std::array<double, Reverb::k_lines> line_ms;
    std::array<double, Reverb::k_diffusers> diffuser_ms;
    double diffusion_gain;
};

// Line lengths spread about geometrically over a little under 3:1 (so the echo density builds
// evenly); diffusers of a few ms each. The plate diffuses hardest (densest onset), the hall has
// the longest lines (largest space), the room the shortest.
KindDesign design_for(ReverbKind kind) {
    switch (kind) {
        case ReverbKind::room:
            return {{11.3, 13.7, 16.1, 18.9, 21.7, 24.3, 27.1, 30.7}, {1.3, 2.1, 3.4, 5.3}, 0.6};
        case ReverbKind::hall:
            return {{31.3, 37.1, 43.7, 50.9, 58.3, 66.1, 74.9, 84.7}, {2.3, 3.7, 5.9, 8.9}, 0.65};
        case ReverbKind::plate:
            break;
    }
    return {{17.1, 19.9, 23.3, 26.9, 30.1, 34.7, 38.3, 43.1}, {1.7, 2.9, 4.3, 6.7}, 0.7};
}

bool is_prime(int n) {
    if (n < 2) return false;
    for (int d = 2; d * d <= n; ++d)
        if (n % d == 0) return false;
    return true;
}

int next_prime(int n) {
    while (!is_prime(n)) ++n;
    return n;
}

int frames_of(double ms, double sample_rate_hz) {
    return std::max(1, static_cast<int>(std::lround(ms * 1e-3 * sample_rate_hz)));
}

// Pole of the one-pole low-pass y = (1 - a) x + a y[-1] whose power gain at cos_w is `power`
// (0 < power < 1): (1 - a)^2 = power (1 - 2 a cos_w + a^2), the root in [0, 1).
double one_pole_for_power(double power, double cos_w) {
    const double k = 1.0 - power;
    if (k < 1e-15) return 0.0;
    const double b = 1.0 - power * cos_w;
    return (b - std::sqrt(std::max(0.0, b * b - k * k))) / k;
}

// In-place 8-point Hadamard transform (Sylvester order), unscaled: three butterfly stages written
// out so that they compile to straight-line code. The caller folds in the 1 / sqrt(8) that
// makes it orthonormal (energy-preserving).
void hadamard8(std::array<float, Reverb::k_lines>& v) {
    const float a0 = v[0] + v[1], a1 = v[0] - v[1], a2 = v[2] + v[3], a3 = v[2] - v[3];
    const float a4 = v[4] + v[5], a5 = v[4] - v[5], a6 = v[6] + v[7], a7 = v[6] - v[7];
    const float b0 = a0 + a2, b1 = a1 + a3, b2 = a0 - a2, b3 = a1 - a3;
    const float b4 = a4 + a6, b5 = a5 + a7, b6 = a4 - a6, b7 = a5 - a7;
    v = {b0 + b4, b1 + b5, b2 + b6, b3 + b7, b0 - b4, b1 - b5, b2 - b6, b3 - b7};
}

// Calls f(0), ..., f(k_lines - 1) as straight-line code.
template <class F, std::size_t... K>
void for_each_line_impl(F&& f, std::index_sequence<K...>) {
    (f(K), ...);
}
template <class F>
void for_each_line(F&& f) {
    for_each_line_impl(f, std::make_index_sequence<Reverb::k_lines>{});
}

float flush(float x) {
    return std::abs(x) < 1e-30f ? 0.0f : x;  // keeps decaying state out of the denormal range
}

// Rows 1 and 2 of the Sylvester Hadamard matrix: orthogonal sign patterns for L and R.
constexpr std::array<float, Reverb::k_lines> k_left_taps = {1, -1, 1, -1, 1, -1, 1, -1};
constexpr std::array<float, Reverb::k_lines> k_right_taps = {1, 1, -1, -1, 1, 1, -1, -1};

}  // namespace

void Reverb::set_params(const ReverbParams& params) {
    if (params.kind != ReverbKind::room && params.kind != ReverbKind::plate &&
        params.kind != ReverbKind::hall)
        invalid("unknown kind");
    if (!in_range(params.rt60_s, 0.1, 20.0)) invalid("rt60_s must be in [0.1, 20]");
    if (!in_range(params.pre_delay_ms, 0.0, 500.0)) invalid("pre_delay_ms must be in [0, 500]");
    if (!in_range(params.damping_hz, 500.0, 20000.0)) invalid("damping_hz must be in [500, 20000]");
    if (!off_or_in(params.low_cut_hz, 20.0, 2000.0))
        invalid("low_cut_hz must be 0 or in [20, 2000]");
    if (!off_or_in(params.high_cut_hz, 1000.0, 20000.0))
        invalid("high_cut_hz must be 0 or in [1000, 20000]");
    if (params.low_cut_hz > 0.0 && params.high_cut_hz > 0.0 &&
        params.low_cut_hz >= params.high_cut_hz)
        invalid("low_cut_hz must be below high_cut_hz");
    if (!in_range(params.width, 0.0, 2.0)) invalid("width must be in [0, 2]");
    if (!in_range(params.wet_db, -60.0, 12.0)) invalid("wet_db must be in [-60, 12]");
    params_ = params;
    update_coefficients();
}

void Reverb::update_coefficients() noexcept {
    wet_gain_ = db_to_gain(params_.wet_db);
    if (sample_rate_hz_ <= 0.0) return;
    const double sr = sample_rate_hz_;
    const double cos_w =
        std::cos(2.0 * std::numbers::pi * std::min(params_.damping_hz, 0.45 * sr) / sr);
    for (std::size_t k = 0; k < k_lines; ++k) {
        const double loss_db = 60.0 * line_frames_[k] / (params_.rt60_s * sr);
        line_gain_[k] = db_to_gain(-loss_db);
        // Power gain 10^(-loss/10): the same loss again at damping_hz halves the RT60 there.
        damping_pole_[k] = one_pole_for_power(std::pow(10.0, -loss_db / 10.0), cos_w);
    }
    int fixed_frames = static_cast<int>(pre_delay_[0].size()) + line_frames_[k_lines - 1];
    for (const Allpass& ap : diffusers_[0]) fixed_frames += static_cast<int>(ap.buffer.size());
    tail_frames_ = fixed_frames + static_cast<int>(std::ceil(1.5 * params_.rt60_s * sr));
    std::vector<BiquadCoeffs> sections;
    if (params_.low_cut_hz > 0.0)
        sections.push_back(design_high_pass(params_.low_cut_hz, 1.0 / std::sqrt(2.0), sr));
    if (params_.high_cut_hz > 0.0)
        sections.push_back(
            design_low_pass(std::min(params_.high_cut_hz, 0.45 * sr), 1.0 / std::sqrt(2.0), sr));
    input_filter_.set_sections(sections);
}

void Reverb::prepare(const ProcessSpec& spec) {
    if (!(spec.sample_rate_hz > 0.0)) invalid("sample rate must be positive");
    if (spec.channels < 1 || spec.channels > 2) invalid("only mono and stereo are supported");
    sample_rate_hz_ = spec.sample_rate_hz;
    channels_ = spec.channels;
    const KindDesign design = design_for(params_.kind);
    const double sr = sample_rate_hz_;

    int previous = 1;
    for (std::size_t k = 0; k < k_lines; ++k) {
        line_frames_[k] = next_prime(std::max(previous + 1, frames_of(design.line_ms[k], sr)));
        previous = line_frames_[k];
    }
    line_size_ = 1;
    while (line_size_ <= static_cast<std::size_t>(line_frames_[k_lines - 1])) line_size_ *= 2;
    line_mask_ = line_size_ - 1;
    lines_.assign(line_size_ * k_lines, 0.0f);

    const auto pre = static_cast<std::size_t>(std::lround(params_.pre_delay_ms * 1e-3 * sr));
    for (auto& p : pre_delay_) p.assign(pre, 0.0f);
    // The right diffusers are 7% longer (then the next prime): the two sides decorrelate.
    for (std::size_t c = 0; c < 2; ++c) {
        int prev = 1;
        for (std::size_t d = 0; d < k_diffusers; ++d) {
            const double ms = design.diffuser_ms[d] * (c == 0 ? 1.0 : 1.07);
            prev = next_prime(std::max(prev + 1, frames_of(ms, sr)));
            diffusers_[c][d].buffer.assign(static_cast<std::size_t>(prev), 0.0f);
        }
    }
    diffusion_gain_ = design.diffusion_gain;
    chunk_frames_ = static_cast<std::size_t>(std::max(spec.max_block_frames, 64));
    for (auto& sc : scratch_) sc.assign(chunk_frames_, 0.0f);
    update_coefficients();
    reset();
}

void Reverb::reset() noexcept {
    input_filter_.reset();
    for (auto& p : pre_delay_) std::fill(p.begin(), p.end(), 0.0f);
    pre_delay_pos_ = 0;
    for (auto& side : diffusers_)
        for (Allpass& ap : side) {
            std::fill(ap.buffer.begin(), ap.buffer.end(), 0.0f);
            ap.pos = 0;
        }
    std::fill(lines_.begin(), lines_.end(), 0.0f);
    write_pos_ = 0;
    damping_state_.fill(0.0f);
}

void Reverb::process(AudioView io) noexcept {
    for (std::size_t start = 0; start < io.frames(); start += chunk_frames_)
        process_chunk(io.sub_block(start, std::min(chunk_frames_, io.frames() - start)));
}

void Reverb::process_chunk(AudioView io) noexcept {
    const int channels = std::min(io.channels(), channels_);
    const std::size_t n = io.frames();
    // Stage 1, a channel at a time over the chunk: input filters (in place: the output is wet
    // only), pre-delay, diffusion.
    input_filter_.process(io);
    const std::size_t pre = pre_delay_[0].size();
    const std::size_t pre_pos = pre_delay_pos_;
    const auto g_ap = static_cast<float>(diffusion_gain_);
    for (std::size_t c = 0; c < 2; ++c) {
        const float* src = io.channel(std::min(static_cast<int>(c), channels - 1));
        float* x = scratch_[c].data();
        for (std::size_t i = 0; i < n; ++i) x[i] = src[i];
        if (pre > 0) {
            std::vector<float>& line = pre_delay_[c];
            std::size_t pos = pre_pos;
            for (std::size_t i = 0; i < n; ++i) {
                const float delayed = line[pos];
                line[pos] = x[i];
                x[i] = delayed;
                pos = pos + 1 == pre ? 0 : pos + 1;
            }
        }
        for (Allpass& ap : diffusers_[c]) {
            // Schroeder all-pass: w = x + g w[-D], y = w[-D] - g w.
            const std::size_t size = ap.buffer.size();
            float* buf = ap.buffer.data();
            std::size_t pos = ap.pos;
            for (std::size_t i = 0; i < n; ++i) {
                const float old = buf[pos];
                const float w = flush(x[i] + g_ap * old);
                buf[pos] = w;
                x[i] = old - g_ap * w;
                pos = pos + 1 == size ? 0 : pos + 1;
            }
            ap.pos = pos;
        }
    }
    if (pre > 0) pre_delay_pos_ = (pre_pos + n) % pre;

    // Stage 2, frame by frame: the feedback delay network and the output taps.
    // mid = (L + R) / 2 and side = (L - R) / 2 x width, then wet_db.
    const double mid_gain = 0.5 * wet_gain_ * std::sqrt(8.0);
    const double side_gain = mid_gain * params_.width;
    std::array<float, k_lines> gain{};
    std::array<float, k_lines> pole{};
    std::array<std::size_t, k_lines> offset{};
    for (std::size_t k = 0; k < k_lines; ++k) {
        pole[k] = static_cast<float>(damping_pole_[k]);
        // 1 / sqrt(8) normalises the Hadamard mix; the output taps take it back out.
        gain[k] = static_cast<float>((1.0 - damping_pole_[k]) * line_gain_[k] / std::sqrt(8.0));
        offset[k] = static_cast<std::size_t>(line_frames_[k]);
    }
    // Locals: the stores into `lines` could alias members, which would force reloads.
    float* lines = lines_.data();
    const std::size_t size = line_size_;
    const std::size_t mask = line_mask_;
    std::size_t write_pos = write_pos_;
    std::array<float, k_lines> state = damping_state_;
    const float* in_left = scratch_[0].data();
    const float* in_right = scratch_[1].data();
    float* out_left = io.channel(0);
    float* out_right = channels > 1 ? io.channel(1) : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
        // Straight-line over the 8 lines (-O2 keeps short loops rolled, which costs ~30% here).
        std::array<float, k_lines> v{};
        float left = 0.0f;
        float right = 0.0f;
        for_each_line([&](std::size_t k) {
            const float z = lines[k * size + ((write_pos - offset[k]) & mask)];
            state[k] = flush(gain[k] * z + pole[k] * state[k]);
            v[k] = state[k];
            left += k_left_taps[k] * v[k];
            right += k_right_taps[k] * v[k];
        });
        hadamard8(v);
        const float in_l = in_left[i];
        const float in_r = in_right[i];
        for_each_line([&](std::size_t k) {
            lines[k * size + write_pos] = v[k] + (k % 2 == 0 ? in_l : in_r);
        });
        write_pos = (write_pos + 1) & mask;

        const double mid = mid_gain * static_cast<double>(left + right);
        const double side = side_gain * static_cast<double>(left - right);
        out_left[i] = static_cast<float>(mid + side);
        if (out_right != nullptr) out_right[i] = static_cast<float>(mid - side);
    }
    write_pos_ = write_pos;
    damping_state_ = state;
}

}  // namespace secondear::dsp
