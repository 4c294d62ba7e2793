#include "support/reverb_measure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.hpp"
#include "dsp/biquad.hpp"

namespace secondear::test::reverb_measure {

std::vector<double> energy_decay_db(std::span<const float> ir) {
    std::vector<double> tail(ir.size() + 1, 0.0);
    for (std::size_t i = ir.size(); i-- > 0;)
        tail[i] = tail[i + 1] + static_cast<double>(ir[i]) * ir[i];
    std::vector<double> edc(ir.size());
    for (std::size_t i = 0; i < ir.size(); ++i)
        edc[i] = tail[0] > 0.0 ? power_to_db(tail[i] / tail[0])
                               : -std::numeric_limits<double>::infinity();
    return edc;
}

double rt60_s(std::span<const float> ir, double sample_rate_hz, double start_db, double end_db) {
    const std::vector<double> edc = energy_decay_db(ir);
    double n = 0.0, st = 0.0, sy = 0.0, stt = 0.0, sty = 0.0;
    for (std::size_t i = 0; i < edc.size(); ++i) {
        if (edc[i] > start_db) continue;
        if (edc[i] < end_db) break;
        const double t = static_cast<double>(i) / sample_rate_hz;
        n += 1.0;
        st += t;
        sy += edc[i];
        stt += t * t;
        sty += t * edc[i];
    }
    const double slope_db_per_s = (n * sty - st * sy) / (n * stt - st * st);
    return -60.0 / slope_db_per_s;
}

std::vector<float> band(std::span<const float> x, double low_hz, double high_hz,
                        double sample_rate_hz) {
    std::vector<dsp::BiquadCoeffs> sections =
        dsp::butterworth_high_pass_sections(low_hz, 4, sample_rate_hz);
    for (const auto& s : dsp::butterworth_low_pass_sections(high_hz, 4, sample_rate_hz))
        sections.push_back(s);
    std::vector<dsp::Biquad> state(sections.size());
    for (std::size_t k = 0; k < sections.size(); ++k) state[k].set_coeffs(sections[k]);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        double v = x[i];
        for (auto& s : state) v = s.process_sample(v);
        y[i] = static_cast<float>(v);
    }
    return y;
}

std::vector<double> window_energy_db(std::span<const float> x, std::size_t window_frames) {
    std::vector<double> out;
    for (std::size_t start = 0; start + window_frames <= x.size(); start += window_frames) {
        double e = 0.0;
        for (std::size_t i = start; i < start + window_frames; ++i)
            e += static_cast<double>(x[i]) * x[i];
        out.push_back(power_to_db(e));
    }
    return out;
}

}  // namespace secondear::test::reverb_measure
