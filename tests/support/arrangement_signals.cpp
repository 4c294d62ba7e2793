#include "support/arrangement_signals.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>
#include <tuple>

#include "core/units.hpp"
#include "io/decode.hpp"
#include "io/resample.hpp"
#include "support/sections_scores.hpp"

namespace secondear::test::arrangement {
namespace {

enum Stem { kick, snare, hats, bass, pad, lead, stem_count };

constexpr double k_two_pi = 2.0 * std::numbers::pi;

// xorshift64*: fixed-seed noise, identical on every platform.
class Noise {
  public:
    explicit Noise(std::uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    double next() {  // uniform in [-1, 1)
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        const std::uint64_t r = state_ * 0x2545F4914F6CDD1Dull;
        return static_cast<double>(r >> 11) / 4503599627370496.0 - 1.0;
    }

  private:
    std::uint64_t state_;
};

double midi_hz(double note) {
    return 440.0 * std::pow(2.0, (note - 69.0) / 12.0);
}

struct Chord {
    std::array<int, 3> notes;  // MIDI, around C4
};

// One chord per bar, four-bar cycles (see the header).
const std::vector<Chord>& chords_for(const std::string& label) {
    static const std::vector<Chord> verse = {
        {{57, 60, 64}}, {{52, 55, 59}}, {{57, 60, 64}}, {{52, 55, 59}}};
    static const std::vector<Chord> pre = {
        {{50, 53, 57}}, {{55, 59, 62}}, {{50, 53, 57}}, {{55, 59, 62}}};
    static const std::vector<Chord> chorus = {
        {{53, 57, 60}}, {{58, 62, 65}}, {{60, 64, 67}}, {{53, 57, 60}}};
    static const std::vector<Chord> bridge = {{{50, 53, 57}}, {{52, 56, 59}}};
    if (label == "chorus") return chorus;
    if (label == "pre-chorus") return pre;
    if (label == "bridge") return bridge;
    return verse;
}

struct Renderer {
    double fs;
    std::vector<std::vector<float>> mono;  // one mono plane per stem
    Noise noise;
    std::map<std::tuple<double, double, int, double, double, bool>, std::vector<float>> tones;

    void add(Stem s, std::size_t at, const std::vector<float>& x, double gain) {
        auto& dst = mono[s];
        for (std::size_t i = 0; i < x.size() && at + i < dst.size(); ++i)
            dst[at + i] += static_cast<float>(gain * x[i]);
    }
    std::size_t frame(double t_s) const { return static_cast<std::size_t>(std::lround(t_s * fs)); }
    std::size_t len(double s) const { return static_cast<std::size_t>(s * fs); }

    std::vector<float> kick_sound() {
        std::vector<float> x(len(0.4));
        double phase = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = static_cast<double>(i) / fs;
            phase += k_two_pi * (50.0 + 100.0 * std::exp(-t / 0.03)) / fs;
            x[i] = static_cast<float>(std::sin(phase) * std::exp(-t / 0.15));
        }
        return x;
    }
    std::vector<float> snare_sound() {
        std::vector<float> x(len(0.25));
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = static_cast<double>(i) / fs;
            x[i] = static_cast<float>(0.5 * noise.next() * std::exp(-t / 0.07) +
                                      0.5 * std::sin(k_two_pi * 190.0 * t) * std::exp(-t / 0.05));
        }
        return x;
    }
    std::vector<float> hat_sound() {
        std::vector<float> x(len(0.08));
        double prev = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = static_cast<double>(i) / fs;
            const double w = noise.next();
            x[i] = static_cast<float>((w - prev) * std::exp(-t / 0.02));  // first difference
            prev = w;
        }
        return x;
    }
    // Additive tone with 1/h harmonics, 5 ms attack, exponential decay to a sustain, 20 ms release.
    // Memoised: a song repeats few distinct notes.
    const std::vector<float>& tone(double hz, double seconds, int harmonics, double decay_s,
                                   double sustain, bool odd_only) {
        const auto key = std::make_tuple(hz, seconds, harmonics, decay_s, sustain, odd_only);
        const auto found = tones.find(key);
        if (found != tones.end()) return found->second;
        std::vector<float> x(len(seconds));
        const double attack = 0.005, release = 0.02;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = static_cast<double>(i) / fs;
            double env = sustain + (1.0 - sustain) * std::exp(-t / decay_s);
            env *= std::min(1.0, t / attack) * std::min(1.0, (seconds - t) / release);
            double v = 0.0;
            for (int h = 1; h <= harmonics; ++h) {
                if (odd_only && h % 2 == 0) continue;
                if (h * hz > 0.45 * fs) break;
                v += std::sin(k_two_pi * h * hz * t) / h;
            }
            x[i] = static_cast<float>(env * v);
        }
        return tones.emplace(key, std::move(x)).first->second;
    }
};

}  // namespace

