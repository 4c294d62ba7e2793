#pragma once
// Split-band de-esser. Stereo-linked (both channels get the same reduction).
//
// Detection: the mean square of a band-pass sidechain (RBJ constant-0-dB band-pass at freq_hz,
// bandwidth q) is compared with the broadband mean square, both over a 5 ms 1/e window summed
// over channels. The "sibilance ratio" is band_db - broadband_db (0 dB when all the energy is in
// the band, strongly negative for low-frequency material). It is level-independent, so the same
// threshold works on a quiet and a loud vocal. Material quieter than -60 dBFS broadband is never
// treated (hiss between phrases is not sibilance).
//
// Reduction: reduction_db = clamp(ratio_db - threshold_db, 0, max_reduction_db), smoothed in dB
// with attack_ms (reduction growing) and release_ms (1/e time constants). It is applied to the
// band above split_hz as a dynamic RBJ high shelf (midpoint split_hz, S = 1) whose plateau is
// -reduction_db, its coefficients recomputed every frame while reducing. At 0 dB the shelf's
// coefficients are exactly the identity, so with no reduction the output is the input,
// bit-exact. Why a shelf and not "x + (g - 1) high" with a complementary crossover: measured at
// 44.1 kHz, split 4.5 kHz, 8 dB of reduction, a 2nd-order split either leaks into the low band
// (high = x - lowpass moves a 500 Hz tone by about 0.8 dB, because 1 - lowpass rises as
// sqrt(2) f / split_hz) or loses most of the reduction to its phase shift (high = highpass cuts
// a 7 kHz ess by only 1.8 dB). The shelf moves 500 Hz by 0.001 dB and cuts 7 kHz by 6.9 dB.
// Statistics: max/mean reduction (the shelf plateau) in positive dB; the mean counts only frames
// whose broadband level is above -60 dBFS. No latency, no tail, no allocation. Cost per frame:
// one band-pass per channel and one log10 while the broadband level is above the floor; while
// reducing, one exp, two sqrt, one division and one shelf section per channel.

#include "dsp/biquad.hpp"
#include "dsp/level_detector.hpp"
#include "dsp/processor.hpp"

namespace secondear::dsp {

struct DeesserParams {
    double freq_hz = 6500.0;        // sidechain band centre, (1000, 0.49 sr)
    double q = 1.5;                 // sidechain band-pass RBJ Q, [0.3, 10]
    double split_hz = 4500.0;       // high band lower edge, (1000, 0.49 sr)
    double threshold_db = -12.0;    // sibilance ratio (band - broadband, dB), [-40, 0]
    double max_reduction_db = 8.0;  // [0, 30]
    double attack_ms = 1.0;         // 1/e, [0, 100]
    double release_ms = 60.0;       // 1/e, [0, 1000]
    friend bool operator==(const DeesserParams&, const DeesserParams&) = default;
};

class Deesser {
  public:
    void set_params(const DeesserParams& params);
    const DeesserParams& params() const noexcept { return params_; }

    void prepare(const ProcessSpec& spec);
    void reset() noexcept;
    void process(AudioView io) noexcept;
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }

    static void validate(const DeesserParams& p, double sample_rate_hz);

    double max_reduction_db() const noexcept { return max_red_db_; }
    double mean_reduction_db() const noexcept {
        return active_frames_ > 0 ? sum_red_db_ / static_cast<double>(active_frames_) : 0.0;
    }

  private:
    void configure();
    /// The shelf for a reduction of g_db (<= 0), from 10^(g_db / 80) = sqrt(A) (RBJ's A is
    /// 10^(g_db / 40)): one exponential per update.
    BiquadCoeffs shelf_coeffs(double g_db) const noexcept;

    DeesserParams params_;
    double sample_rate_hz_ = 0.0;
    double window_coeff_ = 0.0;
    Biquad band_[AudioView::k_max_channels];
    Biquad shelf_[AudioView::k_max_channels];
    bool shelf_idle_ = true;  // shelf at 0 dB with zero state: skipped
    double shelf_cos_w0_ = 0.0;
    double shelf_alpha_ = 0.0;
    double threshold_ratio_ = 1.0;  // band over broadband power at the threshold (linear)
    GainSmoother smoother_;
    double band_ms_ = 0.0;
    double broad_ms_ = 0.0;
    double max_red_db_ = 0.0;
    double sum_red_db_ = 0.0;
    long long active_frames_ = 0;
};

static_assert(Processor<Deesser>);

}  // namespace secondear::dsp
