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
/// Empty result for an empty buffer. Deterministic: the frames are split among `threads` threads
/// and the result is the same for any count.
SpectralFrames compute_spectral_frames(const AudioBuffer& audio, int threads = 1);

/// K-weighted mean square (BS.1770-4 filters, channels summed) over the hop centred on each
/// frame t (samples t * hop - hop / 2 .. t * hop + hop / 2), as SpectralFrames::k_weighted_power.
std::vector<double> k_weighted_power_per_hop(const AudioBuffer& audio, int hop_frames);

/// K-weighted mean square (channels summed) over each span [starts_s[i], starts_s[i + 1]), the
/// last one to the end of the audio; sample-exact. 0 for spans outside the audio.
std::vector<double> k_weighted_power_in_spans(const AudioBuffer& audio,
                                              const std::vector<double>& starts_s);

/// BS.1770 loudness of a K-weighted mean square (-inf for zero).
double k_power_to_lufs(double mean_square);

// Measures behind the revision checks (docs/vocabulary.md, "verify"). Both read the mono sum
// through a 2nd-order Butterworth band (an RBJ cookbook high-pass and low-pass), as 10 ms
// (direct_to_reverb_db) or 5 ms (low_sustain_db) mean-power frames, and return NaN when the audio
// has no event to measure. Deterministic; O(frames); allocate one envelope.

/// Direct-to-reverberant estimate (dB) from free decays. At each offset, where the level falls
/// at least 8 dB within 30 ms from the loudest of the 50 ms before it (itself within 30 dB of the
/// loudest frame), the level before the offset (the direct sound with its reverb) minus the mean
/// level 60-250 ms after the offset (what the reverb and delay returns leave once the direct sound
/// has stopped); offsets whose after-window rises (a new note) do not count. The median over
/// offsets, 50 Hz-16 kHz. A louder tail (more send, a longer reverb) lowers it; the source's own
/// level, EQ and compression before the sends move the direct sound and its tail together and leave
/// it.
double direct_to_reverb_db(const AudioBuffer& audio);

/// Low-end sustain (dB) after hits: in the band [low_hz, high_hz], at each onset (the level rises
/// at least 6 dB within 20 ms, to within 30 dB of the loudest frame, at least 100 ms after the
/// previous onset), the mean power 50-250 ms after the onset (cut at the next onset) relative to
/// the first 50 ms. The median over onsets. A ringing kick or boomy bass tail raises it; a
/// tighter low end (shorter decay, less sub) lowers it.
double low_sustain_db(const AudioBuffer& audio, double low_hz, double high_hz);

}  // namespace secondear::analysis
