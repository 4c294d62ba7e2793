#include "demo/synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/biquad.hpp"

namespace secondear::demo::synth {
namespace {

constexpr double k_two_pi = 2.0 * std::numbers::pi;

std::size_t frames_of(double seconds, double sample_rate_hz) {
    return static_cast<std::size_t>(std::llround(seconds * sample_rate_hz));
}

/// 0 -> 1 over x in [0, 1] with zero slope at both ends (a raised-cosine ramp: no click).
double raised_cosine(double x) {
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    return 0.5 - 0.5 * std::cos(std::numbers::pi * x);
}

/// Attack ramp, hold, release ramp (all raised-cosine), times in frames.
double ahr_envelope(std::size_t i, std::size_t attack, std::size_t hold_end, std::size_t release) {
    if (i >= attack && i < hold_end) return 1.0;
    const double up = raised_cosine((static_cast<double>(i) + 1.0) / static_cast<double>(attack));
    if (i < hold_end) return up;
    const double down =
        1.0 - raised_cosine(static_cast<double>(i - hold_end) / static_cast<double>(release));
    return std::min(up, down);
}

double decay_per_sample(double tau_s, double sample_rate_hz) {
    return std::exp(-1.0 / (tau_s * sample_rate_hz));
}

double cents_ratio(double cents) {
    return std::pow(2.0, cents / 1200.0);
}

}  // namespace

double midi_to_hz(double midi_note) {
    return 440.0 * std::pow(2.0, (midi_note - 69.0) / 12.0);
}

double PolyBlepSaw::next(double cycles_per_sample) noexcept {
    const double t = phase_;
    const double dt = cycles_per_sample;
    double blep = 0.0;
    if (t < dt) {
        const double x = t / dt;
        blep = x + x - x * x - 1.0;
    } else if (t > 1.0 - dt) {
        const double x = (t - 1.0) / dt;
        blep = x * x + x + x + 1.0;
    }
    phase_ += dt;
    if (phase_ >= 1.0) phase_ -= 1.0;
    return 2.0 * t - 1.0 - blep;
}

SineOsc::SineOsc(double freq_hz, double sample_rate_hz, double phase_rad) {
    const double w = k_two_pi * freq_hz / sample_rate_hz;
    k_ = 2.0 * std::cos(w);
    y1_ = std::sin(phase_rad - w);
    y2_ = std::sin(phase_rad - 2.0 * w);
}

void add_scaled(std::span<float> dst, std::size_t at, std::span<const float> src, double gain) {
    if (at >= dst.size()) return;
    const std::size_t n = std::min(src.size(), dst.size() - at);
    for (std::size_t i = 0; i < n; ++i) dst[at + i] += static_cast<float>(gain * src[i]);
}

KickHit make_kick_hit(double sample_rate_hz, Rng& rng) {
    const std::size_t n = frames_of(0.9, sample_rate_hz);
    KickHit hit{std::vector<float>(n), std::vector<float>(n), std::vector<float>(n)};
    dsp::Biquad click_hp;
    click_hp.set_coeffs(dsp::design_high_pass(2500.0, 0.7071, sample_rate_hz));
    const double body_decay = decay_per_sample(0.22, sample_rate_hz);
    const double long_decay = decay_per_sample(0.5, sample_rate_hz);
    const double click_decay = decay_per_sample(0.003, sample_rate_hz);
    double phase = 0.0;
    double body_env = 1.0;
    double long_env = 1.0;
    double click_env = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / sample_rate_hz;
        const double f = 48.0 + 112.0 * std::exp(-t / 0.03);
        const double s = std::sin(phase);
        phase += k_two_pi * f / sample_rate_hz;
        hit.body[i] = static_cast<float>(s * body_env);
        hit.body_long[i] = static_cast<float>(s * long_env);
        hit.click[i] = static_cast<float>(click_hp.process_sample(rng.bipolar() * click_env));
        body_env *= body_decay;
        long_env *= long_decay;
        click_env *= click_decay;
    }
    return hit;
}

