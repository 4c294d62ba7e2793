#include "dsp/compressor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "support/dsp_measure.hpp"
#include "support/signals.hpp"

namespace secondear::dsp {
namespace {

namespace m = test::dsp_measure;
namespace sig = test::signals;

constexpr double k_sample_rates_hz[] = {44100.0, 48000.0, 96000.0};

CompressorParams hard_knee() {
    CompressorParams p;
    p.threshold_db = -20.0;
    p.ratio = 4.0;
    p.knee_db = 0.0;
    p.attack_ms = 10.0;
    p.release_ms = 100.0;
    return p;
}

AudioBuffer run(const CompressorParams& p, const AudioBuffer& x, std::size_t block = 0) {
    Compressor c;
    c.set_params(p);
    return m::render_blocks(c, x, block);
}

// DC at level_a for seconds_a, then at level_b: |x| is constant in each part, so the peak
// detector reads the level exactly and the gain's trajectory is the smoother's alone.
AudioBuffer dc_step(double sr, double seconds_a, double level_a_dbfs, double seconds_b,
                    double level_b_dbfs) {
    const auto a = m::dc(sr, static_cast<std::size_t>(seconds_a * sr), db_to_gain(level_a_dbfs));
    const auto b = m::dc(sr, static_cast<std::size_t>(seconds_b * sr), db_to_gain(level_b_dbfs));
    return sig::concat(a, b);
}

double gain_db_at(const AudioBuffer& x, const AudioBuffer& y, std::size_t i) {
    return gain_to_db(std::abs(static_cast<double>(y.channel(0)[i]) / x.channel(0)[i]));
}

TEST(Compressor, GainComputerRegions) {
    CompressorParams p;
    p.threshold_db = -18.0;
    p.ratio = 3.0;
    p.knee_db = 6.0;
    // Below threshold - knee / 2 the gain is exactly 0 dB.
    EXPECT_EQ(Compressor::gain_computer_db(p, -21.0), 0.0);
    EXPECT_EQ(Compressor::gain_computer_db(p, -60.0), 0.0);
    // Far above, the output level rises 1/ratio dB per input dB (1e-12: double arithmetic).
    const double x1 = -10.0, x2 = 0.0;
    const double slope =
        ((x2 + Compressor::gain_computer_db(p, x2)) - (x1 + Compressor::gain_computer_db(p, x1))) /
        (x2 - x1);
    EXPECT_NEAR(slope, 1.0 / 3.0, 1e-12);
    // The knee joins both lines continuously (1e-12) and is (1/R - 1) W / 8 at the threshold.
    EXPECT_NEAR(Compressor::gain_computer_db(p, -15.0), (1.0 / 3.0 - 1.0) * 3.0, 1e-12);
    EXPECT_NEAR(Compressor::gain_computer_db(p, -18.0), (1.0 / 3.0 - 1.0) * 6.0 / 8.0, 1e-12);
    // Makeup and mix enter the processor's static gain, never above makeup.
    p.makeup_db = 4.0;
    p.mix = 0.5;
    for (double level = -80.0; level <= 0.0; level += 1.0)
        EXPECT_LE(Compressor::static_gain_db(p, level), 4.0 + 1e-12);
}

TEST(Compressor, SteadyGainMatchesStaticCurveOnSquareWaves) {
    for (const DetectorMode mode : {DetectorMode::peak, DetectorMode::rms})
        for (double level : {-40.0, -22.0, -18.0, -12.0, -3.0}) {
            CompressorParams p;
            p.threshold_db = -18.0;
            p.ratio = 3.0;
            p.knee_db = 6.0;
            p.makeup_db = 2.0;
            p.detector = mode;
            const double sr = 48000.0;
            // A square's |x| and mean square are constant, so both detectors read `level`.
            const auto x = m::square(100.0, sr, 48000, level);
            const auto y = run(p, x);
            // 0.01 dB: after 0.5 s (50 attack / 5 release constants) the smoother has settled.
            EXPECT_NEAR(m::rms_db(y, 24000, 48000) - m::rms_db(x, 24000, 48000),
                        Compressor::static_gain_db(p, level), 0.01)
                << level << " dBFS";
        }
}

TEST(Compressor, BelowThresholdAndNeutralSettingsAreBitExactIdentity) {
    const double sr = 48000.0;
    CompressorParams p;  // threshold -18, knee 6: nothing happens below -21 dBFS peak
    const auto quiet = sig::white_noise(1, sr, 0.3, -21.5);
    EXPECT_EQ(run(p, quiet), quiet);

    const auto loud = sig::white_noise(2, sr, 0.3, 0.0);
    CompressorParams ratio_one = p;
    ratio_one.ratio = 1.0;
    EXPECT_EQ(run(ratio_one, loud), loud);
    CompressorParams dry = p;
    dry.mix = 0.0;
    EXPECT_EQ(run(dry, loud), loud);
}

TEST(Compressor, AttackAndReleaseAreOneOverETimeConstants) {
    for (double sr : k_sample_rates_hz) {
        SCOPED_TRACE(sr);
        const CompressorParams p = hard_knee();
        // -40 dBFS (no reduction) for 0.2 s, -6 dBFS for 0.5 s, -40 dBFS for 0.8 s.
        const auto up = dc_step(sr, 0.2, -40.0, 0.5, -6.0);
        const auto x = sig::concat(up, m::dc(sr, static_cast<std::size_t>(0.8 * sr), 0.01));
        const auto y = run(p, x);
        const double full_db = Compressor::gain_computer_db(p, -6.0);  // -10.5 dB
        const auto step_up = static_cast<std::size_t>(0.2 * sr);
        const auto step_down = up.frames();
        std::size_t i = step_up;
        while (gain_db_at(x, y, i) > (1.0 - 1.0 / std::exp(1.0)) * full_db) ++i;
        const double attack_ms = 1000.0 * static_cast<double>(i - step_up) / sr;
        // +-10% (ours): in fact exact to one frame, as the smoother is an exact one-pole.
        EXPECT_NEAR(attack_ms, p.attack_ms, 0.1 * p.attack_ms);
        i = step_down;
        while (gain_db_at(x, y, i) < full_db / std::exp(1.0)) ++i;
        const double release_ms = 1000.0 * static_cast<double>(i - step_down) / sr;
        EXPECT_NEAR(release_ms, p.release_ms, 0.1 * p.release_ms);
    }
}

TEST(Compressor, StereoLinkGivesIdenticalGainOnBothChannels) {
    const double sr = 48000.0;
    AudioBuffer x = sig::white_noise(3, sr, 0.5, -2.0);
    for (float& s : x.channel(1)) s *= 0.05f;  // right channel 26 dB quieter
    CompressorParams p = hard_knee();
    p.makeup_db = 3.0;
    const auto y = run(p, x);
    double worst = 0.0;
    for (std::size_t i = 0; i < x.frames(); ++i) {
        if (x.channel(0)[i] == 0.0f || x.channel(1)[i] == 0.0f) continue;
        const double gl = static_cast<double>(y.channel(0)[i]) / x.channel(0)[i];
        const double gr = static_cast<double>(y.channel(1)[i]) / x.channel(1)[i];
        worst = std::max(worst, std::abs(gl - gr) / gl);
    }
    // 2e-7: the same double gain, each output rounded once to float (half an ulp each, plus the
    // rounding of tiny inputs' ratios).
    EXPECT_LT(worst, 2e-7);

    // Unlinked, the quiet channel (peak -28 dBFS) stays below the threshold and is untouched.
    p.stereo_link = false;
    p.makeup_db = 0.0;
    const auto u = run(p, x);
    for (std::size_t i = 0; i < x.frames(); ++i) ASSERT_EQ(u.channel(1)[i], x.channel(1)[i]);
}

TEST(Compressor, NeverAddsGainBeyondMakeup) {
    const double sr = 48000.0;
    const auto x = sig::concat(
        sig::white_noise(4, sr, 0.3, -30.0),
        sig::concat(sig::white_noise(5, sr, 0.3, 0.0), sig::white_noise(6, sr, 0.3, -15.0)));
    for (double mix : {1.0, 0.5}) {
        CompressorParams p = hard_knee();
        p.makeup_db = 3.0;
        p.mix = mix;
        p.attack_ms = 0.5;
        p.release_ms = 20.0;
        const auto y = run(p, x);
        const double limit = db_to_gain(3.0) * (1.0 + 1e-7);  // 1e-7: float rounding of y
        for (int c = 0; c < 2; ++c)
            for (std::size_t i = 0; i < x.frames(); ++i)
                ASSERT_LE(std::abs(y.channel(c)[i]), limit * std::abs(x.channel(c)[i]) + 1e-30);
    }
}

TEST(Compressor, SidechainHighPassIgnoresLowFrequencies) {
    const double sr = 48000.0;
    const auto x = sig::sine(50.0, sr, 0.5, -6.0);
    CompressorParams p = hard_knee();
    Compressor plain;
    plain.set_params(p);
    m::render_blocks(plain, x);
    p.sidechain_high_pass_hz = 400.0;  // 50 Hz is 3 octaves below: about -36 dB in the sidechain
    Compressor filtered;
    filtered.set_params(p);
    const auto y = m::render_blocks(filtered, x);
    EXPECT_GT(plain.max_gain_reduction_db(), 8.0);  // sine peaks at -6 dBFS: up to 10.5 dB
    EXPECT_EQ(filtered.max_gain_reduction_db(), 0.0);
    EXPECT_EQ(y, x);
}

TEST(Compressor, GainReductionStatisticsIgnoreSilence) {
    const double sr = 48000.0;
    const CompressorParams p = hard_knee();
    const auto tone = m::square(100.0, sr, 24000, -6.0);
    Compressor a;
    a.set_params(p);
    m::render_blocks(a, tone);
    Compressor b;
    b.set_params(p);
    m::render_blocks(b, sig::concat(sig::silence(sr, 1.0), tone));
    // 1e-6 dB: steady square, the smoother ends within e^-50 of its target.
    EXPECT_NEAR(a.max_gain_reduction_db(), 10.5, 1e-6);
    EXPECT_GT(a.mean_gain_reduction_db(), 9.5);  // the 10 ms attack costs ~0.2 dB of 0.5 s
    EXPECT_LT(a.mean_gain_reduction_db(), 10.5);
    // Silence before the tone adds frames but no active ones: same statistics.
    EXPECT_DOUBLE_EQ(b.mean_gain_reduction_db(), a.mean_gain_reduction_db());
    EXPECT_DOUBLE_EQ(b.max_gain_reduction_db(), a.max_gain_reduction_db());
}

TEST(Compressor, BlockSizeInvarianceResetAndFiniteOnHardSignals) {
    const double sr = 48000.0;
    CompressorParams p;
    p.detector = DetectorMode::rms;
    p.sidechain_high_pass_hz = 80.0;
    p.stereo_link = false;
    p.mix = 0.7;
    p.makeup_db = 4.0;
    const auto x = sig::white_noise(7, sr, 0.25, 0.0);
    const auto whole = run(p, x);
    for (std::size_t block : {1u, 7u, 64u, 512u}) EXPECT_EQ(run(p, x, block), whole) << block;

    Compressor c;
    c.set_params(p);
    c.prepare({sr, static_cast<int>(x.frames()), 2});
    AudioBuffer first = x;
    c.process(AudioView(first));
    c.reset();
    AudioBuffer second = x;
    c.process(AudioView(second));
    EXPECT_EQ(first, second);

    const std::size_t n = 24000;
    for (const auto& hard :
         {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(40.0, sr, n, 0.0), sig::silence(sr, 0.5)})
        EXPECT_TRUE(m::all_finite(run(p, hard)));
}

// The gain path runs in chunks of 256 frames, a chunk's smoother in the loop over the next chunk's
// detectors: blocks that end before, on and after a chunk boundary must give the same samples
// and the same gain envelope (bit for bit: every recursion sees the same operations in order).
TEST(Compressor, LinkedOutputAndEnvelopeIndependentOfChunkBoundaries) {
    const double sr = 44100.0;
    CompressorParams p;
    p.detector = DetectorMode::rms;
    p.sidechain_high_pass_hz = 90.0;
    p.threshold_db = -24.0;
    p.ratio = 3.0;
    const auto x = sig::white_noise(11, sr, 0.1, 0.0);
    const auto whole = run(p, x);
    const auto envelope = [&](std::size_t block) {
        Compressor c;
        c.set_params(p);
        c.prepare({sr, static_cast<int>(x.frames()), 2});
        AudioBuffer in = x;
        std::vector<float> gain(x.frames());
        for (std::size_t s = 0; s < x.frames(); s += block) {
            const std::size_t n = std::min(block, x.frames() - s);
            c.gain_envelope(AudioView(in, s, n), gain.data() + s);
        }
        return gain;
    };
    const auto whole_envelope = envelope(x.frames());
    for (std::size_t block : {1u, 255u, 256u, 257u, 513u}) {
        EXPECT_EQ(run(p, x, block), whole) << block;
        EXPECT_EQ(envelope(block), whole_envelope) << block;
    }
}

TEST(Compressor, ValidationRejectsOutOfRangeValues) {
    const auto throws = [](auto mutate) {
        return m::rejects<Compressor, CompressorParams>(mutate);
    };
    EXPECT_FALSE(throws([](CompressorParams&) {}));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.ratio = 0.5; }));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.knee_db = -1.0; }));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.mix = 1.5; }));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.attack_ms = -1.0; }));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.sidechain_high_pass_hz = 30000.0; }));
    EXPECT_TRUE(throws([](CompressorParams& p) { p.threshold_db = 3.0; }));
}

}  // namespace
}  // namespace secondear::dsp
