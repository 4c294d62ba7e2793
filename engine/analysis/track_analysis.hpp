#pragma once
// Per-track measurements for the mix planner: what one stem contains (levels, spectrum,
// transients, pitch) and the evidence behind "fix or leave alone" (rumble, distortion, clipping,
// sibilance, resonances, noise between phrases, uneven phrases). Plain data, units in names.
//
// Conventions:
// - The spectrum, pitch, sibilance and transient measures use the mono sum (L + R) / 2; levels
//   (peak, RMS, the per-100 ms and per-phrase levels) use every channel (peak: the max over
//   channels; RMS: the mean square over channels). A stereo stem whose channels cancel in the
//   sum still gets correct levels, only its spectral measures would read low.
// - "Active" blocks are those within 40 dB of the track's loudest 100 ms block.
// - Levels of nothing (digital silence, no gaps, no sibilant frames) are -infinity; JSON
//   writers turn them into null (core/units.hpp optional_db).
// Cost: O(n log n) in the length; 0.28 s for a 4-minute stereo stem at 44.1 kHz in a Release
// build on the shared 2-core machine (TrackAnalysisReleaseOnly), of which the BS.1770 meter with
// its true-peak oversampling is a large share; memory about two floats per frame (the mono sum
// and a decimated copy), freed on return. Thread safe (each call owns its FFT plans).

#include <cstddef>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/audio_buffer.hpp"

namespace secondear::analysis {

/// A narrow, persistent peak in the long-term spectrum.
struct Resonance {
    double hz = 0.0;
    double prominence_db = 0.0;  // 1/12-octave smoothed level above the 1-octave smoothed level
    double q = 0.0;              // centre / width at half the prominence (in dB), RBJ-style Q
};

/// A stretch of activity between gaps of at least 250 ms.
struct Phrase {
    double start_s = 0.0;
    double end_s = 0.0;
    double level_dbfs = 0.0;  // RMS over the phrase
};

/// The measures behind distortion_score (each in 0..1 except crest).
struct DistortionMeasures {
    double frame_crest_db = 0.0;     // median peak-to-RMS of 46 ms active frames (sine 3.01)
    double harmonic_richness = 0.0;  // share of power above 3.5 x median_f0 (pitched parts)
    double spectral_flatness = 0.0;  // median over active frames, 300 Hz-6 kHz, fine resolution
};

struct TrackFeatures {
    double sample_rate_hz = 0.0;
    int channels = 0;
    std::size_t frames = 0;
    double duration_s = 0.0;

    // Levels.
    bool silent = false;  // digital silence, or sample peak below -60 dBFS
    double integrated_lufs = 0.0;
    double peak_dbfs = 0.0;  // sample peak
    double rms_dbfs = 0.0;
    double crest_db = 0.0;         // peak minus RMS over the whole track
    double active_fraction = 0.0;  // share of 100 ms blocks within 40 dB of the loudest block
    std::vector<double> level_dbfs_per_100ms;  // RMS of each complete 100 ms block

    // Spectrum.
    std::vector<SpectrumBand> spectrum_third_octave;  // as Analysis::spectrum_third_octave
    double centroid_hz = 0.0;
    double low_cut_hz = 0.0;  // 1% of the energy lies below it

    // Rumble: energy below the part's own range (below rumble_cutoff_hz: 40 Hz, or half the
    // part's low fundamental when it is pitched, at most 80 Hz).
    double rumble_cutoff_hz = 0.0;
    double rumble_db = 0.0;  // power below the cutoff relative to the loudest 1/3-octave band
    double rumble_hz = 0.0;  // power-weighted mean frequency below the cutoff (0 if none)

    // Transients.
    double transient_to_body_db = 0.0;  // median over onsets: loudest 10 ms at the onset minus
                                        // the mean level of the next 100 ms
    double onset_rate_per_s = 0.0;      // onsets per second from the first to the last
                                        // active 10 ms block

    // Pitch.
    double pitch_presence = 0.0;  // share of active frames with normalised ACF > 0.6, 60-1000 Hz
    double median_f0_hz = 0.0;    // over pitched frames (0 if none)
    double low_f0_hz = 0.0;       // 10th percentile of f0 over pitched frames (0 if none)

    // Distortion (intentional saturation) and clipping (flat-topped runs at full scale, counted
    // as analyze() counts them).
    double distortion_score = 0.0;  // 0 clean .. 1 driven
    DistortionMeasures distortion;
    ClippingResult clipping;

    // Sibilance: the 95th percentile, over sibilant 10 ms blocks (5-10 kHz carries at least a
    // third of the block's power), of the 5-10 kHz level minus the median active block level.
    double sibilance_db = 0.0;  // -inf when there are no sibilant blocks
    double sibilance_hz = 0.0;  // peak of the long-term spectrum in 5-10 kHz (0 if none)

    // Resonances (at most 3, most prominent first) and low-mid build-up.
    std::vector<Resonance> resonances;
    double boominess_db = 0.0;  // mean 125-250 Hz band level minus the mean of 63-100 and
                                // 315-500 Hz bands

    // Phrases and gaps.
    std::vector<Phrase> phrases;
    double gap_floor_dbfs = 0.0;         // RMS inside gaps (50 ms from their edges); -inf if none
    double gap_steadiness_db = 0.0;      // standard deviation of 10 ms gap levels (noise: small)
    double gap_s = 0.0;                  // total time in gaps
    double phrase_level_dbfs = 0.0;      // median phrase level
    bool noise_between_phrases = false;  // gaps above -84 dBFS (12 dB over the 16-bit floor),
                                         // steady (deviation < 6 dB), at least 0.5 s of gaps
    double level_spread_db = 0.0;        // loudest phrase minus the median phrase
    std::vector<std::size_t> uneven_phrases;  // indices: > 4 dB from their neighbours' median
};

/// Measures one track (mono or stereo, any rate of at least 8 kHz). Throws Error(input_invalid)
/// for more than two channels or an invalid rate. An empty or silent track gives silent = true
/// and empty lists.
TrackFeatures analyze_track(const AudioBuffer& audio);

}  // namespace secondear::analysis
