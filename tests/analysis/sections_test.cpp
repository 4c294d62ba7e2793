#include "analysis/sections.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "support/arrangement_signals.hpp"
#include "support/paths.hpp"
#include "support/sections_scores.hpp"
#include "support/signals.hpp"

namespace secondear::analysis {
namespace {

using test::arrangement::f_measure;
using test::arrangement::make_song;
using test::arrangement::SongSpec;
using test::arrangement::SyntheticSong;

// The brief's form with 4 bars per part: 32 bars, 64 s at 120 BPM (fast enough for ASan).
SongSpec four_bar_form(double bpm) {
    SongSpec spec;
    spec.tempo_bpm = bpm;
    spec.form = {{"intro", 4},  {"verse", 4},  {"chorus", 4}, {"verse", 4},
                 {"chorus", 4}, {"bridge", 4}, {"chorus", 4}, {"outro", 4}};
    return spec;
}

std::vector<double> inner_starts(const std::vector<Section>& sections) {
    std::vector<double> out;
    for (const auto& s : sections)
        if (s.start_s > 0.0) out.push_back(s.start_s);
    return out;
}

std::vector<double> inner_starts(const SyntheticSong& song) {
    std::vector<double> out;
    for (const auto& s : song.sections)
        if (s.start_s > 0.0) out.push_back(s.start_s);
    return out;
}

const Section& section_at(const SectionMap& map, double t_s) {
    for (const auto& s : map.sections)
        if (t_s >= s.start_s && t_s < s.end_s) return s;
    return map.sections.back();
}

void expect_tiles(const SectionMap& map, double duration_s) {
    ASSERT_FALSE(map.sections.empty());
    EXPECT_DOUBLE_EQ(map.sections.front().start_s, 0.0);
    EXPECT_DOUBLE_EQ(map.sections.back().end_s, duration_s);
    for (std::size_t k = 1; k < map.sections.size(); ++k)
        EXPECT_DOUBLE_EQ(map.sections[k].start_s, map.sections[k - 1].end_s) << k;
}

struct Analysed {
    SyntheticSong song;
    TempoResult tempo;
    SectionMap map;
};

Analysed analyse(const SongSpec& spec, const SectionOptions& options = {}) {
    Analysed a{make_song(spec), {}, {}};
    const SpectralFrames frames = compute_spectral_frames(a.song.mix);
    a.tempo = analyze_tempo(frames);
    a.map = find_sections(frames, a.song.mix.duration_s(), a.tempo, options);
    return a;
}

// The frames split among threads must be the same values as one pass (the flux of a range's
// first frame reads the frame before it): compared exactly, every series, at 1, 2 and 3 threads.
TEST(SpectralFrames, SameValuesForAnyThreadCount) {
    SongSpec spec = four_bar_form(120.0);
    spec.form.resize(2);  // 16 s: enough frames for three ranges
    const SyntheticSong song = make_song(spec);
    const SpectralFrames one = compute_spectral_frames(song.mix, 1);
    ASSERT_GT(one.frames(), 300u);
    for (int threads : {2, 3}) {
        const SpectralFrames many = compute_spectral_frames(song.mix, threads);
        EXPECT_EQ(many.onset_strength, one.onset_strength) << threads;
        EXPECT_EQ(many.low_onset_strength, one.low_onset_strength) << threads;
        EXPECT_EQ(many.chroma, one.chroma) << threads;
        EXPECT_EQ(many.band_db, one.band_db) << threads;
        EXPECT_EQ(many.k_weighted_power, one.k_weighted_power) << threads;
    }
}

TEST(Sections, SyntheticSongBoundariesAndLabels) {
    const Analysed a = analyse(four_bar_form(120.0));
    expect_tiles(a.map, a.song.mix.duration_s());
    // The target: F >= 0.8 at +-0.5 s (start and end of the song not counted).
    EXPECT_GE(f_measure(inner_starts(a.map.sections), inner_starts(a.song), 0.5), 0.8);
    for (const auto& truth : a.song.sections) {
        const Section& found = section_at(a.map, 0.5 * (truth.start_s + truth.end_s));
        if (truth.label == "bridge")  // a quiet bridge is the breakdown family
            EXPECT_TRUE(found.label == "bridge" || found.label == "breakdown") << found.label;
        else
            EXPECT_EQ(found.label, truth.label) << "at " << truth.start_s << " s";
        EXPECT_GT(found.confidence, 0.0);
        EXPECT_LE(found.confidence, 1.0);
    }
    ASSERT_EQ(a.map.bar_times_s.size(), 32u);
    EXPECT_EQ(a.map.bar_energy_lufs.size(), 32u);
    EXPECT_EQ(a.map.bar_density.size(), 32u);
    EXPECT_EQ(section_at(a.map, 9.0).start_bar, 4);  // the verse starts at bar 5 (index 4)
}

TEST(Sections, ChorusIsLouderAndDenserThanVerse) {
    const Analysed a = analyse(four_bar_form(128.0));
    const double bar_s = 4.0 * 60.0 / 128.0;
    const Section& verse = section_at(a.map, 6.0 * bar_s);
    const Section& chorus = section_at(a.map, 10.0 * bar_s);
    ASSERT_EQ(verse.label, "verse");
    ASSERT_EQ(chorus.label, "chorus");
    // The generator plays the chorus with more instruments, each louder: about +4 LU. 2 LU
    // leaves room for the estimate while still proving the lift is seen.
    EXPECT_GT(chorus.energy_lufs - verse.energy_lufs, 2.0);
    EXPECT_GT(chorus.density, verse.density);  // the lead and 16th hats fill more bands
    EXPECT_LT(section_at(a.map, 1.0).energy_lufs, verse.energy_lufs - 6.0);  // intro: pad, hats
}

TEST(Sections, UserGivenSectionsWin) {
    SectionOptions options;
    options.given = {{20.0, 28.0, "solo", 0.0, 0, 0.0, 0.0}, {40.0, 48.0, "", 0.0, 0, 0.0, 0.0}};
    const Analysed a = analyse(four_bar_form(120.0), options);
    expect_tiles(a.map, a.song.mix.duration_s());
    const Section& solo = section_at(a.map, 24.0);
    EXPECT_EQ(solo.start_s, 20.0);
    EXPECT_EQ(solo.end_s, 28.0);
    EXPECT_EQ(solo.label, "solo");
    EXPECT_EQ(solo.confidence, 1.0);  // the user said so
    EXPECT_EQ(solo.start_bar, 10);
    EXPECT_TRUE(std::isfinite(solo.energy_lufs));  // missing fields are filled
    EXPECT_GT(solo.density, 0.0);
    // An empty label takes the detected one (the quiet bridge at 40-48 s).
    const Section& unnamed = section_at(a.map, 44.0);
    EXPECT_TRUE(unnamed.label == "bridge" || unnamed.label == "breakdown") << unnamed.label;
}

TEST(Sections, StemActivityMatchesTheArrangement) {
    const auto song = make_song(four_bar_form(120.0));
    std::vector<const AudioBuffer*> stems;
    for (const auto& s : song.stems) stems.push_back(&s);
    const auto active = activity_per_bar(stems, song.downbeats_s);
    ASSERT_EQ(active.size(), song.activity.size());
    for (std::size_t s = 0; s < active.size(); ++s)
        EXPECT_EQ(active[s], song.activity[s]) << song.stem_names[s];
}

TEST(Sections, ActivityOfSilenceAndEmptyGrid) {
    const auto quiet = test::signals::silence(44100.0, 4.0);
    const auto active = activity_per_bar({&quiet}, {0.0, 2.0});
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0], (std::vector<bool>{false, false}));
    EXPECT_TRUE(activity_per_bar({&quiet}, {})[0].empty());
}

