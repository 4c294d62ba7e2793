#pragma once
// An Analysis as JSON (for scripts) and as text (for people).

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"

namespace secondear::report {

/// A level in dB as JSON: a number, or null for silence (-inf). Never -inf or NaN in JSON.
nlohmann::json db_json(double db);

/// The analysis of one file: path, format facts, loudness, dynamics, stereo, spectrum, problems.
/// Keys carry units (docs/analysis.md lists them).
nlohmann::json analysis_json(const analysis::Analysis& a, const std::string& path);

nlohmann::json problems_json(const std::vector<analysis::Problem>& problems);
nlohmann::json evidence_json(const analysis::Evidence& evidence);

/// A readable summary: what the numbers are and what they mean, problems said plainly.
std::string analysis_text(const analysis::Analysis& a, const std::string& path);

}  // namespace secondear::report
