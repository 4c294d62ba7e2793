#pragma once
// Saturation: a 4x oversampled waveshaper (soft clip, tape, hard clip) with dry/wet mix.
//
// Signal flow, per channel, written as "linear part + band-limited distortion residual":
//   y[n] = K * (L * x[n - M] + mix * D(e))
//   e    = F(U(x)) - L * U(x)          (at 4x the sample rate)
// U is a 4x polyphase upsampler and D the matching decimator, both the same linear-phase
// Kaiser-windowed sinc (k_filter_taps taps at the 4x rate, beta k_kaiser_beta, about 70 dB
// stopband, cutoff k_cutoff_ratio x the base-rate Nyquist, i.e. 0.4 x the sample rate);
// M = latency_frames() = k_taps_per_phase, the sum of their group delays. Only the residual e
// (what the curve adds) goes through the oversampling filters; the linear part is the input
// delayed by exactly M frames. So the filters' roll-off (from about 0.22 x the sample rate, fully
// stopped from 0.58 x) touches only distortion products, and whatever the curve leaves linear
// comes out bit-exact. What the curve creates above the cutoff is removed before decimation
// instead of folding back as aliasing: on a 0 dBFS 5 kHz sine at +12 dB drive (44.1 kHz) the
// folded-back power is -69 dBc against -18 dBc for the same curve without oversampling. The
// cutoff sits low on purpose: at 0.45 x the sample rate the transition band let through
// enough to read -46 dBc. First-order ADAA was the alternative: cheaper, but its alias
// rejection on a near-square curve is weaker and its latency is half a sample, which a dry path
// cannot match exactly.
// Modes (g_d = drive gain, g_o = output gain):
// - soft_clip: F(u) = tanh(g_d u) / g_d, L = 1, K = g_o. Symmetric: odd harmonics only. Small
//   signals pass at unity gain whatever the drive; the output approaches +-1 / g_d.
// - tape: F(u) = (tanh(g_d u + b) - tanh b) / ((1 - tanh^2 b) g_d) with bias b = k_tape_bias,
//   L = 1, K = g_o. Asymmetric, so even and odd harmonics; unity slope at zero. No
//   low-frequency emphasis. The residual's DC (an asymmetric curve rectifies) is removed by a
//   first-order DC blocker at k_tape_dc_block_hz on the residual only.
// - hard_clip: a mastering clipper. F(u) = clamp(G u, +-c), L = G = g_d g_o, K = 1, with
//   c = ceiling_db as linear gain. output_db acts before the ceiling (the ceiling is the last
//   word): the output sample peak never exceeds ceiling_db, exactly (a final clamp to the
//   ceiling as float, which only trims the decimator's small overshoot when mix is 1, and
//   which clips the dry part at the base rate when mix < 1). ceiling_db is ignored in the
//   other modes.
// Neutral params (drive_db 0, mix 0, output_db 0, a soft mode) give the input delayed by
// latency_frames(), bit-exact; there is no bypass, so the latency never depends on params.
//
// Cost per channel and frame: soft/tape: 2 x 13 four-wide multiply-adds and 4 tanh. hard_clip:
// a comparison while the input stays below the ceiling by the upsampler's worst-case gain
// (the residual is then exactly zero and the filters are skipped), otherwise as soft plus 4
// clamps instead of tanh. No allocation in process(). Latency 12 frames at every rate.
// Measured (CPU time, -O2, 4 min of stereo 44.1 kHz noise with kick-like peaks to +3.7 dBFS, blocks
// of 512, shared machine): hard_clip 0.03 s at a 0 dBFS ceiling (0.06% of samples cut), 0.06 s at
// -3 (0.7%, up to 6.6 dB deep), 0.16 s at -6 (2.5%, 9.6 dB); soft_clip 1.7 s and tape 1.8 s
// (std::tanh dominates).
// Memory: two history buffers of max_block_frames per channel, allocated in prepare().

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dsp/processor.hpp"

