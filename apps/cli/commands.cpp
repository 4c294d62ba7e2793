#include "commands.hpp"
#include "commands_revise.hpp"
#include "commands_sections.hpp"
#include "progress.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "demo/demo_session.hpp"
#include "intent/taste.hpp"
#include "pipeline.hpp"
#include "report/analysis_report.hpp"
#include "report/plan_json.hpp"

namespace secondear::cli {
namespace {

struct AnalyzeOptions {
    std::vector<std::string> paths;
    bool json = false;
    bool sections = false;
    int min_section_bars = 4;
};

AnalyzeOptions analyze_options;

struct MasterOptions {
    std::string input;
    std::string output;
    std::string target;
    std::optional<double> lufs;
    std::optional<double> ceiling_dbtp;
    std::string genre;
    std::string reference;
    std::string match = "tone,loudness,width";
    double amount = 100.0;
    std::string clipper = "auto";
    bool force = false;
    std::string bit_depth;
    std::string format;
    std::optional<double> sample_rate_hz;
    std::string report;
};
MasterOptions master_options;

struct MixOptions {
    std::string session;
    std::string out_dir;
    std::string genre;
    std::string target;
    std::optional<double> lufs;
    std::optional<double> ceiling_dbtp;
    int threads = 0;
};
MixOptions mix_options;

int run_mix() {
    const MixOptions& o = mix_options;
    pipeline::MixJob job;
    job.session = o.session;
    job.out_dir = o.out_dir;
    job.genre = o.genre;
    job.target_name = o.target;
    job.loudness_lufs = o.lufs;
    job.ceiling_dbtp = o.ceiling_dbtp;
    job.threads = o.threads;
    job.taste_file = intent::taste_path();
    job.progress = progress_bar("mixing");
    const auto outcome = pipeline::mix(job);
    std::cout << outcome.summary;
    return 0;
}

struct RenderCommandOptions {
    std::string plan;
    std::string out_dir;
    int threads = 0;
};
RenderCommandOptions render_options;

int run_render() {
    std::ifstream in(render_options.plan);
    if (!in)
        throw Error(ErrorKind::input_unreadable, render_options.plan + ": cannot open the plan");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::input_invalid,
                    fmt::format("{}: not valid JSON ({})", render_options.plan, e.what()));
    }
    pipeline::RenderOptions ro;
    ro.threads = render_options.threads;
    ro.progress = progress_bar("rendering");
    auto outcome = pipeline::render_project(report::plan_from_json(j), render_options.out_dir, ro);
    pipeline::write_project_files(outcome, render_options.out_dir);
    std::cout << outcome.summary;
    return 0;
}

std::string demo_dir;

int run_demo() {
    const std::filesystem::path dir = demo_dir;
    const auto session = demo::make_demo_session();
    demo::write_demo_session(session, dir / "session");
    std::cout << fmt::format("Demo session: {} tracks with planted faults in {}\n\n",
                             session.tracks.size(), (dir / "session").string());
    pipeline::MixJob job;
    job.session = dir / "session" / "session.json";
    job.out_dir = dir / "project";
    job.progress = progress_bar("mixing");
    const auto outcome = pipeline::mix(job);
    std::cout << outcome.summary;
    return 0;
}

int run_master() {
    const MasterOptions& o = master_options;
    pipeline::MasterJob job;
    job.input = o.input;
    job.output = o.output;
    job.target_name = o.target;
    job.loudness_lufs = o.lufs;
    job.ceiling_dbtp = o.ceiling_dbtp;
    job.genre = o.genre;
    if (!o.reference.empty()) {
        job.reference = o.reference;
        job.match_tone = o.match.find("tone") != std::string::npos;
        job.match_loudness = o.match.find("loudness") != std::string::npos;
        job.match_width = o.match.find("width") != std::string::npos;
        job.amount_percent = o.amount;
    }
    if (o.clipper == "on") job.clipper = true;
    if (o.clipper == "off") job.clipper = false;
    job.force = o.force;
    if (!o.format.empty()) job.container = io::container_from_path("x." + o.format);
    if (!o.bit_depth.empty()) job.sample_format = io::sample_format_from_string(o.bit_depth);
    job.sample_rate_hz = o.sample_rate_hz;
    if (!o.report.empty()) job.report_path = o.report;
    job.progress = progress_bar("mastering");
    const auto outcome = pipeline::master(job);
    std::cout << outcome.summary;
    return 0;
}
std::map<const CLI::App*, std::function<int()>> runners;

