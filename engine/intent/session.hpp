#pragma once
// A mixing session as the user hands it over: a folder of stems, or a session file (JSON) that
// names the files and may give each track a role, a group, notes, intents, and locked values
// (docs/session.md). All stems start at time 0.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace secondear::intent {

struct SessionTrack {
    std::string name;             // from the file name unless given
    std::filesystem::path path;   // absolute
    std::string role;             // empty = detect
    std::string group;            // empty = from the role
    std::string notes;
    std::vector<std::string> intents;  // e.g. "intimate in verse", "powerful in chorus"
    /// Values the human fixed: "fader_db", "pan", "mute" (0/1). Re-planning never changes them.
    std::map<std::string, double> locked;
};

struct SessionSection {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;
};

struct Session {
    std::filesystem::path source;  // the folder or the session file
    std::vector<SessionTrack> tracks;
    std::vector<SessionSection> sections;  // given sections win over detected ones
    std::optional<double> tempo_bpm;
    std::string genre;
    std::string target;
};

/// Reads a folder (every audio file in it, sorted by name; other files are ignored) or a session
/// JSON file. Throws input_unreadable / input_invalid naming the file and the cause.
Session load_session(const std::filesystem::path& folder_or_file);

/// True for file names with an audio extension libsndfile reads.
bool is_audio_file(const std::filesystem::path& path);

}  // namespace secondear::intent
