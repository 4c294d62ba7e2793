#include "render/mix_render.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "analysis/loudness.hpp"
#include "core/errors.hpp"
#include "core/units.hpp"
#include "dsp/compressor.hpp"
#include "dsp/gain.hpp"
#include "render/chain.hpp"
#include "render/parallel.hpp"
#include "render/stream.hpp"
#include "render/width_automation.hpp"

namespace secondear::render {
namespace {

constexpr std::size_t k_block = k_block_frames;
constexpr std::size_t k_ramp_step = 64;  // automation is exact every 64 frames, linear between
// Each return is shared among its feeders by their send energy over the last 300 ms (a box
// window of whole steps, summed afresh at every step so that the shares depend on that window
// only, never on older history).
constexpr double k_share_window_s = 0.3;

using Stereo = std::array<std::vector<float>, 2>;

Stereo stereo_block() {
    return {std::vector<float>(k_block, 0.0f), std::vector<float>(k_block, 0.0f)};
}

AudioView view_of(Stereo& s, std::size_t frames) {
    float* planes[2] = {s[0].data(), s[1].data()};
    return AudioView(planes, 2, frames);
}

/// Fixed delay so that every track comes out with the same total latency.
class AlignDelay {
  public:
    explicit AlignDelay(int frames) : frames_(static_cast<std::size_t>(frames)) {
        for (auto& b : ring_) b.assign(std::max<std::size_t>(frames_, 1), 0.0f);
    }
    void process(AudioView v) {
        if (frames_ == 0) return;
        for (int c = 0; c < 2; ++c) {
            float* x = v.channel(c);
            std::size_t pos = pos_;
            for (std::size_t i = 0; i < v.frames(); ++i) {
                const float out = ring_[static_cast<std::size_t>(c)][pos];
                ring_[static_cast<std::size_t>(c)][pos] = x[i];
                x[i] = out;
                pos = pos + 1 == frames_ ? 0 : pos + 1;
            }
        }
        pos_ = (pos_ + v.frames()) % frames_;
    }

