#pragma once
// Sample-rate conversion with libsoxr at its very-high-quality setting (linear phase, passband
// to 0.91 of Nyquist at -0.01 dB, stopband -170 dB... see soxr.h "VHQ").

#include "core/audio_buffer.hpp"

namespace secondear::io {

/// Returns audio at target_rate_hz; length round(frames * ratio). Same rate: a copy.
AudioBuffer resample(const AudioBuffer& audio, double target_rate_hz);

}  // namespace secondear::io
