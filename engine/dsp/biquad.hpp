#pragma once
// Second-order IIR sections: pure designs in physical units (Hz, dB, sample rate) and a small
// state class. This is the one place where Hz becomes cycles per sample.
//
// Designs follow R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients"
// (the RBJ Audio EQ Cookbook). They are bilinear-transform designs prewarped at the design
// frequency, so the centre / corner frequency is exact at any sample rate, but the shape cramps
// towards Nyquist (a peak's bandwidth narrows and its upper skirt steepens as freq_hz nears
// sample_rate_hz / 2; at 20 kHz and 44.1 kHz this is audible in the plot, not in the gain at the
// centre). Callers keep freq_hz below 0.49 * sample_rate_hz (the EQ validates that).
//
// Conventions (docs/conventions.md):
// - q is the RBJ Q. For peaks and band-passes it is the RBJ bandwidth Q (centre over the
//   bandwidth between the half-gain-in-dB points for peaks, between -3 dB points for band-pass).
// - Shelves: freq_hz is the RBJ shelf midpoint, where the gain is gain_db / 2 (half the shelf in
//   dB). q is the RBJ shelf Q (not the slope S); q = 1/sqrt(2) equals S = 1, the steepest shelf
//   without overshoot; larger q gives a bump near the corner.
// - All coefficients are double with a0 normalised to 1; the difference equation is
//   y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2].

#include <span>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::dsp {

struct BiquadCoeffs {
    double b0 = 1.0;
    double b1 = 0.0;
    double b2 = 0.0;
    double a1 = 0.0;
    double a2 = 0.0;
    friend bool operator==(const BiquadCoeffs&, const BiquadCoeffs&) = default;
};

/// Peaking EQ: gain_db at freq_hz, 0 dB far away. +g then -g at the same freq and q is flat.
BiquadCoeffs design_peak(double freq_hz, double gain_db, double q, double sample_rate_hz);
/// Low shelf: gain_db below the corner, 0 dB above; gain_db / 2 at freq_hz (RBJ midpoint).
BiquadCoeffs design_low_shelf(double freq_hz, double gain_db, double q, double sample_rate_hz);
/// High shelf: gain_db above the corner, 0 dB below; gain_db / 2 at freq_hz (RBJ midpoint).
BiquadCoeffs design_high_shelf(double freq_hz, double gain_db, double q, double sample_rate_hz);
/// Second-order high-pass; |H(freq_hz)| = q (q = 1/sqrt(2): Butterworth, -3.01 dB at freq_hz).
BiquadCoeffs design_high_pass(double freq_hz, double q, double sample_rate_hz);
/// Second-order low-pass; |H(freq_hz)| = q.
BiquadCoeffs design_low_pass(double freq_hz, double q, double sample_rate_hz);
/// Band-pass with a constant 0 dB peak at freq_hz (RBJ "constant 0 dB peak gain").
BiquadCoeffs design_band_pass(double freq_hz, double q, double sample_rate_hz);
/// First-order sections (b2 = a2 = 0), bilinear with prewarp: -3.01 dB at freq_hz.
BiquadCoeffs design_first_order_high_pass(double freq_hz, double sample_rate_hz);
BiquadCoeffs design_first_order_low_pass(double freq_hz, double sample_rate_hz);

/// Butterworth high-/low-pass of order 1..8 as a cascade: order / 2 second-order sections with
/// Q_k = 1 / (2 cos((order + 1 - 2k) pi / (2 order))) and, for odd orders, one first-order section.
/// The cascade is -3.01 dB at freq_hz at every order (bilinear, prewarped at freq_hz).
std::vector<BiquadCoeffs> butterworth_high_pass_sections(double freq_hz, int order,
                                                         double sample_rate_hz);
std::vector<BiquadCoeffs> butterworth_low_pass_sections(double freq_hz, int order,
                                                        double sample_rate_hz);

/// |H(e^jw)| in dB at freq_hz, evaluated analytically from the coefficients.
double magnitude_db(const BiquadCoeffs& c, double freq_hz, double sample_rate_hz);
/// Sum over a cascade.
double magnitude_db(std::span<const BiquadCoeffs> sections, double freq_hz, double sample_rate_hz);

/// One section's state, transposed direct form II, double state (float in, float out).
/// Cost: 5 multiplies and 4 adds per sample; no allocation.
class Biquad {
  public:
    void set_coeffs(const BiquadCoeffs& c) noexcept { c_ = c; }
    const BiquadCoeffs& coeffs() const noexcept { return c_; }
    void reset() noexcept { s1_ = s2_ = 0.0; }
    double process_sample(double x) noexcept {
        const double y = c_.b0 * x + s1_;
        s1_ = c_.b1 * x - c_.a1 * y + s2_;
        s2_ = c_.b2 * x - c_.a2 * y;
        return y;
    }

  private:
    BiquadCoeffs c_;
    double s1_ = 0.0;
    double s2_ = 0.0;
};

/// A cascade of sections applied to up to AudioView::k_max_channels channels, each channel with
/// its own state and the same coefficients. An empty cascade is the identity (bit-exact).
/// set_sections() allocates; process() does not. Samples stay in double between sections.
class BiquadCascade {
  public:
    /// Replaces the sections. Keeps the state when the section count is unchanged (a coefficient
    /// update), otherwise clears it.
    void set_sections(std::span<const BiquadCoeffs> sections);
    std::span<const BiquadCoeffs> sections() const noexcept { return coeffs_; }
    void reset() noexcept;
    void process(AudioView io) noexcept;
    double process_sample(int channel, double x) noexcept {
        const std::size_t n = coeffs_.size();
        Biquad* st = &state_[static_cast<std::size_t>(channel) * n];
        for (std::size_t k = 0; k < n; ++k) x = st[k].process_sample(x);
        return x;
    }

  private:
    std::vector<BiquadCoeffs> coeffs_;
    std::vector<Biquad> state_;  // channel-major: state_[c * sections + k]
};

}  // namespace secondear::dsp
