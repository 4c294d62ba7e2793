#pragma once
// Reading audio files: everything libsndfile 1.2 reads (WAV, AIFF, FLAC, Ogg/Vorbis, Opus, MP3,
// ...), any sample rate, 8/16/24/32-bit integer or 32/64-bit float, mono or stereo.
// Integer formats are scaled to [-1, 1); float formats keep values above full scale (overs).
// Every failure throws secondear::Error with one line naming the file and the cause:
// input_unreadable (missing, a directory, no permission), input_not_audio (empty, not audio,
// corrupt or truncated header, zero frames), input_unsupported (more than 2 channels),
// input_invalid (NaN or Inf samples: counted, with the first one's time).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "core/audio_buffer.hpp"
#include "core/block_source.hpp"

namespace secondear::io {

/// What the file said about itself (for reports; the audio itself is always float32).
struct SourceInfo {
    std::string path;
    std::string container;  // "wav", "flac", "aiff", "ogg", "mp3", ...
    std::string encoding;   // "pcm16", "pcm24", "float32", "vorbis", "mp3", ...
    double sample_rate_hz = 0.0;
    int channels = 0;
    std::size_t frames = 0;  // as the header says; compressed formats may estimate
};

/// Streams a file in blocks, so memory does not grow with its length. Not thread safe.
class AudioReader final : public BlockSource {
  public:
    explicit AudioReader(const std::filesystem::path& path);
    ~AudioReader() override;
    AudioReader(AudioReader&&) noexcept;
    AudioReader& operator=(AudioReader&&) noexcept;

    const SourceInfo& info() const noexcept;
    int channels() const override { return info().channels; }
    double sample_rate_hz() const override { return info().sample_rate_hz; }
    /// Fills up to block.frames() frames (block.channels() must equal info().channels); returns
    /// the frames read, 0 at the end. Throws input_invalid on a NaN/Inf sample.
    std::size_t read(AudioView block) override;
    /// Frames delivered so far.
    std::size_t position_frames() const noexcept;
    /// Back to the first frame.
    void rewind() override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct Decoded {
    AudioBuffer audio;
    SourceInfo info;  // info.frames is the exact count read
};

/// Reads the whole file into memory.
Decoded decode(const std::filesystem::path& path);

/// Reads only the header (for listing a folder of stems without decoding them).
SourceInfo probe(const std::filesystem::path& path);

}  // namespace secondear::io
