#include "plan/automation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <set>

#include <fmt/format.h>

#include "analysis/loudness.hpp"

namespace secondear::plan {
namespace {

constexpr double k_min_ramp_s = 0.05;  // shorter gain ramps are heard as clicks
constexpr double k_lead_lift_db = 1.5;
constexpr double k_space_lift_db = 3.0;
constexpr double k_verse_drier_db = -2.0;
constexpr double k_drum_drive_db = 1.0;
constexpr double k_breakdown_drums_db = -2.0;
constexpr double k_chorus_width = 0.15;  // side x1.15: +1.2 dB side/mid
constexpr double k_intent_lift_db = 1.0;
constexpr double k_intent_drier_db = -3.0;
constexpr double k_level_hop_s = 0.1;  // TrackFeatures::level_dbfs_per_100ms
// Section makeup differences under 0.1 dB are not worth a lane (a tenth of the least step a
// listener notices).
constexpr double k_min_contrast_makeup_db = 0.1;
// A one-pole smoother covers 95% of a step in three time constants.
constexpr double k_settle_time_constants = 3.0;

bool lifts(const std::string& label) {
    return label == "chorus" || label == "drop";
}
bool breathes(const std::string& label) {
    return label == "breakdown" || label == "bridge";
}
bool is_drum(const std::string& role) {
    return role == "kick" || role == "snare" || role == "toms" || role == "hihat" ||
           role == "overheads" || role == "room" || role == "percussion";
}

/// How much the drums' drive raises the band around the lead in the lifted sections (dB): the
/// drums' share of the other tracks' power there, at the planned faders, raised by the drive.
double band_lift_from_drum_drive_db(const Plan& plan, const AutomationIntent& intent,
                                    double drive_db) {
    double drums = 0.0, others = 0.0;
    for (const auto& s : plan.sections) {
        if (!lifts(s.label)) continue;
        for (std::size_t i = 0;
             i < plan.tracks.size() && i < intent.track_levels_dbfs_per_100ms.size(); ++i) {
            const Track& tr = plan.tracks[i];
            if (tr.mute || tr.role == "lead_vocal") continue;
            const auto& levels = intent.track_levels_dbfs_per_100ms[i];
            const auto first = static_cast<std::size_t>(std::max(0.0, s.start_s / k_level_hop_s));
            const auto last =
                std::min(levels.size(), static_cast<std::size_t>(s.end_s / k_level_hop_s));
            for (std::size_t k = first; k < last; ++k) {
                if (!std::isfinite(levels[k])) continue;
                (is_drum(tr.role) ? drums : others) +=
                    std::pow(10.0, (levels[k] + tr.fader_db) / 10.0);
            }
        }
    }
    if (drums + others <= 0.0) return 0.0;
    const double share = drums / (drums + others);
    return 10.0 * std::log10(1.0 - share + share * std::pow(10.0, drive_db / 10.0));
}

double round2(double x) {
    return std::round(x * 100.0) / 100.0;
}

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out(1);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || ch == '-')
            out.back().push_back(static_cast<char>(std::tolower(c)));
        else if (!out.back().empty())
            out.emplace_back();
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

/// What a track's intents ask of each section: +1 lift, -1 intimate, per label.
std::map<std::string, int> intent_moves(const std::vector<std::string>& intents) {
    static const std::set<std::string> labels = {"intro",  "verse",     "pre-chorus", "chorus",
                                                 "bridge", "breakdown", "drop",       "outro"};
    static const std::set<std::string> up = {"powerful", "big",   "bigger", "loud",   "louder",
                                             "lift",     "lifts", "huge",   "forward"};
    static const std::set<std::string> down = {"intimate", "dry",   "drier",   "close",
                                               "soft",     "quiet", "quieter", "small"};
    std::map<std::string, int> out;
    for (const auto& phrase : intents) {
        const auto w = words(phrase);
        int move = 0;
        for (const auto& x : w) {
            if (up.contains(x)) move = 1;
            if (down.contains(x)) move = -1;
        }
        if (move == 0) continue;
        for (std::string x : w) {
            if (x.ends_with("es") && labels.contains(x.substr(0, x.size() - 2)))
                x.resize(x.size() - 2);
            else if (x.ends_with('s') && labels.contains(x.substr(0, x.size() - 1)))
                x.pop_back();
            if (labels.contains(x)) out[x] = move;
        }
    }
    return out;
}

double value_at(const std::vector<AutomationPoint>& p, double t) {
    if (p.empty()) return 0.0;
    if (t <= p.front().time_s) return p.front().value;
    if (t >= p.back().time_s) return p.back().value;
    const auto it = std::upper_bound(
        p.begin(), p.end(), t, [](double x, const AutomationPoint& a) { return x < a.time_s; });
    const auto& a = *(it - 1);
    const double span = it->time_s - a.time_s;
    return span <= 0 ? it->value : a.value + (it->value - a.value) * (t - a.time_s) / span;
}

/// Adds a lane; a lane of the same (additive, dB) parameter already there is summed with it,
/// point by point over the union of their times (both are piecewise linear).
void add_lane(std::vector<AutomationLane>& lanes, AutomationLane lane) {
    const auto it = std::find_if(lanes.begin(), lanes.end(),
                                 [&](const AutomationLane& l) { return l.param == lane.param; });
    if (it == lanes.end()) {
        lanes.push_back(std::move(lane));
        return;
    }
    std::vector<double> times;
    for (const auto& p : it->points) times.push_back(p.time_s);
    for (const auto& p : lane.points) times.push_back(p.time_s);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    std::vector<AutomationPoint> sum;
    for (double t : times)
        sum.push_back({t, round2(value_at(it->points, t) + value_at(lane.points, t))});
    it->points = std::move(sum);
    it->rationale.text += " " + lane.rationale.text;
    for (auto& e : lane.rationale.evidence) it->rationale.evidence.push_back(std::move(e));
}

struct Lanes {
    const std::vector<Section>& sections;
    double ramp_s;

