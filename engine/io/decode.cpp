// With encode.cpp, the only includer of <sndfile.h>.
#include "io/decode.hpp"

#include <sndfile.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::io {
namespace {

namespace fs = std::filesystem;

std::string container_name(int format) {
    switch (format & SF_FORMAT_TYPEMASK) {
        case SF_FORMAT_WAV:
        case SF_FORMAT_WAVEX:
        case SF_FORMAT_RF64:
            return "wav";
        case SF_FORMAT_AIFF:
            return "aiff";
        case SF_FORMAT_FLAC:
            return "flac";
        case SF_FORMAT_OGG:
            return "ogg";
        case SF_FORMAT_MPEG:
            return "mp3";
        case SF_FORMAT_CAF:
            return "caf";
        case SF_FORMAT_W64:
            return "w64";
        case SF_FORMAT_AU:
            return "au";
        default:
            return "other";
    }
}

std::string encoding_name(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8:
        case SF_FORMAT_PCM_U8:
            return "pcm8";
        case SF_FORMAT_PCM_16:
            return "pcm16";
        case SF_FORMAT_PCM_24:
            return "pcm24";
        case SF_FORMAT_PCM_32:
            return "pcm32";
        case SF_FORMAT_FLOAT:
            return "float32";
        case SF_FORMAT_DOUBLE:
            return "float64";
        case SF_FORMAT_VORBIS:
            return "vorbis";
        case SF_FORMAT_OPUS:
            return "opus";
        case SF_FORMAT_MPEG_LAYER_III:
            return "mp3";
        case SF_FORMAT_ULAW:
            return "ulaw";
        case SF_FORMAT_ALAW:
            return "alaw";
        default:
            return "other";
    }
}

// Four floats in one SSE2 register (GCC/Clang vector extension): GCC does not vectorise the
// finite check's reduction by itself (it would have to reorder the additions).
using Float4 = float __attribute__((vector_size(16)));

/// No NaN or infinity among x[0, n): x - x is 0 for every finite value and NaN otherwise.
bool all_finite(const float* x, std::size_t n) noexcept {
    Float4 acc{};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        Float4 v;
        std::memcpy(&v, x + i, sizeof v);
        acc += v - v;
    }
    float tail = 0.0f;
    for (; i < n; ++i) tail += x[i] - x[i];
    return acc[0] == 0.0f && acc[1] == 0.0f && acc[2] == 0.0f && acc[3] == 0.0f && tail == 0.0f;
}

/// Interleaved stereo into two planes, four frames at a time.
void deinterleave_stereo(const float* in, float* left, float* right, std::size_t frames) noexcept {
    std::size_t i = 0;
    for (; i + 4 <= frames; i += 4) {
        Float4 a, b;
        std::memcpy(&a, in + 2 * i, sizeof a);
        std::memcpy(&b, in + 2 * i + 4, sizeof b);
        const Float4 l = __builtin_shufflevector(a, b, 0, 2, 4, 6);
        const Float4 r = __builtin_shufflevector(a, b, 1, 3, 5, 7);
        std::memcpy(left + i, &l, sizeof l);
        std::memcpy(right + i, &r, sizeof r);
    }
    for (; i < frames; ++i) {
        left[i] = in[2 * i];
        right[i] = in[2 * i + 1];
    }
}

/// Checks that the path is a readable, non-empty regular file, with the reason when it is not.
void check_readable(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw Error(ErrorKind::input_unreadable, fmt::format("{}: no such file", path.string()));
    if (fs::is_directory(status))
        throw Error(ErrorKind::input_unreadable,
                    fmt::format("{}: is a directory, not an audio file", path.string()));
    std::ifstream probe(path, std::ios::binary);
    if (!probe)
        throw Error(ErrorKind::input_unreadable,
                    fmt::format("{}: cannot open ({})", path.string(), std::strerror(errno)));
    if (fs::file_size(path, ec) == 0 && !ec)
        throw Error(ErrorKind::input_not_audio,
                    fmt::format("{}: empty file (0 bytes)", path.string()));
}

}  // namespace

struct AudioReader::Impl {
    SNDFILE* file = nullptr;
    SourceInfo info;
    std::vector<float> interleaved;
    std::size_t position_frames = 0;
    ~Impl() {
        if (file) sf_close(file);
    }
};

