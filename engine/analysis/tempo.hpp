#pragma once
// Tempo, beats and downbeats of a mix (or of a sum of stems).
//
// Method:
// 1. Onset strength: spectral flux of log magnitude (features.hpp), 3 bands weighted equally.
// 2. Tempo: autocorrelation of the onset strength, scored by a comb over the first four
//    multiples of each candidate period, 60-200 BPM on a 0.25% grid, times a perceptual prior
//    (log-Gaussian around 120 BPM, one octave standard deviation; after Ellis 2007 and Moelants
//    & McKinney's preferred tempo). Octave check: where the faster reading (double tempo, within
//    max_bpm) is itself the fundamental period of the onset strength, it wins over the prior:
//    the autocorrelation at the even multiples of the fast period (the slower reading's extra
//    evidence) is then not higher than at the odd ones by more than two standard errors.
// 3. Beats: dynamic programming (D. P. W. Ellis, "Beat Tracking by Dynamic Programming", JNMR
//    36(1), 2007): maximise onset strength at the beats minus a penalty
//    tightness * log(interval / period)^2 on every interval. Beats are refined to the parabolic
//    peak of the onset strength, and the reported tempo is the least-squares slope of beat time
//    against beat number over the tracked beats.
// 4. Downbeats: for 4 and 3 beats per bar and every bar phase, the mean of the low-band onset
//    strength (kick) plus the harmonic change (chroma) at the beats of that phase; the best phase
//    wins. 3/4 is chosen only if its contrast beats 4/4's by a clear margin (25%).
// Times are seconds from the first sample. Deterministic; cost is one STFT pass plus
// O(frames * period) for the beat tracker (a 4-minute song: well under a second).

#include <vector>

#include "analysis/features.hpp"
#include "core/audio_buffer.hpp"

namespace secondear::analysis {

struct TempoResult {
    double tempo_bpm = 0.0;   // 0 when no pulse was found (too short or silent)
    double confidence = 0.0;  // 0..1: share of the onset energy that repeats at the beat period
    std::vector<double> beats_s;
    std::vector<double> downbeats_s;  // first beat of each bar, a subset of beats_s
    int beats_per_bar = 4;
    std::vector<double> onset_strength;  // per hop, for plots
    double hop_s = 0.0;
};

struct TempoOptions {
    double min_bpm = 60.0;
    double max_bpm = 200.0;
    double prior_centre_bpm = 120.0;
    double prior_octaves = 1.0;  // standard deviation of the log2-tempo prior
    double tightness = 100.0;    // Ellis's alpha: how strongly beats keep the period
};

/// Mono-sums the audio; works at the file's rate (no resampling).
TempoResult analyze_tempo(const AudioBuffer& audio, const TempoOptions& options = {});
/// The same from features already computed (sections reuse them).
TempoResult analyze_tempo(const SpectralFrames& frames, const TempoOptions& options = {});

}  // namespace secondear::analysis
