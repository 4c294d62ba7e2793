#include "plan/mix_planner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "analysis/loudness.hpp"
#include "core/embedded_data.hpp"
#include "plan/automation.hpp"

namespace secondear::plan {
namespace {

const nlohmann::json& balance_json() {
    static const nlohmann::json j = nlohmann::json::parse(embedded_data("balance.json"));
    return j;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_vocal(const std::string& role) {
    return role == "lead_vocal" || role == "backing_vocal";
}
bool is_drum(const std::string& role) {
    return role == "kick" || role == "snare" || role == "toms" || role == "hihat" ||
           role == "overheads" || role == "room" || role == "percussion";
}

/// Where a part's useful range starts: below this, energy is rumble for this role.
double role_floor_hz(const std::string& role) {
    static const std::map<std::string, double> floor = {{"kick", 30},
                                                        {"bass", 30},
                                                        {"toms", 50},
                                                        {"snare", 80},
                                                        {"hihat", 200},
                                                        {"overheads", 60},
                                                        {"room", 40},
                                                        {"percussion", 100},
                                                        {"electric_guitar", 80},
                                                        {"acoustic_guitar", 80},
                                                        {"piano", 30},
                                                        {"keys", 40},
                                                        {"pad", 40},
                                                        {"strings", 40},
                                                        {"brass", 60},
                                                        {"woodwinds", 80},
                                                        {"lead_vocal", 80},
                                                        {"backing_vocal", 100},
                                                        {"fx", 30},
                                                        {"other", 30}};
    const auto it = floor.find(role);
    return it == floor.end() ? 30.0 : it->second;
}

double band_db(const std::vector<analysis::SpectrumBand>& s, double lo_hz, double hi_hz) {
    double p = 0.0;
    for (const auto& b : s)
        if (b.hz >= lo_hz && b.hz <= hi_hz && std::isfinite(b.db)) p += std::pow(10.0, b.db / 10.0);
    return p > 0 ? 10.0 * std::log10(p) : -std::numeric_limits<double>::infinity();
}

double loudest_band_hz(const std::vector<analysis::SpectrumBand>& s, double lo_hz, double hi_hz) {
    double best = -1e9, hz = 0.0;
    for (const auto& b : s)
        if (b.hz >= lo_hz && b.hz <= hi_hz && b.db > best) {
            best = b.db;
            hz = b.hz;
        }
    return hz;
}

double percentile(std::vector<double> v, double p) {
    std::erase_if(v, [](double x) { return !std::isfinite(x); });
    if (v.empty()) return -std::numeric_limits<double>::infinity();
    const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(idx), v.end());
    return v[idx];
}

/// BS.1770-4 gating on 100 ms block powers: 400 ms windows with a 100 ms hop (four blocks),
/// gated as analysis::gated_mean_power does (absolute -70, relative -10 LU);
/// the mean power of the windows left, in dB (same reference as the powers), or -inf.
double gated_level_db(const std::vector<double>& block_power) {
    constexpr std::size_t k_window_blocks = 4;
    constexpr double k_relative_gate_lu = -10.0;
    std::vector<double> w;
    for (std::size_t b = 0; b + k_window_blocks <= block_power.size(); ++b) {
        double p = 0.0;
        for (std::size_t k = 0; k < k_window_blocks; ++k) p += block_power[b + k];
        w.push_back(p / static_cast<double>(k_window_blocks));
    }
    const double gated = analysis::gated_mean_power(w, k_relative_gate_lu);
    return gated > 0.0 ? 10.0 * std::log10(gated) : -std::numeric_limits<double>::infinity();
}

double round2(double x) {
    return std::round(x * 100.0) / 100.0;
}

bool has_intent(const TrackEvidence& t, const std::string& word) {
    for (const auto& i : t.intents)
        if (lower(i).find(word) != std::string::npos) return true;
    return false;
}

ProcessorEntry entry(const std::string& id, ProcessorParams params, std::string code,
                     std::string text, analysis::Evidence evidence) {
    return {id,
            true,
            false,
            std::move(params),
            {std::move(code), std::move(text), std::move(evidence)}};
}

struct Planner {
    const std::vector<TrackEvidence>& in;
    const MixIntent& intent;
    Plan& plan;
    std::vector<std::string> roles;

    void decide(const std::string& subject, const std::string& action, std::string code,
                std::string text, analysis::Evidence evidence = {}) {
        plan.decisions.push_back(
            {subject, action, {std::move(code), std::move(text), std::move(evidence)}});
    }

    // -- between tracks: polarity and time alignment of mics that share a source ---------------
    void align(const std::vector<PairEvidence>& pairs, std::vector<int>& delay,
               std::vector<bool>& invert, std::vector<analysis::Evidence>& why,
               std::vector<std::string>& why_text) {
        std::vector<bool> touched(in.size(), false);
        for (const auto& p : pairs) {
            const auto& a = p.alignment;
            const auto& ref = in[p.reference];
            const auto& oth = in[p.other];
            if (!analysis::shares_source(a)) continue;
            analysis::Evidence ev = {{"offset_ms", a.offset_ms},
                                     {"offset_frames", static_cast<double>(a.offset_frames)},
                                     {"correlation", a.correlation_at_best},
                                     {"confidence", a.confidence}};
            const bool flip = a.polarity_inverted;
            const int d = a.offset_frames;  // positive: other arrives later
            if (!flip && d == 0) continue;
            if (touched[p.other] && touched[p.reference]) continue;
            if (flip) {
                invert[p.other] = !invert[p.reference];
                why[p.other] = ev;
                why_text[p.other] = fmt::format(
                    "{} is in opposite polarity to {} (they share a source: correlation {:+.2f} at "
                    "the best lag); flipping it restores the low end they cancel together.",
                    oth.name, ref.name, a.correlation_at_best);
                decide(oth.name, "fixed", "FLIP_POLARITY", why_text[p.other], ev);
            }
            if (d != 0) {
                // Delay whichever arrives first, so both line up (no track is ever advanced).
                const std::size_t early = d > 0 ? p.reference : p.other;
                const std::size_t late = d > 0 ? p.other : p.reference;
                delay[early] += std::abs(d);
                why[early] = ev;
                why_text[early] = fmt::format(
                    "{} arrives {:.2f} ms ({} samples) before {}, which shares its source: "
                    "delaying it by that much lines them up, so they add instead of "
                    "comb-filtering.",
                    in[early].name, std::fabs(a.offset_ms), std::abs(d), in[late].name);
                decide(in[early].name, "fixed", "ALIGN_TIME_OFFSET", why_text[early], ev);
            }
            touched[p.other] = touched[p.reference] = true;
        }
    }

