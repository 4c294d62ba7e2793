#include "report/plan_json.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace secondear::dsp {

NLOHMANN_JSON_SERIALIZE_ENUM(EqBandType, {{EqBandType::peak, "peak"},
                                          {EqBandType::low_shelf, "low_shelf"},
                                          {EqBandType::high_shelf, "high_shelf"},
                                          {EqBandType::high_pass, "high_pass"},
                                          {EqBandType::low_pass, "low_pass"},
                                          {EqBandType::band_pass, "band_pass"}})
NLOHMANN_JSON_SERIALIZE_ENUM(DetectorMode,
                             {{DetectorMode::peak, "peak"}, {DetectorMode::rms, "rms"}})
NLOHMANN_JSON_SERIALIZE_ENUM(SaturationMode, {{SaturationMode::soft_clip, "soft_clip"},
                                              {SaturationMode::tape, "tape"},
                                              {SaturationMode::hard_clip, "hard_clip"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ReverbKind, {{ReverbKind::room, "room"},
                                          {ReverbKind::plate, "plate"},
                                          {ReverbKind::hall, "hall"}})

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EqBandParams, type, freq_hz, gain_db, q, order,
                                                enabled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EqParams, bands)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CompressorParams, threshold_db, ratio, knee_db,
                                                attack_ms, release_ms, makeup_db, stereo_link,
                                                detector, rms_window_ms, sidechain_high_pass_hz,
                                                mix)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GateParams, threshold_db, range_db, ratio,
                                                attack_ms, hold_ms, release_ms, hysteresis_db,
                                                sidechain_high_pass_hz, lookahead_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DeesserParams, freq_hz, q, split_hz, threshold_db,
                                                max_reduction_db, attack_ms, release_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GainParams, gain_db, invert_polarity, delay_frames,
                                                pan, source_is_mono, mute)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LimiterParams, ceiling_dbtp, lookahead_ms,
                                                release_ms, stereo_link)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SaturationParams, drive_db, mix, mode, ceiling_db,
                                                output_db)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WidthParams, width, bass_mono_below_hz)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DitherParams, bits, seed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReverbParams, kind, rt60_s, pre_delay_ms,
                                                damping_hz, low_cut_hz, high_cut_hz, width, wet_db)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DelayParams, time_ms, feedback, ping_pong,
                                                high_cut_hz, low_cut_hz, wet_db)

}  // namespace secondear::dsp

namespace secondear::plan {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AutomationPoint, time_s, value)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Target, name, loudness_lufs, ceiling_dbtp)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Section, start_s, end_s, label, confidence)

void to_json(nlohmann::json& j, const Rationale& r) {
    nlohmann::json evidence = nlohmann::json::object();
    for (const auto& [name, value] : r.evidence)
        evidence[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
    j = {{"code", r.code}, {"text", r.text}, {"evidence", evidence}};
}
void from_json(const nlohmann::json& j, Rationale& r) {
    r.code = j.value("code", "");
    r.text = j.value("text", "");
    r.evidence.clear();
    if (j.contains("evidence"))
        for (const auto& [name, value] : j.at("evidence").items())
            r.evidence.emplace_back(name, value.is_null() ? -std::numeric_limits<double>::infinity()
                                                          : value.get<double>());
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AutomationLane, param, points, rationale)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Send, bus, level_db, locked, rationale)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Decision, subject, action, rationale)

namespace {

template <class T>
bool try_params(const std::string& type, const char* name, const nlohmann::json& j,
                ProcessorParams& out) {
    if (type != name) return false;
    out = j.get<T>();
    return true;
}

}  // namespace

void to_json(nlohmann::json& j, const ProcessorEntry& e) {
    j = {{"id", e.id},
         {"type", processor_type(e.params)},
         {"enabled", e.enabled},
         {"locked", e.locked}};
    std::visit([&](const auto& p) { j["params"] = p; }, e.params);
    j["rationale"] = e.rationale;
}

