#include "commands.hpp"

#include <unistd.h>

#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "pipeline.hpp"
#include "report/analysis_report.hpp"

namespace secondear::cli {
namespace {

struct AnalyzeOptions {
    std::vector<std::string> paths;
    bool json = false;
};

AnalyzeOptions analyze_options;
std::map<const CLI::App*, std::function<int()>> runners;

int run_analyze() {
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
    runners[analyze] = run_analyze;
}

int run_selected(CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) return runners.at(sub)();
    return static_cast<int>(ErrorKind::usage);
}

}  // namespace secondear::cli
