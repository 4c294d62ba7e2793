#pragma once
// The revision recipe: words -> directives (intent/interpret) -> plan delta (plan/revise) ->
// render -> verify the move on the audio -> a new revision folder. And the project's history:
// undo, redo, compare, accept/reject (taste memory), the taste prior for a new mix.
//
// A project folder after `secondear mix` holds the original mix (plan.json, report.json,
// mix.wav, master.wav, stems/). Revisions add, and never overwrite:
//   history.json          {"schema": "secondear.history/1", "current": "002", "pending": null,
//                          "revisions": [{id, parent, request, status, verdict, directives}]}
//   revisions/000/        the original mix as revision 000: plan.json, report.json and
//                         request.txt, snapshotted by the first revise (its audio stays the
//                         project's top-level mix.wav, master.wav and stems/, not copied);
//   revisions/NNN/        request.txt (the words), plan.json, stems/, mix.wav, master.wav
//                         (stems are kept: they are what the verification measured, and
//                         `compare` and the section checks read them), diff.json (the changes
//                         from the parent), report.json + report.html (kind "revision");
//   revisions/NNN/        for a question: request.txt and question.json only (status
//                         "question"; `pending` points at it until answered);
//   compare/A_vs_B/       A.wav and B.wav at equal integrated loudness, compare.json.
// What to open: the revision history.json names as `current` (`secondear history` prints its
// master path); the top-level files stay the original mix. undo/redo only move `current`
// (history.json is rewritten atomically); a new request starts from the current revision, so
// after an undo it branches (its parent is recorded).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intent/interpret.hpp"
#include "intent/taste.hpp"
#include "plan/plan.hpp"
#include "plan/revise.hpp"

namespace secondear::pipeline {

struct HistoryEntry {
    std::string id;      // "000", "001", ...
    std::string parent;  // empty for 000
    std::string request;
    std::string status;   // "original", "applied" or "question"
    std::string verdict;  // "", "accepted" or "rejected"
    std::vector<intent::Directive> directives;
    friend bool operator==(const HistoryEntry& a, const HistoryEntry& b) {
        auto same = [](const intent::Directive& x, const intent::Directive& y) {
            return x.target == y.target && x.section == y.section && x.quality == y.quality &&
                   x.direction == y.direction && x.amount == y.amount &&
                   x.source_text == y.source_text;
        };
        return a.id == b.id && a.parent == b.parent && a.request == b.request &&
               a.status == b.status && a.verdict == b.verdict &&
               std::equal(a.directives.begin(), a.directives.end(), b.directives.begin(),
                          b.directives.end(), same);
    }
};

struct History {
    std::string current = "000";
    std::string pending;  // id of an unanswered question, or empty
    std::vector<HistoryEntry> revisions;
    friend bool operator==(const History&, const History&) = default;
};

/// Reads PROJECT/history.json; a project without one has only its original (000, in memory).
/// Throws Error(input_unreadable) when the folder has no plan.json.
History load_history(const std::filesystem::path& project);

/// The folder holding a revision's audio (the project itself for 000).
std::filesystem::path revision_audio_dir(const std::filesystem::path& project,
                                         const std::string& id);
/// A revision's plan.
plan::Plan load_revision_plan(const std::filesystem::path& project, const std::string& id);

/// One check of the vocabulary's `verify` list (or the loudness check), measured before and after.
struct Verification {
    std::string quality;  // or "loudness"
    std::string target;   // "mix" (measured on master.wav) or the directive's target (its stems)
    std::string measure;  // e.g. "band_ratio_db", "loudness_share_lu", "master_integrated_lufs"
    double before = 0.0;
    double after = 0.0;
    std::string expected;  // "up", "down" or "within 0.5 LU of -14.0"
    bool ok = false;
};

struct ReviseJob {
    std::filesystem::path project;
    std::string text;           // the request (ignored when answering)
    /// Directives to apply as they are instead of interpreting `text` (which is then only the
    /// request's label): tests, taste priors, front ends that built them already.
    std::vector<intent::Directive> directives;
    std::optional<int> answer;  // 1-based option of the pending question
    bool dry_run = false;       // interpret and plan the changes; render and save nothing
    int threads = 0;
    std::function<void(double)> progress;
};

struct ReviseOutcome {
    intent::Status status = intent::Status::not_understood;
    std::string revision;  // the new revision's id (empty for a dry run or not understood)
    std::vector<intent::Directive> directives;
    std::vector<plan::Change> changes;
    std::optional<intent::Question> question;
    std::vector<Verification> verification;
    std::filesystem::path master_path;  // the new render
    std::string summary;                // a few lines for people
    /// {status, revision, directives, changes, question, verification, summary}
    nlohmann::json json() const;
};

/// Interprets, applies, renders and verifies one request (see the header comment).
ReviseOutcome revise(const ReviseJob& job);

/// Moves `current` to its parent / to its most recent child. Returns the new current id; throws
/// Error(usage) when there is nothing to undo / redo.
std::string undo(const std::filesystem::path& project);
std::string redo(const std::filesystem::path& project);

/// Marks a revision (default: current) accepted or rejected and records its directives in the
/// taste store at taste_file (track names stored as their roles). Throws Error(usage) for 000 or
/// a question.
void set_verdict(const std::filesystem::path& project, const std::string& id, bool accepted,
                 const std::filesystem::path& taste_file);

struct CompareOutcome {
    std::filesystem::path a_path;  // compare/A_vs_B/A.wav
    std::filesystem::path b_path;
    double a_gain_db = 0.0;  // applied to match loudness (gain only, never positive)
    double b_gain_db = 0.0;
    std::vector<plan::Change> changes;  // plan differences, A -> B
    struct Row {
        std::string measure;
        double a = 0.0;
        double b = 0.0;
    };
    std::vector<Row> measured;  // on the two masters as rendered (before matching)
    std::string table;          // for people
    nlohmann::json json() const;
};

/// A loudness-matched A/B of two revisions' masters: the louder one is turned down to the other's
/// integrated loudness (gain only, no limiting, so peaks only get lower), both written as 32-bit
/// float WAV under PROJECT/compare/A_vs_B/.
CompareOutcome compare(const std::filesystem::path& project, const std::string& a,
                       const std::string& b);

/// The differences between two plans, named as in plan::Change paths (code "DIFF").
std::vector<plan::Change> plan_diff(const plan::Plan& a, const plan::Plan& b);

/// Applies the taste prior (intent::taste_directives) to a freshly planned mix and adds a
/// TASTE_PRIOR decision saying what and why; returns the changes (empty: plan untouched).
std::vector<plan::Change> apply_taste_prior(plan::Plan& plan, const intent::Taste& taste);

}  // namespace secondear::pipeline
