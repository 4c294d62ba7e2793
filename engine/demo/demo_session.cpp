#include "demo/demo_session.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string_view>

#include "core/errors.hpp"
#include "core/units.hpp"
#include "demo/synth.hpp"
#include "dsp/biquad.hpp"

namespace secondear::demo {
namespace {

using synth::Rng;

// The form of the full song: label and bars (bars_per_section_scale divides these).
struct FormPart {
    std::string_view label;
    int bars;
};
constexpr std::array<FormPart, 6> k_form = {
    {{"intro", 2}, {"verse", 4}, {"chorus", 4}, {"verse", 4}, {"chorus", 4}, {"outro", 2}}};

struct Chord {
    int bass_midi;             // the bass's root (octave 1-2)
    std::array<int, 3> triad;  // close voicing around middle C
};
// Verse Am F Dm E; chorus C G F G: different roots and chroma, so the sections differ in harmony.
constexpr std::array<Chord, 4> k_verse_chords = {
    {{33, {57, 60, 64}}, {29, {57, 60, 65}}, {38, {57, 62, 65}}, {28, {56, 59, 64}}}};
constexpr std::array<Chord, 4> k_chorus_chords = {
    {{36, {55, 60, 64}}, {31, {55, 59, 62}}, {29, {57, 60, 65}}, {31, {55, 59, 62}}}};

struct Bar {
    double start_s = 0.0;
    std::string_view label;
    int bar_in_section = 0;
    int section_bars = 0;
    int occurrence = 0;  // 1 for the first verse, 2 for the second...
    bool last_of_song = false;
    Chord chord{};
};

// Stem levels: musical peaks before any planted noise, deliberately not balanced.
struct StemLevels {
    static constexpr double kick_in_dbfs = -6.0;
    static constexpr double kick_out_dbfs = -11.0;
    static constexpr double snare_top_dbfs = -9.0;
    static constexpr double snare_bottom_dbfs = -17.0;
    static constexpr double hihat_dbfs = -20.0;
    static constexpr double overheads_dbfs = -13.0;
    static constexpr double bass_dbfs = -16.0;
    static constexpr double guitar_dbfs = -10.0;
    static constexpr double keys_dbfs = -15.0;
    static constexpr double pad_dbfs = -19.0;
    static constexpr double lead_vocal_dbfs = -11.0;
    static constexpr double backing_vocal_dbfs = -17.0;
};

// The planted faults' sizes.
constexpr double k_kick_offset_ms = 1.3;
constexpr double k_vocal_noise_dbfs = -50.0;
constexpr double k_rumble_hz = 20.0;
constexpr double k_rumble_dbfs = -20.0;
constexpr double k_bass_jump_db = 8.0;
constexpr double k_guitar_drive_db = 20.0;

class Song {
  public:
    explicit Song(const DemoOptions& o) : sr(o.sample_rate_hz), beat_s(60.0 / o.tempo_bpm) {
        const int scale = o.bars_per_section_scale;
        std::array<int, 2> verse_chorus_count = {0, 0};
        int bar_index = 0;
        for (const FormPart& part : k_form) {
            const int bars = std::max(1, part.bars / scale);
            int occurrence = 1;
            if (part.label == "verse") occurrence = ++verse_chorus_count[0];
            if (part.label == "chorus") occurrence = ++verse_chorus_count[1];
            sections.push_back(
                {bar_s() * bar_index, bar_s() * (bar_index + bars), std::string(part.label)});
            for (int b = 0; b < bars; ++b, ++bar_index) {
                const auto& progression = part.label == "chorus" ? k_chorus_chords : k_verse_chords;
                Bar bar{bar_s() * bar_index,
                        part.label,
                        b,
                        bars,
                        occurrence,
                        false,
                        progression[static_cast<std::size_t>(b) % progression.size()]};
                bars_.push_back(bar);
            }
        }
        bars_.back().last_of_song = true;
        if (bars_.back().label == "outro") bars_.back().chord = k_verse_chords[0];
        total_frames = frame(bar_s() * bar_index);
    }

    double bar_s() const { return 4.0 * beat_s; }
    std::size_t frame(double t_s) const { return static_cast<std::size_t>(std::llround(t_s * sr)); }
    std::size_t frame(const Bar& bar, double beat) const {
        return frame(bar.start_s + beat * beat_s);
    }
    std::size_t frames_of_beats(double beats) const { return frame(beats * beat_s); }
    const std::vector<Bar>& bars() const { return bars_; }
    double duration_s() const { return static_cast<double>(total_frames) / sr; }