    double lead_lufs() const { return balance_json().at("lead_loudness_lufs").get<double>(); }

    std::string lead_role() const {
        for (const auto& r : balance_json().at("lead_priority")) {
            const std::string role = r.get<std::string>();
            for (std::size_t i = 0; i < in.size(); ++i)
                if (roles[i] == role && !in[i].features.silent) return role;
        }
        return "other";
    }

    /// A fix for a problem found: into the chain, and listed as a decision.
    void fix(Track& tr, ProcessorEntry e) {
        decide(tr.name, "fixed", e.rationale.code, e.rationale.text, e.rationale.evidence);
        tr.chain.push_back(std::move(e));
    }

    void plan_track(std::size_t i, int delay_frames, bool flip, const analysis::Evidence& align_ev,
                    const std::string& align_text, int same_role_count) {
        const TrackEvidence& t = in[i];
        const auto& f = t.features;
        const std::string& role = roles[i];
        Track tr;
        tr.name = t.name;
        tr.source_path = t.path;
        tr.role = role;
        tr.role_confidence = t.role.confidence;
        tr.group = t.group.empty() ? analysis::default_group(role) : t.group;
        const std::string id = "track." + t.name;

        if (f.silent) {
            tr.mute = true;
            decide(t.name, "noted", "SILENT_STEM",
                   fmt::format("{} is silent (peak {:.0f} dBFS): kept in the session, muted, "
                               "nothing to process.",
                               t.name, f.peak_dbfs),
                   {{"peak_dbfs", f.peak_dbfs}});
            plan.tracks.push_back(tr);
            return;
        }
        decide(t.name, "noted", "ROLE",
               fmt::format("Role: {} ({:.0f}% sure): {}", role, t.role.confidence * 100,
                           t.role.reason),
               {{"role_confidence", t.role.confidence}});

        // Alignment first: polarity and delay act on the raw mic signal.
        if (flip || delay_frames > 0)
            tr.chain.push_back(
                entry(id + ".align",
                      dsp::GainParams{.invert_polarity = flip, .delay_frames = delay_frames},
                      flip ? "FLIP_POLARITY" : "ALIGN_TIME_OFFSET", align_text, align_ev));

        // Distortion is a sound only some parts choose: guitars, synths, bass, effects.
        const bool can_be_driven = role == "electric_guitar" || role == "bass" || role == "keys" ||
                                   role == "pad" || role == "fx" || role == "other";
        const bool distorted = can_be_driven && f.distortion_score >= 0.35;
        if (distorted)
            decide(
                t.name, "left_alone", "INTENTIONAL_DISTORTION",
                fmt::format("{} is distorted on purpose (distortion score {:.2f}: dense harmonics, "
                            "flat frames at {:.1f} dB crest): that is its character, so no "
                            "de-essing, no taming of its harmonics, and no extra compression.",
                            t.name, f.distortion_score, f.distortion.frame_crest_db),
                {{"distortion_score", f.distortion_score},
                 {"frame_crest_db", f.distortion.frame_crest_db},
                 {"spectral_flatness", f.distortion.spectral_flatness}});
        if (f.clipping.runs > 0)
            decide(t.name, "left_alone", "CLIPPED_SOURCE",
                   fmt::format("{} was clipped before it reached us ({} samples in {} runs): that "
                               "cannot be undone, only hidden; ask for a clean export if you can.",
                               t.name, f.clipping.clipped_samples, f.clipping.runs),
                   {{"clipped_samples", static_cast<double>(f.clipping.clipped_samples)},
                    {"clipped_runs", static_cast<double>(f.clipping.runs)}});

        // Rumble below the part's range.
        const double floor_hz = role_floor_hz(role);
        // Rumble is energy well below where the part plays: for a bass or a kick (whose range
        // starts near 30 Hz) only true subsonics count.
        const double rumble_limit_hz = floor_hz <= 30.0 ? 24.0 : floor_hz;
        // Within 15 dB of the loudest band: loud enough to eat headroom and drive compressors.
        if (f.rumble_db > -15.0 && f.rumble_hz > 0.0 && f.rumble_hz < rumble_limit_hz) {
            double hp = std::min(floor_hz, std::max(20.0, f.rumble_hz * 1.6));
            if (f.low_f0_hz > 0) hp = std::min(hp, 0.8 * f.low_f0_hz);
            fix(tr,
                entry(id + ".highpass",
                      dsp::EqParams{{dsp::EqBandParams{.type = dsp::EqBandType::high_pass,
                                                       .freq_hz = std::round(hp),
                                                       .q = 0.7071,
                                                       .order = 4}}},
                      "HIGHPASS_RUMBLE",
                      fmt::format(
                          "Rumble around {:.0f} Hz only {:.0f} dB under the loudest band, below "
                          "where a {} plays: a 24 dB/octave high-pass at {:.0f} Hz removes it.",
                          f.rumble_hz, -f.rumble_db, role, hp),
                      {{"rumble_hz", f.rumble_hz}, {"rumble_db", f.rumble_db}}));
        }

        // Noise or bleed between phrases.
        const bool gate_allowed = is_vocal(role) || role == "kick" || role == "snare" ||
                                  role == "toms" || role == "electric_guitar" ||
                                  role == "acoustic_guitar" || role == "bass";
        if (f.noise_between_phrases) {
            const bool intimate = is_vocal(role) && has_intent(t, "intimate");
            if (!gate_allowed || intimate) {
                decide(t.name, "left_alone", "NOISE_BETWEEN_PHRASES_KEPT",
                       intimate
                           ? fmt::format("Noise at {:.0f} dBFS between phrases, but the vocal is "
                                         "meant to be intimate: its breaths stay (ask to clean "
                                         "it if you want).",
                                         f.gap_floor_dbfs)
                           : fmt::format("Low-level sound between phrases ({:.0f} dBFS) on a {}: "
                                         "tails and room are part of such a part, so no gate.",
                                         f.gap_floor_dbfs, role),
                       {{"gap_floor_dbfs", f.gap_floor_dbfs},
                        {"phrase_level_dbfs", f.phrase_level_dbfs}});
            } else {
                const bool vocal = is_vocal(role);
                // Open well above the noise's peaks and well below the phrases.
                const double threshold =
                    std::min(f.gap_floor_dbfs + 14.0, f.phrase_level_dbfs - 8.0);
                fix(tr,
                    entry(
                        id + ".gate",
                        dsp::GateParams{.threshold_db = round2(threshold),
                                        .range_db = vocal ? 15.0 : 30.0,
                                        .ratio = vocal ? 4.0 : 20.0,
                                        .attack_ms = 1.0,
                                        .hold_ms = vocal ? 120.0 : 60.0,
                                        .release_ms = vocal ? 180.0 : 100.0,
                                        .hysteresis_db = 4.0,
                                        .lookahead_ms = 2.0},
                        "GATE_NOISE_BETWEEN_PHRASES",
                        fmt::format(
                            "Steady noise at {:.0f} dBFS fills the gaps between phrases (phrases "
                            "at {:.0f} dBFS): {} lowers it by up to {:.0f} dB when nothing plays, "
                            "with 2 ms lookahead so no attack is cut.",
                            f.gap_floor_dbfs, f.phrase_level_dbfs,
                            vocal ? "a gentle expander" : "a gate", vocal ? 15.0 : 30.0),
                        {{"gap_floor_dbfs", f.gap_floor_dbfs},
                         {"phrase_level_dbfs", f.phrase_level_dbfs},
                         {"gap_steadiness_db", f.gap_steadiness_db}}));
            }
        }

        // Resonances and boominess: bounded, narrow cuts.
        dsp::EqParams corrective;
        analysis::Evidence eq_ev;
        std::string eq_text;
        // Narrow peaks that ring on every note are a room or a body resonance on a voice or an
        // acoustic instrument; on pads, keys, synths, bass and drums the peaks are the notes and
        // the drum's own tone, and stay.
        // Backing vocals are shaped as a group (darker, further back), not note by note.
        const bool rings = role == "lead_vocal" || role == "acoustic_guitar" || role == "piano" ||
                           role == "overheads" || role == "room" ||
                           (role == "electric_guitar" && !distorted);
        if (rings)
            for (const auto& r : f.resonances) {
                if (r.prominence_db <= 11.0 || r.hz < 80.0 || r.q < 3.0) continue;
                const double cut = std::min(r.prominence_db - 3.0, 5.0);
                corrective.bands.push_back({dsp::EqBandType::peak, std::round(r.hz), -round2(cut),
                                            std::clamp(r.q, 2.0, 8.0), 2, true});
                eq_ev.emplace_back(fmt::format("resonance_{:.0f}hz_prominence_db", r.hz),
                                   r.prominence_db);
                eq_text +=
                    fmt::format("{}a resonance at {:.0f} Hz stands {:.1f} dB proud (cut {:.1f} dB)",
                                eq_text.empty() ? "" : "; ", r.hz, r.prominence_db, cut);
            }
        if (rings && f.boominess_db > 6.0) {
            const double cut = std::min(f.boominess_db - 2.0, 4.0);
            corrective.bands.push_back({dsp::EqBandType::peak, 200.0, -round2(cut), 1.0, 2, true});
            eq_ev.emplace_back("boominess_db", f.boominess_db);
            eq_text += fmt::format(
                "{}a {:.1f} dB build-up at 125-250 Hz makes it boomy (cut {:.1f} dB at 200 Hz)",
                eq_text.empty() ? "" : "; ", f.boominess_db, cut);
        }
        if (!corrective.bands.empty())
            fix(tr, entry(id + ".eq", corrective, "EQ_CORRECTIVE",
                          "Corrective EQ: " + eq_text + ".", eq_ev));

        // Sibilance on vocals.
        if (is_vocal(role) && std::isfinite(f.sibilance_db) && f.sibilance_db > -2.0)
            fix(tr,
                entry(
                    id + ".deesser",
                    dsp::DeesserParams{
                        .freq_hz = std::clamp(f.sibilance_hz > 0 ? f.sibilance_hz : 6500.0, 4000.0,
                                              10000.0),
                        .threshold_db = round2(std::min(-3.0, f.sibilance_db - 4.0)),
                        .max_reduction_db = 6.0},
                    "DEESS_SIBILANCE",
                    fmt::format(
                        "Sibilance peaks {:+.1f} dB over the voice around {:.0f} Hz: a split-band "
                        "de-esser lowers only the esses, by up to 6 dB.",
                        f.sibilance_db, f.sibilance_hz),
                    {{"sibilance_db", f.sibilance_db}, {"sibilance_hz", f.sibilance_hz}}));

        // Uneven performance: slow level riding before compression, as automation.
        const bool rides = is_vocal(role) || role == "bass" || role == "acoustic_guitar" ||
                           role == "electric_guitar" || role == "piano" || role == "keys" ||
                           role == "strings" || role == "brass";
        if (rides && !distorted) ride_uneven(tr, f);

        // Dynamics from the part's crest factor and transients.
        plan_compression(tr, t, role, distorted);

        tr.pan = 0.0;
        (void)same_role_count;
        plan.tracks.push_back(tr);
    }