TEST(Sections, SilenceIsOneSection) {
    const auto quiet = test::signals::silence(44100.0, 6.0);
    const SectionMap map = find_sections(quiet, analyze_tempo(quiet));
    expect_tiles(map, 6.0);
    EXPECT_EQ(map.sections.size(), 1u);
    EXPECT_TRUE(find_sections(AudioBuffer{}, TempoResult{}).sections.empty());
}

TEST(Sections, SteadyToneIsOneSection) {
    // Every beat alike: the segmentation's cost is zero for any split, and rounding must not
    // make one look better than none.
    const auto tone = test::signals::sine(440.0, 44100.0, 20.0, -12.0);
    const SectionMap map = find_sections(tone, analyze_tempo(tone));
    expect_tiles(map, tone.duration_s());
    EXPECT_EQ(map.sections.size(), 1u);
}

TEST(SectionsCorpus, ConcatenatedMixesBoundaries) {
    SECONDEAR_REQUIRE_CORPUS();
    // Four mixes of different character, 15 s each from 10 s in: joins at 15, 30 and 45 s.
    const auto c = test::arrangement::concatenate_excerpts(
        {test::corpus_path("mixes/kevin_macleod-gold_rush.flac"),
         test::corpus_path("mixes/karissa_hobbs-lets_go_fishin-first60s.flac"),
         test::corpus_path("mixes/kevin_macleod-vibe_ace.flac"),
         test::corpus_path(
             "multitrack/software_entwicklungskit-caesium/reference_master_artist_excerpt.flac")},
        10.0, 15.0, 44100.0);
    const SectionMap map = find_sections(c.mix, analyze_tempo(c.mix));
    expect_tiles(map, c.mix.duration_s());
    EXPECT_GE(f_measure(inner_starts(map.sections), c.boundaries_s, 0.5), 0.8);
}

