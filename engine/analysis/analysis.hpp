#pragma once
// The measurements of one piece of audio: plain data, units in the names (docs/conventions.md).
// Produced by analyze() / Analyzer in one streaming pass over the audio.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "analysis/loudness.hpp"

namespace secondear::analysis {

/// Name (with its unit suffix) and value of one measurement behind a decision or a problem.
using Evidence = std::vector<std::pair<std::string, double>>;

/// Something found in the audio, said plainly. `code` is stable (SCREAMING_SNAKE); `text` is for
/// people; `evidence` holds the numbers.
struct Problem {
    std::string code;
    std::string text;
    Evidence evidence;
};

/// One band of a long-term average spectrum: the RMS level of the signal inside the band, in dB
/// relative to full scale (a full-scale sine inside the band reads -3.01 dB).
struct SpectrumBand {
    double hz = 0.0;  // nominal centre
    double db = 0.0;  // -inf when there is no energy
};

struct ClippingResult {
    std::size_t clipped_samples = 0;  // samples inside runs at (or beyond) full scale
    std::size_t runs = 0;             // runs of >= 2 consecutive samples at full scale, or overs
    std::size_t longest_run_samples = 0;
};

struct Analysis {
    double sample_rate_hz = 0.0;
    int channels = 0;
    std::size_t frames = 0;
    double duration_s = 0.0;

    LoudnessResult loudness;

    double rms_dbfs = 0.0;           // over all channels and the whole duration
    double crest_db = 0.0;           // sample peak minus RMS
    double plr_db = 0.0;             // true peak minus integrated loudness (peak-to-loudness ratio)
    double dc_offset_dbfs = 0.0;     // largest per-channel mean, as a level
    double correlation = 1.0;        // L/R correlation over the whole file (1 for mono)
    double side_mid_ratio_db = 0.0;  // side energy relative to mid energy (-inf for mono)

    std::vector<SpectrumBand> spectrum_third_octave;  // ISO 1/3-octave centres up to Nyquist
    double spectral_centroid_hz = 0.0;
    double spectral_tilt_db_per_octave = 0.0;  // least-squares slope of the bands, 50 Hz-16 kHz

    ClippingResult clipping;
    double noise_floor_dbfs = 0.0;  // 5th percentile of 50 ms RMS windows that are not silent
    double silence_s = 0.0;         // total time in 50 ms windows below -70 dBFS RMS

    std::vector<Problem> problems;
};

/// ISO nominal 1/3-octave centre frequencies from 20 Hz to 20 kHz (31 bands).
const std::vector<double>& third_octave_centres_hz();

/// Streaming analysis: add blocks in order, then finish() once.
class Analyzer {
  public:
    Analyzer(double sample_rate_hz, int channels);
    ~Analyzer();
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    void add(const float* const* channels, std::size_t frames);
    void add(const AudioBuffer& audio);
    Analysis finish();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

Analysis analyze(const AudioBuffer& audio);

}  // namespace secondear::analysis