AudioReader::AudioReader(const fs::path& path) : impl_(std::make_unique<Impl>()) {
    check_readable(path);
    SF_INFO sf_info{};
    impl_->file = sf_open(path.c_str(), SFM_READ, &sf_info);
    if (!impl_->file)
        throw Error(ErrorKind::input_not_audio, fmt::format("{}: not a readable audio file ({})",
                                                            path.string(), sf_strerror(nullptr)));
    if (sf_info.channels < 1 || sf_info.samplerate < 1)
        throw Error(ErrorKind::input_not_audio,
                    fmt::format("{}: corrupt header ({} channels at {} Hz)", path.string(),
                                sf_info.channels, sf_info.samplerate));
    impl_->info =
        SourceInfo{.path = path.string(),
                   .container = container_name(sf_info.format),
                   .encoding = encoding_name(sf_info.format),
                   .sample_rate_hz = static_cast<double>(sf_info.samplerate),
                   .channels = sf_info.channels,
                   .frames = static_cast<std::size_t>(std::max<sf_count_t>(sf_info.frames, 0))};
    if (sf_info.channels > 2)
        throw Error(ErrorKind::input_unsupported,
                    fmt::format("{}: {} channels; only mono and stereo are supported for now",
                                path.string(), sf_info.channels));
    // Float files may hold overs above 1.0: keep them (no clipping on read).
    sf_command(impl_->file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
}

AudioReader::~AudioReader() = default;
AudioReader::AudioReader(AudioReader&&) noexcept = default;
AudioReader& AudioReader::operator=(AudioReader&&) noexcept = default;

const SourceInfo& AudioReader::info() const noexcept {
    return impl_->info;
}
std::size_t AudioReader::position_frames() const noexcept {
    return impl_->position_frames;
}

void AudioReader::rewind() {
    sf_seek(impl_->file, 0, SEEK_SET);
    impl_->position_frames = 0;
}

std::size_t AudioReader::read(AudioView block) {
    const auto channels = static_cast<std::size_t>(impl_->info.channels);
    impl_->interleaved.resize(block.frames() * channels);
    const sf_count_t got = sf_readf_float(impl_->file, impl_->interleaved.data(),
                                          static_cast<sf_count_t>(block.frames()));
    if (got <= 0) return 0;
    const auto frames = static_cast<std::size_t>(got);
    const float* in = impl_->interleaved.data();
    if (!all_finite(in, frames * channels)) {
        // Counted over the block; placed at the first one, channel by channel.
        std::size_t count = 0;
        std::size_t first = 0;
        for (std::size_t c = 0; c < channels; ++c)
            for (std::size_t i = 0; i < frames; ++i)
                if (!std::isfinite(in[i * channels + c]) && count++ == 0) first = i;
        throw Error(ErrorKind::input_invalid,
                    fmt::format("{}: non-finite samples (NaN or Inf): {} in the block at "
                                "{:.3f} s; repair the file before processing",
                                impl_->info.path, count,
                                static_cast<double>(impl_->position_frames + first) /
                                    impl_->info.sample_rate_hz));
    }
    if (channels == 2) {
        deinterleave_stereo(in, block.channel(0), block.channel(1), frames);
    } else {
        for (std::size_t c = 0; c < channels; ++c) {
            float* out = block.channel(static_cast<int>(c));
            for (std::size_t i = 0; i < frames; ++i) out[i] = in[i * channels + c];
        }
    }
    impl_->position_frames += frames;
    return frames;
}

Decoded decode(const fs::path& path) {
    AudioReader reader(path);
    const SourceInfo& info = reader.info();
    const int channels = info.channels;
    // Compressed formats may report an estimate: read in blocks until the end.
    constexpr std::size_t k_block_frames = 1 << 16;
    std::vector<std::vector<float>> planes(static_cast<std::size_t>(channels));
    if (info.frames > 0 && info.frames < (std::size_t{1} << 32))
        for (auto& p : planes) p.reserve(info.frames);
    AudioBuffer block(channels, k_block_frames, info.sample_rate_hz);
    for (;;) {
        const std::size_t got = reader.read(AudioView(block));
        if (got == 0) break;
        for (int c = 0; c < channels; ++c)
            planes[static_cast<std::size_t>(c)].insert(
                planes[static_cast<std::size_t>(c)].end(), block.channel(c).begin(),
                block.channel(c).begin() + static_cast<std::ptrdiff_t>(got));
    }
    const std::size_t frames = planes[0].size();
    if (frames == 0)
        throw Error(ErrorKind::input_not_audio,
                    fmt::format("{}: contains no audio (0 frames)", path.string()));
    for (auto& p : planes) p.shrink_to_fit();
    Decoded out{AudioBuffer(std::move(planes), info.sample_rate_hz), info};
    out.info.frames = frames;
    return out;
}

SourceInfo probe(const fs::path& path) {
    return AudioReader(path).info();
}

}  // namespace secondear::io