  private:
    std::size_t frames_;
    std::array<std::vector<float>, 2> ring_;
    std::size_t pos_ = 0;
};

/// Multiplies by 10^((base_db + lane(t)) / 20): exact every k_ramp_step frames and linear
/// between, except in a step that holds a point of the lane, which is exact at every frame. So
/// wherever the lane holds a value the gain is exactly that value's, up to the frame where a ramp
/// starts (a ramp never reaches back into the step before it).
void apply_gain(AudioView v, double base_db, const plan::AutomationLane* lane, double start_s,
                double sr) {
    if (!lane || lane->points.empty()) {
        const auto g = static_cast<float>(db_to_gain(base_db));
        if (g == 1.0f) return;
        for (int c = 0; c < v.channels(); ++c)
            for (std::size_t i = 0; i < v.frames(); ++i) v.channel(c)[i] *= g;
        return;
    }
    const auto time_of = [&](std::size_t i) { return start_s + static_cast<double>(i) / sr; };
    for (std::size_t i0 = 0; i0 < v.frames(); i0 += k_ramp_step) {
        const std::size_t n = std::min(k_ramp_step, v.frames() - i0);
        if (lane_point_inside(*lane, time_of(i0), time_of(i0 + n))) {
            for (std::size_t i = 0; i < n; ++i) {
                const auto g =
                    static_cast<float>(db_to_gain(base_db + lane_value(*lane, time_of(i0 + i))));
                for (int c = 0; c < v.channels(); ++c) v.channel(c)[i0 + i] *= g;
            }
            continue;
        }
        const double g0 = db_to_gain(base_db + lane_value(*lane, time_of(i0)));
        const double g1 = db_to_gain(base_db + lane_value(*lane, time_of(i0 + n)));
        const double slope = (g1 - g0) / static_cast<double>(n);
        std::array<float, k_ramp_step> ramp;
        for (std::size_t i = 0; i < n; ++i)
            ramp[i] = static_cast<float>(g0 + slope * static_cast<double>(i));
        for (int c = 0; c < v.channels(); ++c) {
            float* x = v.channel(c) + i0;
            for (std::size_t i = 0; i < n; ++i) x[i] *= ramp[i];
        }
    }
}

const plan::AutomationLane* find_lane(const std::vector<plan::AutomationLane>& lanes,
                                      const std::string& param) {
    for (const auto& l : lanes)
        if (l.param == param) return &l;
    return nullptr;
}

/// What a track hands to the mix for one block.
struct TrackBlock {
    Stereo audio = stereo_block();                 // after chain, alignment, pan and fader
    std::vector<Stereo> sends;                     // per send of the track
    std::vector<std::vector<double>> send_energy;  // per send: energy of each step of the block
};

struct TrackState {
    Chain chain;
    dsp::GainStage fader;  // fader level is applied with automation; this stage pans
    AlignDelay align{0};
    // Two blocks: the mix of one block is summed while the tracks render the next.
    std::array<TrackBlock, 2> blocks;
    bool mono = false;
    bool done = false;
    const plan::AutomationLane* gain_lane = nullptr;
    std::vector<const plan::AutomationLane*> send_lanes;
};

/// A feeder's send energy over the last `steps` ramp steps, in a ring of one slot per step. Its
/// sum is a fixed tree over the slots (chunks of 16 slots in order, then the chunks in order), so
/// it depends on the window's contents only, never on older history (a running sum would carry
/// the rounding of everything that left the window), at an eighth of the cost of adding every
/// slot at every step.
class WindowEnergy {
  public:
    explicit WindowEnergy(std::size_t steps)
        : ring_(steps, 0.0), chunk_sums_((steps + k_chunk - 1) / k_chunk, 0.0) {}
    double sum() const noexcept {
        double total = 0.0;
        for (double s : chunk_sums_) total += s;
        return total;
    }
    void set(std::size_t slot, double energy) noexcept {
        ring_[slot] = energy;
        const std::size_t first = slot / k_chunk * k_chunk;
        const std::size_t last = std::min(first + k_chunk, ring_.size());
        double s = 0.0;
        for (std::size_t i = first; i < last; ++i) s += ring_[i];
        chunk_sums_[slot / k_chunk] = s;
    }