    std::string section_label_at(double t) const {
        for (const auto& sec : intent.sections)
            if (t >= sec.start_s && t < sec.end_s) return sec.label;
        return "song";
    }

    /// Finds passages of a second or more that sit over 4 dB off the part's usual level in
    /// sections of the same kind (verses against verses, choruses against choruses, so that a
    /// chorus meant to be louder is not flattened) and rides them 75% of the way back.
    void ride_uneven(Track& tr, const analysis::TrackFeatures& f) {
        constexpr std::size_t k_window_blocks = 5;  // 0.5 s of 100 ms blocks
        constexpr double k_window_s = 0.5;
        constexpr double k_jump_db = 4.0;
        const auto& blocks = f.level_dbfs_per_100ms;
        const double loud = percentile(blocks, 0.95);
        struct Window {
            double start_s, level_db;
            std::string label;
            bool active;
        };
        std::vector<Window> w;
        for (std::size_t b = 0; b + k_window_blocks <= blocks.size(); b += k_window_blocks) {
            double p = 0.0;
            for (std::size_t k = 0; k < k_window_blocks; ++k)
                p += std::isfinite(blocks[b + k]) ? std::pow(10.0, blocks[b + k] / 10.0) : 0.0;
            const double db = 10.0 * std::log10(std::max(p / k_window_blocks, 1e-20));
            const double start = static_cast<double>(b) * 0.1;
            w.push_back({start, db, section_label_at(start + k_window_s / 2), db > loud - 20.0});
        }
        std::map<std::string, std::vector<double>> by_label;
        for (const auto& x : w)
            if (x.active) by_label[x.label].push_back(x.level_db);
        std::map<std::string, double> median;
        for (auto& [label, v] : by_label) median[label] = percentile(v, 0.5);
        AutomationLane lane;
        lane.param = "gain_db";
        std::string list;
        double worst = 0.0;
        for (std::size_t a = 0; a < w.size();) {
            const auto dev = [&](std::size_t k) { return w[k].level_db - median[w[k].label]; };
            if (!w[a].active || std::fabs(dev(a)) <= k_jump_db) {
                ++a;
                continue;
            }
            const bool up = dev(a) > 0;
            std::size_t b = a;
            double sum = 0.0;
            while (b < w.size() && w[b].active && w[b].label == w[a].label &&
                   (up ? dev(b) > k_jump_db : dev(b) < -k_jump_db)) {
                sum += dev(b);
                ++b;
            }
            if (b - a >= 2) {  // at least a second
                const double mean_dev = sum / static_cast<double>(b - a);
                const double corr = round2(std::clamp(-0.75 * mean_dev, -9.0, 9.0));
                const double t0 = w[a].start_s, t1 = w[b - 1].start_s + k_window_s;
                constexpr double ramp_s = 0.1;
                lane.points.push_back({std::max(0.0, t0 - ramp_s), 0.0});
                lane.points.push_back({t0, corr});
                lane.points.push_back({t1, corr});
                lane.points.push_back({t1 + ramp_s, 0.0});
                list += fmt::format("{}{:.1f}-{:.1f} s ({:+.1f} dB against its {}s)",
                                    list.empty() ? "" : ", ", t0, t1, mean_dev, w[a].label);
                if (std::fabs(mean_dev) > std::fabs(worst)) worst = mean_dev;
            }
            a = b;
        }
        if (lane.points.empty()) return;
        lane.rationale = {
            "RIDE_UNEVEN_LEVEL",
            fmt::format("The level jumps against the rest of the part ({}): the fader "
                        "rides it 75% of the way back before compression, keeping "
                        "some of the performance's shape.",
                        list),
            {{"largest_jump_db", worst}}};
        decide(tr.name, "fixed", "RIDE_UNEVEN_LEVEL", lane.rationale.text, lane.rationale.evidence);
        tr.automation.push_back(std::move(lane));
    }

