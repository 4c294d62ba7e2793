#pragma once
// Parametric equaliser: a list of bands, each one or more biquad sections, run as one cascade.
//
// Band conventions (see dsp/biquad.hpp for the RBJ definitions):
// - peak, low_shelf, high_shelf: freq_hz, gain_db, q (RBJ Q; shelves: midpoint frequency and
//   shelf Q, q = 0.7071 is the RBJ slope S = 1).
// - high_pass, low_pass: Butterworth of `order` (1..8, 6 dB/octave per order), -3.01 dB at
//   freq_hz; gain_db and q are not used (they are still range-checked).
// - band_pass: constant 0 dB peak at freq_hz, bandwidth from q; gain_db not used.
// Valid ranges: freq_hz in (0, 0.49 * sample_rate_hz), q in [0.1, 20], gain_db in [-24, 24],
// order in [1, 8]. Disabled bands are skipped entirely (they cost nothing).
// Cost: one TDF-II section per peak/shelf/band-pass band and ceil(order / 2) per pass band, per
// sample and channel; no allocation in process(). No latency. tail_frames() is 0: the IIR
// ring-down after the input ends is not flushed (it is the filter's own decay, not a tail).

#include <vector>

#include "dsp/biquad.hpp"
#include "dsp/processor.hpp"

namespace secondear::dsp {

enum class EqBandType { peak, low_shelf, high_shelf, high_pass, low_pass, band_pass };

struct EqBandParams {
    EqBandType type = EqBandType::peak;
    double freq_hz = 1000.0;
    double gain_db = 0.0;
    double q = 0.7071067811865476;
    int order = 2;  // high_pass / low_pass only, 1..8
    bool enabled = true;
    friend bool operator==(const EqBandParams&, const EqBandParams&) = default;
};

struct EqParams {
    std::vector<EqBandParams> bands;
    friend bool operator==(const EqParams&, const EqParams&) = default;
};

class Equalizer {
  public:
    /// Validates (throws Error{input_invalid}) and designs the sections when prepared. Before
    /// prepare() the sample-rate-dependent check (freq_hz < 0.49 sr) is deferred to prepare().
    void set_params(const EqParams& params);
    const EqParams& params() const noexcept { return params_; }

    /// Throws Error{input_invalid} when the parameters do not fit the new sample rate.
    void prepare(const ProcessSpec& spec);
    void reset() noexcept { cascade_.reset(); }
    void process(AudioView io) noexcept { cascade_.process(io); }
    int latency_frames() const noexcept { return 0; }
    int tail_frames() const noexcept { return 0; }

    /// Throws Error{input_invalid} naming the band and field when out of range.
    /// sample_rate_hz <= 0 skips the frequency's upper bound.
    static void validate(const EqParams& params, double sample_rate_hz);
    /// The sections a band runs (empty when disabled).
    static std::vector<BiquadCoeffs> band_sections(const EqBandParams& band, double sample_rate_hz);
    /// The whole curve's magnitude in dB at freq_hz, analytic (no rendering).
    static double response_db(const EqParams& params, double freq_hz, double sample_rate_hz);

  private:
    void design();

    EqParams params_;
    double sample_rate_hz_ = 0.0;
    BiquadCascade cascade_;
};

static_assert(Processor<Equalizer>);

}  // namespace secondear::dsp
