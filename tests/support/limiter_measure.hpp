#pragma once
// Independent peak meters for the limiter tests. They share no code with the limiter's own
// detector (engine/dsp/limiter.cpp): true_peak_fft_dbtp() is band-limited interpolation by
// zero-padding the spectrum (FFT of the whole signal, 16x), not a polyphase FIR.

#include "core/audio_buffer.hpp"

namespace secondear::test::limiter_measure {

/// Largest |sample| over all channels, in dBFS (-inf for digital silence).
double sample_peak_dbfs(const AudioBuffer& audio);

/// True peak in dBTP: each channel is zero-padded on both sides (so the circular transform
/// sees no wrap-around step), transformed, its spectrum zero-padded to 16x the length and
/// transformed back; the peak of that ideal (brick-wall) interpolation is returned. A 16x grid
/// under-reads a tone at Nyquist by at most 1 - cos(pi / 32) = 0.04 dB, less at lower
/// frequencies.
double true_peak_fft_dbtp(const AudioBuffer& audio);

/// Raised-cosine fade-in and fade-out of `fade_s` seconds, in place: test signals that start and
/// stop smoothly, as program material does (an abrupt start rings in any band-limited meter).
void fade_edges(AudioBuffer& audio, double fade_s);

/// True peak in dBTP from a 16x polyphase interpolator with 64 taps per phase (Kaiser-windowed
/// sinc, beta 9, spanning +-32 samples; flat within 0.05 dB to 0.9 x Nyquist), the kind of
/// reconstruction an oversampling DAC performs. Unlike the brick-wall FFT meter it does not
/// sum sinc tails over the whole file, which on full-band white noise adds tenths of a dB that
/// no real converter shows.
double true_peak_fir_dbtp(const AudioBuffer& audio);

/// Removes the first `frames` frames (to undo a processor's latency).
AudioBuffer drop_front(const AudioBuffer& audio, std::size_t frames);

}  // namespace secondear::test::limiter_measure
