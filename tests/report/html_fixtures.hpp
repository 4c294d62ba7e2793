#pragma once
// Report JSON objects shaped like the engine's report.json (master_report_json, mix_report_json
// and the revision report), built from numbers so the HTML tests need no audio.

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace secondear::test::html {

using nlohmann::json;

/// An analysis object (analysis_json keys) with the optional 100 ms timelines. The first second
/// is silent (nulls), as a real song's lead-in often is.
inline json analysis(double duration_s, double lufs, double tilt_db_per_octave, int variant) {
    json spectrum = json::array();
    for (int i = 0; i < 31; ++i) {
        const double hz = 20.0 * std::pow(2.0, i / 3.0);
        spectrum.push_back(
            {{"hz", std::round(hz * 10.0) / 10.0},
             {"db", -20.0 + tilt_db_per_octave * std::log2(hz / 1000.0) + std::sin(i + variant)}});
    }
    const auto n = static_cast<std::size_t>(duration_s * 10.0);
    json short_term = json::array(), true_peak = json::array(), envelope = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / 10.0;
        if (t < 1.0) {
            short_term.push_back(nullptr);
            true_peak.push_back(nullptr);
            envelope.push_back(nullptr);
            continue;
        }
        const double st = lufs + 3.0 * std::sin(t / 9.0 + variant) + 0.5 * std::sin(t * 3.1);
        short_term.push_back(std::round(st * 100.0) / 100.0);
        true_peak.push_back(std::round((st + 12.0) * 100.0) / 100.0);
        envelope.push_back(std::round((st + 8.0) * 100.0) / 100.0);
    }
    return {{"path", "in.wav"},
            {"sample_rate_hz", 48000},
            {"channels", 2},
            {"duration_s", duration_s},
            {"integrated_lufs", lufs},
            {"true_peak_dbtp", lufs + 13.0},
            {"loudness_range_lu", 6.5 - variant},
            {"correlation", 0.62 + 0.1 * variant},
            {"side_mid_ratio_db", -11.0 + variant},
            {"spectral_tilt_db_per_octave", tilt_db_per_octave},
            {"spectrum_third_octave", spectrum},
            {"short_term_lufs_per_100ms", short_term},
            {"true_peak_dbtp_per_100ms", true_peak},
            {"envelope_db_per_100ms", envelope},
            {"problems",
             variant == 0 ? json::array({{{"code", "DC_OFFSET"},
                                          {"text", "A DC offset of -42 dBFS shifts the waveform."},
                                          {"evidence", {{"dc_offset_dbfs", -42.0}}}}})
                          : json::array()}};
}

inline json rationale(const std::string& code, const std::string& text) {
    return {
        {"code", code},
        {"text", text},
        {"evidence", {{"band_200_315hz_excess_db", 3.1}, {"crest_db", 14.25}, {"gap_s", nullptr}}}};
}

inline json sections(double duration_s) {
    json out = json::array();
    const char* labels[] = {"intro",  "verse",  "chorus", "verse",
                            "chorus", "bridge", "chorus", "outro"};
    for (int i = 0; i < 8; ++i)
        out.push_back({{"start_s", duration_s * i / 8.0},
                       {"end_s", duration_s * (i + 1) / 8.0},
                       {"label", labels[i]},
                       {"confidence", 0.7}});
    return out;
}