    /// Holds values[i] through section i; each change ramps over ramp_s (at most half the
    /// section it leaves) and ends exactly on the boundary. Empty when every value is `rest`.
    std::vector<AutomationPoint> points(const std::vector<double>& values, double rest) const {
        if (std::all_of(values.begin(), values.end(), [&](double v) { return v == rest; }))
            return {};
        std::vector<AutomationPoint> p = {{sections.front().start_s, values.front()}};
        for (std::size_t i = 1; i < sections.size(); ++i) {
            if (values[i] == values[i - 1]) continue;
            const double before = sections[i - 1].end_s - sections[i - 1].start_s;
            const double r = std::min(ramp_s, 0.5 * before);
            p.push_back({sections[i].start_s - r, values[i - 1]});
            p.push_back({sections[i].start_s, values[i]});
        }
        return p;
    }

    /// "+1.5 dB in the chorus, -2.0 dB in the verse" (each label once, in song order).
    std::string moves_text(const std::vector<double>& values, double rest,
                           const char* unit_format) const {
        std::string text;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < sections.size(); ++i) {
            if (values[i] == rest || !seen.insert(sections[i].label).second) continue;
            text += (text.empty() ? "" : ", ") + fmt::format(fmt::runtime(unit_format), values[i]) +
                    " in the " + sections[i].label;
        }
        return text;
    }
};

const dsp::CompressorParams* first_compressor(const std::vector<ProcessorEntry>& chain) {
    for (const auto& e : chain)
        if (const auto* p = std::get_if<dsp::CompressorParams>(&e.params); p && e.enabled) return p;
    return nullptr;
}

double lane_at(const std::vector<AutomationLane>& lanes, const std::string& param, double t) {
    for (const auto& l : lanes)
        if (l.param == param) return value_at(l.points, t);
    return 0.0;
}

double power_of_db(double db) {
    return std::pow(10.0, db / 10.0);
}

/// A steady power (per channel) through the compressors of a chain, by their static curves.
double through_compressors(const std::vector<ProcessorEntry>& chain, double power) {
    for (const auto& e : chain)
        if (const auto* p = std::get_if<dsp::CompressorParams>(&e.params); p && e.enabled)
            power *= power_of_db(dsp::Compressor::static_gain_db(*p, 10.0 * std::log10(power)));
    return power;
}

using ChannelPower = std::array<double, 2>;

/// Power of a track's source block on the left and right of its bus: fader, gain lane, the -3 dB
/// constant-power pan law normalised to unity at the centre (as dsp::GainStage).
ChannelPower track_power(const Track& tr, double level_dbfs, double t) {
    const double p = through_compressors(tr.chain, power_of_db(level_dbfs)) *
                     power_of_db(tr.fader_db + lane_at(tr.automation, "gain_db", t));
    const double theta = (tr.pan + 1.0) * std::numbers::pi / 4.0;
    return {2.0 * p * std::cos(theta) * std::cos(theta),
            2.0 * p * std::sin(theta) * std::sin(theta)};
}

}  // namespace

