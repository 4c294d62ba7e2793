// The mix renderer on a small synthetic session: stems sum to the mix, a lane change leaves the
// render bit-identical before its ramp (the shares of the returns are causal), and the output
// does not depend on the thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/block_source.hpp"
#include "render/mix_render.hpp"
#include "support/signals.hpp"

namespace secondear::render {
namespace {

constexpr double k_rate_hz = 48000.0;
constexpr double k_seconds = 3.0;

struct Capture final : MixOutput {
    explicit Capture(std::size_t tracks) : stems(tracks, AudioBuffer(2, 0, k_rate_hz)) {}
    void write_stem(std::size_t t, AudioView b) override { append(stems[t], b); }
    void write_mix(AudioView b) override { append(mix, b); }
    static void append(AudioBuffer& a, AudioView v) {
        const std::size_t at = a.frames();
        a.resize_frames(at + v.frames());
        for (int c = 0; c < 2; ++c) std::copy_n(v.channel(c), v.frames(), a.channel(c).data() + at);
    }
    std::vector<AudioBuffer> stems;
    AudioBuffer mix{2, 0, k_rate_hz};
};

/// Three noise tracks; the first two send to a plate; a glue compressor on the mix bus that
/// works on the loud parts.
plan::Plan session() {
    plan::Plan p;
    p.kind = "mix";
    p.sample_rate_hz = k_rate_hz;
    p.frames = static_cast<std::size_t>(k_seconds * k_rate_hz);
    for (const char* name : {"a", "b", "c"}) {
        plan::Track t;
        t.name = name;
        p.tracks.push_back(t);
    }
    for (std::size_t t : {0u, 1u}) {
        plan::Send send;
        send.bus = "plate";
        send.level_db = t == 0 ? -12.0 : -6.0;
        p.tracks[t].sends.push_back(send);
    }
    plan::Bus plate;
    plate.name = "plate";
    plate.kind = "return";
    plan::ProcessorEntry verb;
    verb.id = "bus.plate.reverb";
    verb.params = dsp::ReverbParams{};
    plate.chain.push_back(verb);
    p.buses.push_back(plate);
    plan::Bus mix;
    mix.name = "mix";
    mix.kind = "mix";
    mix.output_bus = "master";
    plan::ProcessorEntry comp;
    comp.id = "mixbus.comp";
    comp.params = dsp::CompressorParams{.threshold_db = -20.0, .ratio = 2.0};
    mix.chain.push_back(comp);
    p.buses.push_back(mix);
    return p;
}

Capture render(const plan::Plan& p, int threads = 2) {
    static const std::vector<AudioBuffer> audio = {
        test::signals::pink_noise(1, k_rate_hz, k_seconds, -20.0),
        test::signals::pink_noise(2, k_rate_hz, k_seconds, -18.0),
        test::signals::pink_noise(3, k_rate_hz, k_seconds, -22.0, 1)};
    std::vector<std::unique_ptr<BlockSource>> sources;
    for (const auto& a : audio) sources.push_back(std::make_unique<BufferSource>(a));
    Capture out(p.tracks.size());
    MixRenderOptions options;
    options.threads = threads;
    render_mix(p, sources, out, options);
    return out;
}

/// The first frame where a and b differ (a.frames() when none).
std::size_t first_difference(const AudioBuffer& a, const AudioBuffer& b) {
    std::size_t first = a.frames();
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < first; ++i)
            if (a.channel(c)[i] != b.channel(c)[i]) first = i;
    return first;
}

TEST(MixLocality, StemsSumToTheMix) {
    const auto out = render(session());
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < out.mix.frames(); ++i) {
            double sum = 0.0;
            for (const auto& s : out.stems) sum += s.channel(c)[i];
            worst = std::max(worst, std::fabs(sum - out.mix.channel(c)[i]));
        }
    // The mix sums the tracks and the whole return; the stems carry shares of the return: the
    // two sums differ by float rounding only (a few ulps of signals under 1.0).
    EXPECT_LE(worst, 1e-6);
}

TEST(MixLocality, ALaneChangeLeavesEverythingBeforeItsRampBitIdentical) {
    const plan::Plan before = session();
    for (std::size_t track : {0u, 2u}) {  // a track that sends, and one that does not
        plan::Plan after = before;
        // +3 dB from 1.2 s, ramped over 0.25 s from 0.95 s (a point inside a render step).
        after.tracks[track].automation.push_back(
            {"gain_db", {{0.95, 0.0}, {1.2, 3.0}, {2.0, 3.0}, {2.25, 0.0}}, {}});
        const auto a = render(before);
        const auto b = render(after);
        const auto ramp_start = static_cast<std::size_t>(0.95 * k_rate_hz);
        // Exact: nothing may change before the ramp starts, in the mix or any stem; the ramp
        // itself changes the audio from its first frame after 0.95 s.
        EXPECT_GE(first_difference(a.mix, b.mix), ramp_start) << track;
        EXPECT_LE(first_difference(a.mix, b.mix), ramp_start + 2) << track;
        for (std::size_t s = 0; s < a.stems.size(); ++s)
            EXPECT_GE(first_difference(a.stems[s], b.stems[s]), ramp_start) << track << " " << s;
    }
}

TEST(MixLocality, ThreadCountDoesNotChangeTheOutput) {
    plan::Plan p = session();
    p.tracks[1].automation.push_back({"send.plate_db", {{1.0, 0.0}, {1.5, 4.0}}, {}});
    const auto one = render(p, 1);
    const auto three = render(p, 3);
    EXPECT_EQ(first_difference(one.mix, three.mix), one.mix.frames());
    for (std::size_t s = 0; s < one.stems.size(); ++s)
        EXPECT_EQ(first_difference(one.stems[s], three.stems[s]), one.mix.frames());
}

}  // namespace
}  // namespace secondear::render