inline json master_report(double duration_s) {
    json gr = json::array();
    for (std::size_t i = 0; i < static_cast<std::size_t>(duration_s * 10.0); ++i)
        gr.push_back(
            std::round(std::max(0.0, 2.0 * std::sin(static_cast<double>(i) / 37.0)) * 100.0) /
            100.0);
    json processors = json::array(
        {{{"id", "master.eq"},
          {"type", "eq"},
          {"enabled", true},
          {"locked", false},
          {"params",
           {{"bands",
             json::array(
                 {{{"type", "peak"}, {"freq_hz", 250.0}, {"gain_db", -2.0}, {"q", 1.0}}})}}},
          {"rationale", rationale("EQ_TAME_LOW_MID_BUILDUP",
                                  "Energy around 250 Hz is 3.1 dB above the genre's curve.")},
          {"measured", json::object()}},
         {{"id", "master.comp"},
          {"type", "compressor"},
          {"params", {{"threshold_db", -18.0}, {"ratio", 1.5}, {"attack_ms", 30.0}}},
          {"rationale", rationale("GLUE_GENTLE_BUS_COMPRESSION",
                                  "A gentle 1.5:1 glue keeps the loud passages together.")},
          {"measured", {{"mean_gain_reduction_db", 0.8}}}},
         {{"id", "master.limiter"},
          {"type", "limiter"},
          {"params", {{"ceiling_dbtp", -1.0}, {"lookahead_ms", 5.0}}},
          {"rationale", rationale("TRUE_PEAK_LIMIT_TO_TARGET",
                                  "Drive +4.20 dB into a true-peak limiter lands on -14.0 LUFS.")},
          {"measured", {{"max_gain_reduction_db", 2.0}}}}});
    return {{"kind", "master"},
            {"input", "mix.wav"},
            {"output", "master.wav"},
            {"target", {{"name", "spotify"}, {"loudness_lufs", -14.0}, {"ceiling_dbtp", -1.0}}},
            {"genre", "pop"},
            {"before", analysis(duration_s, -18.0, -3.5, 0)},
            {"after", analysis(duration_s, -14.0, -3.2, 1)},
            {"processors", processors},
            {"left_alone",
             json::array({{{"subject", "master"},
                           {"action", "left_alone"},
                           {"rationale", rationale("WIDTH_LEFT_AS_IS",
                                                   "The stereo image is already balanced.")}}})},
            {"notes",
             json::array({{{"subject", "master"},
                           {"action", "noted"},
                           {"rationale", rationale("NOTE_SHORT_INTRO",
                                                   "The intro is quiet; loudness is gated.")}}})},
            {"limiter",
             {{"drive_db", 4.2},
              {"max_gain_reduction_db", 2.0},
              {"mean_gain_reduction_db", 0.6},
              {"gain_reduction_db_per_100ms", gr}}},
            {"verification",
             {{"target_lufs", -14.0},
              {"integrated_lufs", -14.1},
              {"loudness_error_lu", -0.1},
              {"ceiling_dbtp", -1.0},
              {"true_peak_dbtp", -1.2},
              {"true_peak_ok", true},
              {"stopped_at_limiting_bound", false}}},
            {"plan", {{"schema", "secondear.plan/1"}, {"sections", sections(duration_s)}}}};
}