SnareHit make_snare_hit(double sample_rate_hz, Rng& rng) {
    const std::size_t n = frames_of(0.6, sample_rate_hz);
    SnareHit hit{std::vector<float>(n), std::vector<float>(n), std::vector<float>(n)};
    dsp::Biquad wires_hp;
    dsp::Biquad wires_lp;
    wires_hp.set_coeffs(dsp::design_high_pass(1500.0, 0.7071, sample_rate_hz));
    wires_lp.set_coeffs(dsp::design_low_pass(9000.0, 0.7071, sample_rate_hz));
    SineOsc mode1(185.0, sample_rate_hz);
    SineOsc mode2(330.0, sample_rate_hz);
    const double shell_decay = decay_per_sample(0.08, sample_rate_hz);
    const double wires_decay = decay_per_sample(0.15, sample_rate_hz);
    const double stick_decay = decay_per_sample(0.0015, sample_rate_hz);
    const std::size_t wires_attack = frames_of(0.001, sample_rate_hz);
    double shell_env = 1.0;
    double wires_env = 1.0;
    double stick_env = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        hit.shell[i] = static_cast<float>((0.7 * mode1.next() + 0.4 * mode2.next()) * shell_env);
        const double attack =
            std::min(1.0, static_cast<double>(i + 1) / static_cast<double>(wires_attack + 1));
        const double noise = wires_lp.process_sample(wires_hp.process_sample(rng.bipolar()));
        hit.wires[i] = static_cast<float>(noise * wires_env * attack);
        hit.stick[i] = static_cast<float>(rng.bipolar() * stick_env);
        shell_env *= shell_decay;
        wires_env *= wires_decay;
        stick_env *= stick_decay;
    }
    return hit;
}

std::vector<float> make_hat_hit(double sample_rate_hz, double decay_s, Rng& rng) {
    std::vector<float> hit(frames_of(6.0 * decay_s, sample_rate_hz));
    dsp::Biquad hp;
    hp.set_coeffs(dsp::design_high_pass(7000.0, 0.7071, sample_rate_hz));
    const double decay = decay_per_sample(decay_s, sample_rate_hz);
    double env = 1.0;
    for (float& s : hit) {
        s = static_cast<float>(hp.process_sample(rng.bipolar()) * env);
        env *= decay;
    }
    return hit;
}

std::vector<float> make_crash_hit(double sample_rate_hz, Rng& rng) {
    std::vector<float> hit(frames_of(4.0, sample_rate_hz));
    dsp::Biquad hp;
    hp.set_coeffs(dsp::design_high_pass(3500.0, 0.7071, sample_rate_hz));
    const double decay = decay_per_sample(0.7, sample_rate_hz);
    double env = 1.0;
    for (float& s : hit) {
        s = static_cast<float>(hp.process_sample(rng.bipolar()) * env);
        env *= decay;
    }
    return hit;
}

void add_voice_note(std::span<float> out, const VoiceNote& note, double sample_rate_hz, Rng& rng) {
    constexpr std::array<double, 4> formant_weights = {1.0, 0.5, 0.25, 0.12};
    constexpr std::array<double, 4> formant_bandwidths_hz = {90.0, 110.0, 170.0, 250.0};
    std::array<dsp::Biquad, 4> formants;
    for (std::size_t k = 0; k < formants.size(); ++k)
        formants[k].set_coeffs(dsp::design_band_pass(
            note.vowel[k], note.vowel[k] / formant_bandwidths_hz[k], sample_rate_hz));
    dsp::Biquad tilt;  // the saw's -6 dB/octave becomes about -12 dB/octave, as a glottal pulse
    tilt.set_coeffs(dsp::design_first_order_low_pass(800.0, sample_rate_hz));
    PolyBlepSaw source;

    const std::size_t attack = frames_of(0.06, sample_rate_hz);
    const std::size_t release = frames_of(0.12, sample_rate_hz);
    const std::size_t ring = frames_of(0.03, sample_rate_hz);  // the resonators ring out
    const std::size_t total = note.length_frames + release + ring;
    for (std::size_t i = 0; i < total; ++i) {
        const std::size_t at = note.start_frame + i;
        if (at >= out.size()) break;
        const double t = static_cast<double>(i) / sample_rate_hz;
        const double vibrato_st =
            0.3 * std::min(1.0, t / 0.35) * std::sin(k_two_pi * note.vibrato_hz * t);
        const double scoop_st = -0.7 * std::exp(-t / 0.05);
        const double f = note.f0_hz * std::exp2((vibrato_st + scoop_st) / 12.0);
        const double env = ahr_envelope(i, attack, note.length_frames, release);
        const double x =
            (tilt.process_sample(source.next(f / sample_rate_hz)) + 0.03 * rng.bipolar()) * env;
        double y = 0.0;
        for (std::size_t k = 0; k < formants.size(); ++k)
            y += formant_weights[k] * formants[k].process_sample(x);
        out[at] += static_cast<float>(note.amplitude * y);
    }
}