TEST(SectionsReleaseOnly, LongSyntheticSongs) {
    for (const double bpm : {90.0, 120.0, 128.0, 140.0, 174.0}) {
        SongSpec spec;
        spec.tempo_bpm = bpm;  // the brief's 52-bar form
        const Analysed a = analyse(spec);
        const auto s = test::sections::score_boundaries(inner_starts(a.map.sections),
                                                        inner_starts(a.song), 0.5);
        std::printf("synthetic 52-bar song at %.0f BPM (read %.2f): P %.2f R %.2f F %.2f\n", bpm,
                    a.tempo.tempo_bpm, s.precision, s.recall, s.f);
        // Sections are judged where the pulse is right (at half tempo bars last twice as long
        // and 4-bar parts fall under the minimum section length); measured: all five are.
        if (std::abs(a.tempo.tempo_bpm - bpm) / bpm >= 0.02) continue;
        EXPECT_GE(s.f, 0.8) << bpm;
        for (const auto& truth : a.song.sections) {
            if (truth.label != "verse" && truth.label != "chorus") continue;
            EXPECT_EQ(section_at(a.map, 0.5 * (truth.start_s + truth.end_s)).label, truth.label)
                << bpm << " BPM at " << truth.start_s << " s";
        }
    }
}

TEST(SectionsReleaseOnly, ManyCorpusConcatenations) {
    SECONDEAR_REQUIRE_CORPUS();
    // The boundary benchmark (docs/benchmarks.md, bench/sections_bench.sh): seven fixed
    // rotations of seven corpus mixes, four 15 s excerpts from 20 s in, so every mix appears in
    // four rotations at each position once. Prints P, R and F per rotation and the mean.
    const std::vector<std::string> mixes = {
        "mixes/kevin_macleod-vibe_ace.flac",
        "mixes/karissa_hobbs-lets_go_fishin-first60s.flac",
        "mixes/kevin_macleod-sugar_plum_fairy-first60s.flac",
        "mixes/us_army_strings-brahms_hungarian_dance_5.flac",
        "mixes/kevin_macleod-krampus_workshop-first60s.flac",
        "mixes/kevin_macleod-gold_rush.flac",
        "multitrack/software_entwicklungskit-caesium/reference_master_artist_excerpt.flac"};
    double sum_f = 0.0, min_f = 1.0;
    int runs = 0;
    for (std::size_t first = 0; first < mixes.size(); ++first) {
        std::vector<std::filesystem::path> files;
        for (std::size_t k = 0; k < 4; ++k)
            files.push_back(test::corpus_path(mixes[(first + k) % mixes.size()]));
        const auto c = test::arrangement::concatenate_excerpts(files, 20.0, 15.0, 44100.0);
        const TempoResult tempo = analyze_tempo(c.mix);
        const SectionMap map = find_sections(c.mix, tempo);
        const auto found = inner_starts(map.sections);
        const auto s = test::sections::score_boundaries(found, c.boundaries_s, 0.5);
        std::printf("rotation %zu: %.1f BPM, P %.2f R %.2f F %.2f, found", first, tempo.tempo_bpm,
                    s.precision, s.recall, s.f);
        for (double t : found) std::printf(" %.2f", t);
        std::printf("\n");
        sum_f += s.f;
        min_f = std::min(min_f, s.f);
        ++runs;
    }
    std::printf("mean F %.3f, minimum %.3f over %d rotations\n", sum_f / runs, min_f, runs);
    EXPECT_GE(sum_f / runs, 0.8);  // the target
    // Measured worst rotation: 0.80 (one join of three missed, nothing extra); a guard.
    EXPECT_GE(min_f, 0.75);
}

}  // namespace
}  // namespace secondear::analysis