int run_analyze() {
    if (analyze_options.sections)
        return run_sections(analyze_options.paths, analyze_options.json,
                            analyze_options.min_section_bars);
    nlohmann::json results = nlohmann::json::array();
    int exit_code = 0;
    for (const std::string& path : analyze_options.paths) {
        try {
            const auto fa = pipeline::analyze_file(path);
            if (analyze_options.json)
                results.push_back(report::analysis_json(fa.analysis, path));
            else
                std::cout << report::analysis_text(fa.analysis, path) << "\n";
        } catch (const Error& e) {
            // One bad file does not stop the others; the exit code is the first failure's.
            std::cerr << "secondear: " << e.what() << "\n";
            if (exit_code == 0) exit_code = e.exit_code();
        }
    }
    if (analyze_options.json && !results.empty())
        std::cout << (analyze_options.paths.size() == 1 ? results[0] : results).dump(2) << "\n";
    return exit_code;
}

}  // namespace

void register_commands(CLI::App& app) {
    auto* analyze = app.add_subcommand("analyze",
                                       "Measure files: loudness, peaks, dynamics, stereo, "
                                       "spectrum; list problems found");
    analyze->add_option("files", analyze_options.paths, "Audio files")->required();
    analyze->add_flag("--json", analyze_options.json,
                      "One JSON object per file (an array for several)");
    analyze->add_flag("--sections", analyze_options.sections,
                      "The song's map: tempo, beats, sections (a folder: the sum of its stems, "
                      "with the tracks playing in each section)");
    analyze
        ->add_option("--min-section-bars", analyze_options.min_section_bars,
                     "With --sections: the shortest section, in bars (default 4)")
        ->check(CLI::Range(1, 64));
    runners[analyze] = run_analyze;

    auto* master = app.add_subcommand("master",
                                      "Master a stereo or mono mix for a destination, "
                                      "optionally matching a reference");
    MasterOptions& m = master_options;
    master->add_option("input", m.input, "The mix to master")->required();
    master->add_option("-o,--output", m.output, "Output file (.wav .flac .aiff .mp3)")->required();
    master->add_option("--target", m.target,
                       "spotify (default), apple-music, youtube, amazon-music, tidal, deezer, "
                       "soundcloud, podcast, ebu-r128, atsc-a85, cd, club");
    master->add_option("--lufs", m.lufs, "Custom integrated loudness target (with --ceiling-dbtp)");
    master->add_option("--ceiling-dbtp", m.ceiling_dbtp, "Custom true-peak ceiling (with --lufs)");
    master->add_option("--genre", m.genre, "Genre profile (default: the nearest to the audio)");
    master->add_option("--ref", m.reference, "A reference track to match");
    master->add_option("--match", m.match, "What to match of the reference: tone,loudness,width");
    master->add_option("--amount", m.amount, "How far to match the reference, 0..100 (%)")
        ->check(CLI::Range(0.0, 100.0));
    master->add_option("--clipper", m.clipper, "Clipper before the limiter: auto, on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    master->add_flag("--force", m.force,
                     "Reach the target loudness even past the limiting bound (6 dB)");
    master->add_option("--bit-depth", m.bit_depth, "16, 24 (default) or 32 (float)");
    master->add_option("--format", m.format, "wav, flac, aiff or mp3 (default: from -o)");
    master->add_option("--sample-rate", m.sample_rate_hz, "Output sample rate in Hz")
        ->check(CLI::Range(8000.0, 384000.0));
    master->add_option("--report", m.report, "Write the full report as JSON here");
    runners[master] = run_master;

    auto* mix = app.add_subcommand("mix",
                                   "Mix a folder of stems (or a session file) into a "
                                   "project: mix, master, stems, plan and report");
    MixOptions& x = mix_options;
    mix->add_option("session", x.session, "Folder of stems, or session JSON file")->required();
    mix->add_option("-o,--output", x.out_dir, "Project folder to write")->required();
    mix->add_option("--genre", x.genre, "Genre profile (default: the nearest to the audio)");
    mix->add_option("--target", x.target, "Delivery target of the master (default spotify)");
    mix->add_option("--lufs", x.lufs, "Custom loudness target (with --ceiling-dbtp)");
    mix->add_option("--ceiling-dbtp", x.ceiling_dbtp, "Custom true-peak ceiling (with --lufs)");
    mix->add_option("--threads", x.threads, "Worker threads (default: one per core)")
        ->check(CLI::Range(0, 64));
    runners[mix] = run_mix;

    auto* render = app.add_subcommand("render",
                                      "Re-render a (hand-edited) plan.json into a project "
                                      "folder");
    render->add_option("plan", render_options.plan, "plan.json")->required();
    render->add_option("-o,--output", render_options.out_dir, "Project folder to write")
        ->required();
    render->add_option("--threads", render_options.threads, "Worker threads")
        ->check(CLI::Range(0, 64));
    runners[render] = run_render;

    auto* demo_cmd = app.add_subcommand("demo",
                                        "Synthesize a demo session with planted faults, "
                                        "then mix and master it");
    demo_cmd->add_option("dir", demo_dir, "Folder for the session and the project")->required();
    runners[demo_cmd] = run_demo;
    register_revision_commands(app, runners);
}

int run_selected(CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) return runners.at(sub)();
    return static_cast<int>(ErrorKind::usage);
}

}  // namespace secondear::cli
