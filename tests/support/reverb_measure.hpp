#pragma once
// Reverb measurements on impulse responses (tests/dsp/reverb_test.cpp): Schroeder backward
// integration (M. R. Schroeder, "New method of measuring reverberation time", JASA 1965) and the
// ISO 3382 style RT60 estimate from a straight-line fit to part of the decay.

#include <span>
#include <vector>

namespace secondear::test::reverb_measure {

/// Energy decay curve: edc[i] = 10 log10(sum_{j >= i} x[j]^2 / sum_j x[j]^2), in dB (0 at the
/// start, non-increasing, -inf once only zeros follow).
std::vector<double> energy_decay_db(std::span<const float> ir);

/// RT60 in seconds from a least-squares line through the EDC between start_db and end_db (T20:
/// -5 to -25 dB; T30: -5 to -35 dB), extrapolated to a 60 dB fall. The response must be long
/// enough that truncation does not bend the fitted range (at least 1.5 x RT60 in practice).
double rt60_s(std::span<const float> ir, double sample_rate_hz, double start_db = -5.0,
              double end_db = -35.0);

/// x band-limited to [low_hz, high_hz] by 4th-order Butterworth high- and low-pass cascades
/// (for a band RT60; the filters' own ring is a few ms, negligible against an RT60 >= 0.5 s).
std::vector<float> band(std::span<const float> x, double low_hz, double high_hz,
                        double sample_rate_hz);

/// Energy (sum of squares) of x in consecutive windows of window_frames, in dB.
std::vector<double> window_energy_db(std::span<const float> x, std::size_t window_frames);

}  // namespace secondear::test::reverb_measure
