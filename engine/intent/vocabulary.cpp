#include "intent/vocabulary.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/embedded_data.hpp"
#include "core/errors.hpp"

namespace secondear::intent {

std::string_view to_string(Direction direction) {
    return direction == Direction::more ? "more" : "less";
}

const Quality* Vocabulary::find(std::string_view name) const {
    for (const auto& quality : qualities) {
        if (quality.name == name) return &quality;
    }
    return nullptr;
}

namespace {

using nlohmann::json;

std::optional<std::pair<double, double>> band(const json& object, const char* key) {
    if (!object.contains(key)) return std::nullopt;
    const auto& pair = object.at(key);
    return std::pair{pair.at(0).get<double>(), pair.at(1).get<double>()};
}

Moves parse_moves(const json& object, std::size_t band_count) {
    Moves moves;
    if (object.contains("eq")) {
        const auto& eq = object.at("eq");
        EqMove move;
        move.source = eq.at("source").get<std::string>();
        move.word = eq.value("word", "");
        move.contributors = eq.value("num", 0);
        move.agreement = eq.value("agreement", 0.0);
        move.gains_db = eq.at("gains_db").get<std::vector<double>>();
        if (move.gains_db.size() != band_count) {
            throw Error(ErrorKind::input_invalid,
                        "vocabulary: an eq curve needs one gain per band");
        }
        moves.eq = move;
    }
    if (object.contains("compression")) {
        const auto& c = object.at("compression");
        moves.compression =
            CompressionMove{c.value("ratio_delta", 0.0), c.value("threshold_db_delta", 0.0),
                            c.value("attack_ms_delta", 0.0), c.value("release_ms_delta", 0.0)};
    }
    moves.level_db = object.value("level_db", 0.0);
    moves.saturation_drive_db = object.value("saturation_drive_db", 0.0);
    moves.reverb_send_db = object.value("reverb_send_db", 0.0);
    moves.delay_send_db = object.value("delay_send_db", 0.0);
    moves.width_db = object.value("width_db", 0.0);
    moves.transient_db = object.value("transient_db", 0.0);
    moves.deesser_db = object.value("deesser_db", 0.0);
    return moves;
}

}  // namespace

Vocabulary parse_vocabulary(std::string_view json_text) {
    try {
        const json root = json::parse(json_text);
        Vocabulary vocab;
        vocab.eq_band_hz = root.at("eq_band_hz").get<std::vector<double>>();
        vocab.eq_max_db = root.at("eq_max_db").get<double>();
        vocab.default_amount = root.at("default_amount").get<double>();
        for (const auto& entry : root.at("amounts")) {
            vocab.amounts.push_back(AmountWords{entry.at("words").get<std::vector<std::string>>(),
                                                entry.at("amount").get<double>()});
        }
        for (const auto& entry : root.at("qualities")) {
            Quality quality;
            quality.name = entry.at("name").get<std::string>();
            if (!entry.at("opposite").is_null()) {
                quality.opposite = entry.at("opposite").get<std::string>();
            }
            quality.forms = entry.at("forms").get<std::vector<std::string>>();
            quality.antonyms = entry.at("antonyms").get<std::vector<std::string>>();
            quality.ambiguous_without_target = entry.value("ambiguous_without_target", false);
            quality.moves = parse_moves(entry.at("moves"), vocab.eq_band_hz.size());
            for (const auto& check : entry.at("verify")) {
                quality.verify.push_back(VerifyCheck{
                    check.at("measure").get<std::string>(), check.at("expect").get<std::string>(),
                    band(check, "band_hz"), band(check, "relative_to_hz")});
            }
            vocab.qualities.push_back(std::move(quality));
        }
        return vocab;
    } catch (const json::exception& e) {
        throw Error(ErrorKind::input_invalid, std::string("vocabulary: ") + e.what());
    }
}

const Vocabulary& vocabulary() {
    static const Vocabulary vocab = [] {
        const auto text = embedded_data("vocabulary.json");
        if (text.empty()) throw Error(ErrorKind::internal, "data/vocabulary.json is not embedded");
        return parse_vocabulary(text);
    }();
    return vocab;
}

Moves scaled_moves(const Quality& quality, Direction direction, double amount) {
    const double k = std::clamp(amount, 0.0, 1.0) * (direction == Direction::more ? 1.0 : -1.0);
    Moves m = quality.moves;
    if (m.eq) {
        for (auto& gain_db : m.eq->gains_db) gain_db *= k;
    }
    if (m.compression) {
        m.compression->ratio_delta *= k;
        m.compression->threshold_db_delta *= k;
        m.compression->attack_ms_delta *= k;
        m.compression->release_ms_delta *= k;
    }
    for (double* value : {&m.level_db, &m.saturation_drive_db, &m.reverb_send_db, &m.delay_send_db,
                          &m.width_db, &m.transient_db, &m.deesser_db}) {
        *value *= k;
    }
    return m;
}

}  // namespace secondear::intent