    void plan_compression(Track& tr, const TrackEvidence& t, const std::string& role,
                          bool distorted) {
        const auto& f = t.features;
        const std::string id = "track." + t.name + ".comp";
        const double loud_rms = percentile(f.level_dbfs_per_100ms, 0.95);
        if (!std::isfinite(loud_rms)) return;
        struct Style {
            double ratio, attack_ms, release_ms, below_loud_db;
            bool peak;
            const char* why;
        };
        std::optional<Style> s;
        if (is_vocal(role))
            s = Style{3.0, 8.0, 120.0, 6.0, false, "holds the voice steady in front of the band"};
        else if (role == "bass")
            s = Style{4.0, 25.0, 150.0, 5.0, false, "evens the notes so the low end sits still"};
        else if (role == "kick" || role == "snare" || role == "toms")
            s = Style{3.0, 25.0, 100.0,
                      8.0, true, "a 25 ms attack lets the hit through and firms up the body"};
        else if ((role == "electric_guitar" || role == "acoustic_guitar" || role == "piano" ||
                  role == "keys") &&
                 f.crest_db > 15.0)
            s = Style{2.0, 20.0, 200.0, 4.0, false, "gently evens the part"};
        if (!s) return;
        if (distorted || f.crest_db < 10.0) {
            decide(t.name, "left_alone", "ALREADY_DENSE",
                   fmt::format("{} is already dense (crest {:.1f} dB): more compression would only "
                               "flatten it.",
                               t.name, f.crest_db),
                   {{"crest_db", f.crest_db}});
            return;
        }
        const double reference = s->peak ? f.peak_dbfs : loud_rms;
        const double threshold = round2(reference - s->below_loud_db);
        const double expected_gr = s->below_loud_db * (1.0 - 1.0 / s->ratio);
        tr.chain.push_back(entry(
            id,
            dsp::CompressorParams{
                .threshold_db = threshold,
                .ratio = s->ratio,
                .knee_db = 6.0,
                .attack_ms = s->attack_ms,
                .release_ms = s->release_ms,
                .makeup_db = round2(expected_gr * 0.5),
                .detector = s->peak ? dsp::DetectorMode::peak : dsp::DetectorMode::rms},
            "COMPRESS_" + std::string(is_vocal(role) ? "VOCAL" : (is_drum(role) ? "DRUM" : "PART")),
            fmt::format("Crest factor {:.1f} dB and transients {:.1f} dB over the body: {:.0f}:1 "
                        "compression with about {:.1f} dB of reduction on the loud parts {}.",
                        f.crest_db, f.transient_to_body_db, s->ratio, expected_gr, s->why),
            {{"crest_db", f.crest_db},
             {"transient_to_body_db", f.transient_to_body_db},
             {"loud_rms_dbfs", loud_rms},
             {"expected_gain_reduction_db", expected_gr}}));
    }

    /// How loud a track plays at a given fader, block by block: its 100 ms block powers scaled
    /// so that their BS.1770 gated mean equals its integrated loudness (one factor per track,
    /// which stands in for K-weighting and the channel count).
    std::vector<double> loudness_blocks(std::size_t i) const {
        const auto& f = in[i].features;
        std::vector<double> p;
        p.reserve(f.level_dbfs_per_100ms.size());
        for (double db : f.level_dbfs_per_100ms)
            p.push_back(std::isfinite(db) ? std::pow(10.0, db / 10.0) : 0.0);
        const double own = gated_level_db(p);
        if (!std::isfinite(own) || !std::isfinite(f.integrated_lufs)) return {};
        const double scale = std::pow(10.0, (f.integrated_lufs - own) / 10.0);
        for (double& x : p) x *= scale;
        return p;
    }

    /// Loudness (LUFS) of a track's loudest 3 s passage (the EBU R 128 short-term window),
    /// from its calibrated 100 ms blocks; -inf when it never plays.
    static double loudest_passage_lufs(const std::vector<double>& blocks) {
        constexpr std::size_t k_short_term_blocks = 30;
        double best = 0.0;
        for (std::size_t b = 0; b + k_short_term_blocks <= blocks.size(); ++b) {
            double p = 0.0;
            for (std::size_t k = 0; k < k_short_term_blocks; ++k) p += blocks[b + k];
            best = std::max(best, p / static_cast<double>(k_short_term_blocks));
        }
        return best > 0.0 ? 10.0 * std::log10(best) : -std::numeric_limits<double>::infinity();
    }

