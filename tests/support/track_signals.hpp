#pragma once
// Synthetic stems with known properties for the track analysis, alignment and role tests.
// All mono unless said otherwise; deterministic (seeded); levels are peak dBFS unless the name
// says RMS.

#include <cstdint>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::test::track {

/// A naive (non-band-limited) sawtooth, peak at level_dbfs.
AudioBuffer sawtooth(double freq_hz, double sample_rate_hz, double seconds, double level_dbfs);
/// y = tanh(drive * x) / tanh(drive), sample by sample (a driven amp, peak kept).
AudioBuffer tanh_drive(const AudioBuffer& in, double drive);
/// Gaussian white noise through a 4th-order band-pass (two RBJ band-pass sections, constant
/// 0 dB peak gain) centred on centre_hz with quality q, scaled to rms_dbfs.
AudioBuffer band_noise(std::uint64_t seed, double centre_hz, double q, double sample_rate_hz,
                       double seconds, double rms_dbfs);
/// RBJ peaking EQ applied in place to every channel.
void apply_peak_eq(AudioBuffer& audio, double freq_hz, double gain_db, double q);
/// 4th-order Butterworth high-pass (two RBJ sections) applied in place to every channel.
void apply_high_pass(AudioBuffer& audio, double freq_hz);
/// Sum of two buffers of the same rate and channel count (length of the longer).
AudioBuffer mix(const AudioBuffer& a, const AudioBuffer& b);
/// Multiplies by a gate: `on` between each [start_s, end_s) pair (10 ms raised-cosine ramps),
/// silent elsewhere; gains_db gives each span's gain (empty: 0 dB).
struct Span {
    double start_s;
    double end_s;
    double gain_db = 0.0;
};
AudioBuffer gated(const AudioBuffer& in, const std::vector<Span>& spans);
/// Delays by `frames` (zeros in front, same length) and optionally inverts polarity.
AudioBuffer delayed(const AudioBuffer& in, std::size_t frames, bool invert);

/// A kick: 50 Hz sine with a pitch drop from 120 Hz and a 60 ms decay, a click, every period_s.
AudioBuffer kick_like(double sample_rate_hz, double seconds, double period_s);
/// A closed hi-hat: high-passed noise bursts (above 7 kHz), 40 ms decay, every period_s.
AudioBuffer hihat_like(std::uint64_t seed, double sample_rate_hz, double seconds, double period_s);
/// A bass line: sustained band-limited sawtooth notes (8 harmonics) between 41 and 98 Hz.
AudioBuffer bass_like(double sample_rate_hz, double seconds);
/// A sung phrase-by-phrase voice: a glottal-like harmonic source at 150-300 Hz with vibrato,
/// shaped by three formants (700, 1200, 2600 Hz), 1.5 s phrases with 0.5 s gaps.
AudioBuffer vocal_like(double sample_rate_hz, double seconds);

}  // namespace secondear::test::track
