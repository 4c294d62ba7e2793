#pragma once
// Synthetic songs with a known tempo, beat grid and form (for tempo and section tests), and
// concatenations of corpus excerpts with known boundaries.
//
// The song is drums (kick, snare, hats), bass, a chord pad and a lead, each rendered to its own
// stereo stem. The arrangement depends on the part's label:
//   intro, outro: pad (verse chords) and hats, quiet;
//   verse:        kick on 1 and 3, snare on 2 and 4, eighth-note hats, bass, pad (Am Em Am Em);
//   pre-chorus:   verse drums, bass and pad on Dm G Dm G, building;
//   chorus:       kick on every beat, snare, sixteenth-note hats, bass, pad (F Bb C F) louder,
//                 and a lead arpeggio (more instruments and about 5 dB louder than the verse);
//   bridge:       pad (Dm E), kick on 1 only: a low-energy breakdown.
// Deterministic: noise comes from a fixed-seed generator.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::test::arrangement {

struct FormPart {
    std::string label;  // intro, verse, pre-chorus, chorus, bridge, outro
    int bars = 4;
};

/// intro, verse, chorus, verse, chorus, bridge, chorus, outro; intro, bridge and outro get
/// half as many bars as the others. bars = 8 gives the 52-bar form of the brief.
std::vector<FormPart> standard_form(int bars = 8);

struct SongSpec {
    double tempo_bpm = 120.0;
    double sample_rate_hz = 44100.0;
    std::vector<FormPart> form = standard_form();
    std::uint64_t seed = 1;
};

struct TrueSection {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;
    int start_bar = 0;  // 0-based
};

struct SyntheticSong {
    AudioBuffer mix;                      // sum of the stems, peak -1 dBFS
    std::vector<std::string> stem_names;  // kick, snare, hats, bass, pad, lead
    std::vector<AudioBuffer> stems;       // same scale as the mix
    double tempo_bpm = 0.0;
    std::vector<double> beats_s;
    std::vector<double> downbeats_s;
    std::vector<TrueSection> sections;
    /// For each stem, whether it plays in each bar (the arrangement above).
    std::vector<std::vector<bool>> activity;
};

SyntheticSong make_song(const SongSpec& spec);

struct Concatenation {
    AudioBuffer mix;                   // stereo, at the requested rate
    std::vector<double> boundaries_s;  // the joins (not 0 or the end)
};

/// Cuts seconds_each seconds starting at start_s from each file, resamples to sample_rate_hz,
/// makes it stereo and joins them with 5 ms fades at the cuts.
Concatenation concatenate_excerpts(const std::vector<std::filesystem::path>& files, double start_s,
                                   double seconds_each, double sample_rate_hz);

/// F-measure of detected event times against reference times: each reference matches at most
/// one detection within +-tolerance_s (greedy in time order, as mir_eval's onset/beat/boundary
/// hit rates). 1 when both are empty.
double f_measure(const std::vector<double>& detected, const std::vector<double>& reference,
                 double tolerance_s);

}  // namespace secondear::test::arrangement
