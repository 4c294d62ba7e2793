#pragma once
// K-weighting of ITU-R BS.1770-4 Annex 1 (the "pre-filter" high shelf, modelling the head, then
// the "RLB" high-pass) as two biquads designed for any sample rate.
//
// BS.1770-4 gives the coefficients only at 48 kHz (Tables 1 and 2). We read each table entry as
// the bilinear transform of a normalised analog biquad
//     H(s) = (Vh s^2 + Vb s / Q + Vl) / (s^2 + s / Q + 1),   s = j f / f0,
// prewarped at its own corner (K = tan(pi f0 / fs), the RBJ Audio EQ Cookbook form). That map is
// invertible, so f0, Q, Vh, Vb and Vl are recovered from the table itself (no fitted constants:
// at fs = 48 kHz the design reproduces the table to rounding), then transformed back at the
// wanted rate. Private to the analysis layer (the loudness meter and its tests).

namespace secondear::analysis {

/// Biquad coefficients, a0 normalised to 1: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2.
struct KBiquad {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};

/// The normalised analog prototype of one stage (see above). corner_hz is f0.
struct KPrototype {
    double corner_hz = 0.0;
    double q = 0.0;
    double gain_high_lin = 0.0;  // Vh: gain towards infinite frequency
    double gain_band_lin = 0.0;  // Vb
    double gain_low_lin = 0.0;   // Vl: gain at DC
};

struct KWeighting {
    KBiquad shelf;
    KBiquad high_pass;
};

/// BS.1770-4 Table 1 (pre-filter) and Table 2 (RLB high-pass), fs = 48 kHz.
KBiquad bs1770_shelf_48k() noexcept;
KBiquad bs1770_high_pass_48k() noexcept;

/// Inverse bilinear transform of a 48 kHz-style table entry (see the header comment).
KPrototype prototype_from_biquad(const KBiquad& digital, double sample_rate_hz) noexcept;
/// Bilinear transform of the prototype at sample_rate_hz, prewarped at its corner.
KBiquad biquad_from_prototype(const KPrototype& analog, double sample_rate_hz) noexcept;

/// Both stages for sample_rate_hz (> 2 * the shelf corner, about 1.7 kHz; any audio rate).
KWeighting design_k_weighting(double sample_rate_hz) noexcept;

/// Magnitude of a biquad at freq_hz in dB, evaluated analytically on the unit circle.
double k_biquad_magnitude_db(const KBiquad& stage, double freq_hz, double sample_rate_hz) noexcept;

}  // namespace secondear::analysis
