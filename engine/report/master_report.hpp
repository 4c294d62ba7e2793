#pragma once
// The report of a master: before/after, every processor with its parameters, reason and what it
// measured while working, what was left alone and why, and the verification against the target.

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "plan/plan.hpp"
#include "render/master_render.hpp"

namespace secondear::report {

struct MasterReportInput {
    const plan::Plan& plan;
    const analysis::Analysis& before;
    const render::MasterRenderResult& render;
    std::string input_path;
    std::string output_path;
};

nlohmann::json master_report_json(const MasterReportInput& in);
/// For people: what was done and why, what was left alone, where it landed.
std::string master_report_text(const MasterReportInput& in);

}  // namespace secondear::report
