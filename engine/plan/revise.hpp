#pragma once
// Revisions: directives (intent/interpret.hpp) -> a plan delta. Each directive's quality gives
// concrete moves (intent::scaled_moves); this file decides where in the plan each move lands, and
// records every changed value as a Change {path, from, to, code} with its reason.
//
// Where moves land, for a target that is a track name, a role (every track of it) or a group
// (every track of it):
//   level            the fader (+level_db);
//   EQ               one entry per quality, "track.<name>.revise.<quality>", fitted to the
//                    vocabulary's curve (plan/eq_fit.hpp); asking again for the same quality adds
//                    to the same entry's curve;
//   compression      the track's first compressor (ratio, threshold, attack, release deltas); for
//                    a group target whose group bus has a compressor, that bus compressor; a track
//                    without one gets "track.<name>.revise.comp" when the move adds compression;
//   saturation       the track's saturation (drive), or a new soft clip (unity gain for small
//                    signals) driven so the part's estimated peaks reach the curve, plus the move;
//   reverb / delay   every send to a reverb return ("room", "plate") / to "delay"; a track
//                    without one gets a plate (delay) send at -30 dB plus the move when the move
//                    adds space;
//   width            "track.<name>.revise.width" (side x 10^(width_db/20)); skipped for a mono
//                    source (no image to widen: pan it instead);
//   de-esser         the track's de-esser (max reduction, threshold), or a new one.
// For the target "mix": EQ, width, saturation and de-essing go into the master chain before its
// first compressor (the mix bus of the renderer takes only a compressor), compression into the
// mix-bus compressor, space into every track's sends (saturation on the mix: the move's drive
// alone, the mix's level before the master not being known); level is never changed on the mix: the
// master's loudness is the delivery target (the change is listed as skipped and says so).
// Transient moves have no processor of their own yet: they act through the compression move's
// attack (slower attack lets the hits through) and are noted.
//
// Section-scoped directives ("the chorus vocal louder") become automation lanes limited to the
// section: gain_db for level, send.<bus>_db for sends (on "mix": a gain lane on every track and
// the mix bus "width" lane). Each change ramps linearly over one beat at plan.tempo_bpm (at least
// 50 ms, at most half the section) and ends on the section boundary; outside [start - ramp, end]
// the lane is 0 dB, so the track's signal before its bus processing is unchanged there.
// EQ, compression, saturation, width and de-essing are static processors: inside a section they
// are skipped and listed as skipped (say it for the whole song instead).
//
// Locked values (entry.locked, fader_locked, send.locked) are never changed: the change is listed
// with skipped = true.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intent/interpret.hpp"
#include "plan/plan.hpp"

namespace secondear::plan {

/// One changed value. path names it by names, not indices: "tracks[lead_vocal].fader_db",
/// "tracks[kick_in].chain[track.kick_in.comp].params.ratio", "buses[mix].chain[mixbus.comp]...",
/// "master.chain[master.revise.warm]", "tracks[x].sends[plate].level_db",
/// "tracks[x].automation[gain_db]". from/to are numbers for settings, a short text for entries
/// and lanes (null = absent).
struct Change {
    std::string path;
    nlohmann::json from;
    nlohmann::json to;
    std::string code;  // "REVISE_<QUALITY>" (e.g. REVISE_WARM, REVISE_LAID_BACK)
    std::string text;  // why, citing the vocabulary's source
    bool skipped = false;
};

struct RevisionContext {
    /// Channels of each plan track's source (same order); empty = unknown (taken as stereo).
    std::vector<int> track_channels;
};

struct RevisionResult {
    Plan plan;
    std::vector<Change> changes;  // applied and skipped, in directive order
};

/// Applies the directives in order to a copy of the plan. Never throws on a target or section
/// the plan does not have: the directive is listed as a skipped change saying so.
RevisionResult apply_directives(const Plan& plan, const std::vector<intent::Directive>& directives,
                                const RevisionContext& context = {});

/// What the interpreter needs to know of a plan: tracks (name, role, group), sections with their
/// ordinals, the duration.
intent::InterpretContext interpret_context(const Plan& plan);

/// The time ranges [start_s, end_s) a section reference covers in this plan (empty when none).
std::vector<std::pair<double, double>> section_ranges(const Plan& plan,
                                                      const intent::SectionRef& section);

/// The plan tracks a directive's target names (indices); empty for "mix" or an unknown target.
std::vector<std::size_t> target_tracks(const Plan& plan, const std::string& target);

/// The change code of a quality: "REVISE_" + upper case, '-' -> '_'.
std::string revise_code(const std::string& quality);

nlohmann::json change_json(const Change& change);
Change change_from_json(const nlohmann::json& json);

}  // namespace secondear::plan