std::vector<FormPart> standard_form(int bars) {
    const int half = std::max(1, bars / 2);
    return {{"intro", half},  {"verse", bars},  {"chorus", bars}, {"verse", bars},
            {"chorus", bars}, {"bridge", half}, {"chorus", bars}, {"outro", half}};
}

SyntheticSong make_song(const SongSpec& spec) {
    SyntheticSong song;
    song.tempo_bpm = spec.tempo_bpm;
    const double beat_s = 60.0 / spec.tempo_bpm;
    const double bar_s = 4.0 * beat_s;
    int total_bars = 0;
    for (const auto& p : spec.form) total_bars += p.bars;
    const double fs = spec.sample_rate_hz;
    const auto frames = static_cast<std::size_t>(std::lround(total_bars * bar_s * fs));
    Renderer r{fs,
               std::vector<std::vector<float>>(stem_count, std::vector<float>(frames, 0.0f)),
               Noise(spec.seed),
               {}};
    song.stem_names = {"kick", "snare", "hats", "bass", "pad", "lead"};
    song.activity.assign(stem_count,
                         std::vector<bool>(static_cast<std::size_t>(total_bars), false));

    const auto kick_x = r.kick_sound();
    int bar = 0;
    for (const auto& part : spec.form) {
        const auto& chords = chords_for(part.label);
        const bool full = part.label == "chorus";
        const bool groove = full || part.label == "verse" || part.label == "pre-chorus";
        const bool sparse = part.label == "intro" || part.label == "outro";
        song.sections.push_back({bar * bar_s, (bar + part.bars) * bar_s, part.label, bar});
        for (int b = 0; b < part.bars; ++b, ++bar) {
            const double t0 = bar * bar_s;
            const Chord& chord = chords[static_cast<std::size_t>(b) % chords.size()];
            auto active = [&](Stem s) { song.activity[s][static_cast<std::size_t>(bar)] = true; };
            for (int beat = 0; beat < 4; ++beat) {
                const double tb = t0 + beat * beat_s;
                if (groove || part.label == "bridge") {
                    if (full || (beat % 2 == 0 && (groove || beat == 0))) {
                        r.add(kick, r.frame(tb), kick_x, 0.9);
                        active(kick);
                    }
                }
                if (groove && beat % 2 == 1) {
                    r.add(snare, r.frame(tb), r.snare_sound(), full ? 0.5 : 0.4);
                    active(snare);
                }
                if (groove || sparse) {
                    const int per_beat = full ? 4 : 2;
                    for (int s = 0; s < per_beat; ++s) {
                        r.add(hats, r.frame(tb + s * beat_s / per_beat), r.hat_sound(),
                              sparse ? 0.12 : 0.2);
                        active(hats);
                    }
                }
                if (groove) {
                    for (int e = 0; e < 2; ++e) {
                        const double hz = midi_hz(chord.notes[0] - 24);
                        r.add(bass, r.frame(tb + e * beat_s / 2),
                              r.tone(hz, beat_s / 2, 6, 0.1, 0.6, false), full ? 0.45 : 0.35);
                        active(bass);
                    }
                }
                if (full) {
                    const int note = chord.notes[static_cast<std::size_t>(beat % 3)] + 12;
                    r.add(lead, r.frame(tb), r.tone(midi_hz(note), beat_s, 7, 0.25, 0.3, true),
                          0.3);
                    active(lead);
                }
            }
            const double pad_gain = full ? 0.12 : (sparse ? 0.06 : 0.08);
            for (int note : chord.notes)
                r.add(pad, r.frame(t0), r.tone(midi_hz(note), bar_s, 4, 1.0, 0.7, false), pad_gain);
            active(pad);
        }
    }
    for (int i = 0; i * beat_s < total_bars * bar_s - 1e-9; ++i) {
        song.beats_s.push_back(i * beat_s);
        if (i % 4 == 0) song.downbeats_s.push_back(i * beat_s);
    }

    // Stereo stems with fixed pans (equal-power), then one scale so the mix peaks at -1 dBFS.
    const std::array<double, stem_count> pan = {0.0, 0.1, 0.4, 0.0, -0.3, 0.25};
    std::vector<float> left(frames, 0.0f), right(frames, 0.0f);
    for (int s = 0; s < stem_count; ++s) {
        const double angle = (pan[static_cast<std::size_t>(s)] + 1.0) * std::numbers::pi / 4.0;
        const auto gl = static_cast<float>(std::cos(angle)),
                   gr = static_cast<float>(std::sin(angle));
        std::vector<float> l(frames), rr(frames);
        for (std::size_t i = 0; i < frames; ++i) {
            l[i] = gl * r.mono[static_cast<std::size_t>(s)][i];
            rr[i] = gr * r.mono[static_cast<std::size_t>(s)][i];
            left[i] += l[i];
            right[i] += rr[i];
        }
        song.stems.emplace_back(std::vector<std::vector<float>>{std::move(l), std::move(rr)}, fs);
    }
    float peak = 0.0f;
    for (std::size_t i = 0; i < frames; ++i)
        peak = std::max({peak, std::abs(left[i]), std::abs(right[i])});
    const auto scale = peak > 0.0f ? static_cast<float>(db_to_gain(-1.0) / peak) : 1.0f;
    for (std::size_t i = 0; i < frames; ++i) {
        left[i] *= scale;
        right[i] *= scale;
    }
    for (auto& stem : song.stems)
        for (int c = 0; c < 2; ++c)
            for (float& v : stem.channel(c)) v *= scale;
    song.mix = AudioBuffer({std::move(left), std::move(right)}, fs);
    return song;
}

