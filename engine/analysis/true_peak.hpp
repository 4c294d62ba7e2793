#pragma once
// True peak per ITU-R BS.1770-4 Annex 2: 4x oversampling with the Annex's 48-tap polyphase FIR
// (Table 2 there: 4 phases of 12 taps), then the largest absolute value, in linear full scale.
//
// Conventions:
// - 4x at every sample rate. The Annex designs for 48 kHz; above that 4x only oversamples more
//   than needed (2x would do at 96 kHz), which costs time, not accuracy.
// - The reported true peak is never below the sample peak: the Annex filter does not pass the
//   original samples through exactly (its centre tap is 0.972), so max(interpolated, sample) is
//   reported, as libebur128 does.
// - Streaming: blocks of any size, results independent of the block size (each interpolated
//   value is computed once, from the same 12 inputs in the same order; a maximum is exact).
// - Speed: the kernel is written for the compiler's auto-vectoriser (contiguous float arrays,
//   fixed-size inner loops, no branches). A chunk is skipped when even its largest possible
//   interpolated value, sum(|h|) times its largest input, cannot beat the peak found so far;
//   that bound is exact, so skipping never changes the result.
// Not thread safe; one meter per stream. Channels: 1 or 2.

#include <array>
#include <cstddef>
#include <vector>

namespace secondear::analysis {

class TruePeakMeter {
  public:
    static constexpr int k_phases = 4;
    static constexpr int k_taps_per_phase = 12;
    static constexpr int k_history_frames = k_taps_per_phase - 1;

    explicit TruePeakMeter(int channels);

    void add(const float* const* channels, std::size_t frames);
    /// max over channels and time of max(interpolated, sample) peaks, linear (0 for silence).
    double true_peak_lin() const noexcept;
    /// Largest absolute sample value, linear.
    double sample_peak_lin() const noexcept;
    int channels() const noexcept { return channels_; }

  private:
    void add_channel(int c, const float* x, std::size_t frames);

    int channels_ = 0;
    std::array<std::array<float, k_history_frames>, 2> history_{};
    std::vector<float> scratch_;
    float gain_bound_ = 0.0f;  // largest sum(|h|) over the phases (see the skip test above)
    float interpolated_peak_ = 0.0f;
    float sample_peak_ = 0.0f;
};

/// BS.1770-4 Annex 2 coefficients: interpolated value of phase p at input n is
/// sum over k of coefficient[p][k] * x[n - k].
const std::array<std::array<float, TruePeakMeter::k_taps_per_phase>, TruePeakMeter::k_phases>&
true_peak_coefficients() noexcept;

/// The vectorised kernel: largest |interpolated value| for inputs x[0..count), where x[-11..-1]
/// must be readable (the history). Exposed so tests can check it against a naive convolution.
float interpolated_peak(const float* x, std::size_t count) noexcept;

}  // namespace secondear::analysis
