#pragma once
// Riding the song: section-by-section automation added to a mix plan, and the section loudness
// that checks it.
//
// Moves (automate_sections), each a lane with its rationale, scaled by the genre's appetite for
// them (genre_move_scale):
// - chorus and drop lift: the lead vocal +1.5 dB, its plate and delay sends +3 dB (more space),
//   the drum bus +1 dB (drive) and the mix bus wider (side x1.15, +1.2 dB side/mid);
// - verse stays intimate: the lead vocal's sends -2 dB (drier);
// - breakdown and bridge breathe: the drum bus -2 dB;
// - intro, outro and pre-chorus keep the static mix (a pre-chorus builds by itself).
// Track intents naming a section scale that track's move there: "powerful/big in chorus" lifts
// a track by 1 dB more (or lifts a track that has no move), "intimate/dry in verse" takes its
// sends 3 dB lower in that section.
// Ramps: each change ramps linearly over one beat at plan.tempo_bpm (never shorter than 50 ms,
// never longer than half the section it leaves) and ends exactly on the boundary, so the new
// section starts at its level. Gain and send lanes are in dB added to the fader or send level;
// the "width" lane on the bus "mix" is a side-signal factor (1 = unchanged).
// Lanes are summed into a lane of the same parameter that is already there (a level ride).
//
// Contrast kept (keep_section_contrast): the mix bus compressor works harder on the loud
// sections, so it would take part of the energy contrast between sections. A "makeup_db" lane on
// the mix bus, applied after the compressor, gives each section back the gain reduction it takes
// beyond the least compressed section. The reduction is estimated from the tracks' levels every
// 100 ms (faders, section lanes, the tracks' and groups' compressors by their static curves) and
// the mix bus compressor's static curve; the makeup follows the compressor in time: it rises over
// three attack time constants from the boundary into a more compressed section and falls over
// three release time constants into a less compressed one.

#include <string>
#include <vector>

#include "core/audio_buffer.hpp"
#include "plan/mix_planner.hpp"
#include "plan/plan.hpp"

namespace secondear::plan {

struct AutomationIntent {
    /// Per plan track (same order as plan.tracks): the session's intents for it.
    std::vector<std::vector<std::string>> track_intents;
    /// Per plan track: RMS level of each 100 ms block of the source (dBFS, per channel), as
    /// TrackFeatures::level_dbfs_per_100ms; empty when unknown.
    std::vector<std::vector<double>> track_levels_dbfs_per_100ms;
};

/// The intents and levels of the planner's evidence, in track order.
AutomationIntent automation_intent_of(const std::vector<TrackEvidence>& tracks);

/// 1 for genres whose form is verse/chorus energy (pop, rock, metal, electronic, hip-hop, r&b),
/// 0.5 for acoustic, jazz and lo-fi (the performance carries the dynamics), 0 for classical,
/// cinematic and spoken word (no moves: the dynamics are the piece's own).
double genre_move_scale(const std::string& genre);

/// Adds section automation lanes to the plan's tracks and buses (needs plan.sections; uses
/// plan.tempo_bpm for the ramps, 120 BPM when unknown), then keeps the sections' contrast
/// through the mix bus compressor (keep_section_contrast).
void automate_sections(Plan& plan, const AutomationIntent& intent);

/// The mix bus compressor's expected work per section, estimated at plan time.
struct SectionCompression {
    std::vector<double> loudness_db;        // per section: the mix before the compressor (dBFS)
    std::vector<double> gain_reduction_db;  // per section: >= 0, loudness-weighted over the section
};

/// Estimates the mix bus compressor's gain reduction in each of plan.sections from the tracks'
/// 100 ms levels through faders, gain lanes, pan, the tracks' and group buses' compressors and
/// the mix bus compressor (static curves, Compressor::static_gain_db). Empty when the plan has
/// no enabled mix bus compressor or no levels are known. Returns and EQ are left out.
SectionCompression estimate_section_compression(const Plan& plan, const AutomationIntent& intent);

/// Adds the mix bus "makeup_db" lane that gives each section back the gain reduction it takes
/// beyond the least compressed section (SECTION_CONTRAST_KEPT), when the largest difference is at
/// least 0.1 dB. Needs plan.sections and the levels of `intent`.
void keep_section_contrast(Plan& plan, const AutomationIntent& intent);

/// Ramp length for a tempo: one beat, at least 50 ms.
double ramp_s(double tempo_bpm);

/// Loudness of each section (LUFS) from a short-term loudness series read every 100 ms (the
/// value at index k is the 3 s window ending at (k + 1) * 0.1 s): power mean of the windows
/// that end inside the section and start inside it (for sections under 6 s: that end in its
/// second half). -inf where silent or too short to hold a window end.
std::vector<double> section_loudness_lufs(const std::vector<double>& short_term_lufs_per_100ms,
                                          const std::vector<Section>& sections);

/// Loudness of each section (LUFS): BS.1770 integrated loudness (gated) of the section's audio.
std::vector<double> section_loudness_lufs(const AudioBuffer& audio,
                                          const std::vector<Section>& sections);

/// Energy contrast between two kinds of section (LU): power mean of the `loud_label` sections'
/// loudness minus that of the `quiet_label` sections ("chorus" and "verse"). NaN when either is
/// missing or silent.
double section_contrast_lu(const std::vector<Section>& sections,
                           const std::vector<double>& loudness_lufs,
                           const std::string& loud_label = "chorus",
                           const std::string& quiet_label = "verse");

}  // namespace secondear::plan
