#pragma once
// Runs a dsp processor over a whole buffer in blocks of a given size (for the block-size
// invariance tests of the master and space processors), optionally feeding extra silent frames
// afterwards so that latency and tails come out.

#include <algorithm>
#include <cstddef>

#include "core/audio_buffer.hpp"
#include "dsp/processor.hpp"

namespace secondear::test {

/// block_frames == 0 means one block for the whole buffer. The processor is prepared and reset.
template <class P>
AudioBuffer render_in_blocks(P& processor, const AudioBuffer& input, std::size_t block_frames,
                             std::size_t extra_frames = 0) {
    AudioBuffer out(input.channels(), input.frames() + extra_frames, input.sample_rate_hz());
    for (int c = 0; c < input.channels(); ++c)
        std::copy(input.channel(c).begin(), input.channel(c).end(), out.channel(c).begin());
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

}  // namespace secondear::test
