#pragma once
// Breakpoint gain automation (level riding, section moves), sample-accurate.
//
// - Points are {time_s, gain_db}, time_s >= 0 and non-decreasing; gain_db in [-120, 24]. Between
//   two points the gain is linear in dB; before the first point it holds the first point's gain,
//   after the last it holds the last's. Two points at the same time make a step: from that time
//   on, the later point applies. No points: 0 dB (identity, bit-exact).
// - Frame n is at time n / sample_rate_hz, so a point whose time is a whole number of frames is
//   hit exactly at that frame (gain = 10^(gain_db / 20) computed directly, not accumulated).
// - The envelope tracks its own position in frames from prepare()/reset()/seek(); the output
//   does not depend on the block size. seek(frame) gives bit-for-bit the state that processing
//   from frame 0 would have reached.
// Cost: one compare and one multiply per frame, plus a multiply per sample. Within a segment the
// linear gain advances by a constant factor (linear in dB = geometric in amplitude); the factor
// and the gain are recomputed exactly with pow at every point and every 4096 frames, which keeps
// rounding drift far below 1e-9 dB. No latency, no tail; process() does not allocate.

#include <cstdint>
#include <vector>

#include "dsp/processor.hpp"

namespace secondear::dsp {

struct GainPoint {
    double time_s = 0.0;
    double gain_db = 0.0;
    friend bool operator==(const GainPoint&, const GainPoint&) = default;
};

struct GainEnvelopeParams {
    std::vector<GainPoint> points;
    friend bool operator==(const GainEnvelopeParams&, const GainEnvelopeParams&) = default;
};

class GainEnvelope {
  public:
    /// Validates (throws Error{input_invalid}); keeps the current position.
    void set_params(const GainEnvelopeParams& params);
    const GainEnvelopeParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    /// Back to frame 0.
    void reset() noexcept { seek(0); }
    /// The next processed frame is `frame` (frames since the start of the track, >= 0).
    void seek(std::int64_t frame) noexcept;
    std::int64_t position_frames() const noexcept { return frame_; }
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }

    static void validate(const GainEnvelopeParams& p);
    /// The envelope's gain in dB at a time (pure; the reference the processor follows).
    static double gain_db_at(const GainEnvelopeParams& p, double time_s) noexcept;

  private:
    void configure();
    void recompute(std::int64_t frame) noexcept;

    GainEnvelopeParams params_;
    double sample_rate_hz_ = 0.0;
    std::vector<double> point_frames_;  // time_s * sample rate
    std::int64_t frame_ = 0;
    std::int64_t next_event_ = 0;  // frame at which gain_ and ratio_ are recomputed exactly
    double gain_ = 1.0;
    double ratio_ = 1.0;
};

static_assert(Processor<GainEnvelope>);

}  // namespace secondear::dsp
