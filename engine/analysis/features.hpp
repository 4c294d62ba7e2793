#pragma once
// Frame-level features shared by tempo and section analysis: one STFT pass over the mono sum.
//
// Conventions:
// - Frame t is centred on sample t * hop_frames (time t * hop_s); the signal is zero-padded at
//   both ends, so frame 0 is centred on the first sample.
// - hop_frames is the power of two nearest to 11.2 ms at the file's rate (512 at 44.1/48 kHz,
//   256 at 22.05/24 kHz, 1024 at 88.2/96 kHz): no resampling, about the same time resolution at
//   every rate. The FFT size is 4 * hop_frames (46 ms at 44.1 kHz), Hann window.
// - Magnitudes are scaled so that a full-scale sine reads 1.0 at its bin (2 / sum(window)).
// Cost: one real FFT per hop plus O(bins) work; about 90 frames per second of audio.

#include <array>
#include <cstddef>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::analysis {

inline constexpr int k_pitch_classes = 12;  // C, C#, ..., B
inline constexpr int k_timbre_bands = 24;   // log-spaced bands, 50 Hz .. 16 kHz (or Nyquist)

struct SpectralFrames {
    double sample_rate_hz = 0.0;
    int hop_frames = 0;
    int fft_size = 0;
    double hop_s = 0.0;
    /// Onset strength per frame: spectral flux of log magnitude, half-wave rectified, each of
    /// three bands (below 150 Hz, 150 Hz-2 kHz, above 2 kHz) weighted equally, then with its
    /// local mean (0.5 s) removed, rectified again and scaled to unit standard deviation.
    std::vector<float> onset_strength;
    /// The flux of the band below 150 Hz alone (kick drums, bass notes), same scaling.
    std::vector<float> low_onset_strength;
    /// Power per pitch class (bins 80 Hz..5 kHz folded to the nearest equal-tempered pitch,
    /// A4 = 440 Hz), per frame.
    std::vector<std::array<float, k_pitch_classes>> chroma;
    /// Band power in dB (10 log10 of mean bin power, floor -120 dB), per frame.
    std::vector<std::array<float, k_timbre_bands>> band_db;
    /// K-weighted mean square (ITU-R BS.1770-4 pre-filter and RLB high-pass), summed over the
    /// channels, over the hop centred on each frame. Loudness is -0.691 + 10 log10 of a mean.
    std::vector<double> k_weighted_power;

    std::size_t frames() const noexcept { return onset_strength.size(); }
};

/// The hop used at this sample rate (see above).
int analysis_hop_frames(double sample_rate_hz);

/// One pass over the audio (mono sum for the spectrum, every channel for K-weighted power).
/// Empty result for an empty buffer. Deterministic.
SpectralFrames compute_spectral_frames(const AudioBuffer& audio);

/// K-weighted mean square (BS.1770-4 filters, channels summed) over the hop centred on each
/// frame t (samples t * hop - hop / 2 .. t * hop + hop / 2), as SpectralFrames::k_weighted_power.
std::vector<double> k_weighted_power_per_hop(const AudioBuffer& audio, int hop_frames);

/// K-weighted mean square (channels summed) over each span [starts_s[i], starts_s[i + 1]), the
/// last one to the end of the audio; sample-exact. 0 for spans outside the audio.
std::vector<double> k_weighted_power_in_spans(const AudioBuffer& audio,
                                              const std::vector<double>& starts_s);

/// BS.1770 loudness of a K-weighted mean square (-inf for zero).
double k_power_to_lufs(double mean_square);

}  // namespace secondear::analysis