void from_json(const nlohmann::json& j, ProcessorEntry& e) {
    e.id = j.at("id").get<std::string>();
    e.enabled = j.value("enabled", true);
    e.locked = j.value("locked", false);
    const std::string type = j.at("type").get<std::string>();
    const nlohmann::json params = j.value("params", nlohmann::json::object());
    const bool known = try_params<dsp::EqParams>(type, "eq", params, e.params) ||
                       try_params<dsp::CompressorParams>(type, "compressor", params, e.params) ||
                       try_params<dsp::GateParams>(type, "gate", params, e.params) ||
                       try_params<dsp::DeesserParams>(type, "deesser", params, e.params) ||
                       try_params<dsp::GainParams>(type, "gain", params, e.params) ||
                       try_params<dsp::LimiterParams>(type, "limiter", params, e.params) ||
                       try_params<dsp::SaturationParams>(type, "saturation", params, e.params) ||
                       try_params<dsp::WidthParams>(type, "width", params, e.params) ||
                       try_params<dsp::DitherParams>(type, "dither", params, e.params) ||
                       try_params<dsp::ReverbParams>(type, "reverb", params, e.params) ||
                       try_params<dsp::DelayParams>(type, "delay", params, e.params);
    if (!known)
        throw Error(ErrorKind::input_invalid,
                    fmt::format("processor '{}': unknown type '{}'", e.id, type));
    e.rationale = j.value("rationale", Rationale{});
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Track, name, source_path, role, role_confidence,
                                                group, output_bus, fader_db, fader_locked, pan,
                                                pan_locked, mute, chain, sends, automation)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Bus, name, kind, output_bus, fader_db, fader_locked,
                                                chain, automation)

void to_json(nlohmann::json& j, const Master& m) {
    j = {{"target", m.target},
         {"drive_db", m.drive_db ? nlohmann::json(*m.drive_db) : nlohmann::json(nullptr)},
         {"drive_locked", m.drive_locked},
         {"max_limiting_db", m.max_limiting_db},
         {"force", m.force},
         {"chain", m.chain},
         {"clipper", m.clipper ? nlohmann::json(*m.clipper) : nlohmann::json(nullptr)},
         {"limiter", m.limiter},
         {"dither", m.dither ? nlohmann::json(*m.dither) : nlohmann::json(nullptr)}};
}

void from_json(const nlohmann::json& j, Master& m) {
    m.target = j.value("target", Target{});
    m.drive_db = j.contains("drive_db") && !j.at("drive_db").is_null()
                     ? std::optional<double>(j.at("drive_db").get<double>())
                     : std::nullopt;
    m.drive_locked = j.value("drive_locked", false);
    m.max_limiting_db = j.value("max_limiting_db", 6.0);
    m.force = j.value("force", false);
    m.chain = j.value("chain", std::vector<ProcessorEntry>{});
    m.clipper = j.contains("clipper") && !j.at("clipper").is_null()
                    ? std::optional<ProcessorEntry>(j.at("clipper").get<ProcessorEntry>())
                    : std::nullopt;
    m.limiter = j.value("limiter", dsp::LimiterParams{});
    m.dither = j.contains("dither") && !j.at("dither").is_null()
                   ? std::optional<dsp::DitherParams>(j.at("dither").get<dsp::DitherParams>())
                   : std::nullopt;
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Plan, schema, kind, sample_rate_hz, frames, genre,
                                                tempo_bpm, sections, tracks, buses, master,
                                                decisions)

}  // namespace secondear::plan

namespace secondear::report {

nlohmann::json plan_to_json(const plan::Plan& plan) {
    return plan;
}

plan::Plan plan_from_json(const nlohmann::json& json) {
    try {
        plan::Plan p = json.get<plan::Plan>();
        if (p.schema != plan::k_schema)
            throw Error(ErrorKind::input_invalid,
                        fmt::format("plan schema '{}' is not '{}'", p.schema, plan::k_schema));
        return p;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::input_invalid, fmt::format("invalid plan: {}", e.what()));
    }
}

nlohmann::json rationale_json(const plan::Rationale& r) {
    return r;
}
nlohmann::json entry_json(const plan::ProcessorEntry& e) {
    return e;
}
nlohmann::json target_json(const plan::Target& t) {
    return t;
}
nlohmann::json sends_json(const std::vector<plan::Send>& s) {
    return s;
}
nlohmann::json automation_json(const std::vector<plan::AutomationLane>& lanes) {
    return lanes;
}
nlohmann::json sections_json(const std::vector<plan::Section>& sections) {
    return sections;
}
nlohmann::json bus_json(const plan::Bus& b) {
    return b;
}
nlohmann::json limiter_json(const dsp::LimiterParams& p) {
    return p;
}
nlohmann::json dither_json(const dsp::DitherParams& p) {
    return p;
}

}  // namespace secondear::report
