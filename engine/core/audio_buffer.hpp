#pragma once
// Planar float32 audio: one contiguous vector per channel, with its sample rate.
// A frame is one sample per channel; sizes are in frames.

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace secondear {

class AudioBuffer {
  public:
    AudioBuffer() = default;
    AudioBuffer(int channels, std::size_t frames, double sample_rate_hz)
        : data_(static_cast<std::size_t>(channels), std::vector<float>(frames, 0.0f)),
          sample_rate_hz_(sample_rate_hz) {}

    /// Takes ownership of planes of equal length.
    AudioBuffer(std::vector<std::vector<float>> planes, double sample_rate_hz)
        : data_(std::move(planes)), sample_rate_hz_(sample_rate_hz) {}

    int channels() const noexcept { return static_cast<int>(data_.size()); }
    std::size_t frames() const noexcept { return data_.empty() ? 0 : data_[0].size(); }
    double sample_rate_hz() const noexcept { return sample_rate_hz_; }
    double duration_s() const noexcept {
        return sample_rate_hz_ > 0.0 ? static_cast<double>(frames()) / sample_rate_hz_ : 0.0;
    }

    std::span<float> channel(int c) noexcept { return data_[static_cast<std::size_t>(c)]; }
    std::span<const float> channel(int c) const noexcept {
        return data_[static_cast<std::size_t>(c)];
    }

    /// Changes the length; new frames are silent.
    void resize_frames(std::size_t frames) {
        for (auto& ch : data_) ch.resize(frames, 0.0f);
    }

    friend bool operator==(const AudioBuffer&, const AudioBuffer&) = default;

  private:
    std::vector<std::vector<float>> data_;
    double sample_rate_hz_ = 0.0;
};

/// Non-owning planar view of a block: channel(c)[i], 0 <= i < frames(). No allocation.
class AudioView {
  public:
    static constexpr int k_max_channels = 2;

    AudioView() = default;
    explicit AudioView(AudioBuffer& buffer) : AudioView(buffer, 0, buffer.frames()) {}
    AudioView(AudioBuffer& buffer, std::size_t start_frame, std::size_t frames)
        : channels_(buffer.channels()), frames_(frames) {
        for (int c = 0; c < channels_ && c < k_max_channels; ++c)
            ptr_[c] = buffer.channel(c).data() + start_frame;
    }
    AudioView(float* const* channels, int channel_count, std::size_t frames)
        : channels_(channel_count), frames_(frames) {
        for (int c = 0; c < channels_ && c < k_max_channels; ++c) ptr_[c] = channels[c];
    }

    int channels() const noexcept { return channels_; }
    std::size_t frames() const noexcept { return frames_; }
    float* channel(int c) const noexcept { return ptr_[c]; }
    AudioView sub_block(std::size_t start, std::size_t frames) const noexcept {
        AudioView v = *this;
        for (int c = 0; c < channels_; ++c) v.ptr_[c] = ptr_[c] + start;
        v.frames_ = frames;
        return v;
    }

  private:
    float* ptr_[k_max_channels] = {nullptr, nullptr};
    int channels_ = 0;
    std::size_t frames_ = 0;
};

}  // namespace secondear
