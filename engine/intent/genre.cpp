#include "intent/genre.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/embedded_data.hpp"
#include "core/errors.hpp"

namespace secondear::intent {

const std::vector<double>& iso_third_octave_centres_hz() {
    static const std::vector<double> centres{
        31.5, 40,   50,   63,   80,   100,  125,  160,  200,  250,  315,  400,   500,   630,
        800,  1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000};
    return centres;
}

namespace {

using nlohmann::json;

BusCompression parse_comp(const json& j) {
    return BusCompression{j.at("ratio").get<double>(), j.at("attack_ms").get<double>(),
                          j.at("release_ms").get<double>(),
                          j.at("gain_reduction_db").get<double>()};
}

GenreProfile parse_profile(std::string_view path, std::string_view text) {
    try {
        const json j = json::parse(text);
        GenreProfile p;
        p.name = j.at("name").get<std::string>();
        p.aliases = j.at("aliases").get<std::vector<std::string>>();
        p.description = j.at("description").get<std::string>();
        p.tonal_target_db = j.at("tonal_target").at("level_db").get<std::vector<double>>();
        if (p.tonal_target_db.size() != iso_third_octave_centres_hz().size()) {
            throw Error(ErrorKind::internal, std::string(path) + ": tonal_target needs 28 bands");
        }
        p.plr_min_db = j.at("plr_db").at("min").get<double>();
        p.plr_max_db = j.at("plr_db").at("max").get<double>();
        p.crest_target_db = j.at("crest_db_target").get<double>();
        p.lead_vocal_offset_lu = j.at("lead_vocal_offset_lu").get<double>();
        p.side_mid_ratio_db = j.at("width").at("side_mid_ratio_db").get<double>();
        p.reverb_send_db = j.at("space").at("reverb_send_db").get<double>();
        p.rt60_s = j.at("space").at("rt60_s").get<double>();
        p.bus_compression = parse_comp(j.at("compression_style").at("bus"));
        const auto& drums = j.at("compression_style").at("drum_bus");
        if (!drums.is_null()) p.drum_bus_compression = parse_comp(drums);
        p.loudness_hint_lufs = j.at("loudness_hint_lufs").get<double>();
        p.source = j.at("source").get<std::string>();
        return p;
    } catch (const json::exception& e) {
        throw Error(ErrorKind::internal, std::string(path) + ": " + e.what());
    }
}

const std::vector<GenreProfile>& all_profiles() {
    static const std::vector<GenreProfile> profiles = [] {
        std::vector<GenreProfile> out;
        for (const auto path : embedded_data_paths()) {
            if (path.rfind("genres/", 0) != 0) continue;
            out.push_back(parse_profile(path, embedded_data(path)));
        }
        std::sort(out.begin(), out.end(),
                  [](const GenreProfile& a, const GenreProfile& b) { return a.name < b.name; });
        return out;
    }();
    return profiles;
}

std::string fold(std::string_view text) {
    std::string out;
    for (char c : text) {
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.push_back(lower == '_' || lower == ' ' ? '-' : lower);
    }
    return out;
}

/// Mean of the 800 Hz, 1 kHz and 1.25 kHz bands: a steadier reference than one band.
double reference_db(const std::vector<double>& bands) {
    return (bands[14] + bands[15] + bands[16]) / 3.0;
}

}  // namespace

GenreProfile load_genre(std::string_view name_or_alias) {
    const std::string wanted = fold(name_or_alias);
    for (const auto& p : all_profiles()) {
        if (fold(p.name) == wanted) return p;
        for (const auto& alias : p.aliases) {
            if (fold(alias) == wanted) return p;
        }
    }
    std::string names;
    for (const auto& n : genre_names()) names += (names.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::usage,
                "unknown genre \"" + std::string(name_or_alias) + "\"; known genres: " + names);
}

std::vector<std::string> genre_names() {
    std::vector<std::string> names;
    for (const auto& p : all_profiles()) names.push_back(p.name);
    return names;
}

NearestGenre nearest_genre(const std::vector<double>& spectrum, std::optional<double> plr_db,
                           std::optional<double> side_mid_ratio_db,
                           const std::vector<std::string>& ruled_out) {
    const auto& centres = iso_third_octave_centres_hz();
    if (spectrum.size() != centres.size()) {
        throw Error(ErrorKind::input_invalid,
                    "nearest_genre: the spectrum needs 28 third-octave bands");
    }
    const double ref = reference_db(spectrum);
    NearestGenre best;
    best.distance = HUGE_VAL;
    for (const auto& p : all_profiles()) {
        if (std::find(ruled_out.begin(), ruled_out.end(), p.name) != ruled_out.end()) continue;
        const double p_ref = reference_db(p.tonal_target_db);
        double sum = 0.0;
        int count = 0;
        for (std::size_t k = 0; k < centres.size(); ++k) {
            // 40 Hz-12.5 kHz: the extremes depend on the source's bandwidth more than on style.
            if (centres[k] < 40.0 || centres[k] > 12500.0) continue;
            const double diff = (spectrum[k] - ref) - (p.tonal_target_db[k] - p_ref);
            sum += diff * diff;
            ++count;
        }
        const double tonal_db = std::sqrt(sum / count);
        double plr_out_db = 0.0;
        if (plr_db)
            plr_out_db = *plr_db < p.plr_min_db   ? p.plr_min_db - *plr_db
                         : *plr_db > p.plr_max_db ? *plr_db - p.plr_max_db
                                                  : 0.0;
        const double width_db =
            side_mid_ratio_db ? std::abs(*side_mid_ratio_db - p.side_mid_ratio_db) : 0.0;
        // Weights: 1 dB of tonal mismatch ~ 2 dB of PLR outside the range ~ 6 dB of width.
        const double distance = tonal_db + plr_out_db / 2.0 + width_db / 6.0;
        if (distance < best.distance) {
            std::string text =
                fmt::format("tonal balance {:.1f} dB RMS from the {} curve", tonal_db, p.name);
            text += plr_db ? fmt::format("; PLR {:.1f} dB ({} range {:.0f}-{:.0f} dB)", *plr_db,
                                         p.name, p.plr_min_db, p.plr_max_db)
                           : "; PLR not used (the stems are not yet mixed)";
            if (side_mid_ratio_db)
                text += fmt::format("; side/mid {:.1f} dB ({} {:.1f} dB)", *side_mid_ratio_db,
                                    p.name, p.side_mid_ratio_db);
            best = NearestGenre{p.name, distance, text};
        }
    }
    return best;
}

}  // namespace secondear::intent
