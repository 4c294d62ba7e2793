#pragma once
// The vocabulary of qualities (data/vocabulary.json, documented in docs/vocabulary.md): the
// canonical names musicians' words map to, and the concrete moves each quality makes.
//
// Moves are stored for amount 1.0 and direction `more`; scaled_moves() multiplies every signed
// value by amount (0..1) and by -1 for `less`. They are plan-independent: the planner decides
// where in a chain each one lands.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secondear::intent {

enum class Direction { more, less };

std::string_view to_string(Direction direction);

/// An EQ curve: gains in dB at Vocabulary::eq_band_hz.
struct EqMove {
    std::string source;  // "audealize" (crowdsourced curve) or "engineering" (documented practice)
    std::string word;    // the Audealize descriptor the curve comes from (empty for engineering)
    int contributors = 0;  // Audealize `num`: how many people described the word
    double agreement = 0.0;
    std::vector<double> gains_db;
};

/// Changes to a compressor's settings (ratio as n:1; attack/release as detector time constants).
struct CompressionMove {
    double ratio_delta = 0.0;
    double threshold_db_delta = 0.0;
    double attack_ms_delta = 0.0;
    double release_ms_delta = 0.0;
};

struct Moves {
    std::optional<EqMove> eq;
    std::optional<CompressionMove> compression;
    double level_db = 0.0;
    double saturation_drive_db = 0.0;
    double reverb_send_db = 0.0;
    double delay_send_db = 0.0;
    double width_db = 0.0;      // side/mid ratio change
    double transient_db = 0.0;  // transient emphasis (positive) or softening (negative)
    double deesser_db = 0.0;    // extra de-essing depth (positive = more de-essing)
};

/// One measurement that must move when the quality is applied in direction `more` (the opposite
/// way for `less`). `measure` names an analysis quantity, e.g. "band_ratio_db" (energy in band_hz
/// relative to relative_to_hz), "side_mid_ratio_db", "transient_to_body_db", "loudness_share_lu".
struct VerifyCheck {
    std::string measure;
    std::string expect;  // "up" or "down"
    std::optional<std::pair<double, double>> band_hz;
    std::optional<std::pair<double, double>> relative_to_hz;
};

struct Quality {
    std::string name;
    std::string opposite;               // canonical quality, or empty
    std::vector<std::string> forms;     // words and phrases meaning more of it
    std::vector<std::string> antonyms;  // words meaning less of it
    bool ambiguous_without_target =
        false;  // e.g. "bigger": several readings unless a target is named
    Moves moves;
    std::vector<VerifyCheck> verify;
};

struct AmountWords {
    std::vector<std::string> words;
    double amount = 0.5;
};

struct Vocabulary {
    std::vector<double> eq_band_hz;
    double eq_max_db = 0.0;
    double default_amount = 0.5;
    std::vector<AmountWords> amounts;
    std::vector<Quality> qualities;

    /// The quality named `name` (canonical), or nullptr.
    const Quality* find(std::string_view name) const;
};

/// The embedded vocabulary, parsed once (thread-safe). Throws Error(internal) if the data is bad.
const Vocabulary& vocabulary();

/// Parses vocabulary JSON text (exposed for tests). Throws Error(input_invalid) on bad data.
Vocabulary parse_vocabulary(std::string_view json_text);

/// The quality's moves for a directive: every value times amount (clamped to 0..1), negated for
/// `less`. EQ contributors/agreement are kept as they are.
Moves scaled_moves(const Quality& quality, Direction direction, double amount);

}  // namespace secondear::intent
