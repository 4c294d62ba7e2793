// The only includer of <ebur128.h> (the reference meter); LoudnessMeter is our own.
#include "analysis/loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "analysis/loudness_k_weighting.hpp"
#include "analysis/true_peak.hpp"
#include "core/errors.hpp"
#include "core/units.hpp"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace secondear::analysis {
namespace {

constexpr double k_neg_inf = -std::numeric_limits<double>::infinity();
// BS.1770-4 eq. (2): the offset that makes a 1 kHz sine read its RMS level after K-weighting.
constexpr double k_loudness_offset_db = -0.691;
constexpr double k_absolute_gate_lufs = -70.0;
constexpr double k_integrated_relative_gate_lu = -10.0;  // BS.1770-4
constexpr double k_lra_relative_gate_lu = -20.0;         // EBU Tech 3342
constexpr double k_lra_low_percentile = 0.10;            // EBU Tech 3342
constexpr double k_lra_high_percentile = 0.95;
constexpr std::size_t k_steps_per_hop = 10;      // 10 ms steps per 100 ms hop
constexpr std::size_t k_momentary_steps = 40;    // 400 ms
constexpr std::size_t k_short_term_steps = 300;  // 3 s

double power_to_lufs(double power) noexcept {
    return power > 0.0 ? k_loudness_offset_db + 10.0 * std::log10(power) : k_neg_inf;
}

double lufs_to_power(double lufs) noexcept {
    return std::pow(10.0, (lufs - k_loudness_offset_db) / 10.0);
}

// Denormals in the filters' decaying state (long silences) would cost ~100x per operation on x86;
// flush them for the duration of a call (they are 1e-308 and below: no effect on any reading).
class FlushDenormals {
  public:
#if defined(__SSE__)
    FlushDenormals() noexcept : saved_(_mm_getcsr()) {
        _mm_setcsr(saved_ | 0x8040u);
    }
    ~FlushDenormals() {
        _mm_setcsr(saved_);
    }

  private:
    unsigned saved_;
#endif
};

double loudness_range_lu(const std::vector<double>& short_term_powers) {
    std::vector<double> gated;
    gated_mean_power(short_term_powers, k_lra_relative_gate_lu, &gated);
    if (gated.size() < 2) return 0.0;
    std::sort(gated.begin(), gated.end());
    const auto rank = [&](double p) {
        return gated[static_cast<std::size_t>(
            std::llround(static_cast<double>(gated.size() - 1) * p))];
    };
    return power_to_lufs(rank(k_lra_high_percentile)) - power_to_lufs(rank(k_lra_low_percentile));
}

}  // namespace

double gated_mean_power(const std::vector<double>& powers, double relative_lu,
                        std::vector<double>* gated) {
    const double absolute = lufs_to_power(k_absolute_gate_lufs);
    double sum = 0.0;
    std::size_t count = 0;
    for (double p : powers)
        if (p > absolute) {
            sum += p;
            ++count;
        }
    if (count == 0) return 0.0;
    const double relative = sum / static_cast<double>(count) * std::pow(10.0, relative_lu / 10.0);
    const double threshold = std::max(absolute, relative);
    sum = 0.0;
    count = 0;
    for (double p : powers)
        if (p > threshold) {
            sum += p;
            ++count;
            if (gated) gated->push_back(p);
        }
    return count ? sum / static_cast<double>(count) : 0.0;
}

// ---------------------------------------------------------------------------------------------
// LoudnessMeter

struct LoudnessMeter::Impl {
    Impl(double rate_hz, int channel_count, PeakMetering peaks)
        : sample_rate_hz(rate_hz),
          channels(channel_count),
          k(design_k_weighting(rate_hz)),
          step_frames(static_cast<std::size_t>(std::llround(rate_hz / 100.0))) {
        if (peaks == PeakMetering::measured) true_peak.emplace(channel_count);
    }

    // Two doubles in one SSE2 register (GCC/Clang vector extension): lane 0 is the left (or
    // mono) channel, lane 1 the right (zero for mono). Each lane does exactly the scalar
    // operations, so results are those of a per-channel loop; stereo costs one pass.
    using Pair = double __attribute__((vector_size(16)));

