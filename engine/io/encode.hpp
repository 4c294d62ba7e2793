#pragma once
// Writing audio files: WAV, FLAC and AIFF at 16/24-bit integer or 32-bit float, and MP3 where the
// installed libsndfile has an MP3 encoder. Output goes to a temp file in the target folder and is
// renamed into place on commit(), so a reader never sees a half-written file and a failure (or an
// exception before commit) leaves nothing behind.

#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "core/audio_buffer.hpp"

namespace secondear::io {

enum class Container { wav, flac, aiff, mp3 };
enum class SampleFormat { pcm16, pcm24, float32 };

struct EncodeOptions {
    Container container = Container::wav;
    SampleFormat sample_format = SampleFormat::pcm24;
};

/// Container from the file extension (.wav .flac .aif/.aiff .mp3); throws usage on others.
Container container_from_path(const std::filesystem::path& path);
/// "16", "24", "32", "32f", "float" -> SampleFormat; throws usage on others.
SampleFormat sample_format_from_string(const std::string& text);
std::string to_string(SampleFormat format);

/// Throws output_failed when `path` names the same file as any of `inputs` (compared as files,
/// not as strings), so an input is never overwritten.
void refuse_to_overwrite_inputs(const std::filesystem::path& path,
                                std::span<const std::filesystem::path> inputs);

/// Streams blocks to a temp file beside `path`; commit() renames it into place. Samples beyond
/// full scale are clipped by integer formats (never wrapped); float32 keeps them.
class AudioWriter {
  public:
    AudioWriter(const std::filesystem::path& path, const EncodeOptions& options,
                double sample_rate_hz, int channels,
                std::span<const std::filesystem::path> inputs = {});
    ~AudioWriter();  // removes the temp file unless committed
    AudioWriter(AudioWriter&&) noexcept;
    AudioWriter& operator=(AudioWriter&&) noexcept;

    void write(AudioView block);
    void write(const AudioBuffer& audio);
    void commit();

  private:
    void write_planar(const float* const* planes, std::size_t frames);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Writes a whole buffer atomically.
void encode(const AudioBuffer& audio, const std::filesystem::path& path,
            const EncodeOptions& options, std::span<const std::filesystem::path> inputs = {});

/// Writes text atomically (temp file then rename), for plans and reports.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace secondear::io
