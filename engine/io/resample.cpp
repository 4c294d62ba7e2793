// The only includer of <soxr.h>.
#include "io/resample.hpp"

#include <soxr.h>

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::io {

AudioBuffer resample(const AudioBuffer& audio, double target_rate_hz) {
    if (audio.sample_rate_hz() == target_rate_hz) return audio;
    const double ratio = target_rate_hz / audio.sample_rate_hz();
    const auto out_frames =
        static_cast<std::size_t>(std::llround(static_cast<double>(audio.frames()) * ratio));
    AudioBuffer out(audio.channels(), out_frames, target_rate_hz);
    std::vector<const float*> in_ptrs;
    std::vector<float*> out_ptrs;
    for (int c = 0; c < audio.channels(); ++c) {
        in_ptrs.push_back(audio.channel(c).data());
        out_ptrs.push_back(out.channel(c).data());
    }
    // Planar ("split") float in and out; very high quality, linear phase.
    const soxr_io_spec_t io_spec = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, SOXR_LINEAR_PHASE);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);  // one thread: deterministic
    std::size_t done = 0;
    const soxr_error_t err =
        soxr_oneshot(audio.sample_rate_hz(), target_rate_hz,
                     static_cast<unsigned>(audio.channels()), in_ptrs.data(), audio.frames(),
                     nullptr, out_ptrs.data(), out_frames, &done, &io_spec, &quality, &runtime);
    if (err)
        throw Error(ErrorKind::internal, fmt::format("resampling failed: {}", soxr_strerror(err)));
    return out;
}

}  // namespace secondear::io
