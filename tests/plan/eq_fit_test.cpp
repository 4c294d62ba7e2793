// The EQ fitter: follows a desired curve with bounded minimum-phase bands, cuts deeper than it
// boosts when asked to, and moves nothing when nothing is asked.
#include "plan/eq_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

namespace secondear::plan {
namespace {

constexpr double k_sample_rate_hz = 44100.0;

std::vector<double> third_octave_centres_hz() {
    std::vector<double> hz;
    for (int k = -14; k <= 12; ++k) hz.push_back(1000.0 * std::pow(10.0, k / 10.0));  // 40-16k
    return hz;
}

EqFitOptions matching_options() {
    return {.max_gain_db = 12.0,
            .max_cut_db = 24.0,
            .min_gain_db = 0.25,
            .fine = true,
            .sample_rate_hz = k_sample_rate_hz};
}

double response_db(const dsp::EqParams& eq, double hz) {
    return dsp::Equalizer::response_db(eq, hz, k_sample_rate_hz);
}

TEST(EqFit, FlatDesireGivesNoBands) {
    std::vector<std::pair<double, double>> desired;
    for (double hz : third_octave_centres_hz()) desired.emplace_back(hz, 0.0);
    EXPECT_TRUE(fit_eq_curve(desired, matching_options()).bands.empty());
}

TEST(EqFit, FollowsASmoothCurveInsideTheBounds) {
    // A gentle tilt with a broad mid dip, well inside the bounds: every band centre within
    // 1 dB (the fit is a regularised least squares over overlapping bands, not interpolation).
    std::vector<std::pair<double, double>> desired;
    for (double hz : third_octave_centres_hz()) {
        const double octaves_from_1k = std::log2(hz / 1000.0);
        desired.emplace_back(
            hz, 0.8 * octaves_from_1k - 3.0 * std::exp(-octaves_from_1k * octaves_from_1k));
    }
    const auto eq = fit_eq_curve(desired, matching_options());
    for (const auto& [hz, db] : desired) EXPECT_NEAR(response_db(eq, hz), db, 1.0) << hz << " Hz";
}

TEST(EqFit, CutsReachDeeperThanBoostsAndNeitherPassesItsBound) {
    // A reference 30 dB duller above 8 kHz is followed down to the 24 dB cut bound; a reference
    // 30 dB brighter is followed up only to the 12 dB boost bound. 1.5 dB tolerance: the
    // response between band centres and the ridge term keep the fit a little inside the bound.
    std::vector<std::pair<double, double>> duller, brighter;
    for (double hz : third_octave_centres_hz()) {
        duller.emplace_back(hz, hz >= 8000.0 ? -30.0 : 0.0);
        brighter.emplace_back(hz, hz >= 8000.0 ? 30.0 : 0.0);
    }
    const auto cut = fit_eq_curve(duller, matching_options());
    const auto boost = fit_eq_curve(brighter, matching_options());
    for (double hz : {10000.0, 12589.0, 15849.0}) {
        EXPECT_LE(response_db(cut, hz), -24.0 + 1.5) << hz << " Hz";
        EXPECT_GE(response_db(cut, hz), -24.0 - 1.5) << hz << " Hz";
        EXPECT_GE(response_db(boost, hz), 12.0 - 1.5) << hz << " Hz";
    }
    for (double hz = 20.0; hz < 20000.0; hz *= 1.05) {
        EXPECT_LE(response_db(boost, hz), 12.0 + 1.5) << hz << " Hz";
        EXPECT_GE(response_db(cut, hz), -24.0 - 1.5) << hz << " Hz";
    }
    // Below the step both stay near flat (within 1.5 dB up to 5 kHz: the skirts of the 1/3-
    // octave bands next to the step).
    for (double hz = 40.0; hz < 5000.0; hz *= 1.25) {
        EXPECT_NEAR(response_db(cut, hz), 0.0, 1.5) << hz << " Hz";
        EXPECT_NEAR(response_db(boost, hz), 0.0, 1.5) << hz << " Hz";
    }
}

TEST(EqFit, SymmetricBoundWhenNoCutBoundIsGiven) {
    // The genre-curve correction uses one bound both ways (3 dB).
    std::vector<std::pair<double, double>> desired;
    for (double hz : third_octave_centres_hz())
        desired.emplace_back(hz, hz >= 8000.0 ? -10.0 : 0.0);
    EqFitOptions o;
    o.max_gain_db = 3.0;
    o.sample_rate_hz = k_sample_rate_hz;
    const auto eq = fit_eq_curve(desired, o);
    for (double hz = 20.0; hz < 20000.0; hz *= 1.05)
        EXPECT_GE(response_db(eq, hz), -3.0 - 1.0) << hz << " Hz";  // 1 dB: band overlap
}

}  // namespace
}  // namespace secondear::plan
