#pragma once
// Level conversions. Amplitude decibels throughout (20 log10); power quantities are named _power.

#include <cmath>
#include <limits>
#include <optional>

namespace secondear {

inline double db_to_gain(double db) noexcept {
    return std::pow(10.0, db / 20.0);
}
/// Amplitude ratio to dB; 0 gives -infinity (callers that print or serialise use optional_db).
inline double gain_to_db(double gain_lin) noexcept {
    return gain_lin > 0.0 ? 20.0 * std::log10(gain_lin) : -std::numeric_limits<double>::infinity();
}
inline double power_to_db(double power) noexcept {
    return power > 0.0 ? 10.0 * std::log10(power) : -std::numeric_limits<double>::infinity();
}
/// Finite dB values pass; -inf (silence) becomes nullopt, which JSON writes as null.
inline std::optional<double> optional_db(double db) noexcept {
    if (std::isfinite(db)) return db;
    return std::nullopt;
}

}  // namespace secondear
