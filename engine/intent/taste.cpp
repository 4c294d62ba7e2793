#include "intent/taste.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace secondear::intent {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path taste_path() {
    if (const char* home = std::getenv("SECONDEAR_HOME"); home && *home)
        return fs::path(home) / "taste.json";
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return fs::path(xdg) / "secondear" / "taste.json";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / ".config" / "secondear" / "taste.json";
}

json taste_json(const Taste& taste) {
    json entries = json::array();
    for (const auto& e : taste.entries)
        entries.push_back({{"quality", e.quality},
                           {"direction", std::string(to_string(e.direction))},
                           {"target", e.target},
                           {"accepted", e.accepted},
                           {"rejected", e.rejected},
                           {"amount_sum", e.amount_sum}});
    return {{"schema", "secondear.taste/1"}, {"entries", entries}};
}

Taste taste_from_json(const json& j) {
    Taste t;
    try {
        for (const auto& e : j.at("entries"))
            t.entries.push_back(
                {e.at("quality").get<std::string>(),
                 e.at("direction").get<std::string>() == "less" ? Direction::less : Direction::more,
                 e.at("target").get<std::string>(), e.value("accepted", 0), e.value("rejected", 0),
                 e.value("amount_sum", 0.0)});
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input_invalid, std::string("taste store: ") + e.what());
    }
    return t;
}

Taste load_taste(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return {};
    std::stringstream text;
    text << in.rdbuf();
    try {
        return taste_from_json(json::parse(text.str()));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input_invalid,
                    path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

void save_taste(const Taste& taste, const fs::path& path) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    const fs::path temp = path.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary);
        out << taste_json(taste).dump(2) << "\n";
        if (!out) throw Error(ErrorKind::output_failed, temp.string() + ": cannot write");
    }
    fs::rename(temp, path);
}

void record_taste(Taste& taste, const Directive& d, bool accepted) {
    TasteEntry* entry = nullptr;
    for (auto& e : taste.entries)
        if (e.quality == d.quality && e.direction == d.direction && e.target == d.target)
            entry = &e;
    if (!entry) {
        taste.entries.push_back({d.quality, d.direction, d.target, 0, 0, 0.0});
        entry = &taste.entries.back();
    }
    if (accepted) {
        ++entry->accepted;
        entry->amount_sum += d.amount;
    } else {
        ++entry->rejected;
    }
}

std::vector<Directive> taste_directives(const Taste& taste) {
    std::vector<Directive> out;
    for (const auto& e : taste.entries) {
        if (e.accepted - e.rejected < k_taste_prior_min_net || e.accepted == 0) continue;
        Directive d;
        d.target = e.target;
        d.quality = e.quality;
        d.direction = e.direction;
        // Half the user's usual step: a starting tilt, not the whole request again.
        d.amount = 0.5 * e.amount_sum / e.accepted;
        d.source_text = "taste memory: accepted " + std::to_string(e.accepted) + " times";
        out.push_back(d);
    }
    return out;
}

}  // namespace secondear::intent