AutomationIntent automation_intent_of(const std::vector<TrackEvidence>& tracks) {
    AutomationIntent out;
    for (const auto& t : tracks) {
        out.track_intents.push_back(t.intents);
        out.track_levels_dbfs_per_100ms.push_back(t.features.level_dbfs_per_100ms);
    }
    return out;
}

SectionCompression estimate_section_compression(const Plan& plan, const AutomationIntent& intent) {
    const auto mix = std::find_if(plan.buses.begin(), plan.buses.end(),
                                  [](const Bus& b) { return b.kind == "mix"; });
    const dsp::CompressorParams* comp =
        mix != plan.buses.end() ? first_compressor(mix->chain) : nullptr;
    std::size_t blocks = 0;
    for (const auto& l : intent.track_levels_dbfs_per_100ms) blocks = std::max(blocks, l.size());
    if (!comp || blocks == 0 || plan.sections.empty()) return {};

    // Per 100 ms block: the mix's power per channel before the mix bus compressor.
    std::vector<ChannelPower> mix_power(blocks, ChannelPower{0.0, 0.0});
    for (std::size_t k = 0; k < blocks; ++k) {
        const double t = (static_cast<double>(k) + 0.5) * k_level_hop_s;
        std::map<std::string, ChannelPower> groups;
        for (std::size_t i = 0; i < plan.tracks.size(); ++i) {
            const Track& tr = plan.tracks[i];
            if (tr.mute || i >= intent.track_levels_dbfs_per_100ms.size()) continue;
            const auto& levels = intent.track_levels_dbfs_per_100ms[i];
            if (k >= levels.size() || !std::isfinite(levels[k])) continue;
            const auto p = track_power(tr, levels[k], t);
            auto& to = tr.output_bus == "mix" ? mix_power[k] : groups[tr.output_bus];
            to[0] += p[0];
            to[1] += p[1];
        }
        for (const auto& [name, p] : groups) {
            const auto bus = std::find_if(plan.buses.begin(), plan.buses.end(),
                                          [&](const Bus& b) { return b.name == name; });
            if (bus == plan.buses.end()) continue;
            // A linked bus compressor follows the louder channel.
            const double louder = std::max(p[0], p[1]);
            const double gain =
                louder > 0.0 ? through_compressors(bus->chain, louder) / louder : 1.0;
            const double fader =
                power_of_db(bus->fader_db + lane_at(bus->automation, "gain_db", t));
            for (int c = 0; c < 2; ++c)
                mix_power[k][static_cast<std::size_t>(c)] +=
                    p[static_cast<std::size_t>(c)] * gain * fader;
        }
    }

    SectionCompression out;
    for (const auto& sec : plan.sections) {
        double power = 0.0, compressed = 0.0;
        std::size_t n = 0;
        for (std::size_t k = 0; k < blocks; ++k) {
            const double t = (static_cast<double>(k) + 0.5) * k_level_hop_s;
            if (t < sec.start_s || t >= sec.end_s) continue;
            ++n;
            const double p = 0.5 * (mix_power[k][0] + mix_power[k][1]);
            const double louder = std::max(mix_power[k][0], mix_power[k][1]);
            if (louder <= 0.0) continue;
            power += p;
            compressed += p * power_of_db(dsp::Compressor::gain_computer_db(
                                  *comp, 10.0 * std::log10(louder)));
        }
        out.loudness_db.push_back(power > 0.0 ? 10.0 * std::log10(power / static_cast<double>(n))
                                              : -std::numeric_limits<double>::infinity());
        out.gain_reduction_db.push_back(power > 0.0 ? 10.0 * std::log10(power / compressed) : 0.0);
    }
    return out;
}

