#include "dsp/envelope.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/errors.hpp"

namespace secondear::dsp {
namespace {

constexpr std::int64_t k_reseed_frames = 4096;
constexpr std::int64_t k_never = std::numeric_limits<std::int64_t>::max();

void check(bool ok, std::size_t i, const std::string& what) {
    if (!ok)
        throw Error(ErrorKind::input_invalid,
                    "gain envelope point " + std::to_string(i) + ": " + what);
}

// Linear-in-dB interpolation at position x (seconds or frames); k is the number of points at or
// before x. Returns the gain and the slope in dB per unit of x.
template <class PositionOf>
std::pair<double, double> interpolate(const std::vector<GainPoint>& pts, double x, std::size_t k,
                                      PositionOf position) {
    if (pts.empty()) return {0.0, 0.0};
    if (k == 0) return {pts.front().gain_db, 0.0};
    if (k == pts.size()) return {pts.back().gain_db, 0.0};
    const double x0 = position(k - 1);
    const double x1 = position(k);
    const double g0 = pts[k - 1].gain_db;
    const double g1 = pts[k].gain_db;
    const double slope = (g1 - g0) / (x1 - x0);
    return {g0 + (x - x0) * slope, slope};
}

}  // namespace

void GainEnvelope::validate(const GainEnvelopeParams& p) {
    for (std::size_t i = 0; i < p.points.size(); ++i) {
        const GainPoint& pt = p.points[i];
        check(std::isfinite(pt.time_s) && pt.time_s >= 0.0, i, "time_s must be finite and >= 0");
        check(i == 0 || pt.time_s >= p.points[i - 1].time_s, i,
              "time_s must not decrease from one point to the next");
        check(pt.gain_db >= -120.0 && pt.gain_db <= 24.0, i, "gain_db must be in [-120, 24]");
    }
}

double GainEnvelope::gain_db_at(const GainEnvelopeParams& p, double time_s) noexcept {
    const auto after =
        std::upper_bound(p.points.begin(), p.points.end(), time_s,
                         [](double t, const GainPoint& pt) { return t < pt.time_s; });
    const auto k = static_cast<std::size_t>(after - p.points.begin());
    return interpolate(p.points, time_s, k, [&](std::size_t i) { return p.points[i].time_s; })
        .first;
}

void GainEnvelope::set_params(const GainEnvelopeParams& params) {
    validate(params);
    params_ = params;
    if (sample_rate_hz_ > 0.0) {
        configure();
        seek(frame_);
    }
}

void GainEnvelope::prepare(const ProcessSpec& spec) {
    validate(params_);
    sample_rate_hz_ = spec.sample_rate_hz;
    configure();
    seek(0);
}

void GainEnvelope::configure() {
    point_frames_.resize(params_.points.size());
    for (std::size_t k = 0; k < params_.points.size(); ++k) {
        // A time meant as a whole frame (0.05 s at 44.1 kHz) can land a rounding error past it;
        // snap within 1e-6 frames so the point is hit at that frame, not the next.
        const double f = params_.points[k].time_s * sample_rate_hz_;
        point_frames_[k] = std::abs(f - std::round(f)) < 1e-6 ? std::round(f) : f;
    }
}

void GainEnvelope::recompute(std::int64_t frame) noexcept {
    const auto& pts = params_.points;
    const double x = static_cast<double>(frame);
    // The first point strictly after this frame ends the segment.
    const auto next_point = std::upper_bound(point_frames_.begin(), point_frames_.end(), x);
    const auto k = static_cast<std::size_t>(next_point - point_frames_.begin());
    const auto [db, slope] =
        interpolate(pts, x, k, [&](std::size_t i) { return point_frames_[i]; });
    gain_ = std::pow(10.0, db / 20.0);
    ratio_ = slope == 0.0 ? 1.0 : std::pow(10.0, slope / 20.0);
    const std::int64_t next_reseed = (frame / k_reseed_frames + 1) * k_reseed_frames;
    next_event_ = next_point == point_frames_.end()
                      ? (slope == 0.0 ? k_never : next_reseed)
                      : std::min(next_reseed, static_cast<std::int64_t>(std::ceil(*next_point)));
}

void GainEnvelope::seek(std::int64_t frame) noexcept {
    // Start from the last exact recompute at or before `frame` (a multiple of k_reseed_frames is
    // always one), then step forward as process() would: bit-identical to playing from 0.
    frame_ = frame - frame % k_reseed_frames;
    recompute(frame_);
    while (frame_ < frame) {
        if (frame_ == next_event_) recompute(frame_);
        gain_ *= ratio_;
        ++frame_;
    }
}

void GainEnvelope::process(AudioView io) noexcept {
    const int channels = io.channels();
    const std::size_t frames = io.frames();
    for (std::size_t i = 0; i < frames; ++i) {
        if (frame_ == next_event_) recompute(frame_);
        const double g = gain_;
        for (int c = 0; c < channels; ++c)
            io.channel(c)[i] = static_cast<float>(io.channel(c)[i] * g);
        gain_ *= ratio_;
        ++frame_;
    }
}

}  // namespace secondear::dsp