    /// For each placed track, how many parts of its role play with it on average over the
    /// blocks where it plays (itself included; a block counts when it is within 20 LU of the
    /// part's integrated loudness, which keeps its softer notes and drops tails and silence).
    std::vector<double> parts_playing_together(const std::vector<std::vector<double>>& blocks,
                                               const std::vector<bool>& placed) const {
        std::vector<std::vector<bool>> on(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (!placed[i]) continue;
            const double floor = std::pow(10.0, (in[i].features.integrated_lufs - 20.0) / 10.0);
            for (double x : blocks[i]) on[i].push_back(x > floor);
        }
        std::vector<double> together(in.size(), 1.0);
        for (std::size_t i = 0; i < in.size(); ++i) {
            double sum = 0.0;
            std::size_t n = 0;
            for (std::size_t b = 0; b < on[i].size(); ++b) {
                if (!on[i][b]) continue;
                ++n;
                for (std::size_t j = 0; j < in.size(); ++j)
                    if (roles[j] == roles[i] && b < on[j].size() && on[j][b]) sum += 1.0;
            }
            if (n > 0) together[i] = sum / static_cast<double>(n);
        }
        return together;
    }

    void balance() {
        const std::string lead = lead_role();
        // Where each track plays (integrated LUFS); NaN = not in the mix.
        std::vector<double> level(in.size(), std::numeric_limits<double>::quiet_NaN());
        std::vector<bool> placed(in.size(), false);  // set here (not locked, not a tail)
        std::vector<std::vector<double>> blocks(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            Track& tr = plan.tracks[i];
            const auto& f = in[i].features;
            if (auto it = in[i].locked.find("fader_db"); it != in[i].locked.end()) {
                tr.fader_db = it->second;
                tr.fader_locked = true;
                if (!f.silent && std::isfinite(f.integrated_lufs))
                    level[i] = f.integrated_lufs + tr.fader_db;
                continue;
            }
            if (f.silent || !std::isfinite(f.integrated_lufs)) continue;
            if (f.peak_dbfs < -40.0) {
                // Only tails or ambience (peaks under -40 dBFS): bringing it up to a part's level
                // would turn a reverb tail into a part. It stays as printed.
                tr.fader_db = 0.0;
                level[i] = f.integrated_lufs;
                decide(tr.name, "noted", "BALANCE_QUIET_STEM",
                       fmt::format("{} only holds tails or ambience (peaks at {:.0f} dBFS): its "
                                   "fader stays at 0 dB instead of being raised to a {} level.",
                                   tr.name, f.peak_dbfs, roles[i]),
                       {{"peak_dbfs", f.peak_dbfs}, {"track_lufs", f.integrated_lufs}});
                continue;
            }
            placed[i] = true;
            blocks[i] = loudness_blocks(i);
        }
        const std::vector<double> together = parts_playing_together(blocks, placed);
        std::vector<double> offsets(in.size(), 0.0), shares(in.size(), 0.0), climax(in.size(), 0.0);
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (!placed[i]) continue;
            offsets[i] = balance_offset_lu(roles[i], intent.genre.name) -
                         balance_offset_lu(lead, intent.genre.name);
            // Mics of one instrument share its level (each -10 log10 n); parts of one role that
            // play together (a stack of backing vocals, two guitars) are a section: each sits a
            // little lower, half of that. n counts the parts playing at the same time, so parts
            // that take turns (a verse double, a chorus harmony) each keep the role's level.
            const bool one_source = roles[i] == "kick" || roles[i] == "snare" ||
                                    roles[i] == "toms" || roles[i] == "overheads" ||
                                    roles[i] == "room";
            shares[i] = (one_source ? 1.0 : 0.5) * 10.0 * std::log10(together[i]);
            // An effect (a swell, a riser, a granular wash) is heard at its climax and must not
            // poke out there: it is balanced by its loudest 3 s passage, not by its average.
            if (roles[i] == "fx" && !blocks[i].empty())
                climax[i] =
                    std::max(0.0, loudest_passage_lufs(blocks[i]) - in[i].features.integrated_lufs);
            level[i] = lead_lufs() + offsets[i] - shares[i] - climax[i];
        }
        const VocalPlacement vocal = place_vocals(lead, level, placed);
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (!placed[i]) continue;
            Track& tr = plan.tracks[i];
            const auto& f = in[i].features;
            const bool moved = vocal.applied && is_vocal(roles[i]);
            const double target = level[i] + (moved ? vocal.shift_db : 0.0);
            tr.fader_db = round2(std::clamp(target - f.integrated_lufs, -40.0, 24.0));
            std::string text = fmt::format(
                "Fader {:+.1f} dB: {} sits {:+.1f} LU from the lead ({}) in a {} balance",
                tr.fader_db, roles[i], offsets[i], lead, intent.genre.name);
            analysis::Evidence ev = {{"track_lufs", f.integrated_lufs},
                                     {"target_lufs", target},
                                     {"offset_from_lead_lu", offsets[i]}};
            if (shares[i] > 0.05) {
                text += fmt::format(", {:.1f} dB lower as one of {:.1f} {} parts playing together",
                                    shares[i], together[i], roles[i]);
                ev.emplace_back("parts_playing_together", together[i]);
            }
            if (climax[i] > 0.05) {
                text += fmt::format(
                    ", set by its loudest 3 s passage ({:.1f} LU over its average: an effect must "
                    "not poke out at its climax)",
                    climax[i]);
                ev.emplace_back("loudest_passage_over_integrated_lu", climax[i]);
            }
            if (moved) {
                text += fmt::format(
                    "; the vocals then move {:+.1f} dB together so that the lead vocal sits "
                    "{:+.1f} LU from the whole mix, the {} profile's vocal level (the mix "
                    "predicted from every part's level over time, not from their integrated "
                    "loudness alone, since parts that take turns do not add up)",
                    vocal.shift_db, intent.genre.lead_vocal_offset_lu, intent.genre.name);
                ev.emplace_back("vocal_shift_db", vocal.shift_db);
                ev.emplace_back("lead_vocal_to_mix_lu", intent.genre.lead_vocal_offset_lu);
            }
            text += fmt::format(" (measured {:.1f} LUFS, aiming at {:.1f}).", f.integrated_lufs,
                                target);
            decide(tr.name, "noted", "BALANCE", text, std::move(ev));
        }
    }

    struct VocalPlacement {
        bool applied = false;
        double shift_db = 0.0;
    };

