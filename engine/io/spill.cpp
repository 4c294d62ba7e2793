#include "io/spill.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::io {

SpillFile::SpillFile(const std::filesystem::path& dir, int channels, double sample_rate_hz,
                     std::size_t memory_budget_bytes)
    : dir_(dir),
      channels_(channels),
      sample_rate_hz_(sample_rate_hz),
      record_size_(static_cast<std::size_t>(channels) * k_record_frames),
      memory_budget_records_(memory_budget_bytes / (record_size_ * sizeof(float))),
      record_(record_size_) {}

SpillFile::~SpillFile() {
    if (!file_) return;
    std::fclose(file_);
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

void SpillFile::write(AudioView block) {
    const auto ch = static_cast<std::size_t>(channels_);
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
    record_fill_ = 0;
    if (!file_ && memory_.size() < memory_budget_records_) {
        auto copy = std::make_unique_for_overwrite<float[]>(record_size_);
        std::copy(record_.begin(), record_.end(), copy.get());
        memory_.push_back(std::move(copy));
        return;
    }
    if (!file_) {
        // Over the budget: everything so far into the file, and the file from now on.
        static std::atomic<unsigned> counter{0};
        const auto folder = dir_.empty() ? std::filesystem::temp_directory_path() : dir_;
        path_ = folder / fmt::format(".secondear-spill-{}-{}.f32", ::getpid(), counter++);
        file_ = std::fopen(path_.c_str(), "w+b");
        if (!file_)
            throw Error(ErrorKind::output_failed,
                        fmt::format("{}: cannot create a temporary file", path_.string()));
        for (const auto& r : memory_) write_to_file(r.get());
        memory_.clear();
    }
    write_to_file(record_.data());
}

void SpillFile::write_to_file(const float* record) {
    if (std::fwrite(record, sizeof(float), record_size_, file_) != record_size_)
        throw Error(
            ErrorKind::output_failed,
            fmt::format("{}: cannot write the temporary file (disk full?)", path_.string()));
}

void SpillFile::rewind() {
    if (!reading_ && record_fill_ > 0) flush_record();
    if (file_) {
        std::fflush(file_);
        std::fseek(file_, 0, SEEK_SET);
    }
    reading_ = true;
    current_ = nullptr;
    record_fill_ = 0;
    record_pos_ = 0;
    records_read_ = 0;
}

void SpillFile::load_record() {
    if (file_) {
        if (std::fread(record_.data(), sizeof(float), record_size_, file_) != record_size_)
            throw Error(ErrorKind::output_failed,
                        fmt::format("{}: cannot read the temporary file back", path_.string()));
        current_ = record_.data();
    } else {
        current_ = memory_[records_read_].get();
    }
    record_fill_ = std::min(k_record_frames, frames_ - records_read_ * k_record_frames);
    record_pos_ = 0;
    ++records_read_;
}

std::size_t SpillFile::read(AudioView out) {
    if (!reading_) rewind();
    const auto ch = static_cast<std::size_t>(channels_);
    std::size_t done = 0;
    while (done < out.frames()) {
        if (record_pos_ == record_fill_) {
            if (records_read_ * k_record_frames >= frames_) break;
            load_record();
        }
        const std::size_t n = std::min(record_fill_ - record_pos_, out.frames() - done);
        for (std::size_t c = 0; c < ch; ++c) {
            const float* from = current_ + c * k_record_frames + record_pos_;
            std::copy(from, from + n, out.channel(static_cast<int>(c)) + done);
        }
        record_pos_ += n;
        done += n;
    }
    return done;
}

}  // namespace secondear::io
