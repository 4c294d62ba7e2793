#pragma once
// Gain, polarity, alignment delay, pan/balance and mute for one track.
//
// - gain_db: static gain. invert_polarity: multiplies by -1. mute: outputs silence (the delay
//   line keeps running so that unmuting resumes in time).
// - delay_frames: an integer delay (>= 0) for aligning tracks (e.g. a close mic against its room
//   mic). latency_frames() is 0 on purpose: the delay is the intended result, and the renderer
//   must not compensate it away.
// - pan in [-1, 1] (-1 = left). It acts only on two-channel audio; on one channel it is ignored.
//   The renderer duplicates a mono track to two identical channels before the chain, and sets
//   source_is_mono, so pan is a constant-power pan of that pair:
//       theta = (pan + 1) pi / 4,  left = sqrt(2) cos(theta),  right = sqrt(2) sin(theta)
//   i.e. the -3 dB pan law normalised to unity at the centre (left^2 + right^2 = 2 for every pan,
//   so the pair's power is that of the centred source; hard left is +3 dB on the left only).
//   For a real stereo source (source_is_mono false) pan is a balance control: the opposite
//   channel is attenuated by cos(|pan| pi / 2) and the near channel is untouched.
//   pan = 0 is unity on both channels in both modes (bit-exact identity).
// Cost: one multiply per sample, plus a ring-buffer read and write when delayed. set_params() and
// prepare() allocate the delay line; process() does not.

#include <vector>

#include "dsp/processor.hpp"

namespace secondear::dsp {

struct GainParams {
    double gain_db = 0.0;  // [-120, 24]
    bool invert_polarity = false;
    int delay_frames = 0;  // [0, 10 s worth of frames at the prepared rate]
    double pan = 0.0;      // [-1, 1]
    bool source_is_mono = false;
    bool mute = false;
    friend bool operator==(const GainParams&, const GainParams&) = default;
};

class GainStage {
  public:
    /// Validates (throws Error{input_invalid}). A change of delay_frames clears the delay line.
    void set_params(const GainParams& params);
    const GainParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return params_.delay_frames; }

    static void validate(const GainParams& p, double sample_rate_hz);
    /// Linear gains of the left and right channel (polarity, gain, pan and mute included).
    static void channel_gains(const GainParams& p, double& left, double& right) noexcept;

  private:
    void configure();

    GainParams params_;
    double sample_rate_hz_ = 0.0;
    double gain_lin_[AudioView::k_max_channels] = {1.0, 1.0};
    double mono_gain_lin_ = 1.0;  // one-channel audio: pan does not apply
    std::vector<float> delay_;    // channel-major ring buffers of delay_frames each
    std::size_t delay_pos_ = 0;
};

static_assert(Processor<GainStage>);

}  // namespace secondear::dsp
