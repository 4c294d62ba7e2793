#include "analysis/roles.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace secondear::analysis {
namespace {

constexpr double k_word = 0.9;       // a whole word or standard abbreviation
constexpr double k_compound = 0.75;  // a word inside a compound
constexpr double k_name_decides = 0.6;

struct NameRule {
    const char* role;
    std::vector<std::string_view> words;      // whole tokens
    std::vector<std::string_view> fragments;  // inside the joined name (at least 4 letters)
};

// Order matters: a more specific rule comes first ("bassdrum" is a kick before it is a bass,
// "bgvox" a backing vocal before a vocal, "grosse caisse" a kick before "caisse" is a snare,
// "scratch_hats" hats before scratch effects).
const std::vector<NameRule>& name_rules() {
    static const std::vector<NameRule> rules = {
        {"backing_vocal",
         {"bv",    "bvs",     "bgv",      "bgvs",      "bgvox", "bvox",  "bkg",
          "bgs",   "backing", "backings", "backup",    "choir", "chor",  "coro",
          "coros", "choeur",  "harmony",  "harmonies", "harm",  "adlib", "adlibs",
          "dbl",   "double",  "doubles",  "chorus"},
         {"bgvox", "backing", "backvox", "backvocal", "choir", "harmony", "bgvocal", "bkgvox"}},
        {"lead_vocal",
         {"vox",   "vocal",  "vocals", "voc",    "vcl",     "vx",      "lv",
          "voice", "singer", "sing",   "gesang", "stimme",  "voz",     "chant",
          "voix",  "canto",  "voce",   "vo",     "leadvox", "mainvox", "rap"},
         {"vocal", "gesang", "voice", "leadvox"}},
        {"kick",
         {"kick", "kik", "kck", "kk", "bd", "bassdrum", "kd", "kdrum", "kickin", "kickout", "bombo",
          "grosse", "grancassa"},
         {"kick", "bassdrum", "kdrum", "bombo", "grossecaisse"}},
        {"snare",
         {"snare", "snr", "sn", "sd", "sna", "caisse", "claire", "redoblante", "rullante",
          "snares"},
         {"snare", "caisseclaire"}},
        {"hihat",
         {"hh", "hihat", "hihats", "hat", "hats", "charleston", "charles", "hatsopen", "openhat",
          "ohh", "chh"},
         {"hihat", "hats"}},
        {"toms",
         {"tom", "toms", "tomtom", "ftom", "floor", "rack", "racktom", "floortom", "tt", "ft",
          "timbal"},
         {"floortom", "racktom", "tomtom"}},
        {"overheads",
         {"oh", "ohl", "ohr", "ovh", "overhead", "overheads", "over", "cymbals", "cymbal", "cym",
          "ride", "crash", "china", "splash"},
         {"overhead"}},
        {"room",
         {"room", "rooms", "rm", "amb", "ambl", "ambr", "ambience", "ambiance", "ambient", "far",
          "raum", "sala"},
         {"room", "ambience"}},
        {"percussion",
         {"perc",       "percs",     "percussion", "shaker", "shakers",  "tamb",
          "tambourine", "pandereta", "conga",      "congas", "bongo",    "bongos",
          "clap",       "claps",     "cowbell",    "cabasa", "triangle", "timbales",
          "djembe",     "cajon",     "guiro",      "snap",   "snaps",    "fill",
          "break",      "breaks",    "loop",       "loops",  "drums",    "drum",
          "kit",        "beat",      "beats",      "groove", "bata",     "agogo"},
         {"perc", "shaker", "tambourine", "conga", "bongo", "drumloop", "breakbeat"}},
        {"bass",
         {"bass", "bajo", "basse", "bs", "bassdi", "bassamp", "sub", "subbass", "808", "bassgtr",
          "bassguitar", "basso", "contrabajo", "synthbass", "fbass"},
         {"bass"}},
        {"acoustic_guitar",
         {"acoustic", "acc", "ac", "agtr", "acgtr", "aco", "acous", "nylon", "steelstring",
          "akustik", "acoustique", "acustica"},
         {"acoustic", "agtr", "acgtr", "akustik"}},
        {"electric_guitar",
         {"gtr", "gtrs", "guit", "guitar", "guitars", "egtr", "eg", "elgtr", "gitarre", "guitare",
          "guitarra", "chitarra", "gt", "git", "riff", "gtrl", "gtrr"},
         {"guitar", "gitarre", "guitare", "guitarra", "chitarra", "gtr"}},
        {"piano",
         {"piano", "pno", "pn", "pianos", "klavier", "grand", "upright", "flugel", "pianoforte"},
         {"piano", "klavier"}},
        {"keys",
         {"keys",      "key",     "kb",       "kbd",     "keyboard",  "keyboards", "synth",
          "synths",    "syn",     "rhodes",   "wurli",   "wurlitzer", "organ",     "orgel",
          "orgue",     "organo",  "hammond",  "b3",      "ep",        "clav",      "clavinet",
          "minilogue", "moog",    "juno",     "prophet", "arp",       "arps",      "mellotron",
          "tastiera",  "teclado", "teclados", "pluck",   "plucks"},
         {"synth", "rhodes", "organ", "keyboard", "wurli", "minilogue"}},
        {"pad",
         {"pad", "pads", "drone", "drones", "atmos", "atmo", "atmosphere", "texture", "textures",
          "flache"},
         {"pad", "drone", "atmos"}},
        {"strings",
         {"strings",    "string",    "str",     "strs",     "violin",    "violins", "vln",
          "vn",         "viola",     "vla",     "cello",    "celli",     "vc",      "vlc",
          "contrabass", "orchestra", "orch",    "ensemble", "streicher", "cordes",  "cuerdas",
          "archi",      "violon",    "violine", "geige"},
         {"string", "violin", "cello", "viola"}},
        {"brass",
         {"brass", "trumpet", "trumpets", "tpt", "trp", "trombone", "trombones", "tbn", "horn",
          "horns", "tuba", "flugelhorn", "cornet", "blaser", "cuivres", "trompete", "trompette",
          "trompeta", "posaune"},
         {"brass", "trumpet", "trombone", "horn"}},
        {"woodwinds",
         {"sax",     "saxes",    "saxophone", "altosax",    "tenorsax", "barisax",
          "flute",   "flutes",   "fl",        "flote",      "flauta",   "clarinet",
          "clar",    "cl",       "oboe",      "bassoon",    "woodwind", "woodwinds",
          "piccolo", "recorder", "winds",     "klarinette", "fagott"},
         {"sax", "flute", "clarinet", "oboe", "woodwind"}},
        {"fx",
         {"fx",         "sfx",     "efx",    "effect",  "effects",    "riser",   "risers",
          "sweep",      "sweeps",  "impact", "impacts", "whoosh",     "noise",   "uplifter",
          "downlifter", "reverse", "build",  "buildup", "transition", "scratch", "scratches",
          "foley",      "stinger", "glitch", "vinyl"},
         {"riser", "sweep", "effect", "whoosh", "uplift", "downlift"}},
    };
    return rules;
}

/// Lower-case tokens split at non-alphanumerics, at letter/digit boundaries and at camelCase
/// humps ("KickIn2" -> kick, in, 2); a file extension is dropped.
std::vector<std::string> tokens(std::string_view name) {
    if (const auto dot = name.rfind('.');
        dot != std::string_view::npos && name.size() - dot <= 5 && dot > 0)
        name = name.substr(0, dot);
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (!std::isalnum(c)) {
            flush();
            continue;
        }
        if (!cur.empty()) {
            const auto prev = static_cast<unsigned char>(name[i - 1]);
            const bool digit_edge = std::isdigit(c) != std::isdigit(prev);
            const bool hump = std::isupper(c) && std::islower(prev);
            if (digit_edge || hump) flush();
        }
        cur.push_back(static_cast<char>(std::tolower(c)));
    }
    flush();
    return out;
}

