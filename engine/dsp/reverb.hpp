#pragma once
// Reverb: an algorithmic stereo reverb for send/return buses. The output is wet only.
//
// Signal flow, per frame:
//   1. Input filters per channel: low cut (2nd-order Butterworth high-pass at low_cut_hz, 0 =
//      off) and high cut (2nd-order Butterworth low-pass at high_cut_hz, 0 = off; held below
//      0.45 x the sample rate).
//   2. Pre-delay of pre_delay_ms (rounded to whole frames).
//   3. Input diffusion: k_diffusers Schroeder all-passes in series per channel (slightly
//      different lengths left and right), so the first echoes are already dense.
//   4. An 8-line feedback delay network (Jot): each line's output goes through its gain
//      g_k = 10^(-3 len_k / (rt60_s sr)) (the level falls 60 dB in rt60_s whatever the line's
//      length) and a one-pole low-pass, then an orthonormal 8x8 Hadamard matrix mixes the lines
//      (lossless, so the gains alone set the decay). The left input feeds the even lines, the
//      right the odd ones. Delay lengths are distinct primes (mutually prime, so echo patterns
//      do not line up) scaled per kind: room 11-31 ms (small, dense), plate 17-43 ms with the
//      strongest diffusion (dense, bright: its damping is as set), hall 31-85 ms (large).
//   5. Damping: each line's one-pole is designed so that at damping_hz its loss per pass
//      doubles (in dB): the RT60 at damping_hz is half of rt60_s, and it falls further above.
//      Below damping_hz / 4 the RT60 is within about 6% of rt60_s.
//   6. Output: the left output sums the lines with one sign pattern and the right with an
//      orthogonal one (two rows of the Hadamard matrix), so L and R are decorrelated; then
//      width scales the side signal (0 mono, 1 as built, up to 2 wider), then wet_db.
// No modulation: renders are deterministic and bit-identical at every block size.
//
// tail_frames(): pre-delay + diffusion + longest line + 1.5 x rt60_s (the time to fall 90 dB).
// Cost: the network runs in float (a float rounding is far below a reverb's noise floor; state
// under 1e-30 is flushed to zero, so a finished tail is exact silence, never denormals).
// Measured (CPU time, -O2, 4 min of stereo 44.1 kHz noise, blocks of 512, shared loaded
// machine): 0.26 s per instance, about an eighth of it the input filters. Memory: the delay
// lines (a few hundred kB at 48 kHz for hall), allocated in prepare(); process() never
// allocates. A change of kind or pre_delay_ms
// takes effect at the next prepare(); the other parameters apply from the next frame.

#include <array>
#include <cstddef>
#include <vector>

#include "dsp/biquad.hpp"
#include "dsp/processor.hpp"

namespace secondear::dsp {

enum class ReverbKind { room, plate, hall };

struct ReverbParams {
    ReverbKind kind = ReverbKind::plate;
    double rt60_s = 1.6;          // [0.1, 20]: time to fall 60 dB at low and mid frequencies
    double pre_delay_ms = 20.0;   // [0, 500]
    double damping_hz = 6000.0;   // [500, 20000]: RT60 is halved here
    double low_cut_hz = 150.0;    // 0 (off) or [20, 2000], on the input
    double high_cut_hz = 9000.0;  // 0 (off) or [1000, 20000], on the input
    double width = 1.0;           // [0, 2]: side gain of the wet output
    double wet_db = 0.0;          // [-60, 12]
    friend bool operator==(const ReverbParams&, const ReverbParams&) = default;
};

class Reverb {
  public:
    static constexpr int k_lines = 8;
    static constexpr int k_diffusers = 4;

    Reverb() = default;
    explicit Reverb(const ReverbParams& params) { set_params(params); }

    /// Validates (throws Error input_invalid).
    void set_params(const ReverbParams& params);
    const ReverbParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return tail_frames_; }
    /// The FDN's delay lengths in frames (distinct primes), for tests and plots.
    const std::array<int, k_lines>& line_frames() const noexcept { return line_frames_; }

  private:
    struct Allpass {
        std::vector<float> buffer;
        std::size_t pos = 0;
    };

    void update_coefficients() noexcept;
    void process_chunk(AudioView io) noexcept;

    ReverbParams params_;
    double sample_rate_hz_ = 0.0;
    int channels_ = 0;
    int tail_frames_ = 0;

    BiquadCascade input_filter_;  // low cut then high cut
    std::array<std::vector<float>, 2> pre_delay_;
    std::size_t pre_delay_pos_ = 0;
    std::array<std::array<Allpass, k_diffusers>, 2> diffusers_;
    double diffusion_gain_ = 0.6;

    std::array<int, k_lines> line_frames_{};
    std::vector<float> lines_;  // k_lines rings of line_size_ (a power of two) each
    std::size_t line_size_ = 0;
    std::size_t line_mask_ = 0;
    std::size_t write_pos_ = 0;
    std::array<double, k_lines> line_gain_{};
    std::array<double, k_lines> damping_pole_{};
    std::array<float, k_lines> damping_state_{};

    double wet_gain_ = 1.0;
    std::size_t chunk_frames_ = 64;  // max_block_frames (at least 64); longer blocks are split
    std::array<std::vector<float>, 2> scratch_;  // diffused input of the current chunk
};

static_assert(Processor<Reverb>);

}  // namespace secondear::dsp