/// A mix of `tracks` tracks; track 3 has a hostile name to test escaping.
inline json mix_report(int track_count, double duration_s) {
    json tracks = json::array();
    for (int i = 0; i < track_count; ++i) {
        const std::string name =
            i == 3 ? std::string("<script>alert(1)</script>") : fmt::format("track {:02} & co", i);
        json chain = json::array();
        for (const char* type : {"eq", "compressor", "deesser"})
            chain.push_back(
                {{"id", fmt::format("track.{}.{}", i, type)},
                 {"type", type},
                 {"params", {{"threshold_db", -20.0 - i}, {"freq_hz", 6000.0}}},
                 {"rationale",
                  rationale(fmt::format("CODE_{}_{}", type, i),
                            fmt::format("Track {} {} because \"peaks\" > 3 dB.", i, type))},
                 {"measured", {{"max_gain_reduction_db", 3.5}}}});
        json automation = json::array();
        if (i % 4 == 0)
            automation.push_back(
                {{"param", "gain_db"},
                 {"points", json::array({{{"time_s", 0.0}, {"value", 0.0}},
                                         {{"time_s", duration_s / 2}, {"value", 2.0}},
                                         {{"time_s", duration_s * 0.75}, {"value", -1.0}}})},
                 {"rationale", rationale(fmt::format("AUTOMATE_CHORUS_LIFT_{}", i),
                                         "Lift in the choruses so the hook reads.")}});
        tracks.push_back(
            {{"name", name},
             {"role", i < 4 ? "drums" : "keys"},
             {"role_confidence", i == 5 ? 0.4 : 0.9},
             {"group", i < 4 ? "drums" : ""},
             {"fader_db", -6.0 + i * 0.5},
             {"pan", (i % 3 - 1) * 0.5},
             {"chain", chain},
             {"sends",
              json::array({{{"bus", "plate"},
                            {"level_db", -18.0},
                            {"rationale", rationale(fmt::format("SEND_PLATE_{}", i),
                                                    "A little plate puts it in the room.")}}})},
             {"automation", automation},
             {"decisions",
              json::array({{{"action", "left_alone"},
                            {"rationale", rationale(fmt::format("LEFT_NOISE_{}", i),
                                                    "Hiss at -70 dBFS is below the music.")}}})},
             {"problems", json::array({{{"code", fmt::format("RESONANCE_{}", i)},
                                        {"text", "A ring at 900 Hz."},
                                        {"evidence", {{"freq_hz", 900.0}, {"prominence_db", 7.5}}},
                                        {"decision", i % 2 ? "fixed" : "left_alone"}}})},
             {"stem_lufs", -20.0 - i * 0.3},
             {"target_lufs", -21.0}});
    }
    json buses = json::array(
        {{{"name", "drums"},
          {"kind", "group"},
          {"fader_db", -1.0},
          {"chain", json::array({{{"id", "bus.drums.comp"},
                                  {"type", "compressor"},
                                  {"params", {{"ratio", 2.0}}},
                                  {"rationale", rationale("BUS_GLUE_DRUMS", "Glue the kit.")}}})},
          {"automation", json::array()}},
         {{"name", "plate"}, {"kind", "return"}, {"fader_db", 0.0}, {"chain", json::array()}}});
    json stems = json::array();
    for (int i = 0; i < track_count; ++i) stems.push_back(fmt::format("stems/track {:02}.wav", i));
    return {
        {"kind", "mix"},
        {"genre", "pop"},
        {"tempo_bpm", 120.0},
        {"sections", sections(duration_s)},
        {"tracks", tracks},
        {"buses", buses},
        {"decisions",
         json::array({{{"subject", "mix"},
                       {"action", "noted"},
                       {"rationale", rationale("MIX_HEADROOM", "The mix peaks at -6 dBFS.")}}})},
        {"mix", analysis(duration_s, -20.0, -3.0, 0)},
        {"master", master_report(duration_s)},
        {"files", {{"mix", "mix.wav"}, {"master", "master.wav"}, {"stems", stems}}}};
}

inline json revision_report() {
    return {{"kind", "revision"},
            {"request", "make the chorus lift more & keep <vocals> clear"},
            {"directives",
             json::array({{{"quality", "lift"}, {"section", "chorus"}, {"amount", "more"}}})},
            {"changes", json::array({{{"path", "tracks[4].automation.gain_db"},
                                      {"from", 1.0},
                                      {"to", 2.5},
                                      {"code", "REVISE_CHORUS_LIFT"}},
                                     {{"path", "master.chain[0].bands[0].gain_db"},
                                      {"from", -2.0},
                                      {"to", -1.0},
                                      {"code", "REVISE_CLARITY"}}})},
            {"verification", json::array({{{"quality", "chorus lift"},
                                           {"measure", "chorus_minus_verse_lu"},
                                           {"before", 1.2},
                                           {"after", 2.4},
                                           {"expected", "up"},
                                           {"ok", true}},
                                          {{"quality", "loudness"},
                                           {"measure", "integrated_lufs"},
                                           {"before", -14.0},
                                           {"after", -13.4},
                                           {"expected", "up"},
                                           {"ok", false}}})},
            {"files", {{"before", "revisions/1/master.wav"}, {"after", "revisions/2/master.wav"}}}};
}

}  // namespace secondear::test::html
