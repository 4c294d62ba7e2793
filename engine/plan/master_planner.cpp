#include "plan/master_planner.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plan/eq_fit.hpp"

namespace secondear::plan {
namespace {

constexpr double k_tonal_low_hz = 40.0;
constexpr double k_tonal_high_hz = 16000.0;

double band_at(const std::vector<analysis::SpectrumBand>& s, double hz) {
    for (const auto& b : s)
        if (std::fabs(b.hz - hz) < 1e-6) return b.db;
    return -std::numeric_limits<double>::infinity();
}

/// Desired correction per band (target minus input, both relative), smoothed over +-2/3 octave
/// with triangular weights so that single-band wiggles (a note, a codec) are not chased.
std::vector<std::pair<double, double>> tonal_deviation(
    const std::vector<analysis::SpectrumBand>& input,
    const std::vector<analysis::SpectrumBand>& target, bool fine) {
    const auto in = relative_spectrum(input);
    const auto tg = relative_spectrum(target);
    std::vector<std::pair<double, double>> raw;
    for (const auto& b : in) {
        if (b.hz < k_tonal_low_hz || b.hz > k_tonal_high_hz) continue;
        const double t = band_at(tg, b.hz);
        if (std::isfinite(b.db) && std::isfinite(t)) raw.emplace_back(b.hz, t - b.db);
    }
    std::vector<std::pair<double, double>> smooth;
    // Matching a reference follows it band by band; a genre's broad average is only approached.
    const double weights[] = {fine ? 0.0 : 1.0, fine ? 0.0 : 2.0, 3, fine ? 0.0 : 2.0,
                              fine ? 0.0 : 1.0};
    for (std::size_t i = 0; i < raw.size(); ++i) {
        double sum = 0, wsum = 0;
        for (int k = -2; k <= 2; ++k) {
            const auto j = static_cast<std::ptrdiff_t>(i) + k;
            if (j < 0 || j >= static_cast<std::ptrdiff_t>(raw.size())) continue;
            sum += weights[k + 2] * raw[static_cast<std::size_t>(j)].second;
            wsum += weights[k + 2];
        }
        smooth.emplace_back(raw[i].first, sum / wsum);
    }
    return smooth;
}

std::string eq_summary(const dsp::EqParams& eq) {
    std::string s;
    for (const auto& b : eq.bands)
        s += fmt::format("{}{:+.1f} dB at {:.0f} Hz", s.empty() ? "" : ", ", b.gain_db, b.freq_hz);
    return s;
}

/// Loudness of the loud passages: 90th percentile of short-term loudness (LUFS).
double loud_passage_lufs(const analysis::Analysis& a) {
    std::vector<double> st;
    for (double v : a.loudness.short_term_lufs_per_100ms)
        if (std::isfinite(v) && v > a.loudness.integrated_lufs - 20.0) st.push_back(v);
    if (st.empty()) return a.loudness.integrated_lufs;
    const auto idx = static_cast<std::size_t>(0.9 * static_cast<double>(st.size() - 1));
    std::nth_element(st.begin(), st.begin() + static_cast<std::ptrdiff_t>(idx), st.end());
    return st[idx];
}

}  // namespace

std::vector<analysis::SpectrumBand> relative_spectrum(
    const std::vector<analysis::SpectrumBand>& s) {
    // Mean of band power over 100 Hz-8 kHz as the 0 dB reference.
    double sum = 0.0;
    int n = 0;
    for (const auto& b : s)
        if (b.hz >= 100 && b.hz <= 8000 && std::isfinite(b.db)) {
            sum += std::pow(10.0, b.db / 10.0);
            ++n;
        }
    const double ref_db = n > 0 && sum > 0 ? 10.0 * std::log10(sum / n) : 0.0;
    auto out = s;
    for (auto& b : out) b.db -= ref_db;
    return out;
}

double tonal_distance_db(const std::vector<analysis::SpectrumBand>& a,
                         const std::vector<analysis::SpectrumBand>& b) {
    const auto ra = relative_spectrum(a), rb = relative_spectrum(b);
    double sum = 0.0;
    int n = 0;
    for (const auto& band : ra) {
        if (band.hz < k_tonal_low_hz || band.hz > k_tonal_high_hz) continue;
        const double other = band_at(rb, band.hz);
        if (!std::isfinite(band.db) || !std::isfinite(other)) continue;
        sum += std::fabs(band.db - other);
        ++n;
    }
    return n > 0 ? sum / n : 0.0;
}

Plan make_master_plan(const analysis::Analysis& in, const std::string& input_path,
                      const MasterIntent& intent) {
    Plan plan;
    plan.kind = "master";
    plan.sample_rate_hz = in.sample_rate_hz;
    plan.frames = in.frames;
    Track source;
    source.name = "input";
    source.source_path = input_path;
    source.role = "mix";
    source.role_confidence = 1.0;
    plan.tracks.push_back(source);

    Master& m = plan.master;
    m.target = intent.target;
    m.force = intent.force;
    m.max_limiting_db = intent.max_limiting_db;
    const auto& ref = intent.reference;
    if (ref && ref->loudness && std::isfinite(ref->reference.loudness.integrated_lufs)) {
        const double matched = ref->reference.loudness.integrated_lufs;
        m.target.loudness_lufs += ref->amount * (matched - m.target.loudness_lufs);
        m.target.name = "reference";
    }
    const double sr = in.sample_rate_hz;

    // 1. DC and subsonic energy: a high-pass only where there is something to remove.
    const bool has_dc = in.dc_offset_dbfs > -60.0;
    const bool has_subsonic =
        std::any_of(in.problems.begin(), in.problems.end(),
                    [](const auto& p) { return p.code == "SUBSONIC_ENERGY"; });
    if (has_dc || has_subsonic) {
        dsp::EqParams hp{{dsp::EqBandParams{
            .type = dsp::EqBandType::high_pass, .freq_hz = 25.0, .q = 0.7071, .order = 4}}};
        m.chain.push_back(
            {"master.highpass",
             true,
             false,
             hp,
             {has_dc ? "HIGHPASS_DC_OFFSET" : "HIGHPASS_SUBSONIC",
              has_dc ? fmt::format("DC offset at {:.1f} dBFS: a 25 Hz high-pass removes it and "
                                   "gives the headroom back.",
                                   in.dc_offset_dbfs)
                     : "Strong energy below 30 Hz that speakers cannot play: a 25 Hz high-pass "
                       "removes it so the limiter does not react to it.",
              {{"dc_offset_dbfs", in.dc_offset_dbfs}}}});
    } else {
        plan.decisions.push_back({"master",
                                  "left_alone",
                                  {"HIGHPASS_NOT_NEEDED",
                                   "No DC offset or subsonic rumble worth removing: no high-pass "
                                   "filter, so the low end stays exactly as mixed.",
                                   {{"dc_offset_dbfs", in.dc_offset_dbfs}}}});
    }

    // 2. Tonal balance toward the target curve (or the reference's spectrum).
    const bool match_tone = ref && ref->tone;
    const auto& target_curve =
        match_tone ? ref->reference.spectrum_third_octave : intent.tonal_target;
    if (!target_curve.empty()) {
        auto deviation = tonal_deviation(in.spectrum_third_octave, target_curve, match_tone);
        double worst = 0.0;
        double worst_hz = 0.0;
        for (auto& [hz, d] : deviation) {
            if (std::fabs(d) > std::fabs(worst)) {
                worst = d;
                worst_hz = hz;
            }
            if (match_tone) {
                d *= ref->amount;
            } else {
                // Only the part beyond the genre's normal spread is corrected, so a balanced mix
                // is left alone and mastering twice changes nothing the second time.
                const double excess = std::max(0.0, std::fabs(d) - intent.tonal_tolerance_db);
                d = std::copysign(excess, d);
            }
        }
        // A reference match may boost a band by 12 dB and cut it by 24 dB: a dull or
        // bass-light reference is followed down further than a bright one is followed up,
        // since a cut cannot lift noise or peaks.
        EqFitOptions fit{.max_gain_db = match_tone ? 12.0 : 3.0,
                         .max_cut_db = match_tone ? std::optional<double>(24.0) : std::nullopt,
                         .min_gain_db = 0.25,
                         .fine = match_tone,
                         .sample_rate_hz = sr};
        dsp::EqParams eq = fit_eq_curve(deviation, fit);
        // A correction whose largest band moves less than 1 dB is not worth the phase shift.
        double largest = 0.0;
        for (const auto& b : eq.bands) largest = std::max(largest, std::fabs(b.gain_db));
        if (!match_tone && largest < 1.0) eq.bands.clear();
        const std::string against =
            match_tone ? "the reference " + ref->path : intent.tonal_target_name;
        // What the bounds leave unmatched, said rather than hidden.
        double remainder_db = 0.0;
        double remainder_hz = 0.0;
        for (const auto& [hz, d] : deviation) {
            const double left = d - dsp::Equalizer::response_db(eq, hz, sr);
            if (hz < 0.45 * sr && std::fabs(left) > std::fabs(remainder_db)) {
                remainder_db = left;
                remainder_hz = hz;
            }
        }
        constexpr double k_remainder_worth_saying_db = 3.0;
        const std::string remainder_text =
            match_tone && std::fabs(remainder_db) > k_remainder_worth_saying_db
                ? fmt::format(
                      " The safety bounds (boost at most {:.0f} dB, cut at most {:.0f} dB) "
                      "leave {:+.1f} dB unmatched at {:.0f} Hz.",
                      fit.max_gain_db, *fit.max_cut_db, remainder_db, remainder_hz)
                : "";
        if (!eq.bands.empty()) {
            m.chain.push_back(
                {"master.eq",
                 true,
                 false,
                 eq,
                 {match_tone ? "EQ_MATCH_REFERENCE" : "EQ_TOWARD_TARGET_CURVE",
                  fmt::format("Tonal balance differs from {} by up to {:+.1f} dB (at {:.0f} Hz, "
                              "{}); minimum-phase EQ moves it {}: {}.{}",
                              against, worst, worst_hz,
                              match_tone ? "per 1/3-octave band" : "smoothed over 2/3 octave",
                              match_tone ? fmt::format("{:.0f}% of the way", ref->amount * 100)
                                         : "back inside the genre's normal range",
                              eq_summary(eq), remainder_text),
                  {{"largest_deviation_db", worst},
                   {"largest_deviation_hz", worst_hz},
                   {"remainder_db", remainder_db},
                   {"remainder_hz", remainder_hz},
                   {"tolerance_db", match_tone ? 0.0 : intent.tonal_tolerance_db}}}});
        } else {
            plan.decisions.push_back(
                {"master",
                 "left_alone",
                 {"EQ_BALANCED",
                  fmt::format("Tonal balance is within {:.1f} dB of {} everywhere from 40 Hz to "
                              "16 kHz (largest deviation {:+.1f} dB at {:.0f} Hz): no EQ.",
                              intent.tonal_tolerance_db, against, worst, worst_hz),
                  {{"largest_deviation_db", worst}, {"largest_deviation_hz", worst_hz}}}});
        }
    }

    // 3. Stereo width: matched to a reference when asked; otherwise left as mixed.
    if (ref && ref->width && in.channels == 2 && std::isfinite(ref->reference.side_mid_ratio_db) &&
        std::isfinite(in.side_mid_ratio_db)) {
        const double delta_db =
            ref->amount * (ref->reference.side_mid_ratio_db - in.side_mid_ratio_db);
        // Side/mid energy scales with width squared; bounded to keep mono compatibility.
        const double width = std::clamp(std::pow(10.0, delta_db / 20.0), 0.5, 1.6);
        if (std::fabs(width - 1.0) > 0.03)
            m.chain.push_back(
                {"master.width",
                 true,
                 false,
                 dsp::WidthParams{.width = std::round(width * 100) / 100},
                 {"WIDTH_MATCH_REFERENCE",
                  fmt::format("Side/mid ratio is {:.1f} dB against the reference's "
                              "{:.1f} dB: width set to {:.2f}.",
                              in.side_mid_ratio_db, ref->reference.side_mid_ratio_db, width),
                  {{"side_mid_ratio_db", in.side_mid_ratio_db},
                   {"reference_side_mid_ratio_db", ref->reference.side_mid_ratio_db}}}});
    } else if (in.channels == 2) {
        plan.decisions.push_back(
            {"master",
             "left_alone",
             {"WIDTH_AS_MIXED",
              fmt::format("Stereo image left as mixed (correlation {:+.2f}, side {:.1f} dB below "
                          "mid): width is a mix decision, not a mastering correction.",
                          in.correlation, -in.side_mid_ratio_db),
              {{"correlation", in.correlation}, {"side_mid_ratio_db", in.side_mid_ratio_db}}}});
    }

    // 4. Glue compression when the limiter alone would have to take too much.
    const double target_plr = m.target.ceiling_dbtp - m.target.loudness_lufs;
    const double plr_reduction = in.plr_db - target_plr;
    const double loud_lufs = loud_passage_lufs(in);
    if (plr_reduction > 3.0 && std::isfinite(in.loudness.integrated_lufs)) {
        // Aim at about 1.5 dB of gain reduction on the loud passages: a 1.5:1 ratio reduces by
        // 1/3 of the overshoot, so the threshold sits 4.5 dB under their level (RMS detector).
        const double loud_rms_dbfs = in.rms_dbfs + (loud_lufs - in.loudness.integrated_lufs);
        dsp::CompressorParams glue{.threshold_db = std::round((loud_rms_dbfs - 4.5) * 10) / 10,
                                   .ratio = 1.5,
                                   .knee_db = 6.0,
                                   .attack_ms = 30.0,
                                   .release_ms = 250.0,
                                   .makeup_db = 0.0,
                                   .stereo_link = true,
                                   .detector = dsp::DetectorMode::rms,
                                   .rms_window_ms = 30.0,
                                   .sidechain_high_pass_hz = 90.0};
        m.chain.push_back(
            {"master.glue",
             true,
             false,
             glue,
             {"GLUE_COMPRESSION",
              fmt::format("Peaks sit {:.1f} dB above the loudness, {:.1f} dB more than {} allows: "
                          "a gentle 1.5:1 compressor (slow attack, bass kept out of the detector) "
                          "takes about 1.5 dB on the loud passages so the limiter has less to do.",
                          in.plr_db, plr_reduction, m.target.name),
              {{"plr_db", in.plr_db},
               {"target_plr_db", target_plr},
               {"loud_passage_lufs", loud_lufs}}}});
    } else {
        plan.decisions.push_back(
            {"master",
             "left_alone",
             {"NO_GLUE_NEEDED",
              fmt::format("Peak-to-loudness ratio {:.1f} dB needs at most {:.1f} dB of peak "
                          "control for {}: the limiter handles that alone, so no compressor "
                          "changes the mix's dynamics.",
                          in.plr_db, std::max(0.0, plr_reduction), m.target.name),
              {{"plr_db", in.plr_db}, {"target_plr_db", target_plr}}}});
    }

    // 5. Optional clipper: shaves the fastest peaks so loud targets need less limiting.
    if (intent.clipper)
        m.clipper = ProcessorEntry{
            "master.clipper",
            true,
            false,
            dsp::SaturationParams{.drive_db = 0.0,
                                  .mix = 1.0,
                                  .mode = dsp::SaturationMode::hard_clip,
                                  .ceiling_db = m.target.ceiling_dbtp + 1.5,
                                  .output_db = 0.0},
            {"CLIPPER_FOR_LOUD_TARGET",
             fmt::format("{} asks for {:.0f} LUFS: an oversampled clipper takes the "
                         "sharpest transient peaks first, so the limiter pumps less.",
                         m.target.name, m.target.loudness_lufs),
             {{"target_lufs", m.target.loudness_lufs}}}};

    // 6. True-peak limiter and drive to the target (the drive is found by the renderer).
    m.limiter = dsp::LimiterParams{.ceiling_dbtp = m.target.ceiling_dbtp,
                                   .lookahead_ms = 1.5,
                                   .release_ms = 80.0,
                                   .stereo_link = true};
    if (intent.dither) m.dither = dsp::DitherParams{};
    return plan;
}

}  // namespace secondear::plan
