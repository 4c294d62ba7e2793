#include "intent/session.hpp"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace secondear::intent {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Session load_folder(const fs::path& dir) {
    Session s;
    s.source = dir;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && is_audio_file(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        SessionTrack t;
        t.name = f.stem().string();
        t.path = fs::absolute(f);
        s.tracks.push_back(t);
    }
    if (s.tracks.empty())
        throw Error(ErrorKind::input_not_audio,
                    fmt::format("{}: no audio files in this folder", dir.string()));
    return s;
}

Session load_file(const fs::path& file) {
    std::ifstream in(file);
    if (!in)
        throw Error(ErrorKind::input_unreadable, fmt::format("{}: cannot open", file.string()));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::input_invalid,
                    fmt::format("{}: not valid JSON ({})", file.string(), e.what()));
    }
    Session s;
    s.source = file;
    const fs::path base = fs::absolute(file).parent_path();
    try {
        if (!j.contains("tracks") || !j.at("tracks").is_array() || j.at("tracks").empty())
            throw Error(ErrorKind::input_invalid,
                        fmt::format("{}: needs a non-empty \"tracks\" list", file.string()));
        for (const auto& jt : j.at("tracks")) {
            SessionTrack t;
            const fs::path f = jt.at("file").get<std::string>();
            t.path = f.is_absolute() ? f : base / f;
            t.name = jt.value("name", t.path.stem().string());
            t.role = jt.value("role", "");
            t.group = jt.value("group", "");
            t.notes = jt.value("notes", "");
            if (jt.contains("intent")) {
                const auto& ji = jt.at("intent");
                if (ji.is_string())
                    t.intents.push_back(ji.get<std::string>());
                else
                    t.intents = ji.get<std::vector<std::string>>();
            }
            if (jt.contains("locked"))
                for (const auto& [key, value] : jt.at("locked").items())
                    t.locked[key] = value.is_boolean() ? (value.get<bool>() ? 1.0 : 0.0)
                                                       : value.get<double>();
            s.tracks.push_back(t);
        }
        if (j.contains("sections"))
            for (const auto& js : j.at("sections"))
                s.sections.push_back({js.at("start_s").get<double>(), js.at("end_s").get<double>(),
                                      js.at("label").get<std::string>()});
        if (j.contains("tempo_bpm")) s.tempo_bpm = j.at("tempo_bpm").get<double>();
        s.genre = j.value("genre", "");
        s.target = j.value("target", "");
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::input_invalid,
                    fmt::format("{}: invalid session ({})", file.string(), e.what()));
    }
    return s;
}

}  // namespace

bool is_audio_file(const fs::path& path) {
    static const std::vector<std::string> exts = {".wav", ".flac", ".aif", ".aiff", ".ogg",
                                                  ".opus", ".mp3", ".w64", ".caf", ".rf64"};
    const std::string ext = lower(path.extension().string());
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

Session load_session(const fs::path& folder_or_file) {
    std::error_code ec;
    if (!fs::exists(folder_or_file, ec))
        throw Error(ErrorKind::input_unreadable,
                    fmt::format("{}: no such file or folder", folder_or_file.string()));
    return fs::is_directory(folder_or_file) ? load_folder(folder_or_file)
                                            : load_file(folder_or_file);
}

}  // namespace secondear::intent
