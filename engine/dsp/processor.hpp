#pragma once
// The shape every audio processor has (docs/conventions.md):
// - parameters are a plain struct with units in the names, validated by set_params();
// - prepare() may allocate and sets sample-rate-dependent state; reset() clears signal state;
// - process() works in place on a block, never allocates, never throws, never validates;
// - latency_frames() is what the renderer compensates; tail_frames() how long it keeps feeding
//   silence after the input ends so that tails (reverb, delay) are not cut.
// Output must not depend on the block size: a processor gives the same samples for blocks of
// 1, 7, 64, 512 frames or the whole file.

#include <concepts>

#include "core/audio_buffer.hpp"

namespace secondear::dsp {

struct ProcessSpec {
    double sample_rate_hz = 0.0;
    int max_block_frames = 0;
    int channels = 0;
};

template <class P>
concept Processor = requires(P p, const P cp, const ProcessSpec& spec, AudioView io) {
    p.prepare(spec);
    { p.reset() } noexcept;
    { p.process(io) } noexcept;
    { cp.latency_frames() } noexcept -> std::same_as<int>;
    { cp.tail_frames() } noexcept -> std::same_as<int>;
};

}  // namespace secondear::dsp