    // Filter state: inputs x, shelf outputs u and K-weighted outputs y, one and two samples
    // back; and the running sum of y^2 over the current 10 ms step.
    struct FilterState {
        Pair x1{}, x2{}, u1{}, u2{}, y1{}, y2{}, sum{};
    };

    // Both biquads in direct form I, each ordered so that its loop-carried dependency is one
    // multiply and one subtraction (the "- a1 * previous output" term last); the other terms
    // overlap with it.
    void filter(const float* const* in, std::size_t offset, std::size_t n) noexcept {
        const KBiquad s = k.shelf;
        const KBiquad h = k.high_pass;
        FilterState f = state;
        const float* left = in[0] + offset;
        const float* right = in[channels - 1] + offset;
        const double right_gain = channels == 2 ? 1.0 : 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const Pair x = {left[i], right_gain * right[i]};
            const Pair u = (s.b0 * x + s.b1 * f.x1 + s.b2 * f.x2 - s.a2 * f.u2) - s.a1 * f.u1;
            const Pair y = (h.b1 * f.u1 + h.b2 * f.u2 - h.a2 * f.y2 + h.b0 * u) - h.a1 * f.y1;
            f.x2 = f.x1;
            f.x1 = x;
            f.u2 = f.u1;
            f.u1 = u;
            f.y2 = f.y1;
            f.y1 = y;
            f.sum += y * y;
        }
        state = f;
    }

    // Sum of the last `steps` step energies, in a fixed order (four partial sums), so the result
    // does not depend on how the input was blocked.
    double window_energy(std::size_t steps) const noexcept {
        const double* v = ring.data() + ring_pos + k_short_term_steps - steps;
        double part[4] = {0.0, 0.0, 0.0, 0.0};
        for (std::size_t i = 0; i < steps; i += 4)
            for (std::size_t j = 0; j < 4; ++j) part[j] += v[i + j];
        return (part[0] + part[1]) + (part[2] + part[3]);
    }

    void close_step() {
        // BS.1770-4 channel weights 1.0 (L and R, or mono; lane 1 is zero for mono).
        const double energy = state.sum[0] + state.sum[1];
        state.sum = Pair{};
        step_filled = 0;
        ring[ring_pos] = energy;
        ring[ring_pos + k_short_term_steps] = energy;
        ring_pos = (ring_pos + 1) % k_short_term_steps;
        ++steps_done;

        const double frames = static_cast<double>(step_frames);
        const double momentary =
            window_energy(k_momentary_steps) / (frames * static_cast<double>(k_momentary_steps));
        const double short_term =
            window_energy(k_short_term_steps) / (frames * static_cast<double>(k_short_term_steps));
        momentary_max_power = std::max(momentary_max_power, momentary);
        short_term_max_power = std::max(short_term_max_power, short_term);
        if (steps_done % k_steps_per_hop != 0) return;
        momentary_series.push_back(power_to_lufs(momentary));
        short_term_series.push_back(power_to_lufs(short_term));
        if (steps_done >= k_momentary_steps) gating_blocks.push_back(momentary);
        if (steps_done >= k_short_term_steps) short_term_blocks.push_back(short_term);
    }

    void add(const float* const* in, std::size_t frames) {
        FlushDenormals flush;
        if (true_peak) true_peak->add(in, frames);
        std::size_t done = 0;
        while (done < frames) {
            const std::size_t n = std::min(frames - done, step_frames - step_filled);
            filter(in, done, n);
            done += n;
            step_filled += n;
            if (step_filled == step_frames) close_step();
        }
    }

    LoudnessResult result() const {
        LoudnessResult r;
        r.integrated_lufs =
            power_to_lufs(gated_mean_power(gating_blocks, k_integrated_relative_gate_lu, nullptr));
        r.momentary_max_lufs = power_to_lufs(momentary_max_power);
        r.short_term_max_lufs = power_to_lufs(short_term_max_power);
        r.loudness_range_lu = loudness_range_lu(short_term_blocks);
        r.sample_peak_dbfs = true_peak ? gain_to_db(true_peak->sample_peak_lin())
                                       : std::numeric_limits<double>::quiet_NaN();
        r.true_peak_dbtp = true_peak ? gain_to_db(true_peak->true_peak_lin())
                                     : std::numeric_limits<double>::quiet_NaN();
        r.short_term_lufs_per_100ms = short_term_series;
        r.momentary_lufs_per_100ms = momentary_series;
        return r;
    }

    double sample_rate_hz;
    int channels;
    KWeighting k;
    std::size_t step_frames;
    FilterState state;
    std::size_t step_filled = 0;
    // Step energies of the last 3 s, stored twice so any window is contiguous (ring + mirror).
    std::array<double, 2 * k_short_term_steps> ring{};
    std::size_t ring_pos = 0;
    std::size_t steps_done = 0;
    double momentary_max_power = 0.0;
    double short_term_max_power = 0.0;
    std::vector<double> gating_blocks;      // 400 ms block powers, every 100 ms
    std::vector<double> short_term_blocks;  // complete 3 s windows, every 100 ms (for LRA)
    std::vector<double> momentary_series;
    std::vector<double> short_term_series;
    std::optional<TruePeakMeter> true_peak;
};

