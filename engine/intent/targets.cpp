#include "intent/targets.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/embedded_data.hpp"
#include "core/errors.hpp"

namespace secondear::intent {
namespace {

const nlohmann::json& targets_json() {
    static const nlohmann::json data = nlohmann::json::parse(embedded_data("targets.json"));
    return data;
}

}  // namespace

std::vector<DeliveryTarget> all_targets() {
    std::vector<DeliveryTarget> out;
    for (const auto& t : targets_json().at("targets"))
        out.push_back({t.at("name").get<std::string>(), t.at("loudness_lufs").get<double>(),
                       t.at("ceiling_dbtp").get<double>(), t.value("mono_loudness_lufs", 0.0),
                       t.at("source").get<std::string>()});
    return out;
}

std::string default_target_name() {
    return targets_json().at("default").get<std::string>();
}

DeliveryTarget load_target(std::string_view name) {
    std::string names;
    for (const auto& t : all_targets()) {
        if (t.name == name) return t;
        names += (names.empty() ? "" : ", ") + t.name;
    }
    throw Error(ErrorKind::usage, fmt::format("unknown target '{}' (known: {}; or give --lufs and "
                                              "--ceiling-dbtp)",
                                              name, names));
}

}  // namespace secondear::intent