Concatenation concatenate_excerpts(const std::vector<std::filesystem::path>& files, double start_s,
                                   double seconds_each, double sample_rate_hz) {
    Concatenation out;
    std::vector<float> left, right;
    const auto excerpt_frames =
        static_cast<std::size_t>(std::lround(seconds_each * sample_rate_hz));
    const auto fade = static_cast<std::size_t>(std::lround(0.005 * sample_rate_hz));
    for (const auto& file : files) {
        const AudioBuffer audio = io::resample(io::decode(file).audio, sample_rate_hz);
        const auto first = static_cast<std::size_t>(std::lround(start_s * sample_rate_hz));
        if (!left.empty())
            out.boundaries_s.push_back(static_cast<double>(left.size()) / sample_rate_hz);
        for (std::size_t i = 0; i < excerpt_frames; ++i) {
            const std::size_t src = first + i;
            float gain = 1.0f;
            if (i < fade) gain = static_cast<float>(i) / static_cast<float>(fade);
            if (excerpt_frames - 1 - i < fade)
                gain = static_cast<float>(excerpt_frames - 1 - i) / static_cast<float>(fade);
            const float l = src < audio.frames() ? audio.channel(0)[src] : 0.0f;
            const float rr =
                src < audio.frames() ? audio.channel(audio.channels() > 1 ? 1 : 0)[src] : 0.0f;
            left.push_back(gain * l);
            right.push_back(gain * rr);
        }
    }
    out.mix = AudioBuffer({std::move(left), std::move(right)}, sample_rate_hz);
    return out;
}

double f_measure(const std::vector<double>& detected, const std::vector<double>& reference,
                 double tolerance_s) {
    return sections::score_boundaries(detected, reference, tolerance_s).f;
}

}  // namespace secondear::test::arrangement
