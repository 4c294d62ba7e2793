// The vocabulary data: every quality the issue names exists, has moves and a verify entry, words
// are unambiguous, and the Audealize-derived EQ curves follow their crowdsourced sources.

#include "intent/vocabulary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "intent/lexicon.hpp"

namespace secondear::intent {
namespace {

TEST(Vocabulary, HasEveryQualityTheIssueNames) {
    for (const char* name :
         {"warm",   "bright",   "dark",   "airy",  "muddy",      "boomy",     "boxy",     "harsh",
          "thin",   "full",     "punchy", "big",   "wide",       "narrow",    "intimate", "distant",
          "dry",    "spacious", "loud",   "quiet", "aggressive", "laid-back", "clean",    "gritty",
          "smooth", "crisp",    "tight",  "glued", "present",    "lift"}) {
        EXPECT_NE(vocabulary().find(name), nullptr) << name;
    }
}

TEST(Vocabulary, EveryQualityHasMovesAndAVerifyEntry) {
    const auto& vocab = vocabulary();
    for (const auto& q : vocab.qualities) {
        const auto& m = q.moves;
        const bool any_move = m.eq || m.compression || m.level_db != 0.0 ||
                              m.saturation_drive_db != 0.0 || m.reverb_send_db != 0.0 ||
                              m.delay_send_db != 0.0 || m.width_db != 0.0 ||
                              m.transient_db != 0.0 || m.deesser_db != 0.0;
        EXPECT_TRUE(any_move) << q.name;
        ASSERT_FALSE(q.verify.empty()) << q.name;
        for (const auto& v : q.verify) {
            EXPECT_TRUE(v.expect == "up" || v.expect == "down") << q.name;
            EXPECT_FALSE(v.measure.empty()) << q.name;
        }
        if (m.eq) {
            ASSERT_EQ(m.eq->gains_db.size(), vocab.eq_band_hz.size()) << q.name;
            double peak_db = 0.0;
            for (double g : m.eq->gains_db) peak_db = std::max(peak_db, std::abs(g));
            // A move at amount 1.0 stays within the documented few dB.
            EXPECT_LE(peak_db, vocab.eq_max_db + 1e-9) << q.name;
        }
        EXPECT_FALSE(q.forms.empty()) << q.name;
    }
}

TEST(Vocabulary, OppositesAreSymmetric) {
    for (const auto& q : vocabulary().qualities) {
        if (q.opposite.empty()) continue;
        const Quality* other = vocabulary().find(q.opposite);
        ASSERT_NE(other, nullptr) << q.name;
        EXPECT_EQ(other->opposite, q.name) << q.name;
    }
}

TEST(Vocabulary, NoWordNamesTwoQualities) {
    std::map<std::string, std::string> owner;
    for (const auto& q : vocabulary().qualities) {
        for (const auto* list : {&q.forms, &q.antonyms}) {
            for (const auto& word : *list) {
                const auto [it, fresh] = owner.emplace(word, q.name);
                EXPECT_TRUE(fresh)
                    << "\"" << word << "\" is in " << it->second << " and " << q.name;
            }
        }
    }
}

TEST(Vocabulary, ScaledMovesFollowAmountAndDirection) {
    const Quality& punchy = *vocabulary().find("punchy");
    const Moves half = scaled_moves(punchy, Direction::more, 0.5);
    const Moves less = scaled_moves(punchy, Direction::less, 0.5);
    EXPECT_DOUBLE_EQ(half.transient_db, 0.5 * punchy.moves.transient_db);
    EXPECT_DOUBLE_EQ(less.transient_db, -half.transient_db);
    EXPECT_DOUBLE_EQ(less.compression->attack_ms_delta, -half.compression->attack_ms_delta);
    for (std::size_t k = 0; k < half.eq->gains_db.size(); ++k) {
        EXPECT_DOUBLE_EQ(less.eq->gains_db[k], -half.eq->gains_db[k]);
    }
    // Amounts are clamped to 0..1.
    EXPECT_DOUBLE_EQ(scaled_moves(punchy, Direction::more, 3.0).transient_db,
                     punchy.moves.transient_db);
}

TEST(Vocabulary, DegreeWordsFollowTheDocumentedTable) {
    std::map<std::string, double> amount;
    for (const auto& a : vocabulary().amounts) {
        for (const auto& w : a.words) amount[w] = a.amount;
    }
    EXPECT_DOUBLE_EQ(amount.at("a touch"), 0.25);
    EXPECT_DOUBLE_EQ(amount.at("a bit"), 0.35);
    EXPECT_DOUBLE_EQ(amount.at("a little"), 0.35);
    EXPECT_DOUBLE_EQ(amount.at("much"), 0.75);
    EXPECT_DOUBLE_EQ(amount.at("way more"), 1.0);
    EXPECT_DOUBLE_EQ(amount.at("a lot"), 1.0);
    EXPECT_DOUBLE_EQ(vocabulary().default_amount, 0.5);
}

TEST(Lexicon, EditDistanceAndTokens) {
    EXPECT_EQ(lexicon::edit_distance("brigther", "brighter"), 1);  // a transposition
    EXPECT_EQ(lexicon::edit_distance("warmmer", "warmer"), 1);
    EXPECT_EQ(lexicon::edit_distance("vox", "voxs"), 1);
    const auto tokens =
        lexicon::tokenize("The vocal's too LOUD, isn't it? From 1:30 -- laid-back & 2dB");
    const std::vector<std::string> want{"the",  "vocal", "is",  "too", "loud", ",",
                                        "is",   "not",   "it",  ",",   "from", "1:30",
                                        "laid", "back",  "and", "2",   "db"};
    EXPECT_EQ(tokens, want);
}

// Audealize bands (the data's README) and our own log-frequency interpolation.
const std::vector<double> k_source_bands_hz{
    20,   50,   83,   120,  161,  208,  259,   318,   383,   455,   537,   628,  729,  843,
    971,  1114, 1273, 1452, 1652, 1875, 2126,  2406,  2719,  3070,  3462,  3901, 4392, 4941,
    5556, 6244, 7014, 7875, 8839, 9917, 11124, 12474, 13984, 15675, 17566, 19682};

double interp_log(const std::vector<double>& xs_hz, const std::vector<double>& ys, double x_hz) {
    if (x_hz <= xs_hz.front()) return ys.front();
    if (x_hz >= xs_hz.back()) return ys.back();
    for (std::size_t i = 0; i + 1 < xs_hz.size(); ++i) {
        if (x_hz <= xs_hz[i + 1]) {
            const double w = std::log2(x_hz / xs_hz[i]) / std::log2(xs_hz[i + 1] / xs_hz[i]);
            return ys[i] * (1.0 - w) + ys[i + 1] * w;
        }
    }
    return ys.back();
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    double ma = 0.0, mb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= static_cast<double>(a.size());
    mb /= static_cast<double>(b.size());
    double num = 0.0, da = 0.0, db = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        num += (a[i] - ma) * (b[i] - mb);
        da += (a[i] - ma) * (a[i] - ma);
        db += (b[i] - mb) * (b[i] - mb);
    }
    return num / std::sqrt(da * db);
}

TEST(Vocabulary, AudealizeCurvesCorrelateWithTheirSources) {
    const char* env = std::getenv("SECONDEAR_KNOWLEDGE_DIR");
    const std::filesystem::path dir = env ? env : SECONDEAR_KNOWLEDGE_DIR;
    const auto path = dir / "audealize" / "eqdescriptors.json";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "needs " << path.string();
    std::ifstream in(path);
    const auto descriptors = nlohmann::json::parse(in);
    std::map<std::string, nlohmann::json> by_word;
    for (const auto& e : descriptors) {
        if (e.at("lang") != "English") continue;
        const auto word = e.at("word").get<std::string>();
        if (!by_word.count(word) || e.at("num") > by_word[word].at("num")) by_word[word] = e;
    }
    const auto& vocab = vocabulary();
    int checked = 0;
    for (const auto& q : vocab.qualities) {
        if (!q.moves.eq || q.moves.eq->source != "audealize") continue;
        const auto& source = by_word.at(q.moves.eq->word);
        const auto settings = source.at("settings").get<std::vector<double>>();
        std::vector<double> ours;
        for (double f : k_source_bands_hz)
            ours.push_back(interp_log(vocab.eq_band_hz, q.moves.eq->gains_db, f));
        // A 10-band curve cannot follow every wiggle of 40 bands; 0.9 still means the same shape.
        EXPECT_GT(pearson(ours, settings), 0.9) << q.name;
        EXPECT_EQ(q.moves.eq->contributors, source.at("num").get<int>()) << q.name;
        // Only words with many contributors are trusted (data/vocabulary.json eq_min_contributors).
        EXPECT_GE(q.moves.eq->contributors, 10) << q.name;
        ++checked;
    }
    EXPECT_GE(checked, 8);
}

}  // namespace
}  // namespace secondear::intent
