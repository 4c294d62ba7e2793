#pragma once
// Feed-forward compressor: sidechain high-pass (optional) -> level detector (peak or rms) ->
// static gain computer with a soft knee -> log-domain attack/release smoother -> makeup -> dry/wet.
//
// Conventions (docs/conventions.md):
// - ratio is n:1 (>= 1; 1 = no compression); knee_db is the full width, centred on threshold_db.
// - attack_ms / release_ms are 1/e time constants of the gain smoother in the dB domain: after a
//   level step the gain reduction reaches 1 - 1/e of its change in attack_ms (see
//   level_detector.hpp).
// - stereo_link: one gain for both channels from the louder channel's level (max of channels);
//   otherwise each channel has its own detector and gain.
// - mix: 1 = fully compressed, 0 = dry; out = x ((1 - mix) + mix * gain * makeup), so makeup
//   applies to the compressed (wet) path, as a parallel compressor's return fader does.
// - Gain-reduction statistics: max_gain_reduction_db() and mean_gain_reduction_db() are positive
//   dB of reduction by the smoothed gain computer (makeup and mix excluded), accumulated over all
//   processed frames since prepare()/reset(). The mean counts only "active" frames, whose input
//   level (a 50 ms 1/e RMS of the louder channel, before the sidechain filter) is above -60 dBFS,
//   so that silence between phrases does not dilute it.
// Cost per frame: one log10 and one exp per gain (per frame when linked, per channel otherwise),
// skipped while the level is below the knee and the gain has settled at 0 dB; both are short
// series (compressor.cpp: under 2e-12 dB and 3e-13 relative from libm) and run over chunks of
// k_chunk_frames so that different frames' conversions overlap. No latency, no tail,
// no allocation in process().

#include <array>

#include "dsp/biquad.hpp"
#include "dsp/level_detector.hpp"
#include "dsp/processor.hpp"

namespace secondear::dsp {

struct CompressorParams {
    double threshold_db = -18.0;  // dBFS of the detected level, [-80, 0]
    double ratio = 2.0;           // n:1, [1, 100]
    double knee_db = 6.0;         // full width centred on the threshold, [0, 40]
    double attack_ms = 10.0;      // 1/e, [0, 500]; 0 = instant
    double release_ms = 120.0;    // 1/e, [0, 5000]; 0 = instant
    double makeup_db = 0.0;       // [-24, 40]
    bool stereo_link = true;
    DetectorMode detector = DetectorMode::peak;
    double rms_window_ms = 10.0;          // 1/e, used when detector == rms, (0, 1000]
    double sidechain_high_pass_hz = 0.0;  // 0 = off; else in (0, 0.49 sr), 2nd-order Butterworth
    double mix = 1.0;                     // [0, 1]
    friend bool operator==(const CompressorParams&, const CompressorParams&) = default;
};

class Compressor {
  public:
    /// Validates (throws Error{input_invalid}); takes effect from the next process() call.
    void set_params(const CompressorParams& params);
    const CompressorParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    /// The gain the compressor would apply to each frame of `detector_input` (linear, makeup and
    /// mix included; channels linked), without touching the input. For buses whose gain must be
    /// applied to every member separately (so that printed stems sum to the bus). Requires
    /// stereo_link.
    void gain_envelope(AudioView detector_input, float* gain_lin) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }

    /// Gain computer only (threshold, ratio, knee): <= 0 dB for a steady input level in dB.
    /// Giannoulis et al. 2012, eq. 4.
    static double gain_computer_db(const CompressorParams& p, double input_level_db) noexcept;
    /// Steady-state gain of the whole processor (gain computer, makeup and mix) for a steady
    /// detected level. Pure; no state.
    static double static_gain_db(const CompressorParams& p, double input_level_db) noexcept;
    static void validate(const CompressorParams& p, double sample_rate_hz);

    double max_gain_reduction_db() const noexcept { return max_gr_db_; }
    double mean_gain_reduction_db() const noexcept {
        return active_frames_ > 0 ? sum_gr_db_ / static_cast<double>(active_frames_) : 0.0;
    }

  private:
    void configure();
    static constexpr std::size_t k_chunk_frames = 256;
    using Work = std::array<std::array<double, k_chunk_frames>, AudioView::k_max_channels>;
    /// The gain computer's target (dB) for each detected power in work[0, frames), in place.
    void target_gains_db(double* work, std::size_t frames) const noexcept;
    /// Detectors over frames [start, start + frames) of io (frames <= k_chunk_frames): the
    /// detected power, then the gain computer's target (dB) of each gain in work_[set] (one gain
    /// when linked, else one per channel). In the same loop the smoothers turn the targets in
    /// work_[smooth_set] (the chunk before, smooth_frames long; none if smooth_set < 0) into
    /// smoothed gains (dB). frames may be 0 (only the smoothers run).
    void detect_next(const AudioView& io, std::size_t start, std::size_t frames, int set,
                     int smooth_set, std::size_t smooth_frames) noexcept;
    template <bool k_sidechain, bool k_rms>
    void detect(const AudioView& io, std::size_t start, std::size_t frames, int set, int smooth_set,
                std::size_t smooth_frames) noexcept;
    /// Statistics of the smoothed gains in work_[set], then each gain's factor (makeup and mix
    /// included), in place.
    void finish_factors(int set, std::size_t frames, int gains) noexcept;
    /// The whole block, chunk by chunk: emit(start, frames, factors) for each chunk in order.
    template <class Emit>
    void run(const AudioView& io, const Emit& emit) noexcept;

    // Two doubles in one SSE2 register (GCC/Clang vector extension): lane 0 is the left (or mono)
    // channel, lane 1 the right. Each lane does exactly the scalar operations.
    using Pair = double __attribute__((vector_size(16)));

    CompressorParams params_;
    double sample_rate_hz_ = 0.0;
    double knee_start_power_ = 0.0;  // below this detected power the gain computer gives 0 dB
    double makeup_lin_ = 1.0;
    double stats_coeff_ = 0.0;
    BiquadCoeffs sidechain_;
    bool sidechain_on_ = false;
    double detector_coeff_ = 0.0;  // rms detector's one-pole coefficient
    // Per-channel state (one lane each): sidechain filter, rms detector's mean square.
    Pair sidechain_s1_{}, sidechain_s2_{}, mean_square_{};
    GainSmoother smoother_[AudioView::k_max_channels];
    // Two chunks (this one and the next): detected power, then target gain (dB), smoothed gain
    // (dB), factor, in place.
    std::array<Work, 2> work_{};
    std::array<std::array<bool, k_chunk_frames>, 2> active_{};  // frames in the mean reduction
    double stats_mean_square_ = 0.0;
    double max_gr_db_ = 0.0;
    double sum_gr_db_ = 0.0;
    long long active_frames_ = 0;
};

static_assert(Processor<Compressor>);

}  // namespace secondear::dsp
