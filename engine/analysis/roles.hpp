#pragma once
// What a track is (its role in the mix), guessed from its name and from its audio, each with a
// confidence and a reason the planner can quote.
//
// Roles (exact strings): kick, snare, toms, hihat, overheads, room, percussion, bass,
// electric_guitar, acoustic_guitar, piano, keys, pad, strings, brass, woodwinds, lead_vocal,
// backing_vocal, fx, other.
// Confidence is 0..1: 0.9 for a full word or a standard abbreviation of the role ("kick", "OH",
// "Gesang"), 0.75 for a word found inside a compound ("bgvox_harmony", "Bassdrum"), lower for
// weak hints ("Lead" alone); from audio at most 0.7 (audio is the tie-breaker). "other" with
// confidence 0 means no evidence.

#include <string>
#include <string_view>
#include <vector>

#include "analysis/track_analysis.hpp"

namespace secondear::analysis {

struct RoleGuess {
    std::string role = "other";
    double confidence = 0.0;
    std::string reason;
};

/// Every role, in the order above.
const std::vector<std::string>& all_roles();

/// From a track or file name in many naming styles and languages (English, German, French,
/// Spanish, Italian abbreviations). Case, separators and a file extension do not matter.
RoleGuess role_from_name(std::string_view track_name);

/// From the measurements: spectrum balance, transients, pitch, phrasing and sustain.
RoleGuess role_from_audio(const TrackFeatures& features);

/// The name wins when it is confident (>= 0.6); otherwise the more confident guess wins. When
/// both agree, the confidence rises. The reason says which source decided and what the other
/// said.
RoleGuess combine_role(const RoleGuess& by_name, const RoleGuess& by_audio);

/// The bus a role goes to by default: drums, bass, guitars, keys, orchestra, vocals, fx, other.
std::string default_group(std::string_view role);

}  // namespace secondear::analysis
