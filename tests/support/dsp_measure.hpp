#pragma once
// Small measurements and signals for the mix-processor tests (tests/dsp/*). Pure functions on
// buffers; levels in dB (amplitude), frequencies in Hz.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/audio_buffer.hpp"
#include "core/errors.hpp"
#include "dsp/processor.hpp"

namespace secondear::test::dsp_measure {

/// Amplitude (peak) of the sinusoid at freq_hz in x[start, end), in dB, by a single-bin DFT
/// (Goertzel's sum) without a window. Exact for a sine with a whole number of cycles in the
/// range; otherwise it leaks, but the leak is the same for an input and an output measured over
/// the same range, so gain_at_db() below stays exact for linear processors.
double tone_db(std::span<const float> x, double freq_hz, double sample_rate_hz);
/// tone_db(y) - tone_db(x) over the frames [start, end) of channel `channel`.
double gain_at_db(const AudioBuffer& x, const AudioBuffer& y, double freq_hz, std::size_t start,
                  std::size_t end, int channel = 0);
/// RMS level of a channel range in dBFS (-inf for digital silence).
double rms_db(std::span<const float> x);
double rms_db(const AudioBuffer& a, std::size_t start, std::size_t end, int channel = 0);
/// Largest |a - b| over all channels and frames (buffers of equal shape).
double max_abs_diff(const AudioBuffer& a, const AudioBuffer& b);
/// True when no sample is NaN or Inf.
bool all_finite(const AudioBuffer& a);
/// Magnitude in dB of the DFT of x at freq_hz (no window, no scaling): for an impulse response
/// that has decayed within x, this is the filter's frequency response.
double dft_magnitude_db(std::span<const float> x, double freq_hz, double sample_rate_hz);

/// Unit impulse at frame 0.
AudioBuffer impulse(double sample_rate_hz, std::size_t frames, int channels = 2);
/// Constant value in every sample.
AudioBuffer dc(double sample_rate_hz, std::size_t frames, double value, int channels = 2);
/// Square wave of the given peak level (starts high).
AudioBuffer square(double freq_hz, double sample_rate_hz, std::size_t frames, double level_dbfs,
                   int channels = 2);

/// Runs an already-configured processor over a copy of `input` in blocks of block_frames (0 = the
/// whole buffer as one block), after prepare() and reset().
template <class P>
AudioBuffer render_blocks(P& processor, const AudioBuffer& input, std::size_t block_frames = 0) {
    AudioBuffer out = input;
    const std::size_t total = out.frames();
    const std::size_t block = block_frames == 0 ? std::max<std::size_t>(total, 1) : block_frames;
    processor.prepare(
        dsp::ProcessSpec{input.sample_rate_hz(), static_cast<int>(block), input.channels()});
    processor.reset();
    AudioView all(out);
    for (std::size_t start = 0; start < total; start += block)
        processor.process(all.sub_block(start, std::min(block, total - start)));
    return out;
}

/// True when P::set_params rejects the default params changed by `mutate` with input_invalid
/// (checked after prepare at sample_rate_hz, so rate-dependent limits apply).
template <class P, class Params, class Mutate>
bool rejects(Mutate mutate, double sample_rate_hz = 48000.0) {
    Params params;
    mutate(params);
    P processor;
    processor.prepare({sample_rate_hz, 256, 2});
    try {
        processor.set_params(params);
    } catch (const Error& e) {
        return e.kind() == ErrorKind::input_invalid;
    }
    return false;
}

}  // namespace secondear::test::dsp_measure
