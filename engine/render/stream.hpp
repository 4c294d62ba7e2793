#pragma once
// Streaming helpers shared by the renderers.

#include <functional>

#include "core/block_source.hpp"

namespace secondear::render {

inline constexpr std::size_t k_block_frames = 4096;

/// Pulls every block of `source` through `process` (in place) and hands the output to `emit`,
/// dropping the first `latency_frames` output frames and flushing as many frames of silence at
/// the end, so the emitted length equals the source length, sample-exact.
void stream_compensated(BlockSource& source, int latency_frames,
                        const std::function<void(AudioView)>& process,
                        const std::function<void(AudioView)>& emit);

}  // namespace secondear::render
