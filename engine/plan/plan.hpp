#pragma once
// The plan: every decision the engine makes, as editable data (docs/plan-schema.md).
// tracks -> buses -> master; each a chain of processors whose parameters are the dsp params
// structs themselves, each with a rationale {code, text, evidence}. `locked` marks a human's
// edit that re-planning must keep. render(plan) is deterministic.

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "analysis/analysis.hpp"
#include "dsp/compressor.hpp"
#include "dsp/deesser.hpp"
#include "dsp/delay.hpp"
#include "dsp/dither.hpp"
#include "dsp/eq.hpp"
#include "dsp/gain.hpp"
#include "dsp/gate.hpp"
#include "dsp/limiter.hpp"
#include "dsp/reverb.hpp"
#include "dsp/saturation.hpp"
#include "dsp/width.hpp"

namespace secondear::plan {

inline constexpr const char* k_schema = "secondear.plan/1";

/// Why a decision was made: a stable code (tests and UIs key on it), a sentence for people, and
/// the measurements that triggered it (names carry units, as in analysis.hpp).
struct Rationale {
    std::string code;
    std::string text;
    analysis::Evidence evidence;
    /// Evidence is compared as a set of named values: JSON objects do not keep key order.
    friend bool operator==(const Rationale& a, const Rationale& b) {
        auto ea = a.evidence, eb = b.evidence;
        std::sort(ea.begin(), ea.end());
        std::sort(eb.begin(), eb.end());
        return a.code == b.code && a.text == b.text && ea == eb;
    }
};

using ProcessorParams =
    std::variant<dsp::EqParams, dsp::CompressorParams, dsp::GateParams, dsp::DeesserParams,
                 dsp::GainParams, dsp::LimiterParams, dsp::SaturationParams, dsp::WidthParams,
                 dsp::DitherParams, dsp::ReverbParams, dsp::DelayParams>;

/// The JSON/type name of a processor: "eq", "compressor", "gate", "deesser", "gain", "limiter",
/// "saturation", "width", "dither", "reverb", "delay".
std::string processor_type(const ProcessorParams& params);

struct ProcessorEntry {
    std::string id;  // unique in the plan, e.g. "master.eq", "track.vox.comp"
    bool enabled = true;
    bool locked = false;
    ProcessorParams params;
    Rationale rationale;
    friend bool operator==(const ProcessorEntry&, const ProcessorEntry&) = default;
};

/// A point of an automation lane: value at time_s; linear ramps between points.
struct AutomationPoint {
    double time_s = 0.0;
    double value = 0.0;
    friend bool operator==(const AutomationPoint&, const AutomationPoint&) = default;
};

/// Automation of one parameter: "gain_db" (of the fader), "send.<bus>_db", "width".
struct AutomationLane {
    std::string param;
    std::vector<AutomationPoint> points;
    Rationale rationale;
    friend bool operator==(const AutomationLane&, const AutomationLane&) = default;
};

struct Send {
    std::string bus;
    double level_db = -20.0;
    bool locked = false;
    Rationale rationale;
    friend bool operator==(const Send&, const Send&) = default;
};

/// A decision that is not a processor: something found and left alone, a role guess, a note.
struct Decision {
    std::string subject;  // track or bus name, or "master"
    std::string action;   // "fixed", "left_alone", "noted"
    Rationale rationale;
    friend bool operator==(const Decision&, const Decision&) = default;
};

struct Track {
    std::string name;
    std::string source_path;
    std::string role;
    double role_confidence = 0.0;
    std::string group;               // e.g. "drums"; empty = none
    std::string output_bus = "mix";  // a group bus name or "mix"
    double fader_db = 0.0;
    bool fader_locked = false;
    double pan = 0.0;  // -1 left .. +1 right
    bool pan_locked = false;
    bool mute = false;
    std::vector<ProcessorEntry> chain;
    std::vector<Send> sends;
    std::vector<AutomationLane> automation;
    friend bool operator==(const Track&, const Track&) = default;
};

/// "group" buses sum tracks (drums, vocals); "return" buses are effect returns fed by sends.
struct Bus {
    std::string name;
    std::string kind = "group";
    std::string output_bus = "mix";
    double fader_db = 0.0;
    bool fader_locked = false;
    std::vector<ProcessorEntry> chain;
    std::vector<AutomationLane> automation;
    friend bool operator==(const Bus&, const Bus&) = default;
};

/// Where the master goes: integrated loudness and true-peak ceiling.
struct Target {
    std::string name = "spotify";
    double loudness_lufs = -14.0;
    double ceiling_dbtp = -1.0;
    friend bool operator==(const Target&, const Target&) = default;
};

struct Master {
    Target target;
    /// Gain into the limiter, found by the renderer so the output lands on the target loudness;
    /// null until rendered. A locked value is used as it is.
    std::optional<double> drive_db;
    bool drive_locked = false;
    /// Largest limiter gain reduction on the loudest passages before the planner stops short of
    /// the target and says so (unless forced).
    double max_limiting_db = 6.0;
    bool force = false;
    std::vector<ProcessorEntry> chain;      // before the drive gain
    std::optional<ProcessorEntry> clipper;  // after the drive, before the limiter
    dsp::LimiterParams limiter;
    std::optional<dsp::DitherParams> dither;  // for 16-bit output
    friend bool operator==(const Master&, const Master&) = default;
};

struct Section {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;
    double confidence = 0.0;
    friend bool operator==(const Section&, const Section&) = default;
};

struct Plan {
    std::string schema = k_schema;
    std::string kind = "master";  // "master" (one stereo input) or "mix" (a session of tracks)
    double sample_rate_hz = 0.0;
    std::size_t frames = 0;
    std::string genre;
    double tempo_bpm = 0.0;
    std::vector<Section> sections;
    std::vector<Track> tracks;
    std::vector<Bus> buses;
    Master master;
    std::vector<Decision> decisions;
    friend bool operator==(const Plan&, const Plan&) = default;
};

}  // namespace secondear::plan
