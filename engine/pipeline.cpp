#include "pipeline.hpp"

#include "core/errors.hpp"

namespace secondear::pipeline {

namespace {
constexpr std::size_t k_block_frames = 8192;
}  // namespace

FileAnalysis analyze_file(const std::filesystem::path& path) {
    io::AudioReader reader(path);
    const io::SourceInfo& info = reader.info();
    analysis::Analyzer analyzer(info.sample_rate_hz, info.channels);
    AudioBuffer block(info.channels, k_block_frames, info.sample_rate_hz);
    std::size_t total = 0;
    while (const std::size_t got = reader.read(AudioView(block))) {
        const float* planes[2] = {block.channel(0).data(),
                                  info.channels > 1 ? block.channel(1).data() : nullptr};
        analyzer.add(planes, got);
        total += got;
    }
    if (total == 0)
        throw Error(ErrorKind::input_not_audio, path.string() + ": contains no audio (0 frames)");
    FileAnalysis out{info, analyzer.finish()};
    out.source.frames = total;
    return out;
}

}  // namespace secondear::pipeline
