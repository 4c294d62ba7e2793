#pragma once
// The recipes, readable top to bottom: decode -> analyze -> plan -> render -> encode/report.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "core/block_source.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "plan/mix_planner.hpp"
#include "plan/plan.hpp"
#include "render/master_render.hpp"
#include "render/mix_render.hpp"

namespace secondear::pipeline {

struct FileAnalysis {
    io::SourceInfo source;
    analysis::Analysis analysis;
};

/// Streams the file once through the analyzer (memory does not grow with its length).
FileAnalysis analyze_file(const std::filesystem::path& path);
/// Streams a source once through the analyzer (from its first frame).
analysis::Analysis analyze_source(BlockSource& source, const std::string& name);

/// What `secondear master` was asked for.
struct MasterJob {
    std::filesystem::path input;
    std::filesystem::path output;
    std::string target_name;              // empty = the default destination
    std::optional<double> loudness_lufs;  // custom target (with ceiling_dbtp)
    std::optional<double> ceiling_dbtp;
    std::string genre;  // empty = nearest profile from the audio
    std::optional<std::filesystem::path> reference;
    bool match_tone = true;
    bool match_loudness = true;
    bool match_width = true;
    double amount_percent = 100.0;
    std::optional<bool> clipper;  // unset = on for loud targets (above -10 LUFS)
    bool force = false;
    std::optional<io::Container> container;
    std::optional<io::SampleFormat> sample_format;
    std::optional<double> sample_rate_hz;
    std::optional<std::filesystem::path> report_path;
    std::function<void(double)> progress;
};

struct MasterOutcome {
    plan::Plan plan;
    analysis::Analysis before;
    render::MasterRenderResult render;
    nlohmann::json report;
    std::string summary;
};

/// decode -> analyze -> plan -> render (verified) -> encode + report.
MasterOutcome master(const MasterJob& job);

/// What `secondear mix` was asked for.
struct MixJob {
    std::filesystem::path session;  // a folder of stems or a session JSON file
    std::filesystem::path out_dir;  // the project folder
    std::string genre;              // empty = from the session file, else the nearest profile
    std::string target_name;        // empty = from the session file, else the default
    std::optional<double> loudness_lufs;
    std::optional<double> ceiling_dbtp;
    int threads = 0;  // 0 = one per core; the output is the same for any count
    /// The user's taste store (accepted revisions), used as a prior; unset = none (tests).
    std::optional<std::filesystem::path> taste_file;
    std::function<void(double)> progress;
};

struct MixOutcome {
    plan::Plan plan;
    render::MixRenderResult mix;
    render::MasterRenderResult master;
    std::vector<plan::TrackEvidence> evidence;  // empty when rendered from a plan file
    std::vector<plan::PairEvidence> pairs;
    std::vector<std::filesystem::path> stem_paths;
    std::filesystem::path mix_path;
    std::filesystem::path master_path;
    nlohmann::json report;
    std::string summary;
};

struct RenderOptions {
    int threads = 0;
    std::function<void(double)> progress;
};

/// session -> analysis -> plan -> mix.wav, stems/, master.wav, plan.json, report.json.
MixOutcome mix(const MixJob& job);

/// Renders a plan (as planned, or edited by hand) into out_dir: stems, mix.wav, master.wav.
/// Plans the master chain from the rendered mix when the plan has none.
MixOutcome render_project(plan::Plan plan, const std::filesystem::path& out_dir,
                          const RenderOptions& options = {});

/// Writes plan.json and report.json (and fills outcome.report / summary).
void write_project_files(MixOutcome& outcome, const std::filesystem::path& out_dir);

}  // namespace secondear::pipeline
