#pragma once
// The report of a mix: per track, every decision (fixed, left alone, noted) with its reason and
// evidence, the measured result (stem loudness against its target), buses, sections, the mix and
// its master.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/mix_planner.hpp"
#include "plan/plan.hpp"
#include "render/master_render.hpp"
#include "render/mix_render.hpp"

namespace secondear::report {

struct MixReportInput {
    const plan::Plan& plan;
    const render::MixRenderResult& mix;
    const render::MasterRenderResult& master;
    const std::vector<plan::TrackEvidence>& evidence;  // may be empty
    const std::vector<std::filesystem::path>& stem_paths;
    const std::filesystem::path& mix_path;
    const std::filesystem::path& master_path;
    const std::filesystem::path& project_dir;
};

nlohmann::json mix_report_json(const MixReportInput& in);
std::string mix_report_text(const MixReportInput& in);

}  // namespace secondear::report
