// With decode.cpp, the only includer of <sndfile.h>.
#include "io/encode.hpp"

#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::io {
namespace {

namespace fs = std::filesystem;

std::string lower_extension(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return ext;
}

/// A unique temp name in the same folder as `path` (same file system, so rename is atomic).
fs::path temp_path_beside(const fs::path& path) {
    static std::atomic<unsigned> counter{0};
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    return dir / fmt::format(".{}.tmp-{}-{}", path.filename().string(), ::getpid(), counter++);
}

void ensure_parent_exists(const fs::path& path) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir))
        throw Error(ErrorKind::output_failed, fmt::format("{}: cannot create the output folder {}",
                                                          path.string(), dir.string()));
}

void rename_into_place(const fs::path& temp, const fs::path& path) {
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: cannot move the finished file into place ({})", path.string(),
                                ec.message()));
    }
}

int sndfile_format(const EncodeOptions& options) {
    int sub = 0;
    switch (options.sample_format) {
        case SampleFormat::pcm16:
            sub = SF_FORMAT_PCM_16;
            break;
        case SampleFormat::pcm24:
            sub = SF_FORMAT_PCM_24;
            break;
        case SampleFormat::float32:
            sub = SF_FORMAT_FLOAT;
            break;
    }
    switch (options.container) {
        case Container::wav:
            return SF_FORMAT_WAV | sub;
        case Container::aiff:
            return SF_FORMAT_AIFF | sub;
        case Container::flac:
            if (options.sample_format == SampleFormat::float32)
                throw Error(ErrorKind::usage, "FLAC holds 16 or 24-bit integers, not float");
            return SF_FORMAT_FLAC | sub;
        case Container::mp3:
            return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    }
    return 0;
}

}  // namespace

Container container_from_path(const fs::path& path) {
    const std::string ext = lower_extension(path);
    if (ext == ".wav") return Container::wav;
    if (ext == ".flac") return Container::flac;
    if (ext == ".aif" || ext == ".aiff") return Container::aiff;
    if (ext == ".mp3") return Container::mp3;
    throw Error(ErrorKind::usage,
                fmt::format("{}: unknown output format '{}' (use .wav, .flac, .aiff or .mp3)",
                            path.string(), ext));
}

SampleFormat sample_format_from_string(const std::string& text) {
    if (text == "16") return SampleFormat::pcm16;
    if (text == "24") return SampleFormat::pcm24;
    if (text == "32" || text == "32f" || text == "float") return SampleFormat::float32;
    throw Error(ErrorKind::usage,
                fmt::format("bit depth '{}' is not one of 16, 24, 32 (float)", text));
}

std::string to_string(SampleFormat format) {
    switch (format) {
        case SampleFormat::pcm16:
            return "pcm16";
        case SampleFormat::pcm24:
            return "pcm24";
        case SampleFormat::float32:
            return "float32";
    }
    return "?";
}

void refuse_to_overwrite_inputs(const fs::path& path, std::span<const fs::path> inputs) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    for (const fs::path& input : inputs)
        if (fs::equivalent(path, input, ec))
            throw Error(ErrorKind::output_failed,
                        fmt::format("{}: refusing to overwrite an input file; choose another "
                                    "output path",
                                    path.string()));
}

struct AudioWriter::Impl {
    SNDFILE* file = nullptr;
    fs::path path;
    fs::path temp;
    int channels = 0;
    std::vector<float> interleaved;
    bool committed = false;
    ~Impl() {
        if (file) sf_close(file);
        if (!committed && !temp.empty()) {
            std::error_code ec;
            fs::remove(temp, ec);
        }
    }
};

AudioWriter::AudioWriter(const fs::path& path, const EncodeOptions& options, double sample_rate_hz,
                         int channels, std::span<const fs::path> inputs)
    : impl_(std::make_unique<Impl>()) {
    refuse_to_overwrite_inputs(path, inputs);
    ensure_parent_exists(path);
    SF_INFO info{};
    info.samplerate = static_cast<int>(sample_rate_hz);
    info.channels = channels;
    info.format = sndfile_format(options);
    if (!sf_format_check(&info))
        throw Error(ErrorKind::usage,
                    fmt::format("{}: this libsndfile cannot write that format ({} channels at "
                                "{} Hz, {})",
                                path.string(), channels, info.samplerate,
                                to_string(options.sample_format)));
    impl_->path = path;
    impl_->temp = temp_path_beside(path);
    impl_->channels = channels;
    impl_->file = sf_open(impl_->temp.c_str(), SFM_WRITE, &info);
    if (!impl_->file)
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: cannot write ({})", path.string(), sf_strerror(nullptr)));
    // Integer output clips overs instead of wrapping them around.
    sf_command(impl_->file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    // No PEAK chunk in float files: it carries a time stamp, and the same render must give the
    // same bytes.
    sf_command(impl_->file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
}

AudioWriter::~AudioWriter() = default;
AudioWriter::AudioWriter(AudioWriter&&) noexcept = default;
AudioWriter& AudioWriter::operator=(AudioWriter&&) noexcept = default;

void AudioWriter::write(AudioView block) {
    const float* planes[2] = {block.channel(0), block.channels() > 1 ? block.channel(1) : nullptr};
    write_planar(planes, block.frames());
}

void AudioWriter::write(const AudioBuffer& audio) {
    const float* planes[2] = {audio.channel(0).data(),
                              audio.channels() > 1 ? audio.channel(1).data() : nullptr};
    write_planar(planes, audio.frames());
}

void AudioWriter::write_planar(const float* const* planes, std::size_t frame_count) {
    const auto channels = static_cast<std::size_t>(impl_->channels);
    impl_->interleaved.resize(frame_count * channels);
    for (std::size_t c = 0; c < channels; ++c) {
        const float* in = planes[c];
        for (std::size_t i = 0; i < frame_count; ++i) impl_->interleaved[i * channels + c] = in[i];
    }
    const auto frames = static_cast<sf_count_t>(frame_count);
    if (sf_writef_float(impl_->file, impl_->interleaved.data(), frames) != frames)
        throw Error(
            ErrorKind::output_failed,
            fmt::format("{}: write failed ({})", impl_->path.string(), sf_strerror(impl_->file)));
}

void AudioWriter::commit() {
    if (sf_close(impl_->file) != 0) {
        impl_->file = nullptr;
        throw Error(ErrorKind::output_failed,
                    fmt::format("{}: could not finish writing", impl_->path.string()));
    }
    impl_->file = nullptr;
    rename_into_place(impl_->temp, impl_->path);
    impl_->committed = true;
}

void encode(const AudioBuffer& audio, const fs::path& path, const EncodeOptions& options,
            std::span<const fs::path> inputs) {
    AudioWriter writer(path, options, audio.sample_rate_hz(), audio.channels(), inputs);
    writer.write(audio);
    writer.commit();
}

void write_text_file(const fs::path& path, const std::string& text) {
    ensure_parent_exists(path);
    const fs::path temp = temp_path_beside(path);
    {
        std::ofstream out(temp, std::ios::binary);
        out << text;
        if (!out) {
            std::error_code ec;
            fs::remove(temp, ec);
            throw Error(ErrorKind::output_failed, fmt::format("{}: cannot write", path.string()));
        }
    }
    rename_into_place(temp, path);
}

}  // namespace secondear::io