    /// A lead vocal is heard against the whole mix, so the genre profile gives its level
    /// relative to the mix (lead_vocal_offset_lu), not to the loudest instrument. The
    /// instrumental keeps the table's balance; the lead vocal and the backing vocals (placed
    /// relative to it) move together until the predicted mix puts the lead at that level.
    /// The mix is predicted block by block (BS.1770 gating on the summed powers) because parts
    /// that take turns (a vocal in the second half, a kick in the first) do not add up the way
    /// their integrated loudness would.
    VocalPlacement place_vocals(const std::string& lead, const std::vector<double>& level,
                                const std::vector<bool>& placed) const {
        // A genre whose lead vocal is the programme itself (offset 0: spoken word) keeps the
        // table's levels, which already say how far under the voice everything else sits.
        const double aim_lu = intent.genre.lead_vocal_offset_lu;
        if (lead != "lead_vocal" || aim_lu >= 0.0) return {};
        std::vector<std::vector<double>> blocks(in.size());
        std::size_t n_blocks = 0;
        bool instrumental = false;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (!std::isfinite(level[i])) continue;
            // A lead vocal whose fader the user locked stays where it is, and so do the rest.
            if (roles[i] == "lead_vocal" && !placed[i]) return {};
            blocks[i] = loudness_blocks(i);
            const double gain = std::pow(10.0, (level[i] - in[i].features.integrated_lufs) / 10.0);
            for (double& x : blocks[i]) x *= gain;
            n_blocks = std::max(n_blocks, blocks[i].size());
            if (!is_vocal(roles[i]) && !blocks[i].empty()) instrumental = true;
        }
        if (!instrumental) return {};
        std::vector<double> lead_p(n_blocks, 0.0), vocals_p(n_blocks, 0.0), rest_p(n_blocks, 0.0);
        for (std::size_t i = 0; i < in.size(); ++i) {
            const bool moves = placed[i] && is_vocal(roles[i]);
            for (std::size_t b = 0; b < blocks[i].size(); ++b) {
                (moves ? vocals_p : rest_p)[b] += blocks[i][b];
                if (roles[i] == "lead_vocal") lead_p[b] += blocks[i][b];
            }
        }
        const double lead_db = gated_level_db(lead_p);
        if (!std::isfinite(lead_db)) return {};
        // Lead-to-mix level after moving the vocals by s dB; rises with s (the lead's own share
        // of the mix grows), so a bisection finds the move.
        std::vector<double> mix(n_blocks);
        const auto lead_to_mix = [&](double s) {
            const double g = std::pow(10.0, s / 10.0);
            for (std::size_t b = 0; b < n_blocks; ++b) mix[b] = g * vocals_p[b] + rest_p[b];
            return lead_db + s - gated_level_db(mix);
        };
        // At most 24 dB either way: the table's placement is the starting point, not a guess.
        double lo = -24.0, hi = 24.0;
        for (int k = 0; k < 40; ++k) {
            const double mid = 0.5 * (lo + hi);
            (lead_to_mix(mid) < aim_lu ? lo : hi) = mid;
        }
        return {true, round2(0.5 * (lo + hi))};
    }

    /// Complementary EQ where parts fight for the same band in the summed mix.
    void unmask() {
        const auto level = [&](std::size_t i, double lo, double hi) {
            return band_db(in[i].features.spectrum_third_octave, lo, hi) + plan.tracks[i].fader_db;
        };
        const auto add_band = [&](std::size_t i, dsp::EqBandParams band, const std::string& code,
                                  const std::string& text, analysis::Evidence ev) {
            Track& tr = plan.tracks[i];
            tr.chain.push_back(
                entry("track." + tr.name + ".unmask." + std::to_string(tr.chain.size()),
                      dsp::EqParams{{band}}, code, text, std::move(ev)));
        };
        std::vector<std::size_t> kicks, basses, vocals, beds;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i].features.silent) continue;
            const auto& r = roles[i];
            if (r == "kick") kicks.push_back(i);
            if (r == "bass") basses.push_back(i);
            if (r == "lead_vocal") vocals.push_back(i);
            if (r == "electric_guitar" || r == "acoustic_guitar" || r == "keys" || r == "piano" ||
                r == "pad" || r == "strings")
                beds.push_back(i);
        }
        if (!kicks.empty() && !basses.empty()) {
            const std::size_t k = kicks.front();
            const double kick_hz = loudest_band_hz(in[k].features.spectrum_third_octave, 40, 100);
            for (std::size_t b : basses) {
                const double overlap = level(b, kick_hz * 0.8, kick_hz * 1.25) -
                                       level(k, kick_hz * 0.8, kick_hz * 1.25);
                if (overlap < -6.0) continue;
                add_band(
                    b, {dsp::EqBandType::peak, kick_hz, -2.0, 1.4, 2, true}, "EQ_MASKING_KICK_BASS",
                    fmt::format("Kick and bass both peak around {:.0f} Hz (bass {:+.1f} dB against "
                                "the kick there): a 2 dB dip in the bass gives the kick its own "
                                "slot.",
                                kick_hz, overlap),
                    {{"kick_peak_hz", kick_hz}, {"bass_minus_kick_db", overlap}});
            }
        }
        if (!vocals.empty()) {
            const std::size_t v = vocals.front();
            const double voice = level(v, 1000, 5000);
            for (std::size_t b : beds) {
                const double other = level(b, 1000, 5000);
                if (!std::isfinite(voice) || !std::isfinite(other) || other < voice - 6.0) continue;
                const double cut = round2(std::min(3.0, other - (voice - 6.0) + 1.0));
                add_band(
                    b, {dsp::EqBandType::peak, 2500.0, -cut, 1.0, 2, true},
                    "EQ_MASKING_VOCAL_PRESENCE",
                    fmt::format("{} is {:+.1f} dB against the lead vocal in 1-5 kHz, where the "
                                "words live: a {:.1f} dB dip at 2.5 kHz makes room for them.",
                                plan.tracks[b].name, other - voice, cut),
                    {{"bed_1k_5k_db", other}, {"vocal_1k_5k_db", voice}});
            }
        }
    }

    void pan() {
        std::map<std::string, int> seen;
        for (std::size_t i = 0; i < in.size(); ++i) {
            Track& tr = plan.tracks[i];
            const std::string& r = roles[i];
            if (auto it = in[i].locked.find("pan"); it != in[i].locked.end()) {
                tr.pan = it->second;
                tr.pan_locked = true;
                continue;
            }
            if (in[i].channels == 2) continue;  // stereo stems keep their own image
            const std::string n = lower(in[i].name);
            const bool left = n.ends_with(" l") || n.ends_with("_l") || n.ends_with("-l") ||
                              n.find("left") != std::string::npos;
            const bool right = n.ends_with(" r") || n.ends_with("_r") || n.ends_with("-r") ||
                               n.find("right") != std::string::npos;
            double p = 0.0;
            std::string why;
            if (left || right) {
                p = left ? -0.8 : 0.8;
                why = "named as one side of a pair";
            } else if (r == "kick" || r == "snare" || r == "bass" || r == "lead_vocal") {
                continue;  // centred: the anchors of the mix
            } else if (r == "hihat") {
                p = 0.3;
                why = "hi-hat a little right, as seen from the audience";
            } else if (r == "toms") {
                p = std::array{-0.4, 0.1, 0.5, 0.7}[static_cast<std::size_t>(std::min(seen[r], 3))];
                why = "toms spread high to low across the kit";
            } else {
                // Same-role mono parts are spread to opposite sides (doubles opposed).
                const int k = seen[r];
                const double base = (r == "backing_vocal" || r == "percussion") ? 0.5 : 0.6;
                p = (k % 2 == 0 ? -1.0 : 1.0) * base;
                why = k == 0 ? "off-centre to leave the middle to the lead" : "opposite its double";
            }
            ++seen[r];
            tr.pan = p;
            decide(tr.name, "noted", "PAN", fmt::format("Pan {:+.1f}: {}.", p, why), {{"pan", p}});
        }
    }

    void space_and_buses() {
        const double bpm = intent.tempo_bpm > 0 ? intent.tempo_bpm : 120.0;
        const double beat_ms = 60000.0 / bpm;
        const double rt = intent.genre.rt60_s > 0 ? intent.genre.rt60_s : 1.6;
        plan.buses.push_back({"room",
                              "return",
                              "mix",
                              0.0,
                              false,
                              {entry("bus.room.reverb",
                                     dsp::ReverbParams{.kind = dsp::ReverbKind::room,
                                                       .rt60_s = 0.6,
                                                       .pre_delay_ms = 8.0,
                                                       .damping_hz = 7000.0,
                                                       .low_cut_hz = 200.0,
                                                       .high_cut_hz = 9000.0},
                                     "SPACE_ROOM",
                                     "A short room (0.6 s) shared by drums and guitars: one space "
                                     "that glues them, not a wash.",
                                     {{"rt60_s", 0.6}})},
                              {}});
        // Pre-delay of a 1/64 note keeps the vocal's consonants in front of its reverb.
        const double pre_delay = std::clamp(beat_ms / 16.0, 10.0, 40.0);
        plan.buses.push_back(
            {"plate",
             "return",
             "mix",
             0.0,
             false,
             {entry("bus.plate.reverb",
                    dsp::ReverbParams{
                        .kind = intent.genre.name == "cinematic" || intent.genre.name == "classical"
                                    ? dsp::ReverbKind::hall
                                    : dsp::ReverbKind::plate,
                        .rt60_s = round2(rt),
                        .pre_delay_ms = round2(pre_delay),
                        .damping_hz = 6000.0,
                        .low_cut_hz = 250.0,
                        .high_cut_hz = 8000.0},
                    "SPACE_PLATE",
                    fmt::format("The main reverb: {:.1f} s, the {} profile's space, with "
                                "{:.0f} ms pre-delay (a 1/64 note at {:.0f} BPM) and "
                                "its lows cut so it does not muddy the mix.",
                                rt, intent.genre.name, pre_delay, bpm),
                    {{"rt60_s", rt}, {"tempo_bpm", bpm}})},
             {}});
        const double delay_ms = std::min(1999.0, beat_ms * 0.75);  // dotted eighth
        plan.buses.push_back(
            {"delay",
             "return",
             "mix",
             0.0,
             false,
             {entry("bus.delay.echo",
                    dsp::DelayParams{.time_ms = round2(delay_ms),
                                     .feedback = 0.3,
                                     .ping_pong = true,
                                     .high_cut_hz = 5000.0,
                                     .low_cut_hz = 300.0},
                    "SPACE_TEMPO_DELAY",
                    fmt::format("A dotted-eighth ping-pong delay ({:.0f} ms at {:.0f} "
                                "BPM), darkened, for the vocal's tails.",
                                delay_ms, bpm),
                    {{"tempo_bpm", bpm}, {"time_ms", delay_ms}})},
             {}});
        // Sends per role (dB below the track's post-fader level), shifted by the genre's space.
        static const std::map<std::string, std::vector<std::pair<std::string, double>>> sends = {
            {"snare", {{"room", -12}, {"plate", -20}}},
            {"toms", {{"room", -14}}},
            {"overheads", {{"room", -20}}},
            {"electric_guitar", {{"room", -16}}},
            {"acoustic_guitar", {{"room", -16}, {"plate", -22}}},
            {"piano", {{"plate", -20}}},
            {"keys", {{"plate", -20}}},
            {"pad", {{"plate", -22}}},
            {"strings", {{"plate", -16}}},
            {"brass", {{"plate", -18}}},
            {"woodwinds", {{"plate", -18}}},
            {"lead_vocal", {{"plate", -16}, {"delay", -22}}},
            {"backing_vocal", {{"plate", -12}, {"delay", -26}}},
            {"percussion", {{"room", -14}}},
            {"fx", {{"plate", -14}}}};
        const double genre_shift = intent.genre.reverb_send_db;
        for (std::size_t i = 0; i < in.size(); ++i) {
            Track& tr = plan.tracks[i];
            if (tr.mute) continue;
            const auto it = sends.find(roles[i]);
            if (it == sends.end()) continue;
            const bool intimate = has_intent(in[i], "intimate") || has_intent(in[i], "dry");
            for (const auto& [bus, db] : it->second) {
                const double level = round2(db + genre_shift + (intimate ? -6.0 : 0.0));
                tr.sends.push_back(
                    {bus,
                     level,
                     false,
                     {bus == "delay" ? "SEND_DELAY" : "SEND_REVERB",
                      fmt::format("{} to the {} at {:.0f} dB{}: {}.", tr.name, bus, level,
                                  intimate ? " (6 dB drier: intimate)" : "",
                                  is_vocal(roles[i]) || roles[i] == "pad" || roles[i] == "strings"
                                      ? "depth behind the dry sound"
                                      : "the shared space that places it in the room"),
                      {{"send_db", level}, {"genre_space_db", genre_shift}}}});
            }
            // Depth: parts meant to sit behind are a little darker.
            if (roles[i] == "backing_vocal" || roles[i] == "pad" || roles[i] == "strings")
                tr.chain.push_back(entry(
                    "track." + tr.name + ".depth",
                    dsp::EqParams{{{dsp::EqBandType::high_shelf, 8000.0, -1.5, 0.7071, 2, true}}},
                    "DEPTH_BEHIND",
                    fmt::format("{} sits behind the lead: 1.5 dB less air above "
                                "8 kHz and more reverb push it back.",
                                tr.name),
                    {}));
        }
        // Group buses: drums get a bus compressor; groups of two or more get a bus.
        std::map<std::string, std::vector<std::size_t>> groups;
        for (std::size_t i = 0; i < in.size(); ++i)
            if (!plan.tracks[i].mute) groups[plan.tracks[i].group].push_back(i);
        for (const auto& [name, members] : groups) {
            if (name.empty() || members.size() < 2) continue;
            Bus bus{name, "group", "mix", 0.0, false, {}, {}};
            if (name == "drums") {
                double power = 0.0;
                for (std::size_t i : members)
                    power += std::pow(
                        10.0, (in[i].features.integrated_lufs + plan.tracks[i].fader_db) / 10.0);
                const double bus_lufs = 10.0 * std::log10(power);
                const auto& bc = intent.genre.drum_bus_compression;
                const double ratio = bc ? std::max(1.5, bc->ratio) : 3.0;
                const double attack = bc && bc->attack_ms > 0 ? bc->attack_ms : 30.0;
                const double release = bc && bc->release_ms > 0 ? bc->release_ms : 120.0;
                bus.chain.push_back(entry(
                    "bus.drums.comp",
                    dsp::CompressorParams{.threshold_db = round2(bus_lufs + 3.0),
                                          .ratio = ratio,
                                          .knee_db = 6.0,
                                          .attack_ms = attack,
                                          .release_ms = release,
                                          .makeup_db = 1.0,
                                          .detector = dsp::DetectorMode::rms,
                                          .rms_window_ms = 10.0},
                    "DRUM_BUS_GLUE",
                    fmt::format(
                        "The kit as one instrument: {:.1f}:1 bus compression with a {:.0f} ms "
                        "attack (the hits pass, the sustain joins up) and {:.0f} ms release.",
                        ratio, attack, release),
                    {{"drum_bus_lufs_estimate", bus_lufs}}));
            }
            plan.buses.push_back(bus);
            for (std::size_t i : members) plan.tracks[i].output_bus = name;
        }
        // Mix bus glue: low ratio, slow attack, aiming at 1-3 dB on the loud parts.
        double power = 0.0;
        for (std::size_t i = 0; i < in.size(); ++i)
            if (!plan.tracks[i].mute && std::isfinite(in[i].features.integrated_lufs))
                power += std::pow(
                    10.0, (in[i].features.integrated_lufs + plan.tracks[i].fader_db) / 10.0);
        const double mix_lufs = 10.0 * std::log10(std::max(power, 1e-12));
        const auto& glue = intent.genre.bus_compression;
        const double ratio = glue.ratio > 1.0 ? glue.ratio : 2.0;
        plan.buses.push_back(
            {"mix",
             "mix",
             "master",
             0.0,
             false,
             {entry(
                 "mixbus.comp",
                 dsp::CompressorParams{.threshold_db = round2(mix_lufs + 2.0),
                                       .ratio = ratio,
                                       .knee_db = 6.0,
                                       .attack_ms = glue.attack_ms > 0 ? glue.attack_ms : 30.0,
                                       .release_ms = glue.release_ms > 0 ? glue.release_ms : 200.0,
                                       .detector = dsp::DetectorMode::rms,
                                       .rms_window_ms = 30.0},
                 "MIX_BUS_GLUE",
                 fmt::format("Mix-bus glue: {:.1f}:1, slow attack, about 1-3 dB on the "
                             "loud passages so the parts move together ({} style).",
                             ratio, intent.genre.name),
                 {{"mix_lufs_estimate", mix_lufs}})},
             {}});
    }
};

}  // namespace

