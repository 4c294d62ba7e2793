#pragma once
// StereoDelay: a send delay (output is the wet signal only), stereo or ping-pong.
//
// Echo k (k >= 1) arrives k * time_ms after the input (rounded to whole frames) with gain
// wet_db + (k - 1) * 20 log10(feedback), before the loop filters. The filters sit in the
// feedback path (one-pole high cut and one-pole low cut, 0 = off), so each repeat is darker and
// thinner than the one before, like a tape echo; the first echo is unfiltered.
// Ping-pong: the mono sum of the input feeds the left line, and each line feeds the other, so
// echoes alternate left, right, left...
// tail_frames(): until the echoes have fallen 90 dB. Memory: one line per channel of
// time_ms, allocated in prepare(); a change of time_ms takes effect at the next prepare().

#include <array>
#include <vector>

#include "dsp/processor.hpp"

namespace secondear::dsp {

struct DelayParams {
    double time_ms = 375.0;  // (0, 2000]; the planner converts note values at a tempo to ms
    double feedback = 0.35;  // [0, 0.95]: gain per repeat
    bool ping_pong = false;
    double high_cut_hz = 0.0;  // 0 (off) or [1000, 20000], in the feedback path
    double low_cut_hz = 0.0;   // 0 (off) or [20, 1000], in the feedback path
    double wet_db = 0.0;       // [-60, 6]
    friend bool operator==(const DelayParams&, const DelayParams&) = default;
};

class StereoDelay {
  public:
    StereoDelay() = default;
    explicit StereoDelay(const DelayParams& params) { set_params(params); }
    /// Validates (throws Error input_invalid).
    void set_params(const DelayParams& params);
    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return tail_frames_; }
    int delay_frames() const noexcept { return delay_frames_; }

  private:
    void update_coefficients() noexcept;

    DelayParams params_;
    double sample_rate_hz_ = 0.0;
    int delay_frames_ = 1;
    int tail_frames_ = 0;
    double wet_gain_ = 1.0;
    double high_cut_pole_ = 0.0;
    double low_cut_pole_ = 0.0;
    std::array<std::vector<double>, 2> line_;
    int pos_ = 0;
    std::array<double, 2> high_cut_state_{};
    std::array<double, 2> low_cut_state_{};
};

static_assert(Processor<StereoDelay>);

}  // namespace secondear::dsp