/// Letters only, lower case ("bgvox_harmony" -> "bgvoxharmony"), for compound words.
std::string joined(std::string_view name) {
    std::string out;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalpha(c)) out.push_back(static_cast<char>(std::tolower(c)));
    }
    return out;
}

double band_share(const TrackFeatures& f, double lo_hz, double hi_hz) {
    double part = 0.0, total = 0.0;
    for (const auto& b : f.spectrum_third_octave) {
        if (!std::isfinite(b.db)) continue;
        const double p = std::pow(10.0, b.db / 10.0);
        total += p;
        if (b.hz >= lo_hz && b.hz <= hi_hz) part += p;
    }
    return total > 0 ? part / total : 0.0;
}

}  // namespace

const std::vector<std::string>& all_roles() {
    static const std::vector<std::string> roles = {"kick",
                                                   "snare",
                                                   "toms",
                                                   "hihat",
                                                   "overheads",
                                                   "room",
                                                   "percussion",
                                                   "bass",
                                                   "electric_guitar",
                                                   "acoustic_guitar",
                                                   "piano",
                                                   "keys",
                                                   "pad",
                                                   "strings",
                                                   "brass",
                                                   "woodwinds",
                                                   "lead_vocal",
                                                   "backing_vocal",
                                                   "fx",
                                                   "other"};
    return roles;
}

RoleGuess role_from_name(std::string_view track_name) {
    const auto toks = tokens(track_name);
    const auto whole = joined(track_name);
    for (const auto& rule : name_rules())
        for (const auto& t : toks)
            if (std::find(rule.words.begin(), rule.words.end(), t) != rule.words.end())
                return {rule.role, k_word,
                        fmt::format("the name \"{}\" has the word \"{}\"", track_name, t)};
    for (const auto& rule : name_rules())
        for (const auto frag : rule.fragments)
            if (whole.find(frag) != std::string::npos)
                return {rule.role, k_compound,
                        fmt::format("the name \"{}\" contains \"{}\"", track_name, frag)};
    // "Lead" alone usually names the lead vocal, but a lead guitar or synth is possible.
    if (std::find(toks.begin(), toks.end(), "lead") != toks.end() ||
        std::find(toks.begin(), toks.end(), "main") != toks.end())
        return {"lead_vocal", 0.5,
                fmt::format("the name \"{}\" says lead/main without an instrument", track_name)};
    return {"other", 0.0, fmt::format("nothing in the name \"{}\" names a role", track_name)};
}

