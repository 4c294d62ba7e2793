#pragma once
// Taste memory: what a user asked for and then accepted or rejected, kept in a small per-user
// JSON file, and the prior it gives the next mix.
//
// Where (taste_path): $SECONDEAR_HOME/taste.json when SECONDEAR_HOME is set, else
// $XDG_CONFIG_HOME/secondear/taste.json, else ~/.config/secondear/taste.json. Plain JSON:
//   {"schema": "secondear.taste/1", "entries": [{"quality": "warm", "direction": "more",
//    "target": "mix", "accepted": 2, "rejected": 0, "amount_sum": 1.0}]}
// `target` is a role, a group or "mix" (never a track name: names change between songs).
//
// The prior (taste_directives): every (quality, direction, target) accepted at least twice more
// often than rejected becomes a directive at half the user's mean accepted amount: a user who
// keeps asking for warmth starts a little warmer, and says so (the pipeline adds a TASTE_PRIOR
// decision). Deleting the file (or `secondear taste --reset`) forgets everything.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "intent/interpret.hpp"

namespace secondear::intent {

struct TasteEntry {
    std::string quality;
    Direction direction = Direction::more;
    std::string target;  // role, group or "mix"
    int accepted = 0;
    int rejected = 0;
    double amount_sum = 0.0;  // over accepted asks
    friend bool operator==(const TasteEntry&, const TasteEntry&) = default;
};

struct Taste {
    std::vector<TasteEntry> entries;
    friend bool operator==(const Taste&, const Taste&) = default;
};

/// Accepted minus rejected needed before a taste becomes a prior.
inline constexpr int k_taste_prior_min_net = 2;

/// The store's location (see above). Does not create anything.
std::filesystem::path taste_path();

/// Reads the store; a missing file is an empty taste. Throws Error(input_invalid) on a bad file.
Taste load_taste(const std::filesystem::path& path);
/// Writes the store atomically (temp file, then rename), creating its folder.
void save_taste(const Taste& taste, const std::filesystem::path& path);

/// Counts one directive (its target already a role, group or "mix") as accepted or rejected.
void record_taste(Taste& taste, const Directive& directive, bool accepted);

/// The prior for the next mix (see above), whole song, in entry order.
std::vector<Directive> taste_directives(const Taste& taste);

nlohmann::json taste_json(const Taste& taste);
Taste taste_from_json(const nlohmann::json& json);

}  // namespace secondear::intent