void add_bass_note(std::span<float> out, std::size_t start, std::size_t slot_frames,
                   double midi_note, double amplitude, double sample_rate_hz) {
    const double f = midi_to_hz(midi_note);
    PolyBlepSaw saw;
    SineOsc fundamental(f, sample_rate_hz);
    dsp::Biquad lp;
    lp.set_coeffs(dsp::design_low_pass(1000.0, 0.7071, sample_rate_hz));
    const std::size_t sounding = slot_frames * 88 / 100;
    const std::size_t release = frames_of(0.015, sample_rate_hz);
    const std::size_t attack = frames_of(0.004, sample_rate_hz);
    const std::size_t hold_end = sounding > release ? sounding - release : 0;
    const double decay = decay_per_sample(0.12, sample_rate_hz);
    double body = 1.0;
    for (std::size_t i = 0; i < slot_frames && start + i < out.size(); ++i) {
        const double env =
            i < sounding ? ahr_envelope(i, attack, hold_end, release) * (0.75 + 0.25 * body) : 0.0;
        const double x = (0.5 * saw.next(f / sample_rate_hz) + 0.8 * fundamental.next()) * env;
        out[start + i] += static_cast<float>(amplitude * lp.process_sample(x));
        body *= decay;
    }
}

void add_guitar_chord(std::span<float> out, std::size_t start, std::size_t length_frames,
                      double root_midi, double amplitude, double drive_db, double decay_s,
                      double sample_rate_hz) {
    constexpr std::array<double, 3> intervals = {0.0, 7.0, 12.0};
    std::array<PolyBlepSaw, 6> saws = {PolyBlepSaw(0.0),  PolyBlepSaw(0.31), PolyBlepSaw(0.57),
                                       PolyBlepSaw(0.13), PolyBlepSaw(0.79), PolyBlepSaw(0.42)};
    std::array<double, 6> increments{};
    for (std::size_t k = 0; k < saws.size(); ++k)
        increments[k] = midi_to_hz(root_midi + intervals[k / 2]) *
                        cents_ratio(k % 2 == 0 ? -4.0 : 4.0) / sample_rate_hz;
    dsp::Biquad pre_hp;
    pre_hp.set_coeffs(dsp::design_high_pass(120.0, 0.7071, sample_rate_hz));
    const auto cabinet = dsp::butterworth_low_pass_sections(3200.0, 4, sample_rate_hz);
    std::array<dsp::Biquad, 2> cab;
    for (std::size_t k = 0; k < cab.size(); ++k) cab[k].set_coeffs(cabinet[k]);

    const double drive_gain = std::pow(10.0, drive_db / 20.0);
    const std::size_t attack = frames_of(0.002, sample_rate_hz);
    const std::size_t release = frames_of(0.025, sample_rate_hz);
    const double decay = decay_per_sample(decay_s, sample_rate_hz);
    double env_decay = 1.0;
    for (std::size_t i = 0; i < length_frames + release && start + i < out.size(); ++i) {
        double x = 0.0;
        for (std::size_t k = 0; k < saws.size(); ++k) x += saws[k].next(increments[k]);
        const double env = ahr_envelope(i, attack, length_frames, release) * env_decay;
        double y = std::tanh(drive_gain * pre_hp.process_sample(x / 6.0 * env));
        for (auto& section : cab) y = section.process_sample(y);
        out[start + i] += static_cast<float>(amplitude * y);
        env_decay *= decay;
    }
}