RoleGuess role_from_audio(const TrackFeatures& f) {
    if (f.silent) return {"other", 0.0, "the track is silent"};
    const double low = band_share(f, 20.0, 160.0);
    const double high = band_share(f, 5000.0, 20000.0);
    const bool percussive = f.transient_to_body_db >= 4.0 && f.onset_rate_per_s >= 0.5;
    const bool pitched = f.pitch_presence >= 0.4;
    const auto why = [&](const char* what) {
        return fmt::format(
            "audio: {} (low share {:.2f}, high share {:.2f}, transient {:.1f} dB, "
            "{:.1f} onsets/s, pitch presence {:.2f}, median f0 {:.0f} Hz)",
            what, low, high, f.transient_to_body_db, f.onset_rate_per_s, f.pitch_presence,
            f.median_f0_hz);
    };
    if (percussive && low > 0.5) return {"kick", 0.6, why("low and percussive")};
    // A kick inside a dense, compressed song keeps little contrast after its attack, but stays
    // low, regular and unpitched.
    if (low > 0.7 && f.onset_rate_per_s >= 0.5 && f.pitch_presence < 0.3)
        return {"kick", 0.5, why("low, regular onsets, unpitched")};
    if (percussive && high > 0.5) return {"hihat", 0.6, why("high and percussive")};
    if (percussive && f.centroid_hz > 400.0 && f.centroid_hz < 5000.0)
        return {"snare", 0.35, why("mid-range and percussive")};
    if (f.distortion_score > 0.6 && f.centroid_hz > 300.0)
        return {"electric_guitar", 0.4, why("driven and mid-range")};
    // Pitch is tracked from 60 Hz, so the lowest bass notes (41 Hz E1, 55 Hz A1) count as
    // unpitched: some pitched frames and most energy below 160 Hz are enough.
    if (f.pitch_presence >= 0.2 && f.median_f0_hz > 0.0 && f.median_f0_hz < 130.0 && low > 0.5)
        return {"bass", 0.6, why("low, pitched and sustained")};
    const bool phrased = f.phrases.size() >= 2 && f.gap_s > 0.1 * f.duration_s;
    if (pitched && f.median_f0_hz >= 100.0 && f.median_f0_hz <= 1000.0 && phrased &&
        f.centroid_hz > 300.0 && f.centroid_hz < 4000.0)
        return {"lead_vocal", 0.5, why("pitched 100-1000 Hz, mid-range, in phrases")};
    if (!percussive && f.active_fraction > 0.8 && f.onset_rate_per_s < 0.5)
        return {"pad", 0.4, why("sustained, few onsets")};
    if (percussive) return {"percussion", 0.3, why("percussive")};
    if (pitched) return {"keys", 0.25, why("pitched")};
    return {"other", 0.1, why("no clear signature")};
}

RoleGuess combine_role(const RoleGuess& by_name, const RoleGuess& by_audio) {
    if (by_name.role == by_audio.role && by_name.confidence > 0.0)
        return {by_name.role,
                std::min(1.0, std::max(by_name.confidence, by_audio.confidence) + 0.1),
                fmt::format("name and audio agree: {}; {}", by_name.reason, by_audio.reason)};
    if (by_name.confidence >= k_name_decides || by_name.confidence >= by_audio.confidence)
        return {by_name.role, by_name.confidence,
                fmt::format("decided by name: {}; audio suggested {} ({:.2f})", by_name.reason,
                            by_audio.role, by_audio.confidence)};
    return {by_audio.role, by_audio.confidence,
            fmt::format("decided by audio: {}; the name suggested {} ({:.2f})", by_audio.reason,
                        by_name.role, by_name.confidence)};
}

std::string default_group(std::string_view role) {
    static const std::vector<std::pair<std::string_view, std::string_view>> groups = {
        {"kick", "drums"},
        {"snare", "drums"},
        {"toms", "drums"},
        {"hihat", "drums"},
        {"overheads", "drums"},
        {"room", "drums"},
        {"percussion", "drums"},
        {"bass", "bass"},
        {"electric_guitar", "guitars"},
        {"acoustic_guitar", "guitars"},
        {"piano", "keys"},
        {"keys", "keys"},
        {"pad", "keys"},
        {"strings", "orchestra"},
        {"brass", "orchestra"},
        {"woodwinds", "orchestra"},
        {"lead_vocal", "vocals"},
        {"backing_vocal", "vocals"},
        {"fx", "fx"}};
    for (const auto& [r, g] : groups)
        if (r == role) return std::string(g);
    return "other";
}

}  // namespace secondear::analysis
