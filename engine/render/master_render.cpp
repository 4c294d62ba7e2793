#include "render/master_render.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/loudness.hpp"
#include "core/units.hpp"
#include "dsp/dither.hpp"
#include "dsp/limiter.hpp"
#include "io/spill.hpp"
#include "render/chain.hpp"
#include "render/stream.hpp"

namespace secondear::render {
namespace {

constexpr double k_loudness_tolerance_lu = 0.05;  // a measured pass this close needs no step
// The final pass is redone when it lands further than this from the target (the product
// tolerance is 0.5 LU; we aim at 0.1).
constexpr double k_final_tolerance_lu = 0.08;
constexpr int k_max_search_passes = 6;
constexpr double k_bound_tolerance_db = 0.1;
// A clipper cutting deeper than this is heard as distortion, not as transient shaping.
constexpr double k_max_clip_db = 3.0;

/// One pass of the back half (drive -> clipper -> limiter [-> dither]) over the spill file.
struct BackHalf {
    std::vector<plan::ProcessorEntry> entries;  // clipper (optional) and limiter, as entries
    double drive_lin = 1.0;
    std::optional<dsp::DitherParams> dither;
};

struct PassResult {
    double integrated_lufs = 0.0;
    double clip_max_db = 0.0;  // deepest cut of the clipper (0 without one)
    double loud_passage_gr_db = 0.0;
    double max_gr_db = 0.0;
    double mean_gr_db = 0.0;
    std::vector<double> gr_trace;
    std::vector<std::pair<std::string, analysis::Evidence>> stats;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(idx), v.end());
    return v[idx];
}

PassResult run_back_half(BlockSource& spill, const plan::Master& master, double drive_db,
                         double ceiling_trim_db, bool with_dither,
                         const std::function<void(AudioView)>& emit, analysis::Analyzer* after,
                         analysis::LoudnessMeter* meter) {
    const dsp::ProcessSpec spec{spill.sample_rate_hz(), static_cast<int>(k_block_frames),
                                spill.channels()};
    std::vector<plan::ProcessorEntry> entries;
    if (master.clipper) entries.push_back(*master.clipper);
    dsp::LimiterParams lim = master.limiter;
    lim.ceiling_dbtp -= ceiling_trim_db;
    dsp::TruePeakLimiter limiter(lim);
    limiter.prepare(spec);
    Chain pre_limiter(entries, spec);
    std::optional<dsp::TpdfDither> dither;
    if (with_dither && master.dither) {
        dither.emplace();
        dither->set_params(*master.dither);
        dither->prepare(spec);
    }
    const auto gain = static_cast<float>(db_to_gain(drive_db));
    const int latency = pre_limiter.latency_frames() + limiter.latency_frames();
    stream_compensated(
        spill, latency,
        [&](AudioView v) {
            for (int c = 0; c < v.channels(); ++c) {
                float* x = v.channel(c);
                for (std::size_t i = 0; i < v.frames(); ++i) x[i] *= gain;
            }
            pre_limiter.process(v);
            limiter.process(v);
        },
        [&](AudioView v) {
            if (dither) dither->process(v);
            const float* planes[2] = {v.channel(0), v.channels() > 1 ? v.channel(1) : nullptr};
            if (meter) meter->add(planes, v.frames());
            if (after) after->add(planes, v.frames());
            if (emit) emit(v);
        });
    PassResult r;
    r.max_gr_db = limiter.max_gain_reduction_db();
    r.mean_gr_db = limiter.mean_gain_reduction_db();
    r.gr_trace = limiter.gain_reduction_db_per_100ms();
    r.loud_passage_gr_db = percentile(r.gr_trace, 0.95);
    r.stats = pre_limiter.stats();
    for (const auto& [id, ev] : r.stats)
        for (const auto& [k, v] : ev)
            if (k == "max_gain_reduction_db") r.clip_max_db = std::max(r.clip_max_db, v);
    r.stats.push_back({"master.limiter",
                       {{"max_gain_reduction_db", r.max_gr_db},
                        {"mean_gain_reduction_db", r.mean_gr_db},
                        {"loud_passage_gain_reduction_db", r.loud_passage_gr_db}}});
    if (meter) r.integrated_lufs = meter->result().integrated_lufs;
    return r;
}

}  // namespace

