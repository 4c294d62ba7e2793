#pragma once
// The demo session: a deterministic synthesized multitrack song with a KNOWN arrangement and KNOWN
// planted faults. `secondear demo DIR` writes it (the README's first command mixes and masters
// it) and tests use it as ground truth for fault finding, balance, tempo and sections.
//
// The song (4/4, tempo_bpm, default 120): intro 2 bars, verse 4, chorus 4, verse 4, chorus 4,
// outro 2 (20 bars, 40 s at 120 BPM). bars_per_section_scale divides those counts (at least one
// bar each): 2 gives 1+2+2+2+2+1 = 10 bars, 4 or more gives 6 bars (one per section).
// Harmony: verse Am F Dm E, chorus C G F G (intro and outro use the verse chords). The chorus is
// denser and louder: the backing vocal enters, the driven guitar plays eighths instead of two
// stabs a bar, kick on every beat with sixteenth hats instead of kick on 1 and 3 with eighths,
// and the lead vocal sings about 9 dB louder.
//
// Tracks (all start at time 0 and have the same length; mono close mics, stereo pairs and keys):
//   kick_in (mono), kick_out (mono), snare_top (mono), snare_bottom (mono), hihat (mono),
//   overheads (stereo), bass (mono DI), guitar_drive (mono), keys (stereo), pad (stereo),
//   lead_vocal (mono), backing_vocal (stereo: two voices panned apart).
// Levels are those of unmixed stems: musical peaks from -6 dBFS (kick_in) to -20 dBFS (hihat),
// deliberately unbalanced.
//
// Faults planted (faults = true); each is one PlantedFault, and `value` means, per code:
//   TIME_OFFSET             kick_out is the kick_in source `value` ms late (a whole number of
//                           frames, round(1.3 ms * rate)); related_track = kick_in.
//   POLARITY_INVERTED       snare_bottom is polarity-inverted against snare_top (no offset);
//                           value = -1 (the sign of their relation); related_track = snare_top.
//   NOISE_BETWEEN_PHRASES   lead_vocal carries steady hiss and 60 Hz hum at `value` dBFS RMS
//                           (-50) over the whole track, audible in the gaps between phrases.
//   RUMBLE                  keys carry a 4th-order band of noise centred on `value` Hz (20) at
//                           level_dbfs RMS (-20) over the whole track.
//   UNEVEN_LEVEL            bass notes starting in [start_s, end_s) (a phrase of verse 2) are
//                           played `value` dB (+8) louder than the same notes in verse 1.
//   INTENTIONAL_DISTORTION  guitar_drive is a driven amp (tanh drive of `value` dB): the sound,
//                           not a fault. Listed so that tests check it is left alone. Planted
//                           also when faults = false, since it is part of the music.
// clean_tracks (nothing planted, controls): hihat, pad, backing_vocal. With faults = false all
// tracks are listed there except guitar_drive.
//
// Determinism: all noise comes from SplitMix64 streams seeded from `seed` and the track; no
// std::random_device and no std distributions, so the same options give the same samples on
// every run (and the same bytes in the files written).
// Cost: the full song at 44.1 kHz takes about 0.4 s of processor time (Release) and holds 16
// planes of 1.76 M float samples (about 115 MB).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"

namespace secondear::demo {

struct DemoOptions {
    double sample_rate_hz = 44100.0;  // 8000 to 192000
    double tempo_bpm = 120.0;         // 40 to 240
    std::uint64_t seed = 1;
    /// Divides the bars of every section (at least 1 bar each): 1 = the full song; tests ask
    /// for 2 or 4 to stay fast.
    int bars_per_section_scale = 1;
    bool faults = true;
};

struct DemoTrack {
    std::string name;   // also the file's base name: <name>.wav
    std::string role;   // kick, snare, hihat, overheads, bass, electric_guitar, keys, pad,
                        // lead_vocal, backing_vocal
    std::string group;  // drums, bass, guitars, keys, vocals
    std::string notes;  // what a recording engineer would write on the track sheet
    AudioBuffer audio;
};

struct PlantedFault {
    std::string track;
    std::string code;           // see the table above
    std::string related_track;  // the reference track for TIME_OFFSET and POLARITY_INVERTED
    double value = 0.0;         // meaning depends on code (table above)
    double level_dbfs = 0.0;    // RUMBLE: its RMS level; 0 otherwise
    double start_s = 0.0;       // where the fault is present
    double end_s = 0.0;
    std::string text;  // one sentence for people
};

struct DemoSection {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;  // intro, verse, chorus, outro
};

struct DemoSession {
    double sample_rate_hz = 0.0;
    double tempo_bpm = 0.0;
    int beats_per_bar = 4;
    std::vector<DemoTrack> tracks;
    std::vector<PlantedFault> faults;
    std::vector<DemoSection> sections;  // contiguous, cover [0, duration]
    std::vector<double> beats_s;        // every beat; downbeats are every beats_per_bar-th
    std::vector<std::string> clean_tracks;
};

/// Synthesizes the session. Throws Error(input_invalid) on options out of range.
DemoSession make_demo_session(const DemoOptions& options = {});

/// Writes one 24-bit WAV per track (<name>.wav), session.json (tempo, sections and tracks with
/// file, role, group, notes; no faults) and truth.json (faults, sections, beats, clean tracks)
/// into dir, creating it if needed. Every file is written atomically (temp file, then rename).
/// Returns the paths written, stems first in track order.
std::vector<std::filesystem::path> write_demo_session(const DemoSession& session,
                                                      const std::filesystem::path& dir);

}  // namespace secondear::demo