void add_keys_note(std::span<float> left, std::span<float> right, std::size_t start,
                   std::size_t length_frames, double midi_note, double amplitude, double pan,
                   double sample_rate_hz) {
    struct Partial {
        double harmonic;
        double weight;
        double decay_s;
    };
    constexpr std::array<Partial, 4> partials = {
        {{1.0, 1.0, 1.5}, {2.0, 0.35, 0.5}, {3.0, 0.12, 0.25}, {7.0, 0.08, 0.03}}};
    const double f = midi_to_hz(midi_note);
    std::array<SineOsc, 4> osc = {SineOsc(f * partials[0].harmonic, sample_rate_hz),
                                  SineOsc(f * partials[1].harmonic, sample_rate_hz),
                                  SineOsc(f * partials[2].harmonic, sample_rate_hz),
                                  SineOsc(f * partials[3].harmonic, sample_rate_hz)};
    std::array<double, 4> env{};
    std::array<double, 4> decay{};
    for (std::size_t k = 0; k < partials.size(); ++k) {
        env[k] = partials[k].weight;
        decay[k] = decay_per_sample(partials[k].decay_s, sample_rate_hz);
    }
    // Constant-power pan: angle from 0 (left) to pi/2 (right).
    const double angle = (std::clamp(pan, -1.0, 1.0) + 1.0) * std::numbers::pi / 4.0;
    const double gain_l = amplitude * std::cos(angle);
    const double gain_r = amplitude * std::sin(angle);
    const std::size_t attack = frames_of(0.003, sample_rate_hz);
    const std::size_t release = frames_of(0.08, sample_rate_hz);
    for (std::size_t i = 0; i < length_frames + release && start + i < left.size(); ++i) {
        double x = 0.0;
        for (std::size_t k = 0; k < partials.size(); ++k) {
            x += env[k] * osc[k].next();
            env[k] *= decay[k];
        }
        x *= ahr_envelope(i, attack, length_frames, release);
        left[start + i] += static_cast<float>(gain_l * x);
        right[start + i] += static_cast<float>(gain_r * x);
    }
}

void add_pad_chord(std::span<float> left, std::span<float> right, std::size_t start,
                   std::size_t length_frames, std::span<const int> midi_notes, double amplitude,
                   double sample_rate_hz) {
    std::vector<PolyBlepSaw> saws_l;
    std::vector<PolyBlepSaw> saws_r;
    std::vector<double> inc_l;
    std::vector<double> inc_r;
    for (std::size_t k = 0; k < midi_notes.size(); ++k) {
        const double f = midi_to_hz(midi_notes[k]);
        // Spread the starting phases so the voices do not start as one sharp edge.
        saws_l.emplace_back(0.173 * static_cast<double>(k));
        saws_r.emplace_back(0.5 + 0.291 * static_cast<double>(k));
        inc_l.push_back(f * cents_ratio(-6.0) / sample_rate_hz);
        inc_r.push_back(f * cents_ratio(6.0) / sample_rate_hz);
    }
    dsp::Biquad lp_l;
    dsp::Biquad lp_r;
    lp_l.set_coeffs(dsp::design_low_pass(1600.0, 0.7071, sample_rate_hz));
    lp_r.set_coeffs(lp_l.coeffs());
    const std::size_t attack = frames_of(0.4, sample_rate_hz);
    const std::size_t release = frames_of(0.6, sample_rate_hz);
    const double per_voice =
        amplitude / static_cast<double>(std::max<std::size_t>(1, saws_l.size()));
    for (std::size_t i = 0; i < length_frames + release && start + i < left.size(); ++i) {
        double xl = 0.0;
        double xr = 0.0;
        for (std::size_t k = 0; k < saws_l.size(); ++k) {
            xl += saws_l[k].next(inc_l[k]);
            xr += saws_r[k].next(inc_r[k]);
        }
        const double env = per_voice * ahr_envelope(i, attack, length_frames, release);
        left[start + i] += static_cast<float>(lp_l.process_sample(xl * env));
        right[start + i] += static_cast<float>(lp_r.process_sample(xr * env));
    }
}

}  // namespace secondear::demo::synth
