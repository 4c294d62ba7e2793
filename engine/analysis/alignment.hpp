#pragma once
// Time offset and polarity between two tracks that may share a source (kick in / kick out,
// snare top / bottom, DI / amp, close mics / overheads), and whether they share one at all.
//
// Method: cross-correlation of the mono sums over the most energetic common region (at most
// 20 s), computed once in the frequency domain and read two ways:
// - the lag comes from a generalised cross-correlation with partial phase transform (GCC-PHAT
//   with exponent 0.75, Knapp & Carter 1976; the exponent after Donohue et al. 2007): whitening
//   makes the peak sharp even when low frequencies dominate (a kick's 60 Hz would otherwise give
//   a peak a few ms wide), while keeping some magnitude weighting, so bins with no shared energy
//   matter less than in full PHAT;
// - the sign and size of the relation come from the plain normalised correlation of the two
//   band-limited (30 Hz - 16 kHz) signals at that lag: -1..1, the Pearson correlation a sum of
//   the two would feel. Negative means flipping `other` makes them add.
// Conventions: offset_frames > 0 means `other` lags `reference` (delay the reference, or advance
// `other`, by that much to align them). Both buffers must have the same sample rate; the common
// length is the shorter one.
// Cost: three real FFTs of the next power of two above the region plus the lag range (2^20 for
// 20 s at 44.1 kHz); memory about 40 bytes per frame of that size.

#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::analysis {

/// Correlation of one octave band at the chosen lag.
struct BandCorrelation {
    double hz = 0.0;  // octave band centre
    double correlation = 0.0;
};

struct PairAlignment {
    int offset_frames = 0;  // positive: other lags reference
    double offset_ms = 0.0;
    bool polarity_inverted = false;
    double correlation_at_best = 0.0;  // signed, normalised, band-limited, at offset_frames
    /// Peak of the weighted cross-correlation over the RMS of the rest of the searched lags.
    double peak_to_noise = 0.0;
    /// 0..1: the product of peak sharpness (peak_to_noise from 2 to 6 maps to 0..1) and
    /// strength (|correlation_at_best| from 0 to 0.3 maps to 0..1).
    double confidence = 0.0;
    /// Lowest and highest octave bands whose correlation has the overall sign and at least half
    /// its magnitude (0 when none): where the two tracks really hold the same sound.
    double coherence_band_low_hz = 0.0;
    double coherence_band_high_hz = 0.0;
    std::vector<BandCorrelation> band_correlation;  // octave bands 31.5 Hz .. 16 kHz
    double region_start_s = 0.0;                    // the region measured
    double region_s = 0.0;
};

/// Measures the offset (searched within +- max_offset_ms) and polarity of `other` against
/// `reference`. Throws Error(input_invalid) for different sample rates or more than two
/// channels. Silent or empty inputs give a zero result (confidence 0).
PairAlignment align_pair(const AudioBuffer& reference, const AudioBuffer& other,
                         double max_offset_ms = 15.0);

/// Whether two tracks hold the same source, so aligning them is meaningful: a sharp peak and a
/// real correlation. Unrelated tracks never pass (their correlation is near 0 and their peak is
/// no sharper than noise).
bool shares_source(const PairAlignment& alignment, double min_abs_correlation = 0.15,
                   double min_confidence = 0.25);

}  // namespace secondear::analysis