void keep_section_contrast(Plan& plan, const AutomationIntent& intent) {
    const auto& sec = plan.sections;
    if (sec.size() < 2) return;
    const auto est = estimate_section_compression(plan, intent);
    if (est.gain_reduction_db.empty()) return;
    double least = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < sec.size(); ++i)
        if (std::isfinite(est.loudness_db[i])) least = std::min(least, est.gain_reduction_db[i]);
    if (!std::isfinite(least)) return;
    std::vector<double> makeup;
    for (std::size_t i = 0; i < sec.size(); ++i)
        makeup.push_back(
            std::isfinite(est.loudness_db[i]) ? round2(est.gain_reduction_db[i] - least) : 0.0);
    if (*std::max_element(makeup.begin(), makeup.end()) < k_min_contrast_makeup_db) return;

    auto mix = std::find_if(plan.buses.begin(), plan.buses.end(),
                            [](const Bus& b) { return b.kind == "mix"; });
    const auto& comp = *first_compressor(mix->chain);
    const double rise_s = std::max(k_min_ramp_s, k_settle_time_constants * comp.attack_ms / 1000.0);
    const double fall_s =
        std::max(k_min_ramp_s, k_settle_time_constants * comp.release_ms / 1000.0);
    // The makeup follows the compressor: from each boundary, up as fast as it clamps down and
    // down as slowly as it lets go (at most half the section entered).
    std::vector<AutomationPoint> points = {{sec.front().start_s, makeup.front()}};
    for (std::size_t i = 1; i < sec.size(); ++i) {
        if (makeup[i] == makeup[i - 1]) continue;
        const double r = std::min(makeup[i] > makeup[i - 1] ? rise_s : fall_s,
                                  0.5 * (sec[i].end_s - sec[i].start_s));
        points.push_back({sec[i].start_s, makeup[i - 1]});
        points.push_back({sec[i].start_s + r, makeup[i]});
    }

    std::vector<double> after_bus, kept;
    for (std::size_t i = 0; i < sec.size(); ++i) {
        after_bus.push_back(est.loudness_db[i] - est.gain_reduction_db[i]);
        kept.push_back(after_bus.back() + makeup[i]);
    }
    const double before_lu = section_contrast_lu(sec, est.loudness_db);
    const double flattened_lu = section_contrast_lu(sec, after_bus);
    const double kept_lu = section_contrast_lu(sec, kept);
    analysis::Evidence evidence = {{"attack_ms", comp.attack_ms}, {"release_ms", comp.release_ms}};
    std::string moves;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < sec.size(); ++i) {
        if (!seen.insert(sec[i].label).second) continue;
        evidence.emplace_back("gain_reduction_" + sec[i].label + "_db",
                              round2(est.gain_reduction_db[i]));
        if (makeup[i] != 0.0)
            moves += (moves.empty() ? "" : ", ") +
                     fmt::format("{:+.2f} dB in the {}", makeup[i], sec[i].label);
    }
    std::string contrast;
    if (std::isfinite(before_lu) && std::isfinite(flattened_lu) && std::isfinite(kept_lu)) {
        evidence.emplace_back("contrast_before_bus_lu", round2(before_lu));
        evidence.emplace_back("contrast_after_bus_lu", round2(flattened_lu));
        evidence.emplace_back("contrast_kept_lu", round2(kept_lu));
        contrast = fmt::format(
            " The chorus stands {:.2f} LU over the verse before the compressor; it would "
            "stand {:.2f} LU over it after, and stands {:.2f} LU over it with the makeup.",
            before_lu, flattened_lu, kept_lu);
    }
    mix->automation.push_back(
        {"makeup_db",
         std::move(points),
         {"SECTION_CONTRAST_KEPT",
          fmt::format("Mix-bus makeup after the compressor, {}: the compressor works harder on "
                      "the louder sections (estimated from the tracks' levels and its static "
                      "curve), and the makeup gives back what it takes beyond the least "
                      "compressed section, so the song's energy contrast is kept, not "
                      "flattened; it rises over {:.2f} s and falls over {:.2f} s from each "
                      "boundary, as the compressor clamps and lets go.{}",
                      moves, rise_s, fall_s, contrast),
          std::move(evidence)}});
}

double genre_move_scale(const std::string& genre) {
    if (genre == "classical" || genre == "cinematic" || genre == "spoken-word") return 0.0;
    if (genre == "acoustic" || genre == "jazz" || genre == "lo-fi") return 0.5;
    return 1.0;
}

double ramp_s(double tempo_bpm) {
    return std::max(k_min_ramp_s, 60.0 / (tempo_bpm > 0 ? tempo_bpm : 120.0));
}

