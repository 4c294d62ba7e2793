#include "pipeline.hpp"

#include "core/errors.hpp"

namespace secondear::pipeline {

namespace {
constexpr std::size_t k_block_frames = 8192;
}  // namespace

analysis::Analysis analyze_source(BlockSource& source, const std::string& name) {
    source.rewind();
    analysis::Analyzer analyzer(source.sample_rate_hz(), source.channels());
    AudioBuffer block(source.channels(), k_block_frames, source.sample_rate_hz());
    std::size_t total = 0;
    while (const std::size_t got = source.read(AudioView(block))) {
        const float* planes[2] = {block.channel(0).data(),
                                  source.channels() > 1 ? block.channel(1).data() : nullptr};
        analyzer.add(planes, got);
        total += got;
    }
    if (total == 0)
        throw Error(ErrorKind::input_not_audio, name + ": contains no audio (0 frames)");
    return analyzer.finish();
}

FileAnalysis analyze_file(const std::filesystem::path& path) {
    io::AudioReader reader(path);
    FileAnalysis out{reader.info(), analyze_source(reader, path.string())};
    out.source.frames = out.analysis.frames;
    return out;
}

}  // namespace secondear::pipeline
