#pragma once
// Loudness and true peak per ITU-R BS.1770-4 / EBU R 128 (Tech 3341 and 3342).
//
// LoudnessMeter is the engine's streaming meter: push blocks of any size, read results at any
// time; results do not depend on the block size. Conventions:
// - Loudness in LUFS (= LKFS): -0.691 + 10 log10(sum of channel mean squares after K-weighting),
//   K-weighting designed for any sample rate (loudness_k_weighting.hpp). Channel weights: mono
//   and stereo only (1.0 each), as the engine handles up to two channels.
// - Integrated (BS.1770-4): 400 ms blocks every 100 ms (75% overlap), absolute gate -70 LUFS,
//   relative gate -10 LU; the exact list of block powers is kept (no histogram). Nothing above
//   the absolute gate (silence) gives -infinity; report code turns that into JSON null.
// - Momentary: 400 ms window; short-term: 3 s window. Their maxima are evaluated every 10 ms
//   (EBU Tech 3341 asks for at least 10 Hz; its case 13 shifts 400 ms tones by 20 ms steps, which
//   a 100 ms grid would misread by up to 0.46 LU). Windows that reach back before the start count
//   the missing audio as silence, as a live meter does. A maximum is -infinity only for digital
//   silence (zero power); otherwise it is reported even below -70 LUFS.
// - The per-100 ms series (for timelines and sections) are read on the 100 ms grid.
// - Loudness range (LRA, EBU Tech 3342): complete 3 s short-term windows every 100 ms, gated at
//   -70 LUFS absolute and -20 LU relative, 95th minus 10th percentile (nearest rank, index
//   round((n - 1) p)). Fewer than two gated windows give 0 LU.
// - True peak: 4x oversampled at every sample rate with the BS.1770-4 Annex 2 polyphase FIR
//   (true_peak.hpp), in dBTP, max over channels, never below the sample peak. The sample peak is
//   reported separately (dBFS).
// - The 10 ms step is round(sample_rate / 100) frames and the 100 ms hop ten steps: exact at
//   8, 16, 32, 44.1, 48, 88.2, 96 and 192 kHz. A final partial step is not counted.
// Cost: one pass, about 1 ns per stereo frame in a Release build (docs/benchmarks.md); memory
// grows by four doubles per 100 ms of audio (two block lists and the two series).

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
    double sample_peak_dbfs = 0.0;  // -inf for digital silence; NaN when not measured
    double true_peak_dbtp = 0.0;    // -inf for digital silence; NaN when not measured
    /// Short-term loudness every 100 ms ( -inf where silent ), for timelines and sections.
    std::vector<double> short_term_lufs_per_100ms;
    /// Momentary loudness every 100 ms.
    std::vector<double> momentary_lufs_per_100ms;
};

/// Whether a LoudnessMeter also measures the sample and true peaks. Without them (a loudness
/// search that never reads the peaks) it skips the 4x interpolation, about 40% of its time on a
/// loud master (perf); the two peak fields of its result are then NaN.
enum class PeakMetering { measured, skipped };

class LoudnessMeter {
  public:
    LoudnessMeter(double sample_rate_hz, int channels, PeakMetering peaks = PeakMetering::measured);
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

/// BS.1770-4 gating (eq. (5)-(6)) of mean-square block powers: the mean of the powers above the
/// absolute gate (-70 LUFS) and `relative_lu` below the mean of what passed it (-10 for
/// integrated loudness, -20 for LRA). 0 when nothing passes; `gated` receives the blocks that
/// pass, if given.
double gated_mean_power(const std::vector<double>& powers, double relative_lu,
                        std::vector<double>* gated = nullptr);

/// The reference meter: libebur128 (the same measures through the library everybody checks
/// against). Slower; the tests use it as the oracle for LoudnessMeter. Momentary loudness is
/// polled every 10 ms and short-term every 100 ms (its maxima and the series). Channels: 1, 2,
/// 5 (L, R, C, Ls, Rs; surrounds weighted 1.41 as BS.1770-4) or 6 (L, R, C, LFE, Ls, Rs; LFE
/// unweighted); others throw Error(input_unsupported).
LoudnessResult measure_loudness_reference(const AudioBuffer& audio);

}  // namespace secondear::analysis
