#include "commands_sections.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "analysis/sections.hpp"
#include "analysis/tempo.hpp"
#include "core/errors.hpp"
#include "intent/session.hpp"
#include "io/decode.hpp"
#include "io/resample.hpp"
#include "report/analysis_report.hpp"

namespace secondear::cli {
namespace {

namespace fs = std::filesystem;

// A stem plays in a section when it is active in at least this share of the section's bars.
constexpr double k_active_share = 0.5;

struct Song {
    AudioBuffer mix;
    std::vector<std::string> names;  // the stems of a folder; empty for a file
    std::vector<AudioBuffer> stems;
};

/// A file as it is, or a folder as the sum of its stems at the most common rate (ties: the
/// highest), in stereo (a mono stem feeds both sides).
Song load_song(const fs::path& path) {
    Song song;
    if (!fs::is_directory(path)) {
        song.mix = io::decode(path).audio;
        return song;
    }
    const auto session = intent::load_session(path);
    if (session.tracks.empty())
        throw Error(ErrorKind::input_invalid, path.string() + ": no audio files in the folder");
    std::vector<AudioBuffer> decoded;
    std::map<double, int> rates;
    for (const auto& t : session.tracks) {
        decoded.push_back(io::decode(t.path).audio);
        ++rates[decoded.back().sample_rate_hz()];
        song.names.push_back(t.name);
    }
    double rate = 0.0;
    int best = 0;
    for (const auto& [r, n] : rates)
        if (n >= best) {
            best = n;
            rate = r;
        }
    std::size_t frames = 0;
    for (auto& a : decoded) {
        if (a.sample_rate_hz() != rate) a = io::resample(a, rate);
        frames = std::max(frames, a.frames());
    }
    song.mix = AudioBuffer(2, frames, rate);
    for (const auto& a : decoded)
        for (int c = 0; c < 2; ++c) {
            const auto in = a.channel(std::min(c, a.channels() - 1));
            auto out = song.mix.channel(c);
            for (std::size_t i = 0; i < a.frames(); ++i) out[i] += in[i];
        }
    song.stems = std::move(decoded);
    return song;
}

std::string clock(double s) {
    const int m = static_cast<int>(s / 60.0);
    return fmt::format("{}:{:04.1f}", m, s - 60.0 * m);
}

struct SongMap {
    analysis::TempoResult tempo;
    analysis::SectionMap sections;
    std::vector<std::vector<std::string>> active;  // per section: stems playing (folders)
};

SongMap map_song(const Song& song, int min_section_bars) {
    SongMap m;
    m.tempo = analysis::analyze_tempo(song.mix);
    analysis::SectionOptions options;
    options.min_section_bars = min_section_bars;
    m.sections = analysis::find_sections(song.mix, m.tempo, options);
    if (song.stems.empty()) return m;
    std::vector<const AudioBuffer*> ptrs;
    for (const auto& s : song.stems) ptrs.push_back(&s);
    const auto& bars = m.sections.bar_times_s;
    const auto act = analysis::activity_per_bar(ptrs, bars);
    const auto& secs = m.sections.sections;
    for (std::size_t k = 0; k < secs.size(); ++k) {
        const auto first = static_cast<std::size_t>(std::max(secs[k].start_bar, 0));
        const std::size_t last =
            k + 1 < secs.size() ? static_cast<std::size_t>(secs[k + 1].start_bar) : bars.size();
        std::vector<std::string> playing;
        for (std::size_t s = 0; s < act.size(); ++s) {
            std::size_t on = 0, total = 0;
            for (std::size_t b = first; b < last && b < act[s].size(); ++b, ++total)
                on += act[s][b] ? 1 : 0;
            if (total > 0 && static_cast<double>(on) >= k_active_share * static_cast<double>(total))
                playing.push_back(song.names[s]);
        }
        m.active.push_back(std::move(playing));
    }
    return m;
}

nlohmann::json map_json(const analysis::Analysis& a, const SongMap& m, const std::string& path) {
    auto j = report::analysis_json(a, path);
    j["tempo_bpm"] = m.tempo.tempo_bpm > 0 ? nlohmann::json(m.tempo.tempo_bpm) : nlohmann::json();
    j["beats_s"] = m.tempo.beats_s;
    auto sections = nlohmann::json::array();
    for (std::size_t k = 0; k < m.sections.sections.size(); ++k) {
        const auto& s = m.sections.sections[k];
        nlohmann::json o = {{"start_s", s.start_s},
                            {"end_s", s.end_s},
                            {"label", s.label},
                            {"confidence", s.confidence},
                            {"start_bar", s.start_bar + 1},
                            {"energy_lufs", report::db_json(s.energy_lufs)},
                            {"density", s.density}};
        if (k < m.active.size()) o["active_tracks"] = m.active[k];
        sections.push_back(std::move(o));
    }
    j["sections"] = std::move(sections);
    return j;
}

std::string map_text(const SongMap& m, const std::string& path, bool folder) {
    std::string out = fmt::format("{}{}\n", path, folder ? " (sum of the stems)" : "");
    if (m.tempo.tempo_bpm > 0)
        out += fmt::format("  tempo {:.1f} BPM (confidence {:.2f}), {} beats, {}/4\n",
                           m.tempo.tempo_bpm, m.tempo.confidence, m.tempo.beats_s.size(),
                           m.tempo.beats_per_bar);
    else
        out += "  no steady pulse found: sections on a 2 s grid\n";
    out += fmt::format("  {:>7}  {:>4}  {:<11} {:>5}  {:>9}{}\n", "time", "bar", "section", "conf",
                       "loudness", folder ? "  playing" : "");
    for (std::size_t k = 0; k < m.sections.sections.size(); ++k) {
        const auto& s = m.sections.sections[k];
        std::string playing;
        if (k < m.active.size())
            for (const auto& n : m.active[k]) playing += (playing.empty() ? "  " : ", ") + n;
        out += fmt::format(
            "  {:>7}  {:>4}  {:<11} {:>5.2f}  {:>9}{}\n", clock(s.start_s), s.start_bar + 1,
            s.label, s.confidence,
            std::isfinite(s.energy_lufs) ? fmt::format("{:.1f} LUFS", s.energy_lufs) : "silent",
            playing);
    }
    return out;
}

}  // namespace

int run_sections(const std::vector<std::string>& paths, bool json, int min_section_bars) {
    nlohmann::json results = nlohmann::json::array();
    int exit_code = 0;
    for (const std::string& path : paths) {
        try {
            const Song song = load_song(path);
            const SongMap m = map_song(song, min_section_bars);
            if (json)
                results.push_back(map_json(analysis::analyze(song.mix), m, path));
            else
                std::cout << map_text(m, path, !song.names.empty()) << "\n";
        } catch (const Error& e) {
            // One bad path does not stop the others; the exit code is the first failure's.
            std::cerr << "secondear: " << e.what() << "\n";
            if (exit_code == 0) exit_code = e.exit_code();
        }
    }
    if (json && !results.empty())
        std::cout << (paths.size() == 1 ? results[0] : results).dump(2) << "\n";
    return exit_code;
}

}  // namespace secondear::cli