void automate_sections(Plan& plan, const AutomationIntent& intent) {
    const auto& sec = plan.sections;
    if (sec.size() < 2) return;
    const double scale = genre_move_scale(plan.genre);
    if (scale == 0.0) {
        plan.decisions.push_back(
            {"mix",
             "left_alone",
             {"SECTIONS_NOT_AUTOMATED",
              fmt::format("No section automation for {}: the piece's dynamics are its own, "
                          "so nothing rides the sections.",
                          plan.genre),
              {{"sections", static_cast<double>(sec.size())}}}});
        keep_section_contrast(plan, intent);
        return;
    }
    const double bpm = plan.tempo_bpm > 0 ? plan.tempo_bpm : 120.0;
    const Lanes lanes{sec, ramp_s(bpm)};
    const std::string ramp_text = fmt::format(
        "ramped over one beat ({:.2f} s at {:.0f} BPM) ending on each boundary", lanes.ramp_s, bpm);
    const analysis::Evidence ramp_evidence = {{"ramp_s", lanes.ramp_s}, {"tempo_bpm", bpm}};
    const auto per_section = [&](auto f) {
        std::vector<double> v;
        for (const auto& s : sec) v.push_back(round2(f(s.label)));
        return v;
    };

    const double lead_over_band_db = scale * k_lead_lift_db;
    const double band_lift_db =
        round2(band_lift_from_drum_drive_db(plan, intent, scale * k_drum_drive_db));
    for (std::size_t t = 0; t < plan.tracks.size(); ++t) {
        Track& tr = plan.tracks[t];
        if (tr.mute) continue;
        const auto asked = t < intent.track_intents.size() ? intent_moves(intent.track_intents[t])
                                                           : std::map<std::string, int>{};
        const auto ask = [&](const std::string& label) {
            const auto it = asked.find(label);
            return it == asked.end() ? 0 : it->second;
        };
        const bool lead = tr.role == "lead_vocal";
        // Level: the lead comes forward over the band in the lift (its fader also rides over
        // the drums' drive there, or the drive would take the lift back); any track its intents
        // lift.
        const auto gain = per_section([&](const std::string& label) {
            return (lead && lifts(label) ? lead_over_band_db + band_lift_db : 0.0) +
                   scale * (ask(label) > 0 ? k_intent_lift_db : 0.0);
        });
        if (auto p = lanes.points(gain, 0.0); !p.empty()) {
            const std::string why =
                lead ? fmt::format(
                           "the lead vocal comes forward {:.1f} dB over the band where "
                           "the song lifts ({:+.1f} dB of it rides over the drums' drive)",
                           lead_over_band_db, band_lift_db)
                     : "the session asks for it";
            auto evidence = ramp_evidence;
            if (lead) {
                evidence.emplace_back("lead_over_band_db", lead_over_band_db);
                evidence.emplace_back("band_lift_db", band_lift_db);
            }
            add_lane(tr.automation,
                     {"gain_db",
                      std::move(p),
                      {lead ? "SECTION_LEAD_LIFT" : "SECTION_INTENT_LIFT",
                       fmt::format("Fader {}: {}; {}.", lanes.moves_text(gain, 0.0, "{:+.1f} dB"),
                                   why, ramp_text),
                       std::move(evidence)}});
        }
        // Space: the lead's sends open up in the lift and stay drier in the verse; intents
        // for intimacy take any track drier there.
        for (const auto& send : tr.sends) {
            const bool space_send = send.bus == "plate" || send.bus == "delay";
            const auto level = per_section([&](const std::string& label) {
                double db = 0.0;
                if (lead && space_send && lifts(label)) db += k_space_lift_db;
                if (lead && space_send && label == "verse") db += k_verse_drier_db;
                if (ask(label) < 0) db += k_intent_drier_db;
                return scale * db;
            });
            auto p = lanes.points(level, 0.0);
            if (p.empty()) continue;
            add_lane(tr.automation,
                     {"send." + send.bus + "_db",
                      std::move(p),
                      {"SECTION_SPACE",
                       fmt::format("Send to {} {}: more space where the song opens up, an "
                                   "intimate, drier voice in the verse; {}.",
                                   send.bus, lanes.moves_text(level, 0.0, "{:+.1f} dB"), ramp_text),
                       ramp_evidence}});
        }
    }

    // Drums: drive in the lift, room to breathe in a breakdown.
    const auto drums = per_section([&](const std::string& label) {
        return scale * (lifts(label)      ? k_drum_drive_db
                        : breathes(label) ? k_breakdown_drums_db
                                          : 0.0);
    });
    if (auto p = lanes.points(drums, 0.0); !p.empty()) {
        const Rationale why{"SECTION_DRUM_DRIVE",
                            fmt::format("Drums {}: drive where the song lifts, space where it "
                                        "breaks down; {}.",
                                        lanes.moves_text(drums, 0.0, "{:+.1f} dB"), ramp_text),
                            ramp_evidence};
        const auto bus = std::find_if(plan.buses.begin(), plan.buses.end(), [](const Bus& b) {
            return b.name == "drums" && b.kind == "group";
        });
        if (bus != plan.buses.end())
            add_lane(bus->automation, {"gain_db", p, why});
        else
            for (auto& tr : plan.tracks)
                if (!tr.mute && is_drum(tr.role)) add_lane(tr.automation, {"gain_db", p, why});
    }

    // Width on the mix bus: the lift opens out.
    const auto width = per_section([&](const std::string& label) {
        return lifts(label) ? 1.0 + scale * k_chorus_width : 1.0;
    });
    const auto mix = std::find_if(plan.buses.begin(), plan.buses.end(),
                                  [](const Bus& b) { return b.kind == "mix"; });
    if (auto p = lanes.points(width, 1.0); !p.empty() && mix != plan.buses.end())
        mix->automation.push_back(
            {"width",
             std::move(p),
             {"SECTION_WIDTH",
              fmt::format("Mix width: side {} ({:+.1f} dB side/mid), so the lift opens out "
                          "and the verse stays narrower and closer; {}.",
                          lanes.moves_text(width, 1.0, "x{:.2f}"),
                          20.0 * std::log10(1.0 + scale * k_chorus_width), ramp_text),
              ramp_evidence}});
    keep_section_contrast(plan, intent);
}

