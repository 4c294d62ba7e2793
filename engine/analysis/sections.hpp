#pragma once
// Song sections (intro, verse, chorus...), loudness and density per bar, and which stems play
// in which bar.
//
// Boundaries (find_sections):
// 1. Beat-synchronous features over the tracked beats: chroma (12 pitch classes, unit length),
//    timbre (24 log-band levels, z-scored per band over the song) and loudness (BS.1770
//    K-weighted, LUFS, per beat).
// 2. One self-similarity matrix per feature (chroma: cosine; timbre: exp(-d^2 / 2 m^2) with m
//    the median distance; loudness: exp(-|dL| / 6 LU)). Boundaries use the mean of the chroma
//    and timbre kernels: the z-scored band levels already carry the level, and a third kernel on
//    loudness alone would double-weight dynamics (a crescendo is a change within a section).
//    Labels use the mean of all three.
// 3. Segmentation: kernel change-point detection (Harchaoui & Cappe 2007; Arlot, Celisse &
//    Harchaoui, JMLR 2019). A segment costs its within-segment scatter in the kernel's feature
//    space; dynamic programming finds the least-cost segmentation for every number of sections,
//    each at least min_section_bars long (0.9 of it in beats, for tracking jitter).
// 4. How many: the number of sections minimises cost + sigma^2 d (5 + 2 log(n / d)) (Lebarbier
//    2005's penalty with its published constants; d sections over n beats), with sigma^2 the
//    noise variance from successive differences. No threshold is tuned to the material.
//    Each boundary's strength is the checkerboard novelty there (J. Foote, "Automatic audio
//    segmentation using a measure of audio novelty", ICME 2000; half width kernel_bars bars)
//    relative to the song's strongest.
// 5. Placing: a boundary on a downbeat stays there; otherwise the boundary is refined to the frame
//    (within a beat) where the band levels of the beat before and after differ most, and moves
//    to a neighbouring downbeat only if within half a beat of it (joins that are not on the bar
//    grid, e.g. edits between songs, keep their refined time).
// Without a pulse (tempo_bpm == 0) a 0.5 s grid stands in for beats and 2 s for bars.
//
// Labels (documented rules, applied in this order):
// - Sections are clustered by similarity (mean of the combined matrix between two sections,
//   relative to the mean within each); clusters join above cluster_similarity.
// - chorus: the repeated cluster (2+ sections) with the highest mean loudness, not counting a
//   cluster made only of the first and last sections;
// - verse: the repeated cluster with the most members (then earliest) among the others, if it is
//   quieter than the chorus;
// - intro / outro: the first / last section when it is not a verse or chorus;
// - pre-chorus: a section right before a chorus, not verse or chorus, at most half as long as
//   the chorus that follows, no louder than it and no more than 3 LU below the verse (it builds;
//   a dip is a breakdown);
// - drop: a section that is not a verse or chorus, at least as loud as the chorus (within 1 LU)
//   and at least 6 LU louder than the section before it (electronic music's drop after a
//   build);
// - breakdown: in the second half of the song, not verse or chorus, at least 6 LU below the
//   chorus; bridge: the same but less than 6 LU below;
// - anything left takes the label (verse or chorus) whose loudness is nearer.
// Confidence: mean of the boundary strength (the novelty peak at the start relative to the
// strongest peak; 1 for the song's start) and the label's certainty (how similar the section is
// to its cluster, or for the positional labels, how clear the energy rule was).
//
// Energy: bar_energy_lufs is the BS.1770 K-weighted loudness of each bar (ungated, window = the
// bar, a bar-length "short-term" loudness); a section's energy_lufs is the mean of its bars'
// values. density is spectral occupancy: the share of the 24 timbre bands within 30 dB of the
// frame's loudest band, averaged over the section (more instruments fill more bands).

#include <string>
#include <vector>

#include "analysis/features.hpp"
#include "analysis/tempo.hpp"
#include "core/audio_buffer.hpp"

namespace secondear::analysis {

struct Section {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;         // intro, verse, pre-chorus, chorus, bridge, breakdown, drop, outro
    double confidence = 0.0;   // 0..1; user-given sections: 1 unless given
    int start_bar = 0;         // index into SectionMap::bar_times_s of the bar holding start_s
    double energy_lufs = 0.0;  // mean bar loudness; -inf for silence
    double density = 0.0;      // 0..1 spectral occupancy
};

struct SectionMap {
    std::vector<Section> sections;        // in time order, covering the whole audio
    std::vector<double> bar_energy_lufs;  // per bar; -inf for a silent bar
    std::vector<double> bar_density;      // per bar, 0..1
    std::vector<double> bar_times_s;      // bar starts (downbeats); bar i ends at bar i + 1
};

struct SectionOptions {
    int min_section_bars = 4;
    int kernel_bars = 2;               // half width of the novelty kernel (boundary strength)
    double cluster_similarity = 0.92;  // relative similarity above which sections share a label
    /// Sections the user gave (time and label). They win: detected sections are clipped around
    /// them, and only missing fields (energy, density, start_bar, an empty label) are filled.
    std::vector<Section> given;
};

SectionMap find_sections(const AudioBuffer& audio, const TempoResult& tempo,
                         const SectionOptions& options = {});
/// The same from features already computed (compute_spectral_frames of the same audio).
SectionMap find_sections(const SpectralFrames& frames, double duration_s, const TempoResult& tempo,
                         const SectionOptions& options = {});

/// Which stems play in which bar: result[stem][bar] is true when the stem's loudness in that bar
/// is within threshold_below_peak_db of its loudest bar (and above -70 LUFS, BS.1770's absolute
/// gate). Bar i spans bar_times_s[i] to bar_times_s[i + 1] (the last bar: to the stem's end).
std::vector<std::vector<bool>> activity_per_bar(const std::vector<const AudioBuffer*>& stems,
                                                const std::vector<double>& bar_times_s,
                                                double threshold_below_peak_db = 35.0);

}  // namespace secondear::analysis
