#pragma once
// A temporary file of raw float32 frames for intermediate renders: written once, then read back
// as many times as needed (BlockSource). Keeps memory flat however long the audio is; the
// operating system's page cache makes re-reading nearly as fast as memory. Removed on destruction.
// Layout: records of k_record_frames frames, planar inside a record (each channel's samples in a
// row), so that writing and reading are plain copies; the last record is padded.

#include <cstdio>
#include <filesystem>
#include <vector>

#include "core/block_source.hpp"

namespace secondear::io {

class SpillFile final : public BlockSource {
  public:
    /// Creates the file in `dir` (the system temp folder when empty).
    SpillFile(const std::filesystem::path& dir, int channels, double sample_rate_hz);
    ~SpillFile() override;
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    void write(AudioView block);
    std::size_t frames() const noexcept { return frames_; }

    int channels() const override { return channels_; }
    double sample_rate_hz() const override { return sample_rate_hz_; }
    std::size_t read(AudioView out) override;
    void rewind() override;

  private:
    static constexpr std::size_t k_record_frames = 4096;
    void flush_record();
    void load_record();

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int channels_;
    double sample_rate_hz_;
    std::size_t frames_ = 0;
    bool reading_ = false;
    std::vector<float> record_;    // channels * k_record_frames, channel by channel
    std::size_t record_fill_ = 0;  // frames in record_ (written so far, or loaded)
    std::size_t record_pos_ = 0;   // reading: the next frame of record_ to hand out
    std::size_t read_frames_ = 0;  // reading: frames loaded since rewind()
};

}  // namespace secondear::io
