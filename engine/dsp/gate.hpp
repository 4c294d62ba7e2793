#pragma once
// Downward expander / gate for noise and bleed between phrases. Always stereo-linked (one gain
// from the louder channel), so the image does not wander.
//
// Signal flow: sidechain high-pass (optional, 2nd-order Butterworth) -> instantaneous peak level
// of the louder channel -> open/closed decision with hysteresis and hold -> expander curve ->
// log-domain smoother -> gain on the audio, which is delayed by lookahead_ms so the gain can open
// before a transient arrives.
//
// Conventions (docs/conventions.md):
// - The gate opens when the level reaches threshold_db and closes only when it falls below
//   threshold_db - hysteresis_db and stays there for hold_ms. While open (or holding) the target
//   gain is 0 dB. When closed, the target follows the expander curve
//       gain_db = -min(range_db, (threshold_db - level_db) * (ratio - 1))
//   so ratio 2 is a gentle 1:2 expander and a large ratio (e.g. 100) is a gate.
// - range_db is the maximum attenuation, a positive number (20 = at most -20 dB).
// - attack_ms (opening) and release_ms (closing) are 1/e time constants of the gain in dB.
// - The detector is the instantaneous peak; hold_ms must cover half a period of the lowest
//   expected fundamental so that zero crossings of a loud tone do not start a release (50 ms
//   covers 10 Hz).
// - After prepare()/reset() the gate starts closed (at -range_db, or 0 dB when ratio is 1):
//   audio that starts loud fades in over attack_ms, which the lookahead hides.
// Latency: latency_frames() = round(lookahead_ms * sample_rate / 1000), the audio delay. No tail.
// Cost per frame: one log10 only when closed and inside the expander's slope, one exp while the
// gain is not exactly 0 dB. prepare()/set_params() allocate the lookahead delay; process() does
// not.

#include <vector>

#include "dsp/biquad.hpp"
#include "dsp/level_detector.hpp"
#include "dsp/processor.hpp"

namespace secondear::dsp {

struct GateParams {
    double threshold_db = -50.0;          // dBFS peak, [-100, 0]
    double range_db = 20.0;               // max attenuation, [0, 120]
    double ratio = 10.0;                  // expander ratio 1:n, [1, 1000]; large = gate
    double attack_ms = 1.0;               // 1/e opening, [0, 500]
    double hold_ms = 50.0;                // [0, 5000]
    double release_ms = 100.0;            // 1/e closing, [0, 5000]
    double hysteresis_db = 4.0;           // [0, 40]
    double sidechain_high_pass_hz = 0.0;  // 0 = off; else in (0, 0.49 sr)
    double lookahead_ms = 0.0;            // [0, 50]
    friend bool operator==(const GateParams&, const GateParams&) = default;
};

class Gate {
  public:
    /// Validates (throws Error{input_invalid}). A change of lookahead_ms after prepare()
    /// re-allocates and clears the delay line.
    void set_params(const GateParams& params);
    const GateParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return lookahead_frames_; }
    int tail_frames() const noexcept { return 0; }

    static void validate(const GateParams& p, double sample_rate_hz);
    /// Target gain in dB of the closed gate for a steady level (the expander curve), <= 0.
    static double closed_gain_db(const GateParams& p, double level_db) noexcept;

    /// Largest and mean attenuation (positive dB) over all frames since prepare()/reset().
    double max_attenuation_db() const noexcept { return max_att_db_; }
    double mean_attenuation_db() const noexcept {
        return frames_ > 0 ? sum_att_db_ / static_cast<double>(frames_) : 0.0;
    }

  private:
    void configure();

    GateParams params_;
    double sample_rate_hz_ = 0.0;
    int lookahead_frames_ = 0;
    int hold_frames_ = 0;
    double open_power_ = 0.0;   // threshold as a power
    double close_power_ = 0.0;  // threshold - hysteresis as a power
    double floor_power_ = 0.0;  // below this the expander curve is at -range_db
    bool sidechain_on_ = false;
    Biquad sidechain_[AudioView::k_max_channels];
    GainSmoother smoother_;
    bool open_ = false;
    int hold_left_ = 0;
    std::vector<float> delay_;  // channel-major ring buffers of lookahead_frames_ each
    std::size_t delay_pos_ = 0;
    double max_att_db_ = 0.0;
    double sum_att_db_ = 0.0;
    long long frames_ = 0;
};

static_assert(Processor<Gate>);

}  // namespace secondear::dsp
