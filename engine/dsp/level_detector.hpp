#pragma once
// Building blocks shared by the dynamics processors (compressor, gate, de-esser).
//
// Time-constant convention (docs/conventions.md): every *_ms here is a 1/e time constant. A
// one-pole smoother with time constant tau moves 1 - 1/e (63.2%) of the way to a new steady
// target in tau, 95% in 3 tau. Gain smoothing happens in the log (dB) domain, so the time
// constant applies to the gain change in dB (Giannoulis, Massberg & Reiss, "Digital dynamic
// range compressor design - a tutorial and analysis", JAES 2012: "smooth branching, log domain").

#include <cmath>

namespace secondear::dsp {

/// Per-sample coefficient c of y += (1 - c) (x - y) for a 1/e time constant; 0 ms gives c = 0
/// (no smoothing).
inline double one_pole_coeff(double time_constant_ms, double sample_rate_hz) noexcept {
    if (time_constant_ms <= 0.0) return 0.0;
    return std::exp(-1000.0 / (time_constant_ms * sample_rate_hz));
}

/// What the level detector measures.
/// - peak: the instantaneous |x| (the gain smoother's attack and release do the averaging).
/// - rms: the mean square over a one-pole window (rms_window_ms, 1/e), so a sine reads 3.01 dB
///   below its peak level.
enum class DetectorMode { peak, rms };

/// One channel's level as a power (squared amplitude): 10 log10(power) is the level in dBFS.
/// Working in power avoids a sqrt per sample and lets callers compare against linear thresholds.
class LevelDetector {
  public:
    void prepare(DetectorMode mode, double rms_window_ms, double sample_rate_hz) noexcept {
        mode_ = mode;
        coeff_ = one_pole_coeff(rms_window_ms, sample_rate_hz);
    }
    void reset() noexcept { mean_square_ = 0.0; }
    double process(double x) noexcept {
        const double sq = x * x;
        if (mode_ == DetectorMode::peak) return sq;
        mean_square_ = sq + coeff_ * (mean_square_ - sq);
        return mean_square_;
    }

  private:
    DetectorMode mode_ = DetectorMode::peak;
    double coeff_ = 0.0;
    double mean_square_ = 0.0;
};

/// Smooths a gain in dB with separate attack (gain going down, i.e. more reduction) and release
/// (gain going back up) 1/e time constants. For an expander/gate, "attack" is the opening
/// direction; the caller decides which coefficient goes where via `falling_coeff`/`rising_coeff`.
class GainSmoother {
  public:
    void prepare(double falling_ms, double rising_ms, double sample_rate_hz) noexcept {
        falling_ = one_pole_coeff(falling_ms, sample_rate_hz);
        rising_ = one_pole_coeff(rising_ms, sample_rate_hz);
    }
    void reset(double gain_db) noexcept { gain_db_ = gain_db; }
    double gain_db() const noexcept { return gain_db_; }
    double process(double target_db) noexcept {
        const double c = target_db < gain_db_ ? falling_ : rising_;
        gain_db_ = target_db + c * (gain_db_ - target_db);
        return gain_db_;
    }
    /// Sets the state exactly to `target_db` once it is within `epsilon_db`, so that an idle
    /// processor returns to an exact unity gain (and can skip the dB-to-linear conversion).
    void snap(double target_db, double epsilon_db) noexcept {
        if (std::abs(gain_db_ - target_db) < epsilon_db) gain_db_ = target_db;
    }

  private:
    double falling_ = 0.0;
    double rising_ = 0.0;
    double gain_db_ = 0.0;
};

/// dB to linear amplitude with exp instead of pow (one transcendental call).
inline double db_to_gain_fast(double db) noexcept {
    constexpr double k_ln10_over_20 = 0.11512925464970229;  // ln(10) / 20
    return std::exp(db * k_ln10_over_20);
}

/// Power (squared amplitude) to dB.
inline double power_to_db_fast(double power) noexcept {
    return 10.0 * std::log10(power);
}

}  // namespace secondear::dsp
