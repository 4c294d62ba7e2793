#pragma once
// A temporary file of raw float32 frames for intermediate renders: written once, then read back
// as many times as needed (BlockSource). Keeps memory flat however long the audio is; the
// operating system's page cache makes re-reading nearly as fast as memory. Removed on destruction.

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
    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int channels_;
    double sample_rate_hz_;
    std::size_t frames_ = 0;
    bool reading_ = false;
    std::vector<float> interleaved_;
};

}  // namespace secondear::io
