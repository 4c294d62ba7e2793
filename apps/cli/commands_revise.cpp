// Revision subcommands: thin wrappers over pipeline_revise.hpp.
#include "commands_revise.hpp"
#include "progress.hpp"

#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "intent/taste.hpp"
#include "pipeline_revise.hpp"

namespace secondear::cli {
namespace {

namespace fs = std::filesystem;

struct ReviseOptions {
    std::string project;
    std::string say;
    std::optional<int> answer;
    bool json = false;
    bool dry_run = false;
    int threads = 0;
};
ReviseOptions revise_options;

struct ProjectOptions {
    std::string project;
    std::string revision;
    std::string other;
    bool json = false;
};
ProjectOptions history_options, undo_options, redo_options, compare_options, accept_options,
    reject_options, chat_options;

bool taste_reset = false;
bool taste_json_flag = false;

int run_revise() {
    const ReviseOptions& o = revise_options;
    if (o.say.empty() && !o.answer)
        throw Error(ErrorKind::usage, "revise needs --say \"...\" or --answer N");
    pipeline::ReviseJob job;
    job.project = o.project;
    job.text = o.say;
    job.answer = o.answer;
    job.dry_run = o.dry_run;
    job.threads = o.threads;
    if (!o.json) job.progress = progress_bar("rendering");
    const auto out = pipeline::revise(job);
    if (o.json)
        std::cout << out.json().dump(2) << "\n";
    else
        std::cout << (o.dry_run ? "Dry run (nothing rendered or saved):\n" : "") << out.summary;
    return out.status == intent::Status::not_understood ? 1 : 0;
}

std::string history_text(const fs::path& project, const pipeline::History& h) {
    std::string out = fmt::format("{:<3} {:<4} {:<7} {:<9} {:<9} {}\n", "", "rev", "parent",
                                  "status", "verdict", "request");
    for (const auto& e : h.revisions)
        out += fmt::format("{:<3} {:<4} {:<7} {:<9} {:<9} {}\n", e.id == h.current ? "*" : "", e.id,
                           e.parent.empty() ? "-" : e.parent, e.status,
                           e.verdict.empty() ? "-" : e.verdict, e.request);
    out += fmt::format("Current: {} ({})\n", h.current,
                       (pipeline::revision_audio_dir(project, h.current) / "master.wav").string());
    if (!h.pending.empty())
        out +=
            fmt::format("Waiting for an answer to question {} (revise --answer N).\n", h.pending);
    return out;
}

int run_history() {
    const fs::path project = history_options.project;
    const auto h = pipeline::load_history(project);
    if (!history_options.json) {
        std::cout << history_text(project, h);
        return 0;
    }
    nlohmann::json revs = nlohmann::json::array();
    for (const auto& e : h.revisions)
        revs.push_back({{"id", e.id},
                        {"parent", e.parent},
                        {"request", e.request},
                        {"status", e.status},
                        {"verdict", e.verdict},
                        {"directives", e.directives}});
    std::cout << nlohmann::json{{"current", h.current},
                                {"current_master",
                                 (pipeline::revision_audio_dir(project, h.current) / "master.wav")
                                     .string()},
                                {"pending", h.pending},
                                {"revisions", revs}}
                     .dump(2)
              << "\n";
    return 0;
}

void print_current(const fs::path& project, const std::string& id) {
    std::cout << fmt::format("Current: revision {} ({})\n", id,
                             (pipeline::revision_audio_dir(project, id) / "master.wav").string());
}

int run_undo() {
    print_current(undo_options.project, pipeline::undo(undo_options.project));
    return 0;
}

int run_redo() {
    print_current(redo_options.project, pipeline::redo(redo_options.project));
    return 0;
}

int run_compare() {
    const auto& o = compare_options;
    const auto out = pipeline::compare(o.project, o.revision, o.other);
    std::cout << (o.json ? out.json().dump(2) + "\n" : out.table);
    return 0;
}

int verdict(const ProjectOptions& o, bool accepted) {
    pipeline::set_verdict(o.project, o.revision, accepted, intent::taste_path());
    const auto h = pipeline::load_history(o.project);
    std::cout << fmt::format("Revision {} {}; taste memory: {}\n",
                             o.revision.empty() ? h.current : o.revision,
                             accepted ? "accepted" : "rejected", intent::taste_path().string());
    return 0;
}

int run_taste() {
    const fs::path path = intent::taste_path();
    if (taste_reset) {
        std::error_code ec;
        fs::remove(path, ec);
        std::cout << fmt::format("Taste memory cleared ({}).\n", path.string());
        return 0;
    }
    const auto taste = intent::load_taste(path);
    if (taste_json_flag) {
        std::cout << intent::taste_json(taste).dump(2) << "\n";
        return 0;
    }
    std::cout << fmt::format("Taste memory: {}\n", path.string());
    if (taste.entries.empty()) std::cout << "  (empty)\n";
    for (const auto& e : taste.entries)
        std::cout << fmt::format("  {} {} on {}: accepted {}, rejected {}\n",
                                 intent::to_string(e.direction), e.quality, e.target, e.accepted,
                                 e.rejected);
    const auto prior = intent::taste_directives(taste);
    for (const auto& d : prior)
        std::cout << "  prior for the next mix: " << intent::describe(d) << "\n";
    return 0;
}

std::string trim(std::string s) {
    const auto a = s.find_first_not_of(" \t\r\n");
    const auto b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

/// One line of the chat: a command, an answer to the pending question, or a request.
void chat_line(const fs::path& project, const std::string& line) {
    if (line == "undo") return print_current(project, pipeline::undo(project));
    if (line == "redo") return print_current(project, pipeline::redo(project));
    if (line == "history") {
        std::cout << history_text(project, pipeline::load_history(project));
        return;
    }
    if (line == "accept" || line == "reject") {
        pipeline::set_verdict(project, "", line == "accept", intent::taste_path());
        std::cout << fmt::format("{}ed.\n", line);
        return;
    }
    pipeline::ReviseJob job;
    job.project = project;
    const bool number = !line.empty() && line.find_first_not_of("0123456789") == std::string::npos;
    if (number && !pipeline::load_history(project).pending.empty())
        job.answer = std::stoi(line);
    else
        job.text = line;
    std::cout << pipeline::revise(job).summary;
}

int run_chat() {
    const fs::path project = chat_options.project;
    pipeline::load_history(project);  // fails early on a folder that is not a project
    const bool interactive = ::isatty(STDIN_FILENO);
    std::cout << "Say what to change (undo, redo, accept, reject, history, quit).\n";
    std::string line;
    while (true) {
        if (interactive) std::cout << "> " << std::flush;
        if (!std::getline(std::cin, line)) break;
        line = trim(line);
        if (line.empty()) continue;
        if (line == "quit" || line == "exit") break;
        try {
            chat_line(project, line);
        } catch (const Error& e) {
            // A failed request does not end the conversation.
            std::cout << "secondear: " << e.what() << "\n";
        }
    }
    return 0;
}

CLI::App* project_command(CLI::App& app, const char* name, const char* help, ProjectOptions& o) {
    auto* c = app.add_subcommand(name, help);
    c->add_option("project", o.project, "Project folder (written by `secondear mix`)")->required();
    return c;
}

}  // namespace

void register_revision_commands(CLI::App& app, Runners& runners) {
    auto* rev = app.add_subcommand("revise",
                                   "Change a mixed project in plain words; renders a new "
                                   "revision and checks the change on the audio");
    ReviseOptions& r = revise_options;
    rev->add_option("project", r.project, "Project folder (written by `secondear mix`)")
        ->required();
    rev->add_option("--say", r.say, "The request, e.g. \"the vocal a bit louder in the chorus\"");
    rev->add_option("--answer", r.answer, "Answer the pending question with option N")
        ->check(CLI::Range(1, 9));
    rev->add_flag("--json", r.json,
                  "Print {status, revision, directives, changes, question, verification}");
    rev->add_flag("--dry-run", r.dry_run,
                  "Interpret and list the changes; render and save nothing");
    rev->add_option("--threads", r.threads, "Worker threads")->check(CLI::Range(0, 64));
    runners[rev] = run_revise;

    auto* hist = project_command(app, "history", "List the project's revisions", history_options);
    hist->add_flag("--json", history_options.json, "As JSON");
    runners[hist] = run_history;
    runners[project_command(app, "undo", "Go back to the current revision's parent",
                            undo_options)] = run_undo;
    runners[project_command(app, "redo", "Go forward to the most recent child revision",
                            redo_options)] = run_redo;

    auto* cmp = project_command(
        app, "compare", "Loudness-matched A/B of two revisions and what differs", compare_options);
    cmp->add_option("a", compare_options.revision, "Revision A (e.g. 000)")->required();
    cmp->add_option("b", compare_options.other, "Revision B")->required();
    cmp->add_flag("--json", compare_options.json, "As JSON");
    runners[cmp] = run_compare;

    auto* acc =
        project_command(app, "accept", "Keep a revision (and remember the taste)", accept_options);
    acc->add_option("revision", accept_options.revision, "Revision (default: the current one)");
    runners[acc] = [] { return verdict(accept_options, true); };
    auto* rej =
        project_command(app, "reject", "Turn a revision down (and remember it)", reject_options);
    rej->add_option("revision", reject_options.revision, "Revision (default: the current one)");
    runners[rej] = [] { return verdict(reject_options, false); };

    auto* taste = app.add_subcommand("taste", "Show (or --reset) the taste memory");
    taste->add_flag("--reset", taste_reset, "Forget everything");
    taste->add_flag("--json", taste_json_flag, "As JSON");
    runners[taste] = run_taste;

    runners[project_command(app, "chat",
                            "Talk to the project: one request per line, answers by number",
                            chat_options)] = run_chat;
}

}  // namespace secondear::cli
