#include "plan/revise.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "plan/eq_fit.hpp"

namespace secondear::plan {
namespace {

using intent::Directive;
using nlohmann::json;

constexpr double k_min_ramp_s = 0.05;
constexpr double k_new_send_db = -30.0;  // a new send starts this far under the track
// A typical peak-to-loudness gap of a part; used to place a new saturation's curve at its peaks.
constexpr double k_part_plr_db = 12.0;
constexpr double k_eq_accumulated_max_db = 8.0;  // two or three asks of the same word

double round2(double x) {
    return std::round(x * 100.0) / 100.0;
}

std::string eq_text(const dsp::EqParams& eq) {
    std::string out;
    for (const auto& b : eq.bands) {
        if (!out.empty()) out += ", ";
        out += fmt::format("{:+.1f} dB at {:.0f} Hz", b.gain_db, b.freq_hz);
    }
    return out.empty() ? "flat" : out;
}

/// Lane value with the renderer's semantics: held before the first and after the last point,
/// linear between.
double lane_at(const std::vector<AutomationPoint>& p, double t, double neutral) {
    if (p.empty()) return neutral;
    if (t <= p.front().time_s) return p.front().value;
    if (t >= p.back().time_s) return p.back().value;
    const auto it = std::upper_bound(
        p.begin(), p.end(), t, [](double x, const AutomationPoint& a) { return x < a.time_s; });
    const auto& b = *it;
    const auto& a = *(it - 1);
    const double span = b.time_s - a.time_s;
    return span <= 0 ? b.value : a.value + (b.value - a.value) * (t - a.time_s) / span;
}

/// Combines `add` into `lanes[param]` at the union of their breakpoints (exact: both are
/// piecewise linear). `multiply` for factor lanes (width), else values add (dB lanes).
void merge_lane(std::vector<AutomationLane>& lanes, const std::string& param,
                const std::vector<AutomationPoint>& add, bool multiply, const Rationale& why) {
    const double neutral = multiply ? 1.0 : 0.0;
    auto it = std::find_if(lanes.begin(), lanes.end(),
                           [&](const AutomationLane& l) { return l.param == param; });
    if (it == lanes.end()) {
        lanes.push_back({param, add, why});
        return;
    }
    std::set<double> times;
    for (const auto& p : it->points) times.insert(p.time_s);
    for (const auto& p : add) times.insert(p.time_s);
    std::vector<AutomationPoint> merged;
    for (double t : times) {
        const double a = lane_at(it->points, t, neutral), b = lane_at(add, t, neutral);
        merged.push_back({t, multiply ? a * b : a + b});
    }
    it->points = std::move(merged);
    it->rationale.text += " " + why.text;
}

/// 0 outside, `value` inside [start, end), ramps of one beat ending on the boundaries.
std::vector<AutomationPoint> section_shape(double start_s, double end_s, double value,
                                           double neutral, double tempo_bpm, double duration_s) {
    const double beat_s = 60.0 / (tempo_bpm > 0 ? tempo_bpm : 120.0);
    const double ramp = std::min(std::max(beat_s, k_min_ramp_s), 0.5 * (end_s - start_s));
    std::vector<AutomationPoint> p;
    if (start_s <= 0.0) {
        p.push_back({0.0, value});
    } else {
        p.push_back({std::max(0.0, start_s - ramp), neutral});
        p.push_back({start_s, value});
    }
    if (end_s < duration_s) {
        p.push_back({end_s - ramp, value});
        p.push_back({end_s, neutral});
    }
    return p;
}

std::string upper_code(std::string s) {
    for (auto& c : s)
        c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string source_of(const intent::Quality& q) {
    const auto& m = q.moves;
    if (m.eq && m.eq->source == "audealize")
        return fmt::format(
            "EQ curve from the Audealize crowdsourced descriptor '{}' ({} contributors, agreement "
            "{:.2f})",
            m.eq->word, m.eq->contributors, m.eq->agreement);
    return "moves from documented engineering practice (docs/vocabulary.md)";
}

class Reviser {
  public:
    Reviser(const Plan& plan, const RevisionContext& ctx) : plan_(plan), ctx_(ctx) {}

    void apply(const Directive& d) {
        const auto& vocab = intent::vocabulary();
        const intent::Quality* q = vocab.find(d.quality);
        code_ = revise_code(d.quality);
        if (!q) {
            skip(d.target, fmt::format("'{}' is not in the vocabulary", d.quality));
            return;
        }
        moves_ = intent::scaled_moves(*q, d.direction, d.amount);
        why_ = fmt::format("\u201c{}\u201d: {} {} (amount {:.2f}); {}.",
                           d.source_text.empty() ? intent::describe(d) : d.source_text,
                           intent::to_string(d.direction), d.quality, d.amount, source_of(*q));
        quality_ = d.quality;
        ranges_.clear();
        if (d.section) {
            ranges_ = section_ranges(plan_, *d.section);
            if (ranges_.empty()) {
                skip(d.target, fmt::format("the song has no section '{}'", d.section->label));
                return;
            }
        }
        if (d.target == "mix") {
            apply_mix();
            return;
        }
        const auto tracks = target_tracks(plan_, d.target);
        group_target_ = !tracks.empty() && plan_.tracks[tracks.front()].name != d.target &&
                        plan_.tracks[tracks.front()].role != d.target;
        if (tracks.empty()) {
            skip(d.target, fmt::format("no track, role or group is called '{}'", d.target));
            return;
        }
        for (std::size_t i : tracks)
            if (!plan_.tracks[i].mute) apply_track(i);
        apply_group_compression(d.target);
        if (moves_.transient_db != 0.0)
            note(fmt::format("tracks[{}]", d.target),
                 "transient shaping acts through the compressor's attack (no transient shaper "
                 "yet)");
    }

    Plan plan_;
    std::vector<Change> changes;

  private:
    const RevisionContext& ctx_;
    intent::Moves moves_;
    std::string code_;
    std::string why_;
    std::string quality_;
    std::vector<std::pair<double, double>> ranges_;

    double duration_s() const {
        return plan_.sample_rate_hz > 0 ? static_cast<double>(plan_.frames) / plan_.sample_rate_hz
                                        : 0.0;
    }

    void add(std::string path, json from, json to, bool skipped = false, std::string extra = {}) {
        changes.push_back({std::move(path), std::move(from), std::move(to), code_,
                           extra.empty() ? why_ : why_ + " " + extra, skipped});
    }
    void skip(const std::string& what, const std::string& reason) {
        add(what, nullptr, nullptr, true, "Skipped: " + reason + ".");
    }
    void note(const std::string& what, const std::string& reason) {
        add(what, nullptr, nullptr, true, "Not done: " + reason + ".");
    }

    Rationale rationale() const { return {code_, why_, {}}; }

    // -- section-scoped: automation lanes ---------------------------------------------------
    void add_lane(std::vector<AutomationLane>& lanes, const std::string& owner,
                  const std::string& param, double value, bool multiply) {
        for (const auto& [s, e] : ranges_) {
            merge_lane(
                lanes, param,
                section_shape(s, e, value, multiply ? 1.0 : 0.0, plan_.tempo_bpm, duration_s()),
                multiply, rationale());
            add(fmt::format("{}.automation[{}]", owner, param), nullptr,
                fmt::format("{}{:.2f}{} from {:.2f} s to {:.2f} s", multiply ? "x" : "",
                            multiply ? value : value, multiply ? "" : " dB", s, e));
        }
    }

    void skip_static_in_section(const std::string& owner) {
        const auto& m = moves_;
        if (m.eq || m.compression || m.saturation_drive_db != 0.0 || m.deesser_db != 0.0 ||
            (m.width_db != 0.0 && owner != "buses[mix]"))
            skip(owner,
                 "EQ, compression, saturation, width and de-essing are static processors; "
                 "within a section only level, sends (and the mix width) are automated: "
                 "ask for the whole song to change the sound itself");
    }

    // -- per track -------------------------------------------------------------------------
    void apply_track(std::size_t i) {
        Track& t = plan_.tracks[i];
        const std::string owner = fmt::format("tracks[{}]", t.name);
        if (!ranges_.empty()) {
            if (moves_.level_db != 0.0) {
                if (t.fader_locked)
                    skip(owner + ".fader_db", "the fader is locked");
                else
                    add_lane(t.automation, owner, "gain_db", moves_.level_db, false);
            }
            section_sends(t, owner);
            skip_static_in_section(owner);
            return;
        }
        if (moves_.level_db != 0.0) {
            if (t.fader_locked) {
                skip(owner + ".fader_db", "the fader is locked");
            } else {
                const double from = t.fader_db;
                t.fader_db = round2(t.fader_db + moves_.level_db);
                add(owner + ".fader_db", from, t.fader_db);
            }
        }
        if (moves_.eq) apply_eq(t.chain, "track." + t.name, owner);
        if (moves_.compression) apply_track_compression(t, owner);
        if (moves_.saturation_drive_db != 0.0)
            apply_saturation(t.chain, "track." + t.name, owner, track_lufs(t));
        static_sends(t, owner);
        if (moves_.width_db != 0.0) {
            const bool mono = i < ctx_.track_channels.size() && ctx_.track_channels[i] == 1;
            if (mono)
                skip(owner,
                     "a mono source has no stereo image to widen or narrow (its pan "
                     "places it)");
            else
                apply_width(t.chain, "track." + t.name, owner);
        }
        if (moves_.deesser_db != 0.0) apply_deesser(t.chain, "track." + t.name, owner);
    }

    /// The track's loudness before its fader, from the planner's balance decision.
    double track_lufs(const Track& t) const {
        for (const auto& d : plan_.decisions)
            if (d.subject == t.name && d.rationale.code == "BALANCE")
                for (const auto& [k, v] : d.rationale.evidence)
                    if (k == "target_lufs") return v - t.fader_db;
        return -20.0;
    }

    std::string send_kind(const std::string& bus) const {
        for (const auto& b : plan_.buses)
            if (b.name == bus)
                for (const auto& e : b.chain) {
                    if (std::holds_alternative<dsp::ReverbParams>(e.params)) return "reverb";
                    if (std::holds_alternative<dsp::DelayParams>(e.params)) return "delay";
                }
        return {};
    }
    bool has_bus(const std::string& name) const {
        return std::any_of(plan_.buses.begin(), plan_.buses.end(),
                           [&](const Bus& b) { return b.name == name; });
    }

    void section_sends(Track& t, const std::string& owner) {
        for (const auto& [kind, delta] : {std::pair{"reverb", moves_.reverb_send_db},
                                          std::pair{"delay", moves_.delay_send_db}}) {
            if (delta == 0.0) continue;
            bool any = false;
            for (const auto& s : t.sends) {
                if (send_kind(s.bus) != kind) continue;
                any = true;
                if (s.locked)
                    skip(fmt::format("{}.sends[{}].level_db", owner, s.bus), "the send is locked");
                else
                    add_lane(t.automation, owner, "send." + s.bus + "_db", delta, false);
            }
            if (!any) skip(owner, fmt::format("no {} send to ride in the section", kind));
        }
    }

    void static_sends(Track& t, const std::string& owner) {
        for (const auto& [kind, delta, bus] :
             {std::tuple{"reverb", moves_.reverb_send_db, "plate"},
              std::tuple{"delay", moves_.delay_send_db, "delay"}}) {
            if (delta == 0.0) continue;
            bool any = false;
            for (auto& s : t.sends) {
                if (send_kind(s.bus) != kind) continue;
                any = true;
                const std::string path = fmt::format("{}.sends[{}].level_db", owner, s.bus);
                if (s.locked) {
                    skip(path, "the send is locked");
                    continue;
                }
                const double from = s.level_db;
                s.level_db = round2(std::clamp(s.level_db + delta, -80.0, 0.0));
                add(path, from, s.level_db);
            }
            if (any) continue;
            if (delta < 0.0 || !has_bus(bus)) {
                skip(owner, fmt::format("no {} send to change", kind));
                continue;
            }
            const double level = round2(k_new_send_db + delta);
            t.sends.push_back({bus, level, false, rationale()});
            add(fmt::format("{}.sends[{}].level_db", owner, bus), nullptr, level);
        }
    }

    ProcessorEntry* find_entry(std::vector<ProcessorEntry>& chain, const std::string& id) {
        for (auto& e : chain)
            if (e.id == id) return &e;
        return nullptr;
    }
    template <class P>
    ProcessorEntry* first_of(std::vector<ProcessorEntry>& chain) {
        for (auto& e : chain)
            if (e.enabled && std::holds_alternative<P>(e.params)) return &e;
        return nullptr;
    }

    /// Inserts before the chain's first compressor or limiter (tone before dynamics), else last.
    void insert_before_dynamics(std::vector<ProcessorEntry>& chain, ProcessorEntry e) {
        auto it = std::find_if(chain.begin(), chain.end(), [](const ProcessorEntry& x) {
            return std::holds_alternative<dsp::CompressorParams>(x.params) ||
                   std::holds_alternative<dsp::LimiterParams>(x.params);
        });
        chain.insert(it, std::move(e));
    }

    void apply_eq(std::vector<ProcessorEntry>& chain, const std::string& prefix,
                  const std::string& owner) {
        const auto& vocab = intent::vocabulary();
        const std::string id = prefix + ".revise." + quality_;
        const std::string path = fmt::format("{}.chain[{}]", owner, id);
        const double sr = plan_.sample_rate_hz > 0 ? plan_.sample_rate_hz : 48000.0;
        ProcessorEntry* e = find_entry(chain, id);
        if (e && e->locked) {
            skip(path, "the entry is locked");
            return;
        }
        std::vector<std::pair<double, double>> desired;
        for (std::size_t b = 0; b < vocab.eq_band_hz.size(); ++b) {
            double db = moves_.eq->gains_db[b];
            if (e)
                db += dsp::Equalizer::response_db(std::get<dsp::EqParams>(e->params),
                                                  vocab.eq_band_hz[b], sr);
            desired.emplace_back(vocab.eq_band_hz[b], db);
        }
        EqFitOptions fo;
        fo.max_gain_db = e ? k_eq_accumulated_max_db : vocab.eq_max_db;
        fo.sample_rate_hz = sr;
        dsp::EqParams eq = fit_eq_curve(desired, fo);
        if (eq.bands.empty()) {
            skip(path, "the curve is too small to hear (every band under 0.25 dB)");
            return;
        }
        if (e) {
            const std::string from = eq_text(std::get<dsp::EqParams>(e->params));
            e->params = eq;
            e->rationale.text += " " + why_;
            add(path, from, eq_text(eq));
        } else {
            insert_before_dynamics(chain, {id, true, false, eq, rationale()});
            add(path, nullptr, eq_text(eq));
        }
    }

    void adjust_compressor(ProcessorEntry& e, const std::string& path) {
        if (e.locked) {
            skip(path, "the compressor is locked");
            return;
        }
        auto& p = std::get<dsp::CompressorParams>(e.params);
        const auto& c = *moves_.compression;
        const auto set = [&](const char* name, double& value, double delta, double lo, double hi) {
            if (delta == 0.0) return;
            const double from = value;
            value = round2(std::clamp(value + delta, lo, hi));
            if (value != from) add(fmt::format("{}.params.{}", path, name), from, value);
        };
        set("ratio", p.ratio, c.ratio_delta, 1.0, 20.0);
        const double threshold_from = p.threshold_db;
        set("threshold_db", p.threshold_db, c.threshold_db_delta, -80.0, 0.0);
        // Make-up for the threshold's shift: a passage above both thresholds loses
        // shift x (1 - 1/ratio) dB more (or less), and the part should keep its level (the static
        // curve of a compressor above its knee).
        set("makeup_db", p.makeup_db, -(p.threshold_db - threshold_from) * (1.0 - 1.0 / p.ratio),
            -24.0, 40.0);
        set("attack_ms", p.attack_ms, c.attack_ms_delta, 0.1, 200.0);
        set("release_ms", p.release_ms, c.release_ms_delta, 10.0, 2000.0);
        e.rationale.text += " " + why_;
    }

    void apply_track_compression(Track& t, const std::string& owner) {
        // A group target's bus compressor takes the move instead (apply_group_compression).
        if (group_bus_compressor(t.group) && group_target_) return;
        if (ProcessorEntry* e = first_of<dsp::CompressorParams>(t.chain)) {
            adjust_compressor(*e, fmt::format("{}.chain[{}]", owner, e->id));
            return;
        }
        const auto& c = *moves_.compression;
        const std::string id = "track." + t.name + ".revise.comp";
        if (c.ratio_delta <= 0.0) {
            skip(fmt::format("{}.chain[{}]", owner, id), "no compressor to relax");
            return;
        }
        // A gentle compressor a few dB over the part's loudness, then the move's deltas.
        const dsp::CompressorParams p{
            .threshold_db = round2(track_lufs(t) + 6.0 + c.threshold_db_delta),
            .ratio = round2(1.5 + c.ratio_delta),
            .attack_ms = round2(std::max(1.0, 20.0 + c.attack_ms_delta)),
            .release_ms = round2(std::max(20.0, 150.0 + c.release_ms_delta))};
        t.chain.push_back({id, true, false, p, rationale()});
        add(fmt::format("{}.chain[{}]", owner, id), nullptr,
            fmt::format("compressor {:.1f}:1 at {:.1f} dB", p.ratio, p.threshold_db));
    }

    Bus* group_bus_compressor(const std::string& group) {
        for (auto& b : plan_.buses)
            if (b.kind == "group" && b.name == group && first_of<dsp::CompressorParams>(b.chain))
                return &b;
        return nullptr;
    }
    bool group_target_ = false;

    void apply_group_compression(const std::string& target) {
        if (!moves_.compression || !ranges_.empty()) return;
        Bus* b = group_bus_compressor(target);
        if (!b) return;
        ProcessorEntry* e = first_of<dsp::CompressorParams>(b->chain);
        adjust_compressor(*e, fmt::format("buses[{}].chain[{}]", b->name, e->id));
    }

    void apply_saturation(std::vector<ProcessorEntry>& chain, const std::string& prefix,
                          const std::string& owner, std::optional<double> lufs) {
        const double delta = moves_.saturation_drive_db;
        if (ProcessorEntry* e = first_of<dsp::SaturationParams>(chain)) {
            const std::string path = fmt::format("{}.chain[{}].params.drive_db", owner, e->id);
            if (e->locked) {
                skip(path, "the saturation is locked");
                return;
            }
            auto& p = std::get<dsp::SaturationParams>(e->params);
            const double from = p.drive_db;
            p.drive_db = round2(std::clamp(p.drive_db + delta, 0.0, 36.0));
            add(path, from, p.drive_db);
            return;
        }
        const std::string id = prefix + ".revise.saturation";
        if (delta <= 0.0) {
            skip(fmt::format("{}.chain[{}]", owner, id), "no drive to take away");
            return;
        }
        // Soft clip (unity gain for small signals): the drive that brings a part's peaks
        // (loudness + a typical 12 dB) to the curve's knee, plus the move. On the mix (whose
        // level before the master is not known here) the move alone: a gentle touch.
        const double base = lufs ? std::clamp(-(*lufs + k_part_plr_db), 0.0, 24.0) : 0.0;
        const double drive = round2(base + delta);
        insert_before_dynamics(
            chain, {id, true, false, dsp::SaturationParams{.drive_db = drive}, rationale()});
        add(fmt::format("{}.chain[{}]", owner, id), nullptr,
            fmt::format("soft clip, drive {:.1f} dB", drive));
    }

    void apply_width(std::vector<ProcessorEntry>& chain, const std::string& prefix,
                     const std::string& owner) {
        const std::string id = prefix + ".revise.width";
        const std::string path = fmt::format("{}.chain[{}].params.width", owner, id);
        ProcessorEntry* e = find_entry(chain, id);
        if (e && e->locked) {
            skip(path, "the entry is locked");
            return;
        }
        const double factor = std::pow(10.0, moves_.width_db / 20.0);
        if (e) {
            auto& p = std::get<dsp::WidthParams>(e->params);
            const double from = p.width;
            p.width = round2(std::clamp(p.width * factor, 0.0, 2.0));
            add(path, from, p.width);
            return;
        }
        const double w = round2(std::clamp(factor, 0.0, 2.0));
        chain.push_back({id, true, false, dsp::WidthParams{.width = w}, rationale()});
        add(path, 1.0, w);
    }

    void apply_deesser(std::vector<ProcessorEntry>& chain, const std::string& prefix,
                       const std::string& owner) {
        const double delta = moves_.deesser_db;
        if (ProcessorEntry* e = first_of<dsp::DeesserParams>(chain)) {
            const std::string path = fmt::format("{}.chain[{}].params", owner, e->id);
            if (e->locked) {
                skip(path, "the de-esser is locked");
                return;
            }
            auto& p = std::get<dsp::DeesserParams>(e->params);
            const double from_r = p.max_reduction_db, from_t = p.threshold_db;
            p.max_reduction_db = round2(std::clamp(p.max_reduction_db + delta, 0.0, 30.0));
            p.threshold_db = round2(std::clamp(p.threshold_db - delta, -40.0, 0.0));
            add(path + ".max_reduction_db", from_r, p.max_reduction_db);
            add(path + ".threshold_db", from_t, p.threshold_db);
            return;
        }
        const std::string id = prefix + ".revise.deesser";
        if (delta <= 0.0) {
            skip(fmt::format("{}.chain[{}]", owner, id), "no de-esser to relax");
            return;
        }
        const dsp::DeesserParams p{.threshold_db = round2(-12.0 - delta),
                                   .max_reduction_db = round2(4.0 + delta)};
        chain.push_back({id, true, false, p, rationale()});
        add(fmt::format("{}.chain[{}]", owner, id), nullptr,
            fmt::format("de-esser, up to {:.1f} dB", p.max_reduction_db));
    }

    // -- the whole mix -----------------------------------------------------------------------
    void apply_mix() {
        const auto& m = moves_;
        if (!ranges_.empty()) {
            if (m.level_db != 0.0)
                for (auto& t : plan_.tracks) {
                    if (t.mute) continue;
                    const std::string owner = fmt::format("tracks[{}]", t.name);
                    if (t.fader_locked)
                        skip(owner + ".fader_db", "the fader is locked");
                    else
                        add_lane(t.automation, owner, "gain_db", m.level_db, false);
                }
            if (m.reverb_send_db != 0.0 || m.delay_send_db != 0.0)
                for (auto& t : plan_.tracks)
                    if (!t.mute && !t.sends.empty())
                        section_sends(t, fmt::format("tracks[{}]", t.name));
            if (m.width_db != 0.0)
                for (auto& b : plan_.buses)
                    if (b.kind == "mix")
                        add_lane(b.automation, "buses[mix]", "width",
                                 std::pow(10.0, m.width_db / 20.0), true);
            skip_static_in_section("buses[mix]");
            return;
        }
        if (m.level_db != 0.0)
            skip("master.target.loudness_lufs",
                 "the master's loudness is the delivery target and stays where it is; choose "
                 "another target (--target) for a louder or quieter master, or name the parts to "
                 "bring up");
        if (m.eq) apply_eq(plan_.master.chain, "master", "master");
        if (m.compression)
            for (auto& b : plan_.buses)
                if (b.kind == "mix") {
                    if (ProcessorEntry* e = first_of<dsp::CompressorParams>(b.chain))
                        adjust_compressor(*e, fmt::format("buses[mix].chain[{}]", e->id));
                    else
                        skip("buses[mix]", "the mix bus has no compressor");
                }
        if (m.saturation_drive_db != 0.0)
            apply_saturation(plan_.master.chain, "master", "master", std::nullopt);
        if (m.reverb_send_db != 0.0 || m.delay_send_db != 0.0)
            for (auto& t : plan_.tracks)
                if (!t.mute && !t.sends.empty()) static_sends(t, fmt::format("tracks[{}]", t.name));
        if (m.width_db != 0.0) apply_width(plan_.master.chain, "master", "master");
        if (m.deesser_db != 0.0) apply_deesser(plan_.master.chain, "master", "master");
        if (m.transient_db != 0.0)
            note("master",
                 "transient shaping acts through the compressor's attack (no transient "
                 "shaper yet)");
    }
};

}  // namespace

std::string revise_code(const std::string& quality) {
    return "REVISE_" + upper_code(quality);
}

std::vector<std::size_t> target_tracks(const Plan& plan, const std::string& target) {
    std::vector<std::size_t> out;
    for (auto field : {&Track::name, &Track::role, &Track::group}) {
        for (std::size_t i = 0; i < plan.tracks.size(); ++i)
            if (plan.tracks[i].*field == target) out.push_back(i);
        if (!out.empty()) return out;
    }
    return out;
}

std::vector<std::pair<double, double>> section_ranges(const Plan& plan,
                                                      const intent::SectionRef& s) {
    const double duration =
        plan.sample_rate_hz > 0 ? static_cast<double>(plan.frames) / plan.sample_rate_hz : 0.0;
    std::vector<std::pair<double, double>> out;
    if (s.label.empty()) {
        const double a = std::clamp(s.from_s.value_or(0.0), 0.0, duration);
        const double b = std::clamp(s.to_s.value_or(duration), 0.0, duration);
        if (b > a) out.emplace_back(a, b);
        return out;
    }
    std::vector<std::pair<double, double>> all;
    for (const auto& sec : plan.sections)
        if (sec.label == s.label) all.emplace_back(sec.start_s, std::min(sec.end_s, duration));
    if (all.empty()) return out;
    if (s.ordinal == 0) return all;
    if (s.ordinal < 0) return {all.back()};
    if (static_cast<std::size_t>(s.ordinal) <= all.size())
        out.push_back(all[static_cast<std::size_t>(s.ordinal) - 1]);
    return out;
}

intent::InterpretContext interpret_context(const Plan& plan) {
    intent::InterpretContext ctx;
    for (const auto& t : plan.tracks) ctx.tracks.push_back({t.name, t.role, t.group});
    std::map<std::string, int> seen;
    for (const auto& s : plan.sections) ctx.sections.push_back({s.label, ++seen[s.label]});
    ctx.duration_s =
        plan.sample_rate_hz > 0 ? static_cast<double>(plan.frames) / plan.sample_rate_hz : 0.0;
    return ctx;
}

RevisionResult apply_directives(const Plan& plan, const std::vector<intent::Directive>& directives,
                                const RevisionContext& context) {
    Reviser r(plan, context);
    for (const auto& d : directives) r.apply(d);
    return {std::move(r.plan_), std::move(r.changes)};
}

json change_json(const Change& c) {
    json j = {{"path", c.path}, {"from", c.from}, {"to", c.to}, {"code", c.code}, {"text", c.text}};
    if (c.skipped) j["skipped"] = true;
    return j;
}

Change change_from_json(const json& j) {
    return {j.at("path").get<std::string>(),
            j.value("from", json()),
            j.value("to", json()),
            j.value("code", ""),
            j.value("text", ""),
            j.value("skipped", false)};
}

}  // namespace secondear::plan
