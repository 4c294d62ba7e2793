#include "analysis/roles.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/decode.hpp"
#include "support/paths.hpp"
#include "support/signals.hpp"
#include "support/track_signals.hpp"

namespace secondear::analysis {
namespace {

namespace trk = test::track;
constexpr double k_sr = 44100.0;

TEST(Roles, NamesInManyStylesAndLanguages) {
    const std::vector<std::pair<const char*, const char*>> table = {
        {"Kick In", "kick"},
        {"kck", "kick"},
        {"BD", "kick"},
        {"Kick_Out", "kick"},
        {"Bassdrum", "kick"},
        {"KdrumL.flac", "kick"},
        {"Grosse caisse", "kick"},
        {"snr top", "snare"},
        {"SN btm", "snare"},
        {"Caisse claire", "snare"},
        {"Snare_bottom", "snare"},
        {"OH L", "overheads"},
        {"Overheads", "overheads"},
        {"OHR", "overheads"},
        {"RideL", "overheads"},
        {"Room", "room"},
        {"Amb", "room"},
        {"AmbR", "room"},
        {"HH", "hihat"},
        {"hi-hat", "hihat"},
        {"alt_hats", "hihat"},
        {"Tom1", "toms"},
        {"Floor Tom", "toms"},
        {"Perc", "percussion"},
        {"Shaker", "percussion"},
        {"Congas", "percussion"},
        {"Bass DI", "bass"},
        {"Bajo", "bass"},
        {"Basse", "bass"},
        {"Synth Bass", "bass"},
        {"Gtr L", "electric_guitar"},
        {"Guit", "electric_guitar"},
        {"E.Gtr", "electric_guitar"},
        {"Gitarre", "electric_guitar"},
        {"Gtr Lead", "electric_guitar"},
        {"Acoustic", "acoustic_guitar"},
        {"AGtr", "acoustic_guitar"},
        {"Piano", "piano"},
        {"Klavier", "piano"},
        {"Keys", "keys"},
        {"Synth", "keys"},
        {"Rhodes", "keys"},
        {"Organ", "keys"},
        {"minilogue_synth", "keys"},
        {"Pad", "pad"},
        {"Strings", "strings"},
        {"Violin", "strings"},
        {"Cello 2", "strings"},
        {"Brass", "brass"},
        {"Trumpet", "brass"},
        {"Sax", "woodwinds"},
        {"Flute", "woodwinds"},
        {"Vox", "lead_vocal"},
        {"vox_lead", "lead_vocal"},
        {"Lead Vocal", "lead_vocal"},
        {"Gesang", "lead_vocal"},
        {"Voz", "lead_vocal"},
        {"Chant", "lead_vocal"},
        {"LeadVox", "lead_vocal"},
        {"BV", "backing_vocal"},
        {"BGV", "backing_vocal"},
        {"bgvox_harmony", "backing_vocal"},
        {"Backing", "backing_vocal"},
        {"Choir", "backing_vocal"},
        {"BV harmony", "backing_vocal"},
        {"FX", "fx"},
        {"Riser", "fx"},
        {"Sweep", "fx"},
        {"microcosm_effect", "fx"},
        {"Trigger", "other"},
    };
    ASSERT_GE(table.size(), 60u);
    for (const auto& [name, role] : table) {
        const auto g = role_from_name(name);
        EXPECT_EQ(g.role, role) << name << ": " << g.reason;
        if (std::string(role) != "other") {
            EXPECT_GE(g.confidence, 0.6) << name;
        } else {
            EXPECT_EQ(g.confidence, 0.0) << name;
        }
        EXPECT_FALSE(g.reason.empty());
        EXPECT_NE(std::find(all_roles().begin(), all_roles().end(), g.role), all_roles().end());
    }
}

TEST(Roles, LeadAloneIsAWeakVocalHint) {
    const auto g = role_from_name("Lead");
    EXPECT_EQ(g.role, "lead_vocal");
    EXPECT_LT(g.confidence, 0.6);
}

TEST(Roles, DefaultGroups) {
    EXPECT_EQ(default_group("kick"), "drums");
    EXPECT_EQ(default_group("overheads"), "drums");
    EXPECT_EQ(default_group("bass"), "bass");
    EXPECT_EQ(default_group("acoustic_guitar"), "guitars");
    EXPECT_EQ(default_group("pad"), "keys");
    EXPECT_EQ(default_group("backing_vocal"), "vocals");
    EXPECT_EQ(default_group("fx"), "fx");
    EXPECT_EQ(default_group("other"), "other");
    for (const auto& r : all_roles()) EXPECT_FALSE(default_group(r).empty());
}

TEST(Roles, AudioRolesOfSyntheticParts) {
    EXPECT_EQ(role_from_audio(analyze_track(trk::kick_like(k_sr, 3.0, 0.5))).role, "kick");
    EXPECT_EQ(role_from_audio(analyze_track(trk::hihat_like(3, k_sr, 3.0, 0.25))).role, "hihat");
    const auto bass = role_from_audio(analyze_track(trk::bass_like(k_sr, 3.0)));
    EXPECT_EQ(bass.role, "bass") << bass.reason;
    EXPECT_EQ(role_from_audio(analyze_track(trk::vocal_like(k_sr, 6.0))).role, "lead_vocal");
    EXPECT_EQ(role_from_audio(analyze_track(test::signals::silence(k_sr, 1.0, 1))).role, "other");
}

TEST(Roles, CombineNameWinsWhenConfidentAudioBreaksTies) {
    const RoleGuess name{"bass", 0.9, "name"}, audio{"kick", 0.6, "audio"};
    EXPECT_EQ(combine_role(name, audio).role, "bass");
    EXPECT_NE(combine_role(name, audio).reason.find("decided by name"), std::string::npos);
    const RoleGuess weak{"lead_vocal", 0.5, "lead"}, strong{"keys", 0.55, "pitched"};
    EXPECT_EQ(combine_role(weak, strong).role, "keys");
    EXPECT_NE(combine_role(weak, strong).reason.find("decided by audio"), std::string::npos);
    const RoleGuess none{"other", 0.0, "nothing"};
    EXPECT_EQ(combine_role(none, audio).role, "kick");
    const auto agree = combine_role(RoleGuess{"kick", 0.9, "n"}, audio);
    EXPECT_EQ(agree.role, "kick");
    EXPECT_GT(agree.confidence, 0.9);
}

// The Caesium stems' names: sensible roles from names alone (no audio needed).
TEST(Roles, CaesiumStemNames) {
    const std::vector<std::pair<const char*, const char*>> stems = {
        {"alt_hats", "hihat"},
        {"bgvox_alt", "backing_vocal"},
        {"bgvox_echo", "backing_vocal"},
        {"bgvox_harmony", "backing_vocal"},
        {"bgvox_high", "backing_vocal"},
        {"bgvox_main", "backing_vocal"},
        {"break", "percussion"},
        {"build", "fx"},
        {"fill_scratch", "percussion"},
        {"garage_beat", "percussion"},
        {"hats", "hihat"},
        {"kick", "kick"},
        {"microcosm_effect", "fx"},
        {"minilogue_synth", "keys"},
        {"scratch_hats", "hihat"},
        {"vox_lead", "lead_vocal"}};
    for (const auto& [name, role] : stems)
        EXPECT_EQ(role_from_name(std::string(name) + ".flac").role, role) << name;
}

// Audio roles of the real stems (60 s each; Release only). Printed for the record; asserted
// only where the audio signature is unambiguous.
TEST(RolesCorpusReleaseOnly, CaesiumStemAudio) {
    SECONDEAR_REQUIRE_CORPUS();
    const auto dir = test::corpus_path("multitrack/software_entwicklungskit-caesium/stems");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        const auto features = analyze_track(io::decode(path).audio);
        const auto by_name = role_from_name(path.filename().string());
        const auto by_audio = role_from_audio(features);
        const auto role = combine_role(by_name, by_audio);
        std::printf("%-22s name %-14s audio %-14s (%.2f) -> %s | %s\n",
                    path.filename().string().c_str(), by_name.role.c_str(), by_audio.role.c_str(),
                    by_audio.confidence, role.role.c_str(), by_audio.reason.c_str());
        EXPECT_EQ(role.role, by_name.role);  // every name is confident here
        if (path.stem() == "kick") {
            EXPECT_EQ(by_audio.role, "kick");
        }
    }
}

}  // namespace
}  // namespace secondear::analysis