namespace secondear::dsp {

enum class SaturationMode { soft_clip, tape, hard_clip };

struct SaturationParams {
    double drive_db = 0.0;  // [-24, 48]: gain into the curve
    double mix = 1.0;       // [0, 1]: 0 dry (delayed), 1 saturated
    SaturationMode mode = SaturationMode::soft_clip;
    double ceiling_db = 0.0;  // [-24, 6] dBFS sample peak; hard_clip only
    double output_db = 0.0;   // [-24, 24]; in hard_clip applied before the ceiling
    friend bool operator==(const SaturationParams&, const SaturationParams&) = default;
};

class Saturation {
  public:
    static constexpr int k_oversampling = 4;
    static constexpr int k_taps_per_phase = 12;
    static constexpr int k_filter_taps = k_oversampling * k_taps_per_phase + 1;
    static constexpr double k_kaiser_beta = 7.0;
    static constexpr double k_cutoff_ratio = 0.8;
    static constexpr double k_tape_bias = 0.3;
    static constexpr double k_tape_dc_block_hz = 5.0;
    /// Frames whose linear output is below this do not count in mean_gain_reduction_db().
    static constexpr double k_silence_dbfs = -90.0;

    Saturation() = default;
    explicit Saturation(const SaturationParams& params) { set_params(params); }

    /// Validates (throws Error input_invalid); applies from the next frame.
    void set_params(const SaturationParams& params);
    const SaturationParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return k_taps_per_phase; }
    int tail_frames() const noexcept { return 0; }

    /// Statistics of the curve (the wet path, before mix and output gain), since reset():
    /// the reduction of a sample is 20 log10(|linear| / |curve|) at the base-rate sample
    /// (drive and output gain applied, no curve) and >= 0. For hard_clip it is how far the
    /// sample went over the ceiling: how deep the clipper cut.
    double max_gain_reduction_db() const noexcept { return max_gr_db_; }
    /// Mean reduction over the non-silent samples (linear path above k_silence_dbfs) of every
    /// channel.
    double mean_gain_reduction_db() const noexcept;
    /// Samples (all channels) reduced by more than 0.01 dB.
    std::int64_t reduced_samples() const noexcept { return reduced_samples_; }

  private:
    static constexpr int k_window = k_taps_per_phase + 1;  // frames of history each filter reads

    struct Channel {
        // The last k_taps_per_phase frames of input (and of residual, 4 per frame), then the
        // current chunk: x[m + i] is frame i of the chunk, x[i] the same frame's delayed input.
        std::vector<float> x;
        std::vector<float> e;
        int quiet_run = 0;            // consecutive frames that cannot reach the ceiling
        int residual_age = k_window;  // frames since the last non-zero residual
        double dc_in = 0.0;           // DC blocker state (tape)
        double dc_out = 0.0;
    };

    void update_gains() noexcept;
    float curve_residual(float u) const noexcept;
    void process_chunk(Channel& ch, float* s, std::size_t n) noexcept;
    double process_frame(Channel& ch, std::size_t i) noexcept;
    double curve_reduction_db(double x) const noexcept;

    SaturationParams params_;
    double sample_rate_hz_ = 0.0;
    int channels_ = 0;
    // up_[q][p] = 4 h[4q + p]; down_[k][p] = h[4k - p] (zero outside the filter).
    std::array<std::array<float, k_oversampling>, k_window> up_{};
    std::array<std::array<float, k_oversampling>, k_window> down_{};
    float quiet_lin_ = 0.0f;  // |x| below this cannot clip after upsampling (hard_clip)
    double drive_ = 1.0;
    double inv_drive_ = 1.0;
    double linear_gain_ = 1.0;  // L
    double output_gain_ = 1.0;  // K
    float ceiling_f_ = 1.0f;
    double tape_offset_ = 0.0;
    double tape_scale_ = 1.0;
    double dc_pole_ = 0.0;
    std::array<Channel, 2> state_{};
    std::size_t chunk_frames_ = 64;  // max_block_frames (at least 64); longer blocks are split

    double max_gr_db_ = 0.0;
    double sum_gr_db_ = 0.0;
    std::int64_t counted_samples_ = 0;
    std::int64_t reduced_samples_ = 0;
    float silence_lin_ = 0.0f;
};

static_assert(Processor<Saturation>);

}  // namespace secondear::dsp
