#pragma once
// Temporary storage of raw float32 frames for intermediate renders: written once, then read back
// as many times as needed (BlockSource). Held in memory up to a budget (a 4-minute stereo master
// fits), and in a temporary file beyond it, which keeps memory flat however long the audio is
// (the operating system's page cache makes re-reading nearly as fast as memory). Memory is the
// faster of the two: the file costs the kernel's page-cache writes, reads and the truncation at
// removal (4:00 of stereo at 44.1 kHz: 0.072 s of CPU in the file against 0.041 s in memory).
// Layout: records of k_record_frames frames, planar inside a record (each channel's samples in a
// row), so that writing and reading are plain copies; the last record is padded. The file is
// removed on destruction.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/block_source.hpp"

namespace secondear::io {

class SpillFile final : public BlockSource {
  public:
    /// 96 MiB: 4:45 of stereo float at 44.1 kHz.
    static constexpr std::size_t k_default_memory_budget_bytes = std::size_t{96} << 20;

    /// Keeps up to memory_budget_bytes in memory; beyond that moves everything into a file created
    /// in `dir` (the system temp folder when empty).
    SpillFile(const std::filesystem::path& dir, int channels, double sample_rate_hz,
              std::size_t memory_budget_bytes = k_default_memory_budget_bytes);
    ~SpillFile() override;
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    void write(AudioView block);
    std::size_t frames() const noexcept { return frames_; }
    /// Whether the frames went to the file (more than the memory budget).
    bool on_disk() const noexcept { return file_ != nullptr; }

    int channels() const override { return channels_; }
    double sample_rate_hz() const override { return sample_rate_hz_; }
    std::size_t read(AudioView out) override;
    void rewind() override;

  private:
    static constexpr std::size_t k_record_frames = 4096;
    void flush_record();
    void write_to_file(const float* record);
    void load_record();

    std::filesystem::path dir_;
    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int channels_;
    double sample_rate_hz_;
    std::size_t record_size_;  // floats per record: channels * k_record_frames
    std::size_t memory_budget_records_;
    std::size_t frames_ = 0;
    bool reading_ = false;
    std::vector<std::unique_ptr<float[]>> memory_;  // full records while in memory
    std::vector<float> record_;  // writing: the record being filled; reading from the file: the
                                 // record loaded
    const float* current_ = nullptr;  // reading: the record being handed out
    std::size_t record_fill_ = 0;     // frames in the record being filled, or being handed out
    std::size_t record_pos_ = 0;      // reading: the next frame of current_ to hand out
    std::size_t records_read_ = 0;    // reading: records loaded since rewind()
};

}  // namespace secondear::io
