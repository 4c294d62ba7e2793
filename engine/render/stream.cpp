#include "render/stream.hpp"

#include <algorithm>

namespace secondear::render {

void stream_compensated(BlockSource& source, int latency_frames,
                        const std::function<void(AudioView)>& process,
                        const std::function<void(AudioView)>& emit) {
    const int channels = source.channels();
    AudioBuffer block(channels, k_block_frames, source.sample_rate_hz());
    auto to_skip = static_cast<std::size_t>(latency_frames);
    std::size_t flush_left = to_skip;
    source.rewind();
    bool source_done = false;
    while (true) {
        std::size_t n = 0;
        if (!source_done) {
            n = source.read(AudioView(block));
            if (n == 0) source_done = true;
        }
        if (source_done) {
            if (flush_left == 0) break;
            n = std::min(flush_left, k_block_frames);
            for (int c = 0; c < channels; ++c) std::fill_n(block.channel(c).data(), n, 0.0f);
            flush_left -= n;
        }
        AudioView view = AudioView(block).sub_block(0, n);
        process(view);
        const std::size_t skip = std::min(to_skip, n);
        to_skip -= skip;
        if (n > skip) emit(view.sub_block(skip, n - skip));
    }
}

}  // namespace secondear::render
