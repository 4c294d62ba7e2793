#include "analysis/true_peak.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/errors.hpp"

namespace secondear::analysis {
namespace {

using Phases =
    std::array<std::array<float, TruePeakMeter::k_taps_per_phase>, TruePeakMeter::k_phases>;

// ITU-R BS.1770-4 Annex 2, Table 2 (the coefficients are exact binary fractions).
constexpr Phases k_phases = {{
    {0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f, -0.0594482421875f,
     0.1373291015625f, 0.9721679687500f, -0.1022949218750f, 0.0476074218750f, -0.0266113281250f,
     0.0148925781250f, -0.0083007812500f},
    {-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f, -0.1665039062500f,
     0.4650878906250f, 0.7797851562500f, -0.2003173828125f, 0.1015625000000f, -0.0582275390625f,
     0.0330810546875f, -0.0189208984375f},
    {-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f, -0.2003173828125f,
     0.7797851562500f, 0.4650878906250f, -0.1665039062500f, 0.0891113281250f, -0.0517578125000f,
     0.0292968750000f, -0.0291748046875f},
    {-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f, -0.1022949218750f,
     0.9721679687500f, 0.1373291015625f, -0.0594482421875f, 0.0332031250000f, -0.0196533203125f,
     0.0109863281250f, 0.0017089843750f},
}};

// Outputs computed side by side: 8 floats are two SSE registers (one AVX register).
constexpr std::size_t k_lanes = 8;
// Frames per chunk: the unit of the skip test and of the scratch copy (fits in L1).
constexpr std::size_t k_chunk_frames = 1024;

// The largest sum(|h|) over the phases: no interpolated value exceeds it times the largest input
// among its 12 taps. Widened by 1e-5 so that float rounding of the real sums can never exceed it.
float max_phase_gain() noexcept {
    float best = 0.0f;
    for (const auto& phase : k_phases) {
        float sum = 0.0f;
        for (float h : phase) sum += std::fabs(h);
        best = std::max(best, sum);
    }
    return best * 1.00001f;
}

// Four lanes (GCC/Clang vector extension; GCC does not vectorise a reduction by itself). The
// largest of a set of magnitudes does not depend on the order they are compared in (a NaN is
// skipped by std::max(m, NaN) in a lane as in the scalar loop), so the result is the scalar loop's.
using Float4 = float __attribute__((vector_size(16)));

float abs_max(const float* x, std::size_t count) noexcept {
    Float4 lanes{};
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        Float4 v;
        std::memcpy(&v, x + i, sizeof v);
        const Float4 magnitude = v < 0.0f ? -v : v;
        lanes = lanes < magnitude ? magnitude : lanes;  // std::max(lanes, magnitude)
    }
    float m = 0.0f;
    for (int k = 0; k < 4; ++k) m = std::max(m, lanes[k]);
    for (; i < count; ++i) m = std::max(m, std::fabs(x[i]));
    return m;
}

// One interpolated value, summed in the same order as the vector loop (k ascending from 0.0f),
// so the scalar tail gives bit-identical values.
float interpolate(const float* x, const std::array<float, TruePeakMeter::k_taps_per_phase>& h) {
    float acc = 0.0f;
    for (int k = 0; k < TruePeakMeter::k_taps_per_phase; ++k) acc += h[k] * x[-k];
    return acc;
}

}  // namespace

const Phases& true_peak_coefficients() noexcept {
    return k_phases;
}

float interpolated_peak(const float* x, std::size_t count) noexcept {
    float lane_peak[k_lanes] = {};
    std::size_t n = 0;
    for (; n + k_lanes <= count; n += k_lanes) {
        for (const auto& h : k_phases) {
            float acc[k_lanes] = {};
            for (int k = 0; k < TruePeakMeter::k_taps_per_phase; ++k) {
                const float* src = x + n - k;
                for (std::size_t j = 0; j < k_lanes; ++j) acc[j] += h[k] * src[j];
            }
            for (std::size_t j = 0; j < k_lanes; ++j)
                lane_peak[j] = std::max(lane_peak[j], std::fabs(acc[j]));
        }
    }
    float peak = 0.0f;
    for (float p : lane_peak) peak = std::max(peak, p);
    for (; n < count; ++n)
        for (const auto& h : k_phases) peak = std::max(peak, std::fabs(interpolate(x + n, h)));
    return peak;
}

TruePeakMeter::TruePeakMeter(int channels) : channels_(channels) {
    if (channels < 1 || channels > 2)
        throw Error(ErrorKind::input_unsupported, "true-peak meter: " + std::to_string(channels) +
                                                      " channels (supported: 1 or 2)");
    scratch_.resize(k_history_frames + k_chunk_frames);
    gain_bound_ = max_phase_gain();
}

void TruePeakMeter::add(const float* const* channels, std::size_t frames) {
    for (int c = 0; c < channels_; ++c) add_channel(c, channels[c], frames);
}

void TruePeakMeter::add_channel(int c, const float* x, std::size_t frames) {
    auto& history = history_[static_cast<std::size_t>(c)];
    for (std::size_t start = 0; start < frames; start += k_chunk_frames) {
        const std::size_t n = std::min(k_chunk_frames, frames - start);
        std::copy(history.begin(), history.end(), scratch_.begin());
        std::copy(x + start, x + start + n, scratch_.begin() + k_history_frames);
        const float chunk_peak = abs_max(x + start, n);
        sample_peak_ = std::max(sample_peak_, chunk_peak);
        const float input_peak = std::max(chunk_peak, abs_max(history.data(), history.size()));
        if (gain_bound_ * input_peak > interpolated_peak_)
            interpolated_peak_ = std::max(interpolated_peak_,
                                          interpolated_peak(scratch_.data() + k_history_frames, n));
        std::copy(scratch_.begin() + static_cast<std::ptrdiff_t>(n),
                  scratch_.begin() + static_cast<std::ptrdiff_t>(n + k_history_frames),
                  history.begin());
    }
}

double TruePeakMeter::true_peak_lin() const noexcept {
    return std::max(interpolated_peak_, sample_peak_);
}

double TruePeakMeter::sample_peak_lin() const noexcept {
    return sample_peak_;
}

}  // namespace secondear::analysis
