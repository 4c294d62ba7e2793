#pragma once
// The plan as JSON and back (docs/plan-schema.md). Every key is the C++ field name, so the schema
// and the code cannot drift apart. Parsing validates types and ranges and throws input_invalid
// naming the offending path.

#include <string>

#include <nlohmann/json.hpp>

#include "plan/plan.hpp"

namespace secondear::report {

nlohmann::json plan_to_json(const plan::Plan& plan);
plan::Plan plan_from_json(const nlohmann::json& json);

// Pieces of the plan as JSON, for reports that show them next to measurements.
nlohmann::json rationale_json(const plan::Rationale& r);
nlohmann::json entry_json(const plan::ProcessorEntry& e);
nlohmann::json target_json(const plan::Target& t);
nlohmann::json sends_json(const std::vector<plan::Send>& s);
nlohmann::json automation_json(const std::vector<plan::AutomationLane>& lanes);
nlohmann::json sections_json(const std::vector<plan::Section>& sections);
nlohmann::json bus_json(const plan::Bus& b);
nlohmann::json limiter_json(const dsp::LimiterParams& p);
nlohmann::json dither_json(const dsp::DitherParams& p);

}  // namespace secondear::report