LoudnessMeter::LoudnessMeter(double sample_rate_hz, int channels, PeakMetering peaks) {
    if (channels < 1 || channels > 2)
        throw Error(ErrorKind::input_unsupported, "loudness meter: " + std::to_string(channels) +
                                                      " channels (supported: mono or stereo)");
    // The shelf's corner (about 1.7 kHz) must stay below Nyquist for the design to exist.
    if (!(sample_rate_hz >= 8000.0 && sample_rate_hz <= 768000.0))
        throw Error(ErrorKind::input_unsupported, "loudness meter: sample rate " +
                                                      std::to_string(sample_rate_hz) +
                                                      " Hz (supported: 8 kHz to 768 kHz)");
    impl_ = std::make_unique<Impl>(sample_rate_hz, channels, peaks);
}

LoudnessMeter::~LoudnessMeter() = default;
LoudnessMeter::LoudnessMeter(LoudnessMeter&&) noexcept = default;
LoudnessMeter& LoudnessMeter::operator=(LoudnessMeter&&) noexcept = default;

void LoudnessMeter::add(const float* const* channels, std::size_t frames) {
    impl_->add(channels, frames);
}

void LoudnessMeter::add(const AudioBuffer& audio) {
    if (audio.channels() != impl_->channels)
        throw Error(ErrorKind::internal,
                    "loudness meter: buffer has " + std::to_string(audio.channels()) +
                        " channels, meter expects " + std::to_string(impl_->channels));
    const float* planes[2] = {nullptr, nullptr};
    for (int c = 0; c < audio.channels(); ++c) planes[c] = audio.channel(c).data();
    impl_->add(planes, audio.frames());
}

LoudnessResult LoudnessMeter::result() const {
    return impl_->result();
}

LoudnessResult measure_loudness(const AudioBuffer& audio) {
    LoudnessMeter meter(audio.sample_rate_hz(), audio.channels());
    meter.add(audio);
    return meter.result();
}

double integrated_lufs(const AudioBuffer& audio) {
    return measure_loudness(audio).integrated_lufs;
}

double true_peak_dbtp(const AudioBuffer& audio) {
    TruePeakMeter meter(audio.channels());
    const float* planes[2] = {nullptr, nullptr};
    for (int c = 0; c < audio.channels(); ++c) planes[c] = audio.channel(c).data();
    meter.add(planes, audio.frames());
    return gain_to_db(meter.true_peak_lin());
}

// ---------------------------------------------------------------------------------------------
// Reference: libebur128. Its conventions: counts passed to add_frames are frames (one sample per
// channel, interleaved); loudness of silence is -HUGE_VAL (= -infinity in IEEE doubles, which is
// also our convention); peaks are linear, per channel.

