// A section-scoped request changes the printed audio only around its section (issue 6): outside
// [section start - ramp, section end + the tail of the returns the request's track feeds], mix.wav
// and the stems are byte-identical to the render before the request.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "io/decode.hpp"
#include "pipeline.hpp"
#include "pipeline_revise.hpp"
#include "render/chain.hpp"
#include "render/stream.hpp"
#include "support/demo_project.hpp"
#include "support/paths.hpp"

namespace secondear::pipeline {
namespace {

namespace fs = std::filesystem;

using Spans = std::vector<std::pair<std::size_t, std::size_t>>;  // frames [from, to)

/// Frames that differ between a and b outside the spans; prints the first and last difference.
std::size_t differing_outside(const char* what, const AudioBuffer& a, const AudioBuffer& b,
                              const Spans& spans) {
    std::size_t count = 0, first = a.frames(), last = 0;
    for (int c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < a.frames(); ++i) {
            if (a.channel(c)[i] == b.channel(c)[i]) continue;
            first = std::min(first, i);
            last = std::max(last, i);
            const bool inside = std::any_of(spans.begin(), spans.end(), [&](const auto& s) {
                return i >= s.first && i < s.second;
            });
            count += !inside;
        }
    const double sr = a.sample_rate_hz();
    std::printf("%-16s changed from %.3f s to %.3f s; %zu samples outside the spans\n", what,
                static_cast<double>(first) / sr, static_cast<double>(last) / sr, count);
    return count;
}

/// The longest tail (s) of the returns that the track feeds.
double tail_of_returns_fed_by(const plan::Plan& p, const plan::Track& t) {
    const dsp::ProcessSpec spec{p.sample_rate_hz, static_cast<int>(render::k_block_frames), 2};
    double tail_s = 0.0;
    for (const auto& send : t.sends)
        for (const auto& b : p.buses)
            if (b.name == send.bus)
                tail_s =
                    std::max(tail_s, render::Chain(b.chain, spec).tail_frames() / p.sample_rate_hz);
    return tail_s;
}

TEST(ScopedRequest, ChorusLeadLouderIsByteIdenticalOutsideTheChorusAndItsTails) {
    const fs::path project = test::mixed_demo_project(test::scratch_dir());
    ReviseJob job;
    job.project = project;
    job.text = "the lead vocal louder in the chorus";
    const auto out = revise(job);
    ASSERT_EQ(out.status, intent::Status::applied);
    const plan::Plan p = load_revision_plan(project, out.revision);
    const auto choruses = plan::section_ranges(p, {"chorus", 0, {}, {}});
    ASSERT_EQ(choruses.size(), 2u);
    const double sr = p.sample_rate_hz;
    const double ramp_s = 60.0 / p.tempo_bpm;
    const auto lead = std::find_if(p.tracks.begin(), p.tracks.end(),
                                   [](const plan::Track& t) { return t.name == "lead_vocal"; });
    ASSERT_NE(lead, p.tracks.end());
    // The lead's sends are post-fader: its louder chorus goes into the plate and the delay, whose
    // tails legitimately carry on after the chorus.
    const double tail_s = tail_of_returns_fed_by(p, *lead);
    Spans spans;
    for (const auto& [start_s, end_s] : choruses)
        spans.emplace_back(static_cast<std::size_t>((start_s - ramp_s) * sr),
                           static_cast<std::size_t>((end_s + tail_s) * sr) + 1);
    std::printf("ramp %.3f s, tail %.3f s; choruses %.3f-%.3f s and %.3f-%.3f s\n", ramp_s, tail_s,
                choruses[0].first, choruses[0].second, choruses[1].first, choruses[1].second);
    const fs::path rev = project / "revisions" / out.revision;
    EXPECT_EQ(differing_outside("mix", io::decode(project / "mix.wav").audio,
                                io::decode(rev / "mix.wav").audio, spans),
              0u);
    for (const auto& t : p.tracks) {
        const auto name = fs::path(t.source_path).stem().string() + ".wav";
        EXPECT_EQ(differing_outside(t.name.c_str(), io::decode(project / "stems" / name).audio,
                                    io::decode(rev / "stems" / name).audio, spans),
                  0u)
            << t.name;
    }
}

}  // namespace
}  // namespace secondear::pipeline