MasterRenderResult render_master(BlockSource& source, plan::Plan& plan, MasterOutput& output,
                                 const MasterRenderOptions& options) {
    plan::Master& master = plan.master;
    const double sr = source.sample_rate_hz();
    const int channels = source.channels();
    const dsp::ProcessSpec spec{sr, static_cast<int>(k_block_frames), channels};
    MasterRenderResult result;

    // Pass 1: the chain before the drive, into a spill file; metered.
    const bool longer_than_budget =
        options.source_frames * static_cast<std::size_t>(channels) * sizeof(float) >
        io::SpillFile::k_default_memory_budget_bytes;
    io::SpillFile spill(options.spill_dir, channels, sr,
                        longer_than_budget ? 0 : io::SpillFile::k_default_memory_budget_bytes);
    Chain front(master.chain, spec);
    // The passes before the final one read only loudness (the final pass verifies the peaks).
    analysis::LoudnessMeter pre_meter(sr, channels, analysis::PeakMetering::skipped);
    stream_compensated(
        source, front.latency_frames(), [&](AudioView v) { front.process(v); },
        [&](AudioView v) {
            spill.write(v);
            const float* planes[2] = {v.channel(0), v.channels() > 1 ? v.channel(1) : nullptr};
            pre_meter.add(planes, v.frames());
        });
    result.passes = 1;
    if (options.progress) options.progress(0.3);
    result.pre_limiter_lufs = pre_meter.result().integrated_lufs;
    const auto front_stats = front.stats();
    const double target = master.target.loudness_lufs;

    // Passes 2..n: find the drive (unless a human locked it). One measured pass at the drive the
    // pre-limiter loudness suggests gives the limiter's loudness loss; the next drive is
    // predicted from it (a secant step, slope 1 to start) and checked by the final pass itself,
    // which is repeated only when it lands more than k_final_tolerance_lu off.
    double drive = 0.0;
    const auto measure = [&](double d) {
        analysis::LoudnessMeter meter(sr, channels, analysis::PeakMetering::skipped);
        ++result.passes;
        return run_back_half(spill, master, d, 0.0, false, {}, nullptr, &meter);
    };
    const bool search =
        !(master.drive_locked && master.drive_db) && std::isfinite(result.pre_limiter_lufs);
    // Secant memory: the last two (drive, loudness) points measured.
    double d_prev = 0.0, l_prev = 0.0;
    bool have_prev = false;
    const auto next_drive = [&](double d, double l) {
        double slope = 1.0;
        if (have_prev && std::fabs(d - d_prev) > 1e-6)
            slope = std::clamp((l - l_prev) / (d - d_prev), 0.2, 1.2);
        d_prev = d;
        l_prev = l;
        have_prev = true;
        return d + (target - l) / slope;
    };
    if (!search) {
        drive = master.drive_db ? *master.drive_db : 0.0;
    } else {
        const double d0 = target - result.pre_limiter_lufs;
        PassResult p = measure(d0);
        drive = std::fabs(target - p.integrated_lufs) <= k_loudness_tolerance_lu
                    ? d0
                    : next_drive(d0, p.integrated_lufs);
        result.unbounded_drive_db = drive;
        // The limiting bound, checked on the measured pass: more drive means at least as much
        // more gain reduction, so the prediction is (drive - d0) dB more than measured.
        const auto excess = [&](const PassResult& r, double extra_drive_db) {
            return std::max(r.loud_passage_gr_db + extra_drive_db - master.max_limiting_db,
                            r.clip_max_db + extra_drive_db - k_max_clip_db);
        };
        if (!master.force && excess(p, std::max(0.0, drive - d0)) > k_bound_tolerance_db) {
            if (drive != d0) p = measure(drive);
            for (int i = 0; i < k_max_search_passes && excess(p, 0.0) > k_bound_tolerance_db; ++i) {
                result.stopped_at_limiting_bound = true;
                drive -= excess(p, 0.0);
                p = measure(drive);
            }
        }
    }
    if (options.progress) options.progress(0.8);

    // Final pass, verified: our own true-peak meter must read at or under the ceiling (if not,
    // the ceiling is trimmed by the excess) and, when the drive was searched, the loudness must
    // be within k_final_tolerance_lu of the target (if not, one more secant step).
    for (int attempt = 0; attempt < 4; ++attempt) {
        drive = std::round(drive * 100.0) / 100.0;
        output.begin();
        analysis::Analyzer after(sr, channels);
        PassResult p = run_back_half(
            spill, master, drive, result.ceiling_trim_db, true,
            [&](AudioView v) { output.write(v); }, &after, nullptr);
        ++result.passes;
        result.after = after.finish();
        result.limiter_max_gain_reduction_db = p.max_gr_db;
        result.limiter_mean_gain_reduction_db = p.mean_gr_db;
        result.loud_passage_gain_reduction_db = p.loud_passage_gr_db;
        result.limiter_gain_reduction_db_per_100ms = p.gr_trace;
        result.processor_stats = front_stats;
        result.processor_stats.insert(result.processor_stats.end(), p.stats.begin(), p.stats.end());
        const double over = result.after.loudness.true_peak_dbtp - master.target.ceiling_dbtp;
        const double error = target - result.after.loudness.integrated_lufs;
        if (over > 0.0) {
            result.ceiling_trim_db += over + 0.02;
            continue;
        }
        if (!search || result.stopped_at_limiting_bound || !std::isfinite(error) ||
            std::fabs(error) <= k_final_tolerance_lu)
            break;
        drive = next_drive(drive, result.after.loudness.integrated_lufs);
    }
    master.drive_db = drive;
    result.drive_db = drive;
    if (options.progress) options.progress(1.0);
    return result;
}

}  // namespace secondear::render