namespace {

struct StateDeleter {
    void operator()(ebur128_state* st) const noexcept { ebur128_destroy(&st); }
};

void check(int status, const char* what) {
    if (status != EBUR128_SUCCESS)
        throw Error(ErrorKind::internal, std::string("libebur128: ") + what + " failed (code " +
                                             std::to_string(status) + ")");
}

void set_channel_map(ebur128_state* st, int channels) {
    if (channels == 5) {
        const int map[5] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_LEFT_SURROUND,
                            EBUR128_RIGHT_SURROUND};
        for (unsigned c = 0; c < 5; ++c) check(ebur128_set_channel(st, c, map[c]), "set_channel");
    } else if (channels == 6) {
        const int map[6] = {EBUR128_LEFT,   EBUR128_RIGHT,         EBUR128_CENTER,
                            EBUR128_UNUSED, EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};
        for (unsigned c = 0; c < 6; ++c) check(ebur128_set_channel(st, c, map[c]), "set_channel");
    }
}

}  // namespace

LoudnessResult measure_loudness_reference(const AudioBuffer& audio) {
    const int channels = audio.channels();
    if (channels != 1 && channels != 2 && channels != 5 && channels != 6)
        throw Error(ErrorKind::input_unsupported,
                    "reference loudness meter: " + std::to_string(channels) +
                        " channels (supported: 1, 2, 5 or 6)");
    const auto rate = static_cast<unsigned long>(std::llround(audio.sample_rate_hz()));
    std::unique_ptr<ebur128_state, StateDeleter> st(
        ebur128_init(static_cast<unsigned>(channels), rate,
                     EBUR128_MODE_I | EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_LRA |
                         EBUR128_MODE_SAMPLE_PEAK | EBUR128_MODE_TRUE_PEAK));
    if (!st) throw Error(ErrorKind::internal, "libebur128: init failed");
    set_channel_map(st.get(), channels);

    const auto step_frames = static_cast<std::size_t>(std::llround(audio.sample_rate_hz() / 100.0));
    const auto ch = static_cast<std::size_t>(channels);
    std::vector<float> interleaved(step_frames * ch);
    LoudnessResult r;
    double momentary_max = k_neg_inf;
    double short_term_max = k_neg_inf;
    std::size_t steps = 0;
    for (std::size_t start = 0; start < audio.frames(); start += step_frames) {
        const std::size_t n = std::min(step_frames, audio.frames() - start);
        for (std::size_t c = 0; c < ch; ++c) {
            const auto plane = audio.channel(static_cast<int>(c));
            for (std::size_t i = 0; i < n; ++i) interleaved[i * ch + c] = plane[start + i];
        }
        check(ebur128_add_frames_float(st.get(), interleaved.data(), n), "add_frames");
        if (n < step_frames) break;  // a final partial step is not read, as in LoudnessMeter
        ++steps;
        double m = 0.0;
        check(ebur128_loudness_momentary(st.get(), &m), "loudness_momentary");
        momentary_max = std::max(momentary_max, m);
        if (steps % k_steps_per_hop != 0) continue;
        double s = 0.0;
        check(ebur128_loudness_shortterm(st.get(), &s), "loudness_shortterm");
        short_term_max = std::max(short_term_max, s);
        r.momentary_lufs_per_100ms.push_back(m);
        r.short_term_lufs_per_100ms.push_back(s);
    }
    check(ebur128_loudness_global(st.get(), &r.integrated_lufs), "loudness_global");
    check(ebur128_loudness_range(st.get(), &r.loudness_range_lu), "loudness_range");
    r.momentary_max_lufs = momentary_max;
    r.short_term_max_lufs = short_term_max;
    double sample_peak = 0.0;
    double true_peak = 0.0;
    for (unsigned c = 0; c < static_cast<unsigned>(channels); ++c) {
        double p = 0.0;
        check(ebur128_sample_peak(st.get(), c, &p), "sample_peak");
        sample_peak = std::max(sample_peak, p);
        check(ebur128_true_peak(st.get(), c, &p), "true_peak");
        true_peak = std::max(true_peak, p);
    }
    r.sample_peak_dbfs = gain_to_db(sample_peak);
    r.true_peak_dbtp = gain_to_db(true_peak);
    return r;
}

}  // namespace secondear::analysis
