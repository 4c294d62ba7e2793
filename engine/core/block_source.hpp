#pragma once
// Anything that delivers audio in blocks and can start over: a file being decoded, a spill file
// of an intermediate render, a rendered mix. Lets the renderer run several passes over material
// that does not fit (or should not be held) in memory.

#include <algorithm>
#include <cstddef>

#include "core/audio_buffer.hpp"

namespace secondear {

class BlockSource {
public:
    virtual ~BlockSource() = default;
    virtual int channels() const = 0;
    virtual double sample_rate_hz() const = 0;
    /// Fills up to out.frames() frames; returns how many, 0 at the end.
    virtual std::size_t read(AudioView out) = 0;
    /// Back to the first frame.
    virtual void rewind() = 0;
};

/// A BlockSource over a buffer in memory (tests, short material).
class BufferSource final : public BlockSource {
public:
    explicit BufferSource(const AudioBuffer& audio) : audio_(audio) {}
    int channels() const override { return audio_.channels(); }
    double sample_rate_hz() const override { return audio_.sample_rate_hz(); }
    std::size_t read(AudioView out) override {
        const std::size_t n = std::min(out.frames(), audio_.frames() - position_);
        for (int c = 0; c < audio_.channels(); ++c)
            std::copy_n(audio_.channel(c).data() + position_, n, out.channel(c));
        position_ += n;
        return n;
    }
    void rewind() override { position_ = 0; }

private:
    const AudioBuffer& audio_;
    std::size_t position_ = 0;
};

}  // namespace secondear
