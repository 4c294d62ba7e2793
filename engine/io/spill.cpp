#include "io/spill.hpp"

#include <unistd.h>

#include <algorithm>
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
    record_.resize(k_record_frames * ch);
    for (std::size_t done = 0; done < block.frames();) {
        const std::size_t n = std::min(k_record_frames - record_fill_, block.frames() - done);
        for (std::size_t c = 0; c < ch; ++c) {
            const float* in = block.channel(static_cast<int>(c)) + done;
            std::copy(
                in, in + n,
                record_.begin() + static_cast<std::ptrdiff_t>(c * k_record_frames + record_fill_));
        }
        record_fill_ += n;
        done += n;
        if (record_fill_ == k_record_frames) flush_record();
    }
    frames_ += block.frames();
}

void SpillFile::flush_record() {
    if (std::fwrite(record_.data(), sizeof(float), record_.size(), file_) != record_.size())
        throw Error(
            ErrorKind::output_failed,
            fmt::format("{}: cannot write the temporary file (disk full?)", path_.string()));
    record_fill_ = 0;
}

void SpillFile::rewind() {
    if (!reading_ && record_fill_ > 0) flush_record();
    std::fflush(file_);
    std::fseek(file_, 0, SEEK_SET);
    reading_ = true;
    record_fill_ = 0;
    record_pos_ = 0;
    read_frames_ = 0;
}

void SpillFile::load_record() {
    const auto ch = static_cast<std::size_t>(channels_);
    record_.resize(k_record_frames * ch);
    if (std::fread(record_.data(), sizeof(float), record_.size(), file_) != record_.size())
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: cannot read the temporary file back", path_.string()));
    record_fill_ = std::min(k_record_frames, frames_ - read_frames_);
    record_pos_ = 0;
    read_frames_ += record_fill_;
}

std::size_t SpillFile::read(AudioView out) {
    if (!reading_) rewind();
    const auto ch = static_cast<std::size_t>(channels_);
    std::size_t done = 0;
    while (done < out.frames()) {
        if (record_pos_ == record_fill_) {
            if (read_frames_ == frames_) break;
            load_record();
        }
        const std::size_t n = std::min(record_fill_ - record_pos_, out.frames() - done);
        for (std::size_t c = 0; c < ch; ++c) {
            const auto from =
                record_.begin() + static_cast<std::ptrdiff_t>(c * k_record_frames + record_pos_);
            std::copy(from, from + static_cast<std::ptrdiff_t>(n),
                      out.channel(static_cast<int>(c)) + done);
        }
        record_pos_ += n;
        done += n;
    }
    return done;
}

}  // namespace secondear::io
