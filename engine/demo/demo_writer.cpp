// write_demo_session: stems, session.json (what a user would hand us) and truth.json (what the
// tests know). The session file holds no faults, so reading it tells the engine nothing it should
// have to find by listening.

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "demo/demo_session.hpp"
#include "io/encode.hpp"

namespace secondear::demo {
namespace {

nlohmann::ordered_json sections_json(const DemoSession& s) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const DemoSection& sec : s.sections)
        out.push_back({{"start_s", sec.start_s}, {"end_s", sec.end_s}, {"label", sec.label}});
    return out;
}

std::string file_name(const DemoTrack& t) {
    return t.name + ".wav";
}

nlohmann::ordered_json session_json(const DemoSession& s) {
    nlohmann::ordered_json tracks = nlohmann::ordered_json::array();
    for (const DemoTrack& t : s.tracks)
        tracks.push_back({{"name", t.name},
                          {"file", file_name(t)},
                          {"role", t.role},
                          {"group", t.group},
                          {"notes", t.notes}});
    return {{"genre", "pop"},
            {"sample_rate_hz", s.sample_rate_hz},
            {"tempo_bpm", s.tempo_bpm},
            {"beats_per_bar", s.beats_per_bar},
            {"sections", sections_json(s)},
            {"tracks", tracks}};
}

nlohmann::ordered_json truth_json(const DemoSession& s) {
    nlohmann::ordered_json faults = nlohmann::ordered_json::array();
    for (const PlantedFault& f : s.faults)
        faults.push_back({{"track", f.track},
                          {"code", f.code},
                          {"related_track", f.related_track},
                          {"value", f.value},
                          {"level_dbfs", f.level_dbfs},
                          {"start_s", f.start_s},
                          {"end_s", f.end_s},
                          {"text", f.text}});
    return {{"genre", "pop"},
            {"sample_rate_hz", s.sample_rate_hz}, {"tempo_bpm", s.tempo_bpm},
            {"beats_per_bar", s.beats_per_bar},   {"faults", faults},
            {"sections", sections_json(s)},       {"beats_s", s.beats_s},
            {"clean_tracks", s.clean_tracks}};
}

}  // namespace

std::vector<std::filesystem::path> write_demo_session(const DemoSession& session,
                                                      const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(ErrorKind::output_failed,
                    "cannot create folder " + dir.string() + ": " + ec.message());
    std::vector<std::filesystem::path> written;
    const io::EncodeOptions wav24{io::Container::wav, io::SampleFormat::pcm24};
    for (const DemoTrack& t : session.tracks) {
        written.push_back(dir / file_name(t));
        io::encode(t.audio, written.back(), wav24);
    }
    written.push_back(dir / "session.json");
    io::write_text_file(written.back(), session_json(session).dump(2) + "\n");
    written.push_back(dir / "truth.json");
    io::write_text_file(written.back(), truth_json(session).dump(2) + "\n");
    return written;
}

}  // namespace secondear::demo
