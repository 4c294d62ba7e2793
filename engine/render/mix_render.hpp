#pragma once
// Renders the mix part of a plan: every track through its chain, fader, pan and sends; group
// buses; effect returns; the mix bus. Streams in blocks (memory does not grow with the song)
// through a pipeline of three stages run side by side (the tracks of one block in parallel, the mix
// of the block before, the stems and mix of the block before that written out in parallel), and
// gives bit-identical output for any thread count.
//
// The mix is the sum of what reaches the mix bus: the tracks (after their group buses) and the
// effect returns, through the mix bus compressor, its makeup lane and its width lane. The stems
// decompose it and sum to it within float rounding: a bus compressor's gain is computed from the
// bus sum and applied to each member, and each effect return is shared among the tracks that
// feed it in proportion to their send energy over the last 300 ms, so the shares sum to the
// whole return.
//
// Locality (a section-scoped change stays in its section): the render is causal and every lane
// is exact outside its ramps, so a change of a track's lane in [a, b] leaves the mix and every
// stem bit-identical before a. After b the mix carries on what the processing after the track
// remembers: the tails of the returns its sends feed and the release of the bus compressors; the
// stems also carry the shares of those returns for 300 ms more.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/block_source.hpp"
#include "plan/plan.hpp"

namespace secondear::render {

/// Receives the rendered blocks: one stereo stem per track (in plan order) and the mix.
class MixOutput {
  public:
    virtual ~MixOutput() = default;
    virtual void write_stem(std::size_t track, AudioView block) = 0;
    virtual void write_mix(AudioView block) = 0;
};

struct MixRenderResult {
    analysis::Analysis mix;  // the mix, analysed as it was written
    std::vector<std::pair<std::string, analysis::Evidence>> processor_stats;
    /// Loudness of each printed stem (LUFS), in plan order: balance verification.
    std::vector<double> stem_lufs;
};

struct MixRenderOptions {
    int threads = 0;  // 0 = one per core
    /// False: MixRenderResult::mix is left empty (a render that only measures the stems).
    bool analyze_mix = true;
    std::function<void(double)> progress;
};

/// sources[i] feeds plan.tracks[i] at plan.sample_rate_hz; a source that ends early is padded
/// with silence up to plan.frames.
MixRenderResult render_mix(const plan::Plan& plan,
                           std::vector<std::unique_ptr<BlockSource>>& sources, MixOutput& output,
                           const MixRenderOptions& options = {});

/// Value of an automation lane at time t (linear between points; held before and after).
double lane_value(const plan::AutomationLane& lane, double time_s);

/// True when a point of the lane lies strictly inside (t0_s, t1_s): a render step over that span
/// must follow the lane frame by frame to stay exact outside the ramps.
bool lane_point_inside(const plan::AutomationLane& lane, double t0_s, double t1_s);

}  // namespace secondear::render
