#pragma once
// Turns a desired EQ curve (dB at frequencies) into a few minimum-phase EQ bands whose summed
// analytic response follows it: damped Gauss-Newton least squares over the band gains at fixed
// centre frequencies, each gain bounded. Minimum phase (IIR) rather than linear phase: the moves
// are broad and gentle, so phase shifts are small, there is no pre-ringing before transients, and
// it costs a few multiplies per sample.

#include <optional>
#include <utility>
#include <vector>

#include "dsp/eq.hpp"

namespace secondear::plan {

struct EqFitOptions {
    double max_gain_db = 3.0;  // no band moves more than this
    // When set, cuts may go this deep instead (a positive number of dB). Cuts are the safe side
    // of a match: they cannot lift a noise floor or add peak level, boosts can.
    std::optional<double> max_cut_db;
    double min_gain_db = 0.25;  // bands that end up smaller are dropped (inaudible)
    bool fine = false;          // 1/3-octave bands (reference matching) instead of ~1 octave
    double sample_rate_hz = 48000.0;
};

/// `desired` is {hz, db} pairs; points above 0.45 * sample rate are ignored, and each point is
/// first limited to [-max_cut_db, +max_gain_db] so that overlapping bands cannot add up past the
/// bounds either.
dsp::EqParams fit_eq_curve(const std::vector<std::pair<double, double>>& desired,
                           const EqFitOptions& options);

}  // namespace secondear::plan
