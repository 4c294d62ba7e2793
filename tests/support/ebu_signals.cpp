#include "support/ebu_signals.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace secondear::test::ebu {
namespace {

constexpr double k_tone_hz = 1000.0;
constexpr double k_silent = -1000.0;  // a piece level that means digital silence

struct Piece {
    double seconds;
    double level_dbfs;  // k_silent for silence
};

std::size_t frames_for(double seconds, double sample_rate_hz) {
    return static_cast<std::size_t>(std::llround(seconds * sample_rate_hz));
}

// A 1 kHz tone sequence with one running oscillator; every channel gets the same level unless
// channel_offsets_db gives a per-channel offset (case 6).
AudioBuffer tones(double sample_rate_hz, const std::vector<Piece>& pieces, int channels = 2,
                  const std::vector<double>& channel_offsets_db = {}) {
    std::size_t total = 0;
    for (const Piece& p : pieces) total += frames_for(p.seconds, sample_rate_hz);
    AudioBuffer out(channels, total, sample_rate_hz);
    std::size_t start = 0;
    for (const Piece& p : pieces) {
        const std::size_t n = frames_for(p.seconds, sample_rate_hz);
        if (p.level_dbfs > k_silent) {
            for (int c = 0; c < channels; ++c) {
                const double offset_db = channel_offsets_db.empty()
                                             ? 0.0
                                             : channel_offsets_db[static_cast<std::size_t>(c)];
                const double amp = db_to_gain(p.level_dbfs + offset_db);
                auto ch = out.channel(c);
                for (std::size_t i = start; i < start + n; ++i)
                    ch[i] =
                        static_cast<float>(amp * std::sin(2.0 * std::numbers::pi * k_tone_hz *
                                                          static_cast<double>(i) / sample_rate_hz));
            }
        }
        start += n;
    }
    return out;
}

// Stereo sine at sample_rate / divisor for the true-peak cases, 1 s with 10 ms linear fades in
// and out. Table 1 names the fades for case 15 only, but a sine switched on at a non-zero sample
// (cases 16-19 start at 45-67.5 degrees) is a step, whose interpolation overshoots: both meters
// then read cases 17 and 18 up to 0.7 dB high, while libebur128 passes the EBU files themselves.
// So every case is faded; the steady part, which the expected values describe, is unchanged.
AudioBuffer peak_sine(double sample_rate_hz, double divisor, double amplitude, double phase_deg) {
    constexpr double k_seconds = 1.0;
    constexpr double fade_s = 0.010;
    const std::size_t n = frames_for(k_seconds, sample_rate_hz);
    const std::size_t fade = frames_for(fade_s, sample_rate_hz);
    AudioBuffer out(2, n, sample_rate_hz);
    for (int c = 0; c < 2; ++c) {
        auto ch = out.channel(c);
        for (std::size_t i = 0; i < n; ++i) {
            double env = 1.0;
            if (i < fade) env = static_cast<double>(i) / static_cast<double>(fade);
            if (n - 1 - i < fade) env = static_cast<double>(n - 1 - i) / static_cast<double>(fade);
            ch[i] = static_cast<float>(
                env * amplitude *
                std::sin(2.0 * std::numbers::pi * static_cast<double>(i) / divisor +
                         phase_deg * std::numbers::pi / 180.0));
        }
    }
    return out;
}

[[noreturn]] void no_such_case(const char* spec, int number) {
    throw std::invalid_argument(std::string(spec) + " case " + std::to_string(number) +
                                " is not generated here");
}

}  // namespace

AudioBuffer tech3341(int case_number, double sr) {
    switch (case_number) {
        case 1:
            return tones(sr, {{20.0, -23.0}});
        case 2:
            return tones(sr, {{20.0, -33.0}});
        case 3:
            return tones(sr, {{10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}});
        case 4:
            return tones(
                sr, {{10.0, -72.0}, {10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}, {10.0, -72.0}});
        case 5:
            return tones(sr, {{20.0, -26.0}, {20.1, -20.0}, {20.0, -26.0}});
        case 6:
            // L, R at -28; C at -24; Ls, Rs at -30 dBFS (offsets from a -28 dBFS base).
            return tones(sr, {{20.0, -28.0}}, 5, {0.0, 0.0, 4.0, -2.0, -2.0});
        case 9: {
            std::vector<Piece> p;
            for (int i = 0; i < 5; ++i) {
                p.push_back({1.34, -20.0});
                p.push_back({1.66, -30.0});
            }
            return tones(sr, p);
        }
        case 11: {
            std::vector<Piece> p;
            for (int i = 0; i < 20; ++i) {
                p.push_back({i * 0.15, k_silent});
                p.push_back({3.0, -38.0 + i});
                p.push_back({3.0 - i * 0.15, k_silent});
            }
            return tones(sr, p);
        }
        case 12: {
            std::vector<Piece> p;
            for (int i = 0; i < 25; ++i) {
                p.push_back({0.18, -20.0});
                p.push_back({0.22, -30.0});
            }
            return tones(sr, p);
        }
        case 14: {
            std::vector<Piece> p;
            for (int i = 0; i < 20; ++i) {
                p.push_back({i * 0.02, k_silent});
                p.push_back({0.4, -38.0 + i});
                p.push_back({0.4 - i * 0.02, k_silent});
            }
            return tones(sr, p);
        }
        case 15:
            return peak_sine(sr, 4.0, 0.50, 0.0);
        case 16:
            return peak_sine(sr, 4.0, 0.50, 45.0);
        case 17:
            return peak_sine(sr, 6.0, 0.50, 60.0);
        case 18:
            return peak_sine(sr, 8.0, 0.50, 67.5);
        case 19:
            return peak_sine(sr, 4.0, 1.41, 45.0);
        default:
            no_such_case("Tech 3341", case_number);
    }
}

AudioBuffer tech3341_segment(int case_number, int segment, double sr) {
    if (segment < 0 || segment > 19) no_such_case("Tech 3341 segment of", case_number);
    if (case_number == 10)
        return tones(sr, {{segment * 0.15, k_silent}, {3.0, -23.0}, {1.0, k_silent}});
    if (case_number == 13)
        return tones(sr, {{segment * 0.02, k_silent}, {0.4, -23.0}, {1.0, k_silent}});
    no_such_case("Tech 3341", case_number);
}

AudioBuffer tech3342(int case_number, double sr) {
    switch (case_number) {
        case 1:
            return tones(sr, {{20.0, -20.0}, {20.0, -30.0}});
        case 2:
            return tones(sr, {{20.0, -20.0}, {20.0, -15.0}});
        case 3:
            return tones(sr, {{20.0, -40.0}, {20.0, -20.0}});
        case 4:
            return tones(
                sr, {{20.0, -50.0}, {20.0, -35.0}, {20.0, -20.0}, {20.0, -35.0}, {20.0, -50.0}});
        default:
            no_such_case("Tech 3342", case_number);
    }
}

}  // namespace secondear::test::ebu
