#pragma once
// Loudness and true peak per ITU-R BS.1770-4 / EBU R 128 (Tech 3341 and 3342).
//
// LoudnessMeter is the engine's streaming meter: push blocks of any size, read results at any
// time. Conventions:
// - Loudness in LUFS (= LKFS). Silence (nothing above the -70 LUFS absolute gate) gives -infinity;
//   report code turns that into JSON null.
// - Momentary: 400 ms window; short-term: 3 s window; both evaluated every 100 ms, as EBU Tech
//   3341 asks of a meter whose maximum is read (a block hop of 100 ms).
// - Loudness range (LRA, EBU Tech 3342): 10th to 95th percentile of short-term loudness, gated
//   at -70 LUFS absolute and -20 LU relative.
// - True peak: 4x oversampled (at rates below 96 kHz; 2x at 96 kHz and above) with a
//   polyphase FIR interpolator, as BS.1770-4 Annex 2; in dBTP. The sample peak is reported
//   separately (dBFS).
// - Channel weights: mono and stereo only (1.0 each), as the engine handles up to two channels.

#include <cstddef>
#include <memory>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::analysis {

struct LoudnessResult {
    double integrated_lufs = 0.0;      // -inf for silence
    double momentary_max_lufs = 0.0;   // -inf for silence
    double short_term_max_lufs = 0.0;  // -inf for silence
    double loudness_range_lu = 0.0;
    double sample_peak_dbfs = 0.0;  // -inf for digital silence
    double true_peak_dbtp = 0.0;    // -inf for digital silence
    /// Short-term loudness every 100 ms ( -inf where silent ), for timelines and sections.
    std::vector<double> short_term_lufs_per_100ms;
    /// Momentary loudness every 100 ms.
    std::vector<double> momentary_lufs_per_100ms;
};

class LoudnessMeter {
public:
    LoudnessMeter(double sample_rate_hz, int channels);
    ~LoudnessMeter();
    LoudnessMeter(LoudnessMeter&&) noexcept;
    LoudnessMeter& operator=(LoudnessMeter&&) noexcept;

    void add(const float* const* channels, std::size_t frames);
    void add(const AudioBuffer& audio);
    LoudnessResult result() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Whole-buffer conveniences.
LoudnessResult measure_loudness(const AudioBuffer& audio);
double integrated_lufs(const AudioBuffer& audio);
double true_peak_dbtp(const AudioBuffer& audio);

/// The reference meter: libebur128 (the same measures through the library everybody checks
/// against). Slower; the tests use it as the oracle for LoudnessMeter.
LoudnessResult measure_loudness_reference(const AudioBuffer& audio);

}  // namespace secondear::analysis