  private:
    static constexpr std::size_t k_chunk = 16;
    std::vector<double> ring_;
    std::vector<double> chunk_sums_;
};

struct BusState {
    std::string name;
    std::string kind;
    std::vector<int> members;                     // track indices (groups)
    std::unique_ptr<dsp::Compressor> compressor;  // groups and the mix bus: gain on members
    Chain chain;                                  // returns: the effect chain
    Stereo buffer = stereo_block();
    std::vector<float> gain;
    double fader_db = 0.0;
    const plan::AutomationLane* gain_lane = nullptr;
    std::vector<std::pair<int, int>> feeders;  // (track, send index)
    std::vector<WindowEnergy> energy_window;   // per feeder: send energy of the last steps
    std::vector<double> share;                 // per feeder, share at the last step's end
};

}  // namespace

double lane_value(const plan::AutomationLane& lane, double t) {
    const auto& p = lane.points;
    if (p.empty()) return 0.0;
    if (t <= p.front().time_s) return p.front().value;
    if (t >= p.back().time_s) return p.back().value;
    const auto it =
        std::upper_bound(p.begin(), p.end(), t,
                         [](double x, const plan::AutomationPoint& a) { return x < a.time_s; });
    const auto& b = *it;
    const auto& a = *(it - 1);
    const double span = b.time_s - a.time_s;
    return span <= 0 ? b.value : a.value + (b.value - a.value) * (t - a.time_s) / span;
}

bool lane_point_inside(const plan::AutomationLane& lane, double t0, double t1) {
    const auto it =
        std::upper_bound(lane.points.begin(), lane.points.end(), t0,
                         [](double x, const plan::AutomationPoint& a) { return x < a.time_s; });
    return it != lane.points.end() && it->time_s < t1;
}

MixRenderResult render_mix(const plan::Plan& plan,
                           std::vector<std::unique_ptr<BlockSource>>& sources, MixOutput& output,
                           const MixRenderOptions& options) {
    const double sr = plan.sample_rate_hz;
    const std::size_t total = plan.frames;
    const std::size_t n_tracks = plan.tracks.size();
    if (sources.size() != n_tracks)
        throw Error(ErrorKind::internal, "render_mix: one source per track is needed");
    const dsp::ProcessSpec spec{sr, static_cast<int>(k_block), 2};

    // Tracks.
    std::vector<TrackState> tracks(n_tracks);
    int max_latency = 0;
    for (std::size_t t = 0; t < n_tracks; ++t) {
        const auto& pt = plan.tracks[t];
        auto& ts = tracks[t];
        ts.mono = sources[t]->channels() == 1;
        ts.chain = Chain(pt.chain, spec);
        max_latency = std::max(max_latency, ts.chain.latency_frames());
        ts.fader.set_params(dsp::GainParams{
            .gain_db = 0.0, .pan = pt.pan, .source_is_mono = ts.mono, .mute = pt.mute});
        ts.fader.prepare(spec);
        ts.gain_lane = find_lane(pt.automation, "gain_db");
        for (const auto& send : pt.sends) {
            for (auto& tb : ts.blocks) {
                tb.sends.push_back(stereo_block());
                tb.send_energy.emplace_back((k_block + k_ramp_step - 1) / k_ramp_step, 0.0);
            }
            ts.send_lanes.push_back(find_lane(pt.automation, "send." + send.bus + "_db"));
        }
    }
    for (std::size_t t = 0; t < n_tracks; ++t)
        tracks[t].align = AlignDelay(max_latency - tracks[t].chain.latency_frames());

    // Buses: groups (gain on members) and returns (effects fed by sends).
    std::vector<BusState> buses(plan.buses.size());
    std::map<std::string, std::size_t> bus_index;
    for (std::size_t b = 0; b < plan.buses.size(); ++b) {
        const auto& pb = plan.buses[b];
        auto& bs = buses[b];
        bs.name = pb.name;
        bs.kind = pb.kind;
        bs.fader_db = pb.fader_db;
        bs.gain_lane = find_lane(pb.automation, "gain_db");
        bus_index[pb.name] = b;
        bs.gain.assign(k_block, 1.0f);
        if (pb.kind == "group") {
            for (const auto& e : pb.chain) {
                if (!e.enabled) continue;
                const auto* cp = std::get_if<dsp::CompressorParams>(&e.params);
                if (!cp)
                    throw Error(ErrorKind::input_invalid,
                                fmt::format("bus '{}': a group bus takes only a compressor ('{}' "
                                            "is {})",
                                            pb.name, e.id, plan::processor_type(e.params)));
                bs.compressor = std::make_unique<dsp::Compressor>();
                auto p = *cp;
                p.stereo_link = true;
                bs.compressor->set_params(p);
                bs.compressor->prepare(spec);
            }
        } else if (pb.kind == "return") {
            bs.chain = Chain(pb.chain, spec);
        }
    }
    for (std::size_t t = 0; t < n_tracks; ++t) {
        const auto& pt = plan.tracks[t];
        if (pt.output_bus != "mix") {
            const auto it = bus_index.find(pt.output_bus);
            if (it == bus_index.end() || buses[it->second].kind != "group")
                throw Error(ErrorKind::input_invalid,
                            fmt::format("track '{}': output bus '{}' is not a group bus", pt.name,
                                        pt.output_bus));
            buses[it->second].members.push_back(static_cast<int>(t));
        }
        for (std::size_t s = 0; s < pt.sends.size(); ++s) {
            const auto it = bus_index.find(pt.sends[s].bus);
            if (it == bus_index.end() || buses[it->second].kind != "return")
                throw Error(ErrorKind::input_invalid,
                            fmt::format("track '{}': send to '{}', which is not a return bus",
                                        pt.name, pt.sends[s].bus));
            buses[it->second].feeders.emplace_back(static_cast<int>(t), static_cast<int>(s));
        }
    }
    const auto window_steps = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::llround(k_share_window_s * sr / static_cast<double>(k_ramp_step))));
    for (auto& bs : buses) {
        bs.energy_window.assign(bs.feeders.size(), WindowEnergy(window_steps));
        bs.share.assign(bs.feeders.size(),
                        bs.feeders.empty() ? 0.0 : 1.0 / static_cast<double>(bs.feeders.size()));
    }
    std::vector<double> window_energy;
    std::array<float, k_ramp_step> share_ramp{};  // a feeder's share over one step

    // The mix bus: its compressor's gain goes onto every stem.
    std::unique_ptr<dsp::Compressor> mix_comp;
    std::vector<float> mix_gain(k_block, 1.0f);
    const plan::Bus* mix_bus = nullptr;
    for (const auto& pb : plan.buses)
        if (pb.kind == "mix") mix_bus = &pb;
    if (mix_bus)
        for (const auto& e : mix_bus->chain)
            if (const auto* cp = std::get_if<dsp::CompressorParams>(&e.params); cp && e.enabled) {
                mix_comp = std::make_unique<dsp::Compressor>();
                auto p = *cp;
                p.stereo_link = true;
                mix_comp->set_params(p);
                mix_comp->prepare(spec);
            }

    // Two of each: the mix of one block is written out while the next block is mixed.
    std::array<std::vector<Stereo>, 2> stem_slots = {std::vector<Stereo>(n_tracks, stereo_block()),
                                                     std::vector<Stereo>(n_tracks, stereo_block())};
    std::array<Stereo, 2> mix_slots = {stereo_block(), stereo_block()};
    MixWidth width(mix_bus ? find_lane(mix_bus->automation, "width") : nullptr, sr);
    const plan::AutomationLane* mix_makeup_lane =
        mix_bus ? find_lane(mix_bus->automation, "makeup_db") : nullptr;
    std::optional<analysis::Analyzer> mix_analyzer;
    if (options.analyze_mix) mix_analyzer.emplace(sr, 2);
    // The stems' loudness only (balance verification never reads their peaks).
    std::vector<analysis::LoudnessMeter> stem_meters;
    for (std::size_t t = 0; t < n_tracks; ++t)
        stem_meters.emplace_back(sr, 2, analysis::PeakMetering::skipped);
    ParallelFor pool(options.threads > 0 ? options.threads : ParallelFor::default_threads());
    for (auto& s : sources) s->rewind();

    // Blocks are cut from the chains' input: `produced` frames pushed so far. The render runs
    // until max_latency frames past the end have been pushed (the chains' common latency is
    // dropped at the start).
    const std::size_t to_push = total + static_cast<std::size_t>(max_latency);
    const auto block_frames = [&](std::size_t produced) {
        return std::min(k_block, to_push - produced);
    };
    // Song time of a block's first frame where the lanes act: after the chains and the alignment
    // delay, i.e. max_latency frames behind what was read from the sources.
    const auto block_start_s = [&](std::size_t produced) {
        return (static_cast<double>(produced) - static_cast<double>(max_latency)) / sr;
    };

    // 1. One track's block: source -> stereo -> chain -> align -> fader/pan -> sends.
    const auto render_track = [&](std::size_t ti, std::size_t produced, TrackBlock& tb) {
        auto& ts = tracks[ti];
        const auto& pt = plan.tracks[ti];
        auto& src = *sources[ti];
        const std::size_t n = block_frames(produced);
        const double start_s = block_start_s(produced);
        std::size_t got = 0;
        if (!ts.done) {
            float* planes[2] = {tb.audio[0].data(), tb.audio[1].data()};
            AudioView v(planes, src.channels(), n);
            while (got < n) {
                const std::size_t r = src.read(v.sub_block(got, n - got));
                if (r == 0) {
                    ts.done = true;
                    break;
                }
                got += r;
            }
        }
        for (auto& ch : tb.audio)
            std::fill(ch.begin() + static_cast<std::ptrdiff_t>(got),
                      ch.begin() + static_cast<std::ptrdiff_t>(n), 0.0f);
        if (ts.mono) std::copy_n(tb.audio[0].data(), n, tb.audio[1].data());
        AudioView v = view_of(tb.audio, n);
        ts.chain.process(v);
        ts.align.process(v);
        ts.fader.process(v);
        apply_gain(v, pt.fader_db, ts.gain_lane, start_s, sr);
        for (std::size_t s = 0; s < pt.sends.size(); ++s) {
            for (int c = 0; c < 2; ++c)
                std::copy_n(tb.audio[static_cast<std::size_t>(c)].data(), n,
                            tb.sends[s][static_cast<std::size_t>(c)].data());
            AudioView sv = view_of(tb.sends[s], n);
            apply_gain(sv, pt.sends[s].level_db, ts.send_lanes[s], start_s, sr);
            for (std::size_t i0 = 0, j = 0; i0 < n; i0 += k_ramp_step, ++j) {
                double e = 0.0;
                for (int c = 0; c < 2; ++c)
                    for (std::size_t i = i0; i < std::min(n, i0 + k_ramp_step); ++i)
                        e += static_cast<double>(sv.channel(c)[i]) * sv.channel(c)[i];
                tb.send_energy[s][j] = e;
            }
        }
    };

    // 2-4. The block's mix from the tracks' blocks in `slot` into the stems and mix of `slot`:
    // groups, returns, mix bus.
    const auto mix_block = [&](std::size_t produced, std::size_t slot) {
        const std::size_t n = block_frames(produced);
        const double start_s = block_start_s(produced);
        auto& stems = stem_slots[slot];
        auto& mix = mix_slots[slot];
        // Stems start as the track outputs.
        for (std::size_t t = 0; t < n_tracks; ++t)
            for (int c = 0; c < 2; ++c)
                std::copy_n(tracks[t].blocks[slot].audio[static_cast<std::size_t>(c)].data(), n,
                            stems[t][static_cast<std::size_t>(c)].data());
        // 2. Group buses: gain from the group sum, onto each member.
        for (auto& bs : buses) {
            if (bs.kind != "group") continue;
            for (auto& ch : bs.buffer) std::fill_n(ch.data(), n, 0.0f);
            for (int m : bs.members)
                for (int c = 0; c < 2; ++c)
                    for (std::size_t i = 0; i < n; ++i)
                        bs.buffer[static_cast<std::size_t>(c)][i] +=
                            stems[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)][i];
            std::fill_n(bs.gain.data(), n, 1.0f);
            if (bs.compressor) bs.compressor->gain_envelope(view_of(bs.buffer, n), bs.gain.data());
            // The bus fader (and its automation) joins the gain.
            std::vector<float> fader(n, 1.0f);
            float* fp[2] = {fader.data(), fader.data()};
            apply_gain(AudioView(fp, 1, n), bs.fader_db, bs.gain_lane, start_s, sr);
            for (std::size_t i = 0; i < n; ++i) bs.gain[i] *= fader[i];
            for (int m : bs.members)
                for (int c = 0; c < 2; ++c)
                    for (std::size_t i = 0; i < n; ++i)
                        stems[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)][i] *=
                            bs.gain[i];
        }
        // The mix is the sum of what reaches the mix bus: the tracks (after their groups) and the
        // returns. The stems decompose it; they sum to it within float rounding.
        for (auto& ch : mix) std::fill_n(ch.data(), n, 0.0f);
        for (std::size_t t = 0; t < n_tracks; ++t)
            for (int c = 0; c < 2; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    mix[static_cast<std::size_t>(c)][i] += stems[t][static_cast<std::size_t>(c)][i];
        // 3. Returns: the sends' sum through the effect, into the mix, and shared back to the
        // feeding tracks. The share of a step interpolates between the shares measured on the
        // windows ending at the step's start and at the step before: causal, so a change of a
        // send moves the shares only after it has happened.
        for (auto& bs : buses) {
            if (bs.kind != "return") continue;
            for (auto& ch : bs.buffer) std::fill_n(ch.data(), n, 0.0f);
            for (const auto& [t, s] : bs.feeders)
                for (int c = 0; c < 2; ++c)
                    for (std::size_t i = 0; i < n; ++i)
                        bs.buffer[static_cast<std::size_t>(c)][i] +=
                            tracks[static_cast<std::size_t>(t)]
                                .blocks[slot]
                                .sends[static_cast<std::size_t>(s)][static_cast<std::size_t>(c)][i];
            AudioView rv = view_of(bs.buffer, n);
            bs.chain.process(rv);
            apply_gain(rv, bs.fader_db, bs.gain_lane, start_s, sr);
            for (int c = 0; c < 2; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    mix[static_cast<std::size_t>(c)][i] +=
                        bs.buffer[static_cast<std::size_t>(c)][i];
            window_energy.assign(bs.feeders.size(), 0.0);
            for (std::size_t i0 = 0, j = 0; i0 < n; i0 += k_ramp_step, ++j) {
                const std::size_t m = std::min(k_ramp_step, n - i0);
                const std::size_t step_slot = ((produced + i0) / k_ramp_step) % window_steps;
                double window_total = 0.0;
                for (std::size_t f = 0; f < bs.feeders.size(); ++f) {
                    window_energy[f] = bs.energy_window[f].sum();
                    window_total += window_energy[f];
                }
                for (std::size_t f = 0; f < bs.feeders.size(); ++f) {
                    const auto [t, s] = bs.feeders[f];
                    const double before = bs.share[f];
                    const double now =
                        window_total > 0.0 ? window_energy[f] / window_total : before;
                    // A feeder that sent nothing in the window gets nothing (adding zeros
                    // would leave the stem as it is).
                    if (before != 0.0 || now != 0.0) {
                        const double slope = (now - before) / static_cast<double>(m);
                        for (std::size_t i = 0; i < m; ++i)
                            share_ramp[i] =
                                static_cast<float>(before + slope * static_cast<double>(i + 1));
                        for (std::size_t c = 0; c < 2; ++c) {
                            float* stem = stems[static_cast<std::size_t>(t)][c].data() + i0;
                            const float* ret = bs.buffer[c].data() + i0;
                            for (std::size_t i = 0; i < m; ++i) stem[i] += share_ramp[i] * ret[i];
                        }
                    }
                    bs.share[f] = now;
                    bs.energy_window[f].set(step_slot,
                                            tracks[static_cast<std::size_t>(t)]
                                                .blocks[slot]
                                                .send_energy[static_cast<std::size_t>(s)][j]);
                }
            }
        }
        // 4. The mix bus compressor's gain from the mix, and the mix bus makeup lane after it,
        // onto every stem and the mix.
        const bool makeup_lane = mix_makeup_lane != nullptr && !mix_makeup_lane->points.empty();
        if (mix_comp || makeup_lane) {
            std::fill_n(mix_gain.data(), n, 1.0f);
            if (mix_comp) mix_comp->gain_envelope(view_of(mix, n), mix_gain.data());
            if (makeup_lane) {
                float* gp[1] = {mix_gain.data()};
                apply_gain(AudioView(gp, 1, n), 0.0, mix_makeup_lane, start_s, sr);
            }
            for (std::size_t t = 0; t < n_tracks; ++t)
                for (int c = 0; c < 2; ++c)
                    for (std::size_t i = 0; i < n; ++i)
                        stems[t][static_cast<std::size_t>(c)][i] *= mix_gain[i];
            for (int c = 0; c < 2; ++c)
                for (std::size_t i = 0; i < n; ++i)
                    mix[static_cast<std::size_t>(c)][i] *= mix_gain[i];
        }
        // 4b. The mix bus width lane, on every stem and the mix (M/S is linear: the stems still
        // sum to the mix).
        if (width.active()) {
            std::vector<AudioView> stem_views;
            for (auto& s : stems) stem_views.push_back(view_of(s, n));
            width.process(start_s, stem_views, view_of(mix, n));
        }
    };

    // 5. Out: one stem (t < n_tracks) or the mix (t == n_tracks) of the block in `slot`, written
    // and measured, without the chains' common latency (the first max_latency frames pushed).
    const auto out_block = [&](std::size_t produced, std::size_t slot, std::size_t t) {
        const std::size_t n = block_frames(produced);
        const auto latency = static_cast<std::size_t>(max_latency);
        const std::size_t skip = produced >= latency ? 0 : std::min(latency - produced, n);
        const std::size_t emitted = produced > latency ? produced - latency : 0;
        const std::size_t out_n = std::min(n - skip, total - emitted);
        if (out_n == 0) return;
        const float* planes[2];
        if (t < n_tracks) {
            AudioView sv = view_of(stem_slots[slot][t], n).sub_block(skip, out_n);
            output.write_stem(t, sv);
            planes[0] = sv.channel(0);
            planes[1] = sv.channel(1);
            stem_meters[t].add(planes, out_n);
        } else {
            AudioView mv = view_of(mix_slots[slot], n).sub_block(skip, out_n);
            output.write_mix(mv);
            planes[0] = mv.channel(0);
            planes[1] = mv.channel(1);
            if (mix_analyzer) mix_analyzer->add(planes, out_n);
        }
    };

    // A pipeline of three stages over the blocks: each round writes out block k - 1 (one job per
    // stem and one for the mix), mixes block k (one job) and renders the tracks of block k + 1
    // (one job per track), each stage on its own slot of two. The mix job comes first: it is the
    // longest chain of work that cannot be split. Every job reads and writes the same data
    // whatever thread runs it, so the output does not depend on the thread count. Jobs may throw
    // (a full disk): the first error is kept and rethrown after the round.
    std::vector<std::size_t> starts;  // produced frames at each block's start
    for (std::size_t produced = 0; produced < to_push; produced += block_frames(produced))
        starts.push_back(produced);
    const std::size_t blocks = starts.size();
    std::mutex error_mutex;
    std::exception_ptr error;
    for (std::size_t k = 0; k <= blocks + 1; ++k) {
        // Round k: out of block k - 2, mix of block k - 1, tracks of block k.
        const bool out = k >= 2 && k - 2 < blocks;
        const bool mixes = k >= 1 && k - 1 < blocks;
        const bool renders = k < blocks;
        const int mix_jobs = mixes ? 1 : 0;
        const int out_jobs = out ? static_cast<int>(n_tracks) + 1 : 0;
        const int track_jobs = renders ? static_cast<int>(n_tracks) : 0;
        pool.run(mix_jobs + out_jobs + track_jobs, [&](int job) {
            try {
                if (job < mix_jobs) {
                    mix_block(starts[k - 1], (k - 1) % 2);
                } else if (job < mix_jobs + out_jobs) {
                    out_block(starts[k - 2], (k - 2) % 2, static_cast<std::size_t>(job - mix_jobs));
                } else {
                    const auto ti = static_cast<std::size_t>(job - mix_jobs - out_jobs);
                    render_track(ti, starts[k], tracks[ti].blocks[k % 2]);
                }
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        });
        if (error) std::rethrow_exception(error);
        if (options.progress && out) {
            const std::size_t end = k - 1 < blocks ? starts[k - 1] : to_push;
            const std::size_t written = end > static_cast<std::size_t>(max_latency)
                                            ? end - static_cast<std::size_t>(max_latency)
                                            : 0;
            options.progress(static_cast<double>(written) / static_cast<double>(total));
        }
    }

    MixRenderResult result;
    if (mix_analyzer) result.mix = mix_analyzer->finish();
    for (std::size_t t = 0; t < n_tracks; ++t) {
        result.stem_lufs.push_back(stem_meters[t].result().integrated_lufs);
        for (auto& st : tracks[t].chain.stats()) result.processor_stats.push_back(st);
    }
    for (const auto& bs : buses)
        if (bs.compressor)
            result.processor_stats.push_back(
                {"bus." + bs.name + ".comp",
                 {{"max_gain_reduction_db", bs.compressor->max_gain_reduction_db()},
                  {"mean_gain_reduction_db", bs.compressor->mean_gain_reduction_db()}}});
    if (mix_comp)
        result.processor_stats.push_back(
            {"mixbus.comp",
             {{"max_gain_reduction_db", mix_comp->max_gain_reduction_db()},
              {"mean_gain_reduction_db", mix_comp->mean_gain_reduction_db()}}});
    return result;
}

}  // namespace secondear::render
