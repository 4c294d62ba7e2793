#include "io/spill.hpp"

#include <unistd.h>

#include <atomic>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::io {

SpillFile::SpillFile(const std::filesystem::path& dir, int channels, double sample_rate_hz)
    : channels_(channels), sample_rate_hz_(sample_rate_hz) {
    static std::atomic<unsigned> counter{0};
    const auto folder = dir.empty() ? std::filesystem::temp_directory_path() : dir;
    path_ = folder / fmt::format(".secondear-spill-{}-{}.f32", ::getpid(), counter++);
    file_ = std::fopen(path_.c_str(), "w+b");
    if (!file_)
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: cannot create a temporary file", path_.string()));
}

SpillFile::~SpillFile() {
    if (file_) std::fclose(file_);
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

void SpillFile::write(AudioView block) {
    const auto ch = static_cast<std::size_t>(channels_);
    interleaved_.resize(block.frames() * ch);
    for (std::size_t c = 0; c < ch; ++c) {
        const float* in = block.channel(static_cast<int>(c));
        for (std::size_t i = 0; i < block.frames(); ++i) interleaved_[i * ch + c] = in[i];
    }
    if (std::fwrite(interleaved_.data(), sizeof(float), interleaved_.size(), file_) !=
        interleaved_.size())
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: cannot write the temporary file (disk full?)", path_.string()));
    frames_ += block.frames();
}

void SpillFile::rewind() {
    std::fflush(file_);
    std::fseek(file_, 0, SEEK_SET);
    reading_ = true;
}

std::size_t SpillFile::read(AudioView out) {
    if (!reading_) rewind();
    const auto ch = static_cast<std::size_t>(channels_);
    interleaved_.resize(out.frames() * ch);
    const std::size_t got = std::fread(interleaved_.data(), sizeof(float) * ch, out.frames(), file_);
    for (std::size_t c = 0; c < ch; ++c) {
        float* dst = out.channel(static_cast<int>(c));
        for (std::size_t i = 0; i < got; ++i) dst[i] = interleaved_[i * ch + c];
    }
    return got;
}

}  // namespace secondear::io
