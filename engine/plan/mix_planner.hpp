#pragma once
// Rules that turn what was heard in each stem (and between stems) into a mix plan: fixes where
// the evidence says something is wrong, nothing where it says the sound is character, balance,
// pan, dynamics, space and glue. Every entry and every "left alone" carries its reason.

#include <map>
#include <string>
#include <vector>

#include "analysis/alignment.hpp"
#include "analysis/roles.hpp"
#include "analysis/track_analysis.hpp"
#include "intent/genre.hpp"
#include "plan/plan.hpp"

namespace secondear::plan {

/// What the planner knows of one stem.
struct TrackEvidence {
    std::string name;
    std::string path;
    int channels = 1;
    analysis::TrackFeatures features;
    analysis::RoleGuess role;  // already combined from name, audio and the session file
    std::string group;         // empty = from the role
    std::vector<std::string> intents;
    std::map<std::string, double> locked;  // "fader_db", "pan", "mute"
};

/// Alignment measured between two stems that may share a source (same role or group).
struct PairEvidence {
    std::size_t reference = 0;
    std::size_t other = 0;
    analysis::PairAlignment alignment;
};

struct MixIntent {
    Target target;
    intent::GenreProfile genre;
    double tempo_bpm = 120.0;
    std::vector<Section> sections;
};

/// The mix plan (tracks -> buses -> master target). The master chain itself is planned later
/// from the analysis of the rendered mix (make_master_plan).
Plan make_mix_plan(const std::vector<TrackEvidence>& tracks, const std::vector<PairEvidence>& pairs,
                   const MixIntent& intent, double sample_rate_hz, std::size_t frames);

/// Which stems to measure against each other: same role, or close mics of one instrument.
std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(
    const std::vector<TrackEvidence>& tracks);

/// Roles' loudness relative to the lead element for a genre (data/balance.json).
double balance_offset_lu(const std::string& role, const std::string& genre);

}  // namespace secondear::plan
