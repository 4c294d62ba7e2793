#pragma once
// Renders the master part of a plan over a stereo (or mono) source, streaming in blocks:
//  pass 1: source -> master chain (EQ, glue...) -> a spill (pre-limiter; in memory up to a budget,
//          else a temporary file), metered;
//  pass 2..n: spill -> drive -> clipper -> limiter, metered, to find the drive that lands on the
//             target loudness (secant steps; the limiter's loudness loss is measured, not guessed),
//             stopping at the limiting bound unless forced;
//  final: spill -> drive -> clipper -> limiter -> dither -> output, analysed again (verify).
// Output length equals input length, sample-exact: every latency is compensated.

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/block_source.hpp"
#include "plan/plan.hpp"

namespace secondear::render {

/// Where the final pass writes. begin() is called before each final pass (a failed verification
/// starts over), write() with consecutive blocks.
class MasterOutput {
  public:
    virtual ~MasterOutput() = default;
    virtual void begin() = 0;
    virtual void write(AudioView block) = 0;
};

struct MasterRenderResult {
    analysis::Analysis after;
    double drive_db = 0.0;
    double pre_limiter_lufs = 0.0;
    double limiter_max_gain_reduction_db = 0.0;
    double limiter_mean_gain_reduction_db = 0.0;
    double loud_passage_gain_reduction_db = 0.0;  // 95th percentile of the 100 ms trace
    std::vector<double> limiter_gain_reduction_db_per_100ms;
    bool stopped_at_limiting_bound = false;
    double unbounded_drive_db = 0.0;  // what the target would have needed
    int passes = 0;
    double ceiling_trim_db = 0.0;  // extra ceiling margin the verification needed (normally 0)
    std::vector<std::pair<std::string, analysis::Evidence>> processor_stats;
};

struct MasterRenderOptions {
    std::filesystem::path spill_dir;                // temp files go here (same disk as output)
    std::function<void(double fraction)> progress;  // optional
    // The source's length when known (0: unknown). The pre-limiter audio is held in memory up to
    // io::SpillFile's budget; a source known to be longer goes to the spill file from the start
    // (instead of filling the budget first).
    std::size_t source_frames = 0;
};

/// Renders plan.master over source. Writes the drive it found into plan.master.drive_db (unless
/// locked, when the locked value is used as it is).
MasterRenderResult render_master(BlockSource& source, plan::Plan& plan, MasterOutput& output,
                                 const MasterRenderOptions& options = {});

}  // namespace secondear::render
