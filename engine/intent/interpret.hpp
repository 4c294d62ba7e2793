#pragma once
// Words -> directives: turns what a musician says ("vocal louder in the chorus and the drums
// punchier", "too boomy", "could use more air") into directives {target, section, quality,
// direction, amount}, and asks a question with concrete options when the request is vague or has
// several readings. Deterministic, table-driven, no ML. docs/vocabulary.md documents the tables.
//
// Pipeline: normalise (lowercase, contractions, punctuation) -> tokenise -> correct misspellings
// against the known words (edit distance 1 for words of 4-6 letters, 2 from 7) -> split clauses
// -> in each clause find target, section, quality, direction and amount -> merge clauses that
// share a target or a quality -> resolve targets against the session -> directives or a question.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intent/vocabulary.hpp"

namespace secondear::intent {

enum class Status { applied, question, not_understood };

std::string_view to_string(Status status);

struct TrackInfo {
    std::string name;   // the track's name in the session, e.g. "kick_in"
    std::string role;   // e.g. "lead_vocal", "kick", "bass", "electric_guitar"
    std::string group;  // e.g. "drums", "vocals", "guitars"
};

struct SectionInfo {
    std::string label;  // e.g. "verse", "chorus", "drop"
    int ordinal = 1;    // 1 = first of its label
};

/// What the interpreter knows of the session. Empty lists mean "unknown": then targets and
/// sections are taken as said, without checking that the session has them.
struct InterpretContext {
    std::vector<TrackInfo> tracks;
    std::vector<SectionInfo> sections;
    double duration_s = 0.0;  // 0 = unknown
};

/// Where in the song: a labelled section (ordinal 0 = every one, -1 = the last when the session's
/// sections are unknown) or a time range (from_s/to_s; unset = song start/end).
struct SectionRef {
    std::string label;
    int ordinal = 0;
    std::optional<double> from_s;
    std::optional<double> to_s;
    friend bool operator==(const SectionRef&, const SectionRef&) = default;
};

struct Directive {
    std::string target;  // a track name, a role ("lead_vocal"), a group ("drums"), or "mix"
    std::optional<SectionRef> section;
    std::string quality;  // canonical vocabulary name
    Direction direction = Direction::more;
    double amount = 0.5;  // 0..1: "a touch" 0.25, "a bit" 0.35, none 0.5, "much" 0.75, "way" 1.0
    std::string source_text;  // the clause it came from
};

struct QuestionOption {
    std::string label;                  // e.g. "wider stereo image"
    std::vector<Directive> directives;  // applied as they are when the option is chosen
};

struct Question {
    std::string text;
    std::vector<QuestionOption> options;  // 2 to 4
    std::string source_text;              // the request that raised the question
};

struct Interpretation {
    Status status = Status::not_understood;
    std::vector<Directive> directives;
    std::optional<Question> question;
    std::string summary;  // one or two sentences for the user
};

/// Interprets one request. Never throws on any text.
Interpretation interpret(std::string_view text, const InterpretContext& ctx);

/// Continues after a question: "1".."4", "option 2", "the second", reply text matched against the
/// options, or a fresh clear request (interpreted with ctx). An unmatched reply asks again.
Interpretation interpret_answer(const Question& question, std::string_view answer,
                                const InterpretContext& ctx = {});

/// A human-readable one-liner, e.g. "lead_vocal: more loud (0.50) in chorus".
std::string describe(const Directive& directive);

// JSON, as printed by `secondear revise --json` and stored with a pending question. Field names
// match the C++ fields; direction and status are strings.
void to_json(nlohmann::json& j, const SectionRef& section);
void from_json(const nlohmann::json& j, SectionRef& section);
void to_json(nlohmann::json& j, const Directive& directive);
void from_json(const nlohmann::json& j, Directive& directive);
void to_json(nlohmann::json& j, const Question& question);
void from_json(const nlohmann::json& j, Question& question);
void to_json(nlohmann::json& j, const Interpretation& interpretation);

}  // namespace secondear::intent
