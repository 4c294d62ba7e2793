#pragma once
// Instruments for the demo session: a seeded generator, oscillators and one function per sound
// (drum hits, sung notes, bass, driven guitar, electric piano, pad). Private to the demo layer.
// Every function adds into mono planes (std::span<float>) at a start frame; writes past the end
// are dropped. Amplitudes are relative: the session scales each track to its stem level.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace secondear::demo::synth {

/// SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): 64-bit state, the same sequence on every platform and standard library.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next_u64() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [-1, 1), 53 bits.
    double bipolar() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-52 - 1.0; }

  private:
    std::uint64_t state_;
};

double midi_to_hz(double midi_note);

/// Sawtooth in [-1, 1] with the two-sample polynomial band-limited step correction (polyBLEP,
/// V. Valimaki and A. Huovilainen, "Antialiasing oscillators in subtractive synthesis", IEEE
/// Signal Processing Magazine, 2007). phase is in cycles.
class PolyBlepSaw {
  public:
    explicit PolyBlepSaw(double phase_cycles = 0.0) : phase_(phase_cycles) {}
    /// cycles_per_sample must be in (0, 0.5).
    double next(double cycles_per_sample) noexcept;

  private:
    double phase_;
};

/// Sine by the second-order recursion y[n] = 2 cos(w) y[n-1] - y[n-2] (exact in exact arithmetic,
/// stable in double over the few seconds of a note, and much cheaper than std::sin per sample).
class SineOsc {
  public:
    SineOsc(double freq_hz, double sample_rate_hz, double phase_rad = 0.0);
    double next() noexcept {
        const double y = k_ * y1_ - y2_;
        y2_ = y1_;
        y1_ = y;
        return y;
    }

  private:
    double k_;
    double y1_;
    double y2_;
};

/// Adds src * gain into dst from frame `at`, dropping what falls past the end of dst.
void add_scaled(std::span<float> dst, std::size_t at, std::span<const float> src, double gain);

/// One kick drum hit, split into the parts the two kick mics hear differently: `body` (pitch
/// sweep 160 -> 48 Hz, 0.22 s decay), `body_long` (the same sweep, same phase, 0.5 s decay: the
/// shell's boom a mic outside the drum hears) and `click` (beater attack, high-passed noise).
struct KickHit {
    std::vector<float> body;
    std::vector<float> body_long;
    std::vector<float> click;
};
KickHit make_kick_hit(double sample_rate_hz, Rng& rng);

/// One snare hit: `shell` (two drum modes), `wires` (band-passed noise, longer) and `stick`
/// (a 1.5 ms noise tick). Each call draws new noise.
struct SnareHit {
    std::vector<float> shell;
    std::vector<float> wires;
    std::vector<float> stick;
};
SnareHit make_snare_hit(double sample_rate_hz, Rng& rng);

/// A hi-hat: noise high-passed at 7 kHz with an exponential decay (1/e time decay_s).
std::vector<float> make_hat_hit(double sample_rate_hz, double decay_s, Rng& rng);
/// A crash cymbal: noise high-passed at 3.5 kHz, 0.7 s decay (1/e), 4 s long.
std::vector<float> make_crash_hit(double sample_rate_hz, Rng& rng);

/// Formant frequencies (Hz) of a vowel, F1..F4.
using Vowel = std::array<double, 4>;
inline constexpr Vowel k_vowel_a = {730.0, 1090.0, 2440.0, 3400.0};
inline constexpr Vowel k_vowel_o = {570.0, 840.0, 2410.0, 3300.0};
inline constexpr Vowel k_vowel_e = {530.0, 1840.0, 2480.0, 3500.0};
inline constexpr Vowel k_vowel_u = {300.0, 870.0, 2240.0, 3200.0};

struct VoiceNote {
    double f0_hz = 220.0;
    std::size_t start_frame = 0;
    std::size_t length_frames = 0;  // to the start of the release (0.12 s more)
    double amplitude = 1.0;
    Vowel vowel = k_vowel_a;
    double vibrato_hz = 5.5;
};
/// A sung note: a sawtooth glottal source tilted by a one-pole low-pass, a little breath noise,
/// a pitch scoop into the note and delayed vibrato (0.3 semitone), through four parallel
/// band-pass formant resonators (RBJ constant-peak band-pass, F1..F4 weighted 1, 0.5, 0.25,
/// 0.12). Raised-cosine attack (60 ms) and release (120 ms).
void add_voice_note(std::span<float> out, const VoiceNote& note, double sample_rate_hz, Rng& rng);

/// A DI bass note confined to [start, start + slot_frames): sawtooth plus sine fundamental through
/// a 1 kHz low-pass, 4 ms attack, decay to 75 %, and a release that reaches zero at 88 % of the
/// slot, so nothing of the note sounds in the next slot.
void add_bass_note(std::span<float> out, std::size_t start, std::size_t slot_frames,
                   double midi_note, double amplitude, double sample_rate_hz);

/// A power chord (root, fifth, octave; two detuned saws each) high-passed at 120 Hz, driven into
/// tanh with drive_db of gain, then a 4th-order 3.2 kHz low-pass (the cabinet). Held
/// length_frames, then a 25 ms release.
void add_guitar_chord(std::span<float> out, std::size_t start, std::size_t length_frames,
                      double root_midi, double amplitude, double drive_db, double decay_s,
                      double sample_rate_hz);

/// An electric-piano note (partials 1, 2, 3 and a short tine at 7, each with its own decay),
/// placed in a stereo pair with constant-power pan (-1 left .. +1 right). Held length_frames,
/// then an 80 ms release.
void add_keys_note(std::span<float> left, std::span<float> right, std::size_t start,
                   std::size_t length_frames, double midi_note, double amplitude, double pan,
                   double sample_rate_hz);

/// A pad chord: each note two saws detuned by -/+6 cents, one per channel, low-passed at 1.6 kHz;
/// 0.4 s attack, held length_frames, 0.6 s release.
void add_pad_chord(std::span<float> left, std::span<float> right, std::size_t start,
                   std::size_t length_frames, std::span<const int> midi_notes, double amplitude,
                   double sample_rate_hz);

}  // namespace secondear::demo::synth
