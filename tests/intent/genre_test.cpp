// Genre profiles: every genre the issue names loads by name and alias, the data is well formed,
// and nearest_genre() orders mixes sensibly.

#include "intent/genre.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.hpp"

namespace secondear::intent {
namespace {

TEST(Genre, NamesAndAliasesLoad) {
    const std::vector<std::string> want{"acoustic", "cinematic", "classical", "electronic",
                                        "hip-hop",  "jazz",      "lo-fi",     "metal",
                                        "pop",      "r-and-b",   "rock",      "spoken-word"};
    EXPECT_EQ(genre_names(), want);
    const std::vector<std::pair<const char*, const char*>> aliases{
        {"trap", "hip-hop"},        {"drill", "hip-hop"},
        {"Hip Hop", "hip-hop"},     {"EDM", "electronic"},
        {"folk", "acoustic"},       {"orchestral", "classical"},
        {"podcast", "spoken-word"}, {"spoken word", "spoken-word"},
        {"R&B", "r-and-b"},         {"rnb", "r-and-b"},
        {"Lo-Fi", "lo-fi"},         {"lofi", "lo-fi"},
        {"Metal", "metal"}};
    for (const auto& [alias, name] : aliases) EXPECT_EQ(load_genre(alias).name, name) << alias;
}

TEST(Genre, UnknownNameIsAUsageErrorListingTheNames) {
    try {
        load_genre("polka");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_NE(std::string(e.what()).find("hip-hop"), std::string::npos) << e.what();
    }
}

TEST(Genre, ProfilesAreWellFormed) {
    const auto& centres = iso_third_octave_centres_hz();
    ASSERT_EQ(centres.size(), 28u);
    for (const auto& name : genre_names()) {
        const auto p = load_genre(name);
        ASSERT_EQ(p.tonal_target_db.size(), centres.size()) << name;
        EXPECT_DOUBLE_EQ(p.tonal_target_db[15], 0.0) << name;  // 1 kHz is the reference
        EXPECT_LT(p.plr_min_db, p.plr_max_db) << name;
        EXPECT_GE(p.crest_target_db, p.plr_min_db) << name;
        EXPECT_LE(p.crest_target_db, p.plr_max_db) << name;
        EXPECT_LT(p.loudness_hint_lufs, -5.0) << name;
        EXPECT_GT(p.bus_compression.ratio, 1.0) << name;
        EXPECT_FALSE(p.source.empty()) << name;
        // Every mix has less energy per third octave at 8 kHz than at 1 kHz.
        EXPECT_LT(p.tonal_target_db[24], 0.0) << name;
    }
    // Published orderings the profiles must keep: classical is more dynamic than metal, hip-hop
    // has more sub than jazz, and podcasts keep the lowest bands down.
    EXPECT_GT(load_genre("classical").plr_min_db, load_genre("metal").plr_max_db);
    EXPECT_GT(load_genre("hip-hop").tonal_target_db[2], load_genre("jazz").tonal_target_db[2]);
    EXPECT_LT(load_genre("podcast").tonal_target_db[0], load_genre("pop").tonal_target_db[0]);
}

TEST(Genre, NearestOfAProfileIsItself) {
    for (const auto& name : genre_names()) {
        const auto p = load_genre(name);
        // Any reference level: the curves are compared by shape.
        std::vector<double> spectrum = p.tonal_target_db;
        for (double& v : spectrum) v -= 20.0;
        const auto n =
            nearest_genre(spectrum, (p.plr_min_db + p.plr_max_db) / 2.0, p.side_mid_ratio_db);
        EXPECT_EQ(n.name, name);
        EXPECT_NEAR(n.distance, 0.0, 1e-9);
        EXPECT_NE(n.reason.find(name), std::string::npos);
    }
}

double brightness_db(const std::string& name) {
    const auto p = load_genre(name);
    return p.tonal_target_db[24] - p.tonal_target_db[9];  // 8 kHz relative to 250 Hz
}

TEST(Genre, ABrighterSpectrumPicksABrighterProfile) {
    const auto rock = load_genre("rock");
    const auto& centres = iso_third_octave_centres_hz();
    std::vector<double> bright = rock.tonal_target_db;
    std::vector<double> dark = rock.tonal_target_db;
    for (std::size_t k = 0; k < centres.size(); ++k) {
        const double octaves = std::log2(centres[k] / 1000.0);
        bright[k] += 1.0 * octaves;  // 1 dB/octave tilt either way
        dark[k] -= 1.0 * octaves;
    }
    const auto b = nearest_genre(bright, 9.5, rock.side_mid_ratio_db);
    const auto d = nearest_genre(dark, 9.5, rock.side_mid_ratio_db);
    EXPECT_GT(brightness_db(b.name), brightness_db(d.name)) << b.name << " vs " << d.name;
}

TEST(Genre, DynamicsMoveTheChoiceTowardsDynamicGenres) {
    // A flat-ish spectrum: only PLR and width differ between the two calls.
    const auto jazz = load_genre("jazz");
    const auto squashed = nearest_genre(jazz.tonal_target_db, 6.0, -6.0);
    const auto open = nearest_genre(jazz.tonal_target_db, 18.0, -7.0);
    EXPECT_LT(load_genre(squashed.name).plr_max_db, load_genre(open.name).plr_max_db);
}

}  // namespace
}  // namespace secondear::intent
