#include "plan/eq_fit.hpp"

#include <algorithm>
#include <cmath>

namespace secondear::plan {
namespace {

std::vector<dsp::EqBandParams> basis(const EqFitOptions& o) {
    std::vector<dsp::EqBandParams> bands;
    const auto band = [](dsp::EqBandType type, double hz, double q) {
        return dsp::EqBandParams{.type = type, .freq_hz = hz, .gain_db = 0.0, .q = q};
    };
    if (o.fine) {
        // A peak on every 1/3-octave centre from 40 Hz to 16 kHz (Q 4.3 = 1/3-octave bandwidth),
        // shelves beyond them: fine enough to follow a reference band by band to both ends of
        // the matched range.
        bands.push_back(band(dsp::EqBandType::low_shelf, 31.5, 0.7));
        // Base-10 centres (IEC 61260): 1 kHz x 10^(k/10), k = -14 (39.8 Hz) .. 12 (15.8 kHz).
        for (int k = -14; k <= 12; ++k)
            bands.push_back(band(dsp::EqBandType::peak, 1000.0 * std::pow(10.0, k / 10.0), 4.3));
        bands.push_back(band(dsp::EqBandType::high_shelf, 18000.0, 0.7));
    } else {
        // Shelves plus octave-wide peaks (Q 1.41): broad, musical corrections.
        bands.push_back(band(dsp::EqBandType::low_shelf, 80.0, 0.7));
        for (double hz : {160.0, 315.0, 630.0, 1250.0, 2500.0, 5000.0})
            bands.push_back(band(dsp::EqBandType::peak, hz, 1.41));
        bands.push_back(band(dsp::EqBandType::high_shelf, 10000.0, 0.7));
    }
    std::erase_if(bands, [&](const auto& b) { return b.freq_hz > 0.4 * o.sample_rate_hz; });
    return bands;
}

double band_db(const dsp::EqBandParams& b, double hz, double sr) {
    dsp::EqParams one{{b}};
    return dsp::Equalizer::response_db(one, hz, sr);
}

/// Solves the small symmetric system A x = y (Gaussian elimination with partial pivoting).
std::vector<double> solve(std::vector<std::vector<double>> a, std::vector<double> y) {
    const std::size_t n = y.size();
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
        std::swap(a[col], a[pivot]);
        std::swap(y[col], y[pivot]);
        if (std::fabs(a[col][col]) < 1e-12) continue;
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = a[r][col] / a[col][col];
            for (std::size_t k = col; k < n; ++k) a[r][k] -= f * a[col][k];
            y[r] -= f * y[col];
        }
    }
    std::vector<double> x(n, 0.0);
    for (std::size_t i = n; i-- > 0;) {
        double s = y[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= a[i][k] * x[k];
        x[i] = std::fabs(a[i][i]) < 1e-12 ? 0.0 : s / a[i][i];
    }
    return x;
}

}  // namespace

dsp::EqParams fit_eq_curve(const std::vector<std::pair<double, double>>& desired,
                           const EqFitOptions& o) {
    const double max_cut_db = o.max_cut_db.value_or(o.max_gain_db);
    std::vector<std::pair<double, double>> pts;
    for (const auto& [hz, db] : desired)
        if (hz < 0.45 * o.sample_rate_hz)
            pts.emplace_back(hz, std::clamp(db, -max_cut_db, o.max_gain_db));
    auto bands = basis(o);
    const std::size_t n = bands.size();
    if (pts.empty() || n == 0) return {};
    constexpr double k_step_db = 0.5;   // finite-difference step for the Jacobian
    constexpr double k_damping = 0.05;  // ridge term: keeps neighbouring bands from fighting
    for (int iteration = 0; iteration < 8; ++iteration) {
        std::vector<double> residual(pts.size());
        for (std::size_t i = 0; i < pts.size(); ++i) {
            double model = 0.0;
            for (const auto& b : bands) model += band_db(b, pts[i].first, o.sample_rate_hz);
            residual[i] = pts[i].second - model;
        }
        std::vector<std::vector<double>> jac(pts.size(), std::vector<double>(n));
        for (std::size_t k = 0; k < n; ++k) {
            auto plus = bands[k];
            plus.gain_db += k_step_db;
            for (std::size_t i = 0; i < pts.size(); ++i)
                jac[i][k] = (band_db(plus, pts[i].first, o.sample_rate_hz) -
                             band_db(bands[k], pts[i].first, o.sample_rate_hz)) /
                            k_step_db;
        }
        std::vector<std::vector<double>> jtj(n, std::vector<double>(n, 0.0));
        std::vector<double> jtr(n, 0.0);
        for (std::size_t i = 0; i < pts.size(); ++i)
            for (std::size_t a = 0; a < n; ++a) {
                jtr[a] += jac[i][a] * residual[i];
                for (std::size_t b = 0; b < n; ++b) jtj[a][b] += jac[i][a] * jac[i][b];
            }
        for (std::size_t a = 0; a < n; ++a)
            jtj[a][a] += k_damping * static_cast<double>(pts.size());
        const auto delta = solve(jtj, jtr);
        for (std::size_t k = 0; k < n; ++k)
            bands[k].gain_db = std::clamp(bands[k].gain_db + delta[k], -max_cut_db, o.max_gain_db);
    }
    dsp::EqParams out;
    for (auto b : bands) {
        if (std::fabs(b.gain_db) < o.min_gain_db) continue;
        b.gain_db = std::round(b.gain_db * 100.0) / 100.0;
        out.bands.push_back(b);
    }
    return out;
}

}  // namespace secondear::plan