    double sr;
    double beat_s;
    std::size_t total_frames = 0;
    std::vector<DemoSection> sections;

  private:
    std::vector<Bar> bars_;
};

/// An independent stream per track, so adding a track never changes another's noise.
Rng stream(std::uint64_t seed, std::uint64_t track_id) {
    Rng r(seed ^ (0xD1B54A32D192ED03ull * (track_id + 1)));
    r.next_u64();
    return r;
}

using Planes = std::vector<std::vector<float>>;

Planes silent(const Song& song, int channels) {
    return Planes(static_cast<std::size_t>(channels), std::vector<float>(song.total_frames, 0.0f));
}

double peak_of(const Planes& planes) {
    float peak = 0.0f;
    for (const auto& p : planes)
        for (float s : p) peak = std::max(peak, std::abs(s));
    return peak;
}

void scale(Planes& planes, double gain_lin) {
    for (auto& p : planes)
        for (float& s : p) s = static_cast<float>(s * gain_lin);
}

void scale_to_peak(Planes& planes, double peak_dbfs) {
    const double peak = peak_of(planes);
    if (peak > 0.0) scale(planes, db_to_gain(peak_dbfs) / peak);
}

double rms_of(std::span<const float> x) {
    double sum = 0.0;
    for (float s : x) sum += static_cast<double>(s) * s;
    return x.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(x.size()));
}

/// Scales x so that its RMS is rms_dbfs.
void scale_to_rms(std::vector<float>& x, double rms_dbfs) {
    const double rms = rms_of(x);
    if (rms <= 0.0) return;
    const double g = db_to_gain(rms_dbfs) / rms;
    for (float& s : x) s = static_cast<float>(s * g);
}

/// A raised-cosine fade over the last 10 ms of every track, so no tail is cut with a click.
void fade_out_end(Planes& planes, double sample_rate_hz) {
    for (auto& p : planes) {
        const std::size_t n = std::min(p.size(), static_cast<std::size_t>(0.01 * sample_rate_hz));
        for (std::size_t i = 0; i < n; ++i) {
            const double x = static_cast<double>(i) / static_cast<double>(n);
            p[p.size() - 1 - i] = static_cast<float>(p[p.size() - 1 - i] *
                                                     (0.5 - 0.5 * std::cos(std::numbers::pi * x)));
        }
    }
}

struct DrumHit {
    double beat;
    double velocity;
};

struct DrumPattern {
    std::vector<DrumHit> kick;
    std::vector<DrumHit> snare;
    std::vector<DrumHit> hat;
    std::vector<DrumHit> open_hat;
    bool crash = false;
};

DrumPattern drum_pattern(const Bar& bar) {
    DrumPattern p;
    if (bar.label == "intro") {
        for (int b = 0; b < 4; ++b) p.hat.push_back({static_cast<double>(b), 0.7});
    } else if (bar.label == "verse") {
        p.kick = {{0.0, 0.75}, {2.0, 0.7}, {2.5, 0.5}};  // the drummer holds back in the verse
        p.snare = {{1.0, 0.7}, {3.0, 0.7}};
        for (int e = 0; e < 8; ++e) p.hat.push_back({0.5 * e, e % 2 == 0 ? 0.6 : 0.4});
    } else if (bar.label == "chorus") {
        p.kick = {{0.0, 1.0}, {1.0, 0.9}, {2.0, 1.0}, {3.0, 0.9}, {3.5, 0.65}};
        p.snare = {{1.0, 1.0}, {3.0, 1.0}};
        if (bar.bar_in_section == bar.section_bars - 1) p.snare.push_back({3.75, 0.6});
        constexpr std::array<double, 4> accents = {1.0, 0.5, 0.7, 0.5};
        for (int s = 0; s < 16; ++s)
            if (s != 14) p.hat.push_back({0.25 * s, accents[static_cast<std::size_t>(s) % 4]});
        p.open_hat = {{3.5, 0.8}};
        p.crash = bar.bar_in_section == 0;
    } else {  // outro: a kick on the one, quarter hats that stop before the end
        p.kick = {{0.0, 1.0}};
        for (int b = 0; b < (bar.last_of_song ? 3 : 4); ++b)
            p.hat.push_back({static_cast<double>(b), 0.6});
    }
    return p;
}

struct Drums {
    Planes kick_in, kick_out, snare_top, snare_bottom, hihat, overheads;
};

Drums make_drums(const Song& song, const DemoOptions& o, std::size_t kick_offset_frames) {
    Drums d{silent(song, 1), silent(song, 1), silent(song, 1),
            silent(song, 1), silent(song, 1), silent(song, 2)};
    Rng kick_rng = stream(o.seed, 1);
    Rng snare_rng = stream(o.seed, 2);
    Rng hat_rng = stream(o.seed, 3);
    Rng cymbal_rng = stream(o.seed, 4);
    const synth::KickHit kick = synth::make_kick_hit(song.sr, kick_rng);
    const double bottom_sign = o.faults ? -1.0 : 1.0;
    auto ms = [&](double t_ms) { return song.frame(t_ms / 1000.0); };
    // Distances from the kit to the overhead pair, as delays (left, right).
    const std::size_t oh_kick = ms(4.4);
    const std::array<std::size_t, 2> oh_snare = {ms(3.1), ms(3.6)};
    const std::array<std::size_t, 2> oh_hat = {ms(3.9), ms(2.7)};
    const std::array<double, 2> oh_snare_gain = {0.45, 0.35};
    const std::array<double, 2> oh_hat_gain = {0.25, 0.4};

    for (const Bar& bar : song.bars()) {
        const DrumPattern p = drum_pattern(bar);
        for (const DrumHit& h : p.kick) {
            const std::size_t at = song.frame(bar, h.beat);
            const double v = h.velocity;
            synth::add_scaled(d.kick_in[0], at, kick.body, v);
            synth::add_scaled(d.kick_in[0], at, kick.click, 0.9 * v);
            const std::size_t out_at = at + kick_offset_frames;
            synth::add_scaled(d.kick_out[0], out_at, kick.body, 0.55 * v);
            synth::add_scaled(d.kick_out[0], out_at, kick.body_long, 0.8 * v);
            synth::add_scaled(d.kick_out[0], out_at, kick.click, 0.08 * v);
            for (auto& oh : d.overheads) {
                synth::add_scaled(oh, at + oh_kick, kick.body_long, 0.25 * v);
                synth::add_scaled(oh, at + oh_kick, kick.click, 0.05 * v);
            }
            // The kick rattles the snare wires: buzz the bottom mic hears.
            const synth::SnareHit buzz = synth::make_snare_hit(song.sr, snare_rng);
            synth::add_scaled(d.snare_bottom[0], at, buzz.wires, 0.12 * v);
        }
        for (const DrumHit& h : p.snare) {
            const std::size_t at = song.frame(bar, h.beat);
            const double v = h.velocity;
            const synth::SnareHit s = synth::make_snare_hit(song.sr, snare_rng);
            synth::add_scaled(d.snare_top[0], at, s.shell, v);
            synth::add_scaled(d.snare_top[0], at, s.wires, 0.45 * v);
            synth::add_scaled(d.snare_top[0], at, s.stick, 0.7 * v);
            synth::add_scaled(d.snare_bottom[0], at, s.shell, bottom_sign * 0.45 * v);
            synth::add_scaled(d.snare_bottom[0], at, s.wires, bottom_sign * 1.0 * v);
            synth::add_scaled(d.snare_bottom[0], at, s.stick, bottom_sign * 0.05 * v);
            synth::add_scaled(d.kick_out[0], at, s.shell, 0.05 * v);  // bleed
            for (std::size_t c = 0; c < 2; ++c) {
                const double g = oh_snare_gain[c] * v;
                synth::add_scaled(d.overheads[c], at + oh_snare[c], s.shell, g);
                synth::add_scaled(d.overheads[c], at + oh_snare[c], s.wires, 0.8 * g);
                synth::add_scaled(d.overheads[c], at + oh_snare[c], s.stick, 0.3 * g);
            }
        }
        auto add_hats = [&](const std::vector<DrumHit>& hits, double decay_s) {
            for (const DrumHit& h : hits) {
                const std::size_t at = song.frame(bar, h.beat);
                const std::vector<float> hat = synth::make_hat_hit(song.sr, decay_s, hat_rng);
                synth::add_scaled(d.hihat[0], at, hat, h.velocity);
                for (std::size_t c = 0; c < 2; ++c)
                    synth::add_scaled(d.overheads[c], at + oh_hat[c], hat,
                                      oh_hat_gain[c] * h.velocity);
            }
        };
        add_hats(p.hat, 0.03);
        add_hats(p.open_hat, 0.25);
        if (p.crash) {
            const std::size_t at = song.frame(bar, 0.0);
            for (auto& oh : d.overheads)
                synth::add_scaled(oh, at, synth::make_crash_hit(song.sr, cymbal_rng), 0.6);
        }
    }
    scale_to_peak(d.kick_in, StemLevels::kick_in_dbfs);
    scale_to_peak(d.kick_out, StemLevels::kick_out_dbfs);
    scale_to_peak(d.snare_top, StemLevels::snare_top_dbfs);
    scale_to_peak(d.snare_bottom, StemLevels::snare_bottom_dbfs);
    scale_to_peak(d.hihat, StemLevels::hihat_dbfs);
    scale_to_peak(d.overheads, StemLevels::overheads_dbfs);
    return d;
}

/// The bass's phrase that jumps in level: bars [1, 3) of the second verse (clamped to the
/// verse's length).
std::pair<double, double> bass_jump_window_s(const Song& song) {
    for (const Bar& bar : song.bars()) {
        if (bar.label != "verse" || bar.occurrence != 2 || bar.bar_in_section != 0) continue;
        const int first = std::min(1, bar.section_bars - 1);
        const int last = std::min(first + 2, bar.section_bars);
        return {bar.start_s + first * song.bar_s(), bar.start_s + last * song.bar_s()};
    }
    return {0.0, 0.0};
}

Planes make_bass(const Song& song, const DemoOptions& o) {
    Planes bass = silent(song, 1);
    constexpr std::array<double, 8> velocities = {1.0, 0.7, 0.85, 0.7, 0.95, 0.7, 0.85, 0.7};
    constexpr std::array<int, 8> chorus_octaves = {0, 0, 12, 0, 0, 0, 12, 0};
    for (const Bar& bar : song.bars()) {
        if (bar.label == "intro") continue;
        if (bar.label == "outro") {
            const std::size_t at = song.frame(bar, 0.0);
            synth::add_bass_note(bass[0], at, song.frame(bar, 4.0) - at, bar.chord.bass_midi, 0.9,
                                 song.sr);
            continue;
        }
        for (std::size_t e = 0; e < 8; ++e) {
            const double beat = 0.5 * static_cast<double>(e);
            const std::size_t at = song.frame(bar, beat);
            const int octave = bar.label == "chorus" ? chorus_octaves[e] : 0;
            synth::add_bass_note(bass[0], at, song.frame(bar, beat + 0.5) - at,
                                 bar.chord.bass_midi + octave, velocities[e], song.sr);
        }
    }
    scale_to_peak(bass, StemLevels::bass_dbfs);
    if (o.faults) {
        // Notes never sound outside their slot, so scaling the window scales exactly the notes
        // played in it: the player digging in for one phrase.
        const auto [start_s, end_s] = bass_jump_window_s(song);
        const double g = db_to_gain(k_bass_jump_db);
        for (std::size_t i = song.frame(start_s); i < song.frame(end_s); ++i)
            bass[0][i] = static_cast<float>(bass[0][i] * g);
    }
    return bass;
}

Planes make_guitar(const Song& song) {
    Planes gtr = silent(song, 1);
    for (const Bar& bar : song.bars()) {
        const double root = bar.chord.bass_midi + 12;
        auto chord = [&](double beat, double beats, double amplitude, double decay_s) {
            synth::add_guitar_chord(gtr[0], song.frame(bar, beat), song.frames_of_beats(beats),
                                    root, amplitude, k_guitar_drive_db, decay_s, song.sr);
        };
        if (bar.label == "verse") {
            chord(0.0, 1.5, 0.45, 1.2);  // two quiet stabs; the chorus opens up
            chord(2.5, 1.0, 0.45, 1.2);
        } else if (bar.label == "chorus") {
            for (int e = 0; e < 8; ++e) chord(0.5 * e, 0.4, 1.0, 0.15);
        } else if (bar.label == "outro" && bar.bar_in_section == 0) {
            chord(0.0, 3.0, 0.8, 1.0);
        }
    }
    scale_to_peak(gtr, StemLevels::guitar_dbfs);
    return gtr;
}

struct KeysHit {
    double beat;
    double beats;
};

Planes make_keys(const Song& song, const DemoOptions& o) {
    Planes keys = silent(song, 2);
    constexpr std::array<double, 4> pans = {-0.5, -0.15, 0.2, 0.5};
    for (const Bar& bar : song.bars()) {
        std::vector<KeysHit> hits;
        if (bar.label == "verse") hits = {{0.0, 1.8}, {2.0, 1.8}};
        if (bar.label == "chorus") hits = {{0.0, 1.25}, {1.5, 0.4}, {2.0, 1.25}, {3.5, 0.4}};
        if (bar.label == "intro" || bar.label == "outro")
            hits = {{0.0, bar.last_of_song ? 3.0 : 3.6}};
        const double amplitude = bar.label == "chorus" ? 1.0 : 0.6;
        for (const KeysHit& h : hits) {
            const std::array<int, 4> notes = {bar.chord.bass_midi + 12, bar.chord.triad[0],
                                              bar.chord.triad[1], bar.chord.triad[2]};
            for (std::size_t k = 0; k < notes.size(); ++k)
                synth::add_keys_note(keys[0], keys[1], song.frame(bar, h.beat),
                                     song.frames_of_beats(h.beats), notes[k], amplitude, pans[k],
                                     song.sr);
        }
    }
    scale_to_peak(keys, StemLevels::keys_dbfs);
    if (o.faults) {
        // Handling noise on the keyboard stand: a 4th-order band of noise around k_rumble_hz
        // (two RBJ band-passes, Q 1), the same in both channels.
        Rng rng = stream(o.seed, 5);
        dsp::Biquad bp1;
        dsp::Biquad bp2;
        bp1.set_coeffs(dsp::design_band_pass(k_rumble_hz, 1.0, song.sr));
        bp2.set_coeffs(bp1.coeffs());
        std::vector<float> rumble(song.total_frames);
        for (float& s : rumble)
            s = static_cast<float>(bp2.process_sample(bp1.process_sample(rng.bipolar())));
        scale_to_rms(rumble, k_rumble_dbfs);
        for (auto& plane : keys) synth::add_scaled(plane, 0, rumble, 1.0);
    }
    return keys;
}

Planes make_pad(const Song& song) {
    Planes pad = silent(song, 2);
    const std::size_t last_release = song.frame(0.8);
    for (const Bar& bar : song.bars()) {
        const std::array<int, 4> notes = {bar.chord.bass_midi + 24, bar.chord.triad[0],
                                          bar.chord.triad[1], bar.chord.triad[2]};
        const std::size_t bar_frames = song.frames_of_beats(4.0);
        const std::size_t length = bar.last_of_song ? bar_frames - last_release : bar_frames;
        const double amplitude = bar.label == "chorus" ? 1.0 : 0.6;
        synth::add_pad_chord(pad[0], pad[1], song.frame(bar, 0.0), length, notes, amplitude,
                             song.sr);
    }
    scale_to_peak(pad, StemLevels::pad_dbfs);
    return pad;
}

struct SungNote {
    double beat;
    double beats;
    std::size_t tone;  // index into the triad; 3 = the root an octave up
    synth::Vowel vowel;
};

Planes make_lead_vocal(const Song& song, const DemoOptions& o) {
    Planes vox = silent(song, 1);
    Rng rng = stream(o.seed, 6);
    // Verse: three low notes, then 0.6 s of silence; chorus: four notes reaching higher.
    const std::vector<SungNote> verse = {{0.0, 0.9, 2, synth::k_vowel_a},
                                         {1.0, 0.6, 1, synth::k_vowel_o},
                                         {1.75, 0.75, 0, synth::k_vowel_e}};
    const std::vector<SungNote> chorus = {{0.0, 0.6, 1, synth::k_vowel_a},
                                          {0.75, 0.6, 2, synth::k_vowel_e},
                                          {1.5, 0.9, 3, synth::k_vowel_a},
                                          {2.5, 0.4, 2, synth::k_vowel_o}};
    for (const Bar& bar : song.bars()) {
        if (bar.label != "verse" && bar.label != "chorus") continue;
        const bool is_chorus = bar.label == "chorus";
        const auto& notes = is_chorus ? chorus : verse;
        for (std::size_t k = 0; k < notes.size(); ++k) {
            const SungNote& n = notes[k];
            const int midi = n.tone == 3 ? bar.chord.triad[0] + 12 : bar.chord.triad[n.tone];
            synth::VoiceNote note;
            note.f0_hz = synth::midi_to_hz(midi);
            note.start_frame = song.frame(bar, n.beat);
            note.length_frames = song.frames_of_beats(n.beats);
            note.amplitude = is_chorus ? 1.0 : 0.35;  // intimate verse, sung-out chorus
            note.vowel = n.vowel;
            note.vibrato_hz = 5.3 + 0.2 * static_cast<double>(k % 3);
            synth::add_voice_note(vox[0], note, song.sr, rng);
        }
    }
    scale_to_peak(vox, StemLevels::lead_vocal_dbfs);
    if (o.faults) {
        // Preamp hiss (white, high-passed at 200 Hz) and mains hum (60 Hz and two harmonics),
        // equal in power, summed and set to k_vocal_noise_dbfs RMS.
        Rng noise_rng = stream(o.seed, 7);
        dsp::Biquad hp;
        hp.set_coeffs(dsp::design_high_pass(200.0, 0.7071, song.sr));
        std::vector<float> hiss(song.total_frames);
        for (float& s : hiss) s = static_cast<float>(hp.process_sample(noise_rng.bipolar()));
        scale_to_rms(hiss, 0.0);
        std::vector<float> hum(song.total_frames);
        synth::SineOsc h1(60.0, song.sr);
        synth::SineOsc h2(120.0, song.sr);
        synth::SineOsc h3(180.0, song.sr);
        for (float& s : hum) s = static_cast<float>(h1.next() + 0.5 * h2.next() + 0.3 * h3.next());
        scale_to_rms(hum, 0.0);
        std::vector<float> noise(song.total_frames);
        for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = hiss[i] + hum[i];
        scale_to_rms(noise, k_vocal_noise_dbfs);
        synth::add_scaled(vox[0], 0, noise, 1.0);
    }
    return vox;
}

Planes make_backing_vocal(const Song& song, const DemoOptions& o) {
    Planes bv = silent(song, 2);
    Rng rng = stream(o.seed, 8);
    std::vector<float> high(song.total_frames, 0.0f);
    std::vector<float> low(song.total_frames, 0.0f);
    for (const Bar& bar : song.bars()) {
        if (bar.label != "chorus") continue;
        synth::VoiceNote note;
        note.start_frame = song.frame(bar, 0.0);
        note.length_frames = song.frames_of_beats(3.25);
        note.vowel = synth::k_vowel_u;
        note.f0_hz = synth::midi_to_hz(bar.chord.triad[2]);
        note.vibrato_hz = 5.0;
        synth::add_voice_note(high, note, song.sr, rng);
        note.f0_hz = synth::midi_to_hz(bar.chord.triad[1]);
        note.vibrato_hz = 5.8;
        synth::add_voice_note(low, note, song.sr, rng);
    }
    // Two singers on one stereo pair: the high part left, the low part right.
    synth::add_scaled(bv[0], 0, high, 0.9);
    synth::add_scaled(bv[1], 0, high, 0.3);
    synth::add_scaled(bv[0], 0, low, 0.3);
    synth::add_scaled(bv[1], 0, low, 0.9);
    scale_to_peak(bv, StemLevels::backing_vocal_dbfs);
    return bv;
}

void validate(const DemoOptions& o) {
    auto fail = [](const std::string& what) {
        throw Error(ErrorKind::input_invalid, "demo session: " + what);
    };
    if (!(o.sample_rate_hz >= 8000.0 && o.sample_rate_hz <= 192000.0))
        fail("sample rate must be 8000 to 192000 Hz");
    if (!(o.tempo_bpm >= 40.0 && o.tempo_bpm <= 240.0)) fail("tempo must be 40 to 240 BPM");
    if (o.bars_per_section_scale < 1) fail("bars_per_section_scale must be at least 1");
}

}  // namespace