std::vector<double> section_loudness_lufs(const std::vector<double>& short_term_lufs_per_100ms,
                                          const std::vector<Section>& sections) {
    constexpr double k_hop_s = 0.1;
    constexpr double k_window_s = 3.0;
    std::vector<double> out;
    for (const auto& s : sections) {
        const double len = s.end_s - s.start_s;
        const double first_end = s.start_s + (len >= 2 * k_window_s ? k_window_s : 0.5 * len);
        double power = 0.0;
        std::size_t count = 0;
        for (std::size_t k = 0; k < short_term_lufs_per_100ms.size(); ++k) {
            const double end_s = static_cast<double>(k + 1) * k_hop_s;
            if (end_s < first_end - 1e-9 || end_s > s.end_s + 1e-9) continue;
            const double l = short_term_lufs_per_100ms[k];
            power += std::isfinite(l) ? std::pow(10.0, l / 10.0) : 0.0;
            ++count;
        }
        out.push_back(count > 0 && power > 0.0
                          ? 10.0 * std::log10(power / static_cast<double>(count))
                          : -std::numeric_limits<double>::infinity());
    }
    return out;
}

std::vector<double> section_loudness_lufs(const AudioBuffer& audio,
                                          const std::vector<Section>& sections) {
    const double sr = audio.sample_rate_hz();
    std::vector<double> out;
    for (const auto& s : sections) {
        const auto a = std::min(
            audio.frames(), static_cast<std::size_t>(std::llround(std::max(0.0, s.start_s) * sr)));
        const auto b = std::min(
            audio.frames(), static_cast<std::size_t>(std::llround(std::max(0.0, s.end_s) * sr)));
        analysis::LoudnessMeter meter(sr, audio.channels());
        if (b > a) {
            std::array<const float*, 2> planes{};
            for (int c = 0; c < audio.channels() && c < 2; ++c)
                planes[static_cast<std::size_t>(c)] = audio.channel(c).data() + a;
            meter.add(planes.data(), b - a);
        }
        out.push_back(meter.result().integrated_lufs);
    }
    return out;
}

double section_contrast_lu(const std::vector<Section>& sections,
                           const std::vector<double>& loudness_lufs, const std::string& loud_label,
                           const std::string& quiet_label) {
    const auto mean = [&](const std::string& label) {
        double power = 0.0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < sections.size() && i < loudness_lufs.size(); ++i) {
            if (sections[i].label != label) continue;
            power +=
                std::isfinite(loudness_lufs[i]) ? std::pow(10.0, loudness_lufs[i] / 10.0) : 0.0;
            ++n;
        }
        return n > 0 && power > 0.0 ? 10.0 * std::log10(power / static_cast<double>(n))
                                    : std::numeric_limits<double>::quiet_NaN();
    };
    return mean(loud_label) - mean(quiet_label);
}

}  // namespace secondear::plan
