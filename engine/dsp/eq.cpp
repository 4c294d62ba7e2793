#include "dsp/eq.hpp"

#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr double k_max_freq_fraction = 0.49;  // of the sample rate; RBJ shapes cramp beyond
constexpr double k_min_q = 0.1;
constexpr double k_max_q = 20.0;
constexpr double k_max_abs_gain_db = 24.0;
constexpr int k_max_order = 8;

[[noreturn]] void fail(std::size_t band, const std::string& what) {
    throw Error(ErrorKind::input_invalid, "eq band " + std::to_string(band) + ": " + what);
}

}  // namespace

void Equalizer::validate(const EqParams& params, double sample_rate_hz) {
    for (std::size_t i = 0; i < params.bands.size(); ++i) {
        const EqBandParams& b = params.bands[i];
        if (!(b.freq_hz > 0.0) || !std::isfinite(b.freq_hz))
            fail(i, "freq_hz must be > 0, got " + std::to_string(b.freq_hz));
        if (sample_rate_hz > 0.0 && !(b.freq_hz < k_max_freq_fraction * sample_rate_hz))
            fail(i, "freq_hz must be below 0.49 * sample rate (" +
                        std::to_string(k_max_freq_fraction * sample_rate_hz) + " Hz), got " +
                        std::to_string(b.freq_hz));
        if (!(b.q >= k_min_q && b.q <= k_max_q))
            fail(i, "q must be in [0.1, 20], got " + std::to_string(b.q));
        if (!(std::abs(b.gain_db) <= k_max_abs_gain_db))
            fail(i, "gain_db must be in [-24, 24], got " + std::to_string(b.gain_db));
        if (b.order < 1 || b.order > k_max_order)
            fail(i, "order must be in [1, 8], got " + std::to_string(b.order));
    }
}

std::vector<BiquadCoeffs> Equalizer::band_sections(const EqBandParams& b, double sr) {
    if (!b.enabled) return {};
    switch (b.type) {
        case EqBandType::peak:
            return {design_peak(b.freq_hz, b.gain_db, b.q, sr)};
        case EqBandType::low_shelf:
            return {design_low_shelf(b.freq_hz, b.gain_db, b.q, sr)};
        case EqBandType::high_shelf:
            return {design_high_shelf(b.freq_hz, b.gain_db, b.q, sr)};
        case EqBandType::high_pass:
            return butterworth_high_pass_sections(b.freq_hz, b.order, sr);
        case EqBandType::low_pass:
            return butterworth_low_pass_sections(b.freq_hz, b.order, sr);
        case EqBandType::band_pass:
            return {design_band_pass(b.freq_hz, b.q, sr)};
    }
    return {};
}

double Equalizer::response_db(const EqParams& params, double freq_hz, double sample_rate_hz) {
    double sum = 0.0;
    for (const auto& b : params.bands)
        sum += magnitude_db(band_sections(b, sample_rate_hz), freq_hz, sample_rate_hz);
    return sum;
}

void Equalizer::set_params(const EqParams& params) {
    validate(params, sample_rate_hz_);
    params_ = params;
    if (sample_rate_hz_ > 0.0) design();
}

void Equalizer::prepare(const ProcessSpec& spec) {
    validate(params_, spec.sample_rate_hz);
    sample_rate_hz_ = spec.sample_rate_hz;
    design();
    cascade_.reset();
}

void Equalizer::design() {
    std::vector<BiquadCoeffs> all;
    for (const auto& b : params_.bands) {
        // A 0 dB peak or shelf is exactly the identity section; skipping it keeps neutral bands
        // bit-exact and free.
        const bool neutral = (b.type == EqBandType::peak || b.type == EqBandType::low_shelf ||
                              b.type == EqBandType::high_shelf) &&
                             b.gain_db == 0.0;
        if (neutral) continue;
        const auto sections = band_sections(b, sample_rate_hz_);
        all.insert(all.end(), sections.begin(), sections.end());
    }
    cascade_.set_sections(all);
}

}  // namespace secondear::dsp
