#pragma once
// Test signals, generated in code (never loaded). Levels are peak dBFS of each channel.

#include <cstdint>

#include "core/audio_buffer.hpp"

namespace secondear::test::signals {

/// A sine in every channel. phase_deg is the starting phase.
AudioBuffer sine(double freq_hz, double sample_rate_hz, double seconds, double level_dbfs,
                 int channels = 2, double phase_deg = 0.0);
AudioBuffer silence(double sample_rate_hz, double seconds, int channels = 2);
/// Seeded white noise, uniform, peak at level_dbfs; channels independent.
AudioBuffer white_noise(std::uint64_t seed, double sample_rate_hz, double seconds,
                        double level_dbfs, int channels = 2);
/// Seeded pink noise (Voss-McCartney style, -3 dB/octave) scaled to the given RMS in dBFS.
AudioBuffer pink_noise(std::uint64_t seed, double sample_rate_hz, double seconds, double rms_dbfs,
                       int channels = 2);
/// Appends b after a (same rate and channel count).
AudioBuffer concat(const AudioBuffer& a, const AudioBuffer& b);
/// A 1 kHz stereo tone sequence: {seconds, level_dbfs} segments (level <= -200 means silence).
struct Segment {
    double seconds;
    double level_dbfs;
};
AudioBuffer tone_sequence(double sample_rate_hz, std::initializer_list<Segment> segments,
                          double freq_hz = 1000.0, int channels = 2);

}  // namespace secondear::test::signals