double balance_offset_lu(const std::string& role, const std::string& genre) {
    const auto& j = balance_json();
    if (j.at("genres").contains(genre) && j.at("genres").at(genre).contains(role))
        return j.at("genres").at(genre).at(role).get<double>();
    const auto& d = j.at("default");
    return d.contains(role) ? d.at(role).get<double>() : d.at("other").get<double>();
}

std::vector<std::pair<std::size_t, std::size_t>> candidate_pairs(
    const std::vector<TrackEvidence>& tracks) {
    static const std::set<std::string> multi_mic = {
        "kick", "snare", "toms", "bass", "electric_guitar", "acoustic_guitar", "piano"};
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t a = 0; a < tracks.size(); ++a) {
        if (tracks[a].features.silent || !multi_mic.contains(tracks[a].role.role)) continue;
        for (std::size_t b = a + 1; b < tracks.size(); ++b)
            if (!tracks[b].features.silent && tracks[b].role.role == tracks[a].role.role)
                out.emplace_back(a, b);
    }
    return out;
}

Plan make_mix_plan(const std::vector<TrackEvidence>& tracks, const std::vector<PairEvidence>& pairs,
                   const MixIntent& intent, double sample_rate_hz, std::size_t frames) {
    Plan plan;
    plan.kind = "mix";
    plan.sample_rate_hz = sample_rate_hz;
    plan.frames = frames;
    plan.genre = intent.genre.name;
    plan.tempo_bpm = intent.tempo_bpm;
    plan.sections = intent.sections;
    plan.master.target = intent.target;
    Planner p{tracks, intent, plan, {}};
    for (const auto& t : tracks) p.roles.push_back(t.role.role);

    std::vector<int> delay(tracks.size(), 0);
    std::vector<bool> invert(tracks.size(), false);
    std::vector<analysis::Evidence> why(tracks.size());
    std::vector<std::string> why_text(tracks.size());
    p.align(pairs, delay, invert, why, why_text);
    std::map<std::string, int> per_role;
    for (const auto& t : tracks) ++per_role[t.role.role];
    for (std::size_t i = 0; i < tracks.size(); ++i)
        p.plan_track(i, delay[i], invert[i], why[i], why_text[i], per_role[tracks[i].role.role]);
    for (std::size_t i = 0; i < tracks.size(); ++i)
        if (tracks[i].role.role == "overheads" && !tracks[i].features.silent)
            p.decide(tracks[i].name, "left_alone", "OVERHEADS_NOT_ALIGNED",
                     "Close mics reach the overheads a few ms earlier, as they should from the "
                     "distance: aligning them would change the kit's depth, which is a choice, "
                     "not a fix. Left as recorded.");
    p.balance();
    p.unmask();
    p.pan();
    p.space_and_buses();
    automate_sections(plan, automation_intent_of(tracks));
    return plan;
}

}  // namespace secondear::plan
