#include "dsp/envelope.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "support/dsp_measure.hpp"
#include "support/signals.hpp"

namespace secondear::dsp {
namespace {

namespace m = test::dsp_measure;
namespace sig = test::signals;

constexpr double k_sample_rates_hz[] = {44100.0, 48000.0, 96000.0};

// Points on whole milliseconds' multiples of 50 ms: whole frames at every tested rate.
GainEnvelopeParams ride() {
    return {{{0.05, 0.0}, {0.25, -12.0}, {0.5, -12.0}, {0.75, 6.0}, {0.9, -3.0}}};
}

AudioBuffer run(const GainEnvelopeParams& p, const AudioBuffer& x, std::size_t block = 0) {
    GainEnvelope e;
    e.set_params(p);
    return m::render_blocks(e, x, block);
}

TEST(GainEnvelope, NoPointsOrFlatZeroIsBitExactIdentity) {
    const auto x = sig::white_noise(1, 48000.0, 0.2, 0.0);
    EXPECT_EQ(run({}, x), x);
    EXPECT_EQ(run({{{0.0, 0.0}, {0.1, 0.0}}}, x), x);
}

TEST(GainEnvelope, HitsItsPointsExactlyAndFollowsLinearInDb) {
    for (double sr : k_sample_rates_hz) {
        SCOPED_TRACE(sr);
        const auto p = ride();
        const auto x = m::dc(sr, static_cast<std::size_t>(1.0 * sr), 0.5, 1);
        const auto y = run(p, x);
        for (const GainPoint& pt : p.points) {
            const auto frame = static_cast<std::size_t>(std::llround(pt.time_s * sr));
            // Exact: the gain at a point is computed directly from its gain_db, not accumulated.
            EXPECT_EQ(y.channel(0)[frame], static_cast<float>(0.5 * db_to_gain(pt.gain_db)))
                << pt.time_s;
        }
        double worst = 0.0;
        double max_step_db = 0.0;
        double previous_db = 0.0;
        for (std::size_t i = 0; i < x.frames(); ++i) {
            const double got_db = gain_to_db(y.channel(0)[i] / 0.5);
            const double want_db = GainEnvelope::gain_db_at(p, static_cast<double>(i) / sr);
            worst = std::max(worst, std::abs(got_db - want_db));
            if (i > 0) max_step_db = std::max(max_step_db, std::abs(got_db - previous_db));
            previous_db = got_db;
        }
        // 1e-5 dB: float output rounding is 5e-7 dB; the geometric stepping drifts far less.
        EXPECT_LT(worst, 1e-5);
        // Continuous: no frame-to-frame jump beyond the steepest segment's slope (18 dB in
        // 0.25 s) plus rounding.
        EXPECT_LT(max_step_db, 18.0 / (0.25 * sr) + 1e-5);
    }
}

TEST(GainEnvelope, HoldsOutsideThePointsAndStepsOnEqualTimes) {
    const GainEnvelopeParams p{{{0.1, -6.0}, {0.2, -6.0}, {0.2, 3.0}}};
    EXPECT_EQ(GainEnvelope::gain_db_at(p, 0.0), -6.0);
    EXPECT_EQ(GainEnvelope::gain_db_at(p, 0.19), -6.0);
    EXPECT_EQ(GainEnvelope::gain_db_at(p, 0.2), 3.0);
    EXPECT_EQ(GainEnvelope::gain_db_at(p, 5.0), 3.0);
    const double sr = 48000.0;
    const auto y = run(p, m::dc(sr, 14400, 1.0, 1));
    EXPECT_EQ(y.channel(0)[9599], static_cast<float>(db_to_gain(-6.0)));
    EXPECT_EQ(y.channel(0)[9600], static_cast<float>(db_to_gain(3.0)));
}

TEST(GainEnvelope, BlockSizeInvarianceAndSeekMatchPlayingFromTheStart) {
    const double sr = 48000.0;
    // Off-grid point times too, so segment starts fall between frames.
    GainEnvelopeParams p = ride();
    p.points.push_back({0.95003, -40.0});
    const auto x = sig::white_noise(2, sr, 1.0, -1.0);
    const auto whole = run(p, x);
    for (std::size_t block : {1u, 7u, 64u, 512u}) EXPECT_EQ(run(p, x, block), whole) << block;

    for (std::int64_t start : {0, 4095, 4096, 30001, 45602}) {
        GainEnvelope e;
        e.set_params(p);
        e.prepare({sr, 512, 2});
        e.seek(start);
        AudioBuffer tail = x;
        AudioView rest = AudioView(tail).sub_block(static_cast<std::size_t>(start),
                                                   x.frames() - static_cast<std::size_t>(start));
        e.process(rest);
        for (int c = 0; c < 2; ++c)
            for (std::size_t i = static_cast<std::size_t>(start); i < x.frames(); ++i)
                ASSERT_EQ(tail.channel(c)[i], whole.channel(c)[i]) << start << " " << i;
    }

    GainEnvelope e;
    e.set_params(p);
    e.prepare({sr, static_cast<int>(x.frames()), 2});
    AudioBuffer first = x;
    e.process(AudioView(first));
    EXPECT_EQ(e.position_frames(), static_cast<std::int64_t>(x.frames()));
    e.reset();
    AudioBuffer second = x;
    e.process(AudioView(second));
    EXPECT_EQ(first, second);

    const std::size_t n = 48000;
    for (const auto& hard : {m::impulse(sr, n), m::dc(sr, n, 1.0), m::square(40.0, sr, n, 0.0)})
        EXPECT_TRUE(m::all_finite(run(p, hard)));
}

TEST(GainEnvelope, ValidationRejectsBadPoints) {
    const auto throws = [](GainEnvelopeParams p) {
        GainEnvelope e;
        try {
            e.set_params(p);
        } catch (const Error& err) {
            return err.kind() == ErrorKind::input_invalid;
        }
        return false;
    };
    EXPECT_FALSE(throws(ride()));
    EXPECT_TRUE(throws({{{0.5, 0.0}, {0.4, 0.0}}}));  // time going back
    EXPECT_TRUE(throws({{{-0.1, 0.0}}}));
    EXPECT_TRUE(throws({{{0.1, 30.0}}}));
    EXPECT_TRUE(throws({{{std::nan(""), 0.0}}}));
}

}  // namespace
}  // namespace secondear::dsp