DemoSession make_demo_session(const DemoOptions& options) {
    validate(options);
    const Song song(options);
    const double end_s = song.duration_s();
    const std::size_t kick_offset_frames =
        options.faults ? song.frame(k_kick_offset_ms / 1000.0) : 0;

    DemoSession s;
    s.sample_rate_hz = options.sample_rate_hz;
    s.tempo_bpm = options.tempo_bpm;
    s.sections = song.sections;
    for (std::size_t k = 0; k < 4 * song.bars().size(); ++k)
        s.beats_s.push_back(static_cast<double>(k) * song.beat_s);

    Drums drums = make_drums(song, options, kick_offset_frames);
    auto add = [&](std::string name, std::string role, std::string group, std::string notes,
                   Planes planes) {
        fade_out_end(planes, song.sr);
        s.tracks.push_back({std::move(name), std::move(role), std::move(group), std::move(notes),
                            AudioBuffer(std::move(planes), song.sr)});
    };
    add("kick_in", "kick", "drums", "Kick In: dynamic mic inside the shell, near the beater",
        std::move(drums.kick_in));
    add("kick_out", "kick", "drums", "Kick Out: large-diaphragm mic outside the resonant head",
        std::move(drums.kick_out));
    add("snare_top", "snare", "drums", "Snare top: dynamic mic over the batter head",
        std::move(drums.snare_top));
    add("snare_bottom", "snare", "drums", "Snare bottom: small-diaphragm mic under the wires",
        std::move(drums.snare_bottom));
    add("hihat", "hihat", "drums", "Hi-hat: small-diaphragm condenser", std::move(drums.hihat));
    add("overheads", "overheads", "drums", "Overheads: spaced pair about 1.2 m above the kit",
        std::move(drums.overheads));
    add("bass", "bass", "bass", "Bass DI", make_bass(song, options));
    add("guitar_drive", "electric_guitar", "guitars",
        "Electric guitar through a driven amp, close mic", make_guitar(song));
    add("keys", "keys", "keys", "Electric piano, stereo outputs", make_keys(song, options));
    add("pad", "pad", "keys", "Synth pad, stereo", make_pad(song));
    add("lead_vocal", "lead_vocal", "vocals", "Lead vocal, condenser mic",
        make_lead_vocal(song, options));
    add("backing_vocal", "backing_vocal", "vocals", "Backing vocals, two singers, chorus only",
        make_backing_vocal(song, options));

    const double offset_ms = 1000.0 * static_cast<double>(kick_offset_frames) / song.sr;
    if (options.faults) {
        s.faults.push_back({"kick_out", "TIME_OFFSET", "kick_in", offset_ms, 0.0, 0.0, end_s,
                            "Kick Out arrives " + std::to_string(kick_offset_frames) +
                                " frames after Kick In (the distance between the mics)."});
        s.faults.push_back({"snare_bottom", "POLARITY_INVERTED", "snare_top", -1.0, 0.0, 0.0, end_s,
                            "The snare bottom mic faces the top mic: its polarity is inverted."});
        s.faults.push_back({"lead_vocal", "NOISE_BETWEEN_PHRASES", "", k_vocal_noise_dbfs, 0.0, 0.0,
                            end_s,
                            "Steady preamp hiss and 60 Hz hum, heard in the gaps between "
                            "phrases."});
        s.faults.push_back({"keys", "RUMBLE", "", k_rumble_hz, k_rumble_dbfs, 0.0, end_s,
                            "Handling noise on the keyboard stand: rumble around 20 Hz, far "
                            "below the instrument's range."});
        const auto [jump_start_s, jump_end_s] = bass_jump_window_s(song);
        s.faults.push_back({"bass", "UNEVEN_LEVEL", "", k_bass_jump_db, 0.0, jump_start_s,
                            jump_end_s,
                            "One bass phrase in the second verse is played 8 dB "
                            "louder than the rest."});
    }
    s.faults.push_back({"guitar_drive", "INTENTIONAL_DISTORTION", "", k_guitar_drive_db, 0.0, 0.0,
                        end_s,
                        "The guitar's distortion is its sound (a driven amp): leave it alone."});

    if (options.faults) {
        s.clean_tracks = {"hihat", "pad", "backing_vocal"};
    } else {
        for (const DemoTrack& t : s.tracks)
            if (t.name != "guitar_drive") s.clean_tracks.push_back(t.name);
    }
    return s;
}

}  // namespace secondear::demo
