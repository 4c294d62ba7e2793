// Taste memory (intent/taste.hpp): the store's location, round trip, and when a taste becomes a
// prior.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "intent/taste.hpp"
#include "support/paths.hpp"

namespace secondear::intent {
namespace {

Directive warm_mix(double amount = 0.5) {
    Directive d;
    d.target = "mix";
    d.quality = "warm";
    d.amount = amount;
    return d;
}

TEST(Taste, AcceptedTwiceBecomesAPriorAtHalfTheUsualAmount) {
    Taste t;
    record_taste(t, warm_mix(0.5), true);
    EXPECT_TRUE(taste_directives(t).empty());  // once is not a habit
    record_taste(t, warm_mix(0.75), true);
    const auto prior = taste_directives(t);
    ASSERT_EQ(prior.size(), 1u);
    EXPECT_EQ(prior[0].quality, "warm");
    EXPECT_EQ(prior[0].target, "mix");
    EXPECT_EQ(prior[0].direction, Direction::more);
    EXPECT_DOUBLE_EQ(prior[0].amount, 0.5 * (0.5 + 0.75) / 2.0);
    EXPECT_FALSE(prior[0].section.has_value());
}

TEST(Taste, RejectionsCancelAcceptances) {
    Taste t;
    record_taste(t, warm_mix(), true);
    record_taste(t, warm_mix(), true);
    record_taste(t, warm_mix(), false);
    EXPECT_TRUE(taste_directives(t).empty());
    ASSERT_EQ(t.entries.size(), 1u);
    EXPECT_EQ(t.entries[0].rejected, 1);
}

TEST(Taste, DirectionAndTargetAreSeparateTastes) {
    Taste t;
    Directive less = warm_mix();
    less.direction = Direction::less;
    Directive vocal = warm_mix();
    vocal.target = "lead_vocal";
    record_taste(t, warm_mix(), true);
    record_taste(t, less, true);
    record_taste(t, vocal, true);
    EXPECT_EQ(t.entries.size(), 3u);
}

TEST(Taste, RoundTripsThroughItsFileAndAMissingFileIsEmpty) {
    const auto path = test::scratch_dir() / "taste_roundtrip" / "taste.json";
    std::filesystem::remove(path);
    EXPECT_EQ(load_taste(path), Taste{});
    Taste t;
    record_taste(t, warm_mix(0.35), true);
    record_taste(t, warm_mix(0.35), false);
    save_taste(t, path);
    EXPECT_EQ(load_taste(path), t);
}

TEST(Taste, StoreLocationFollowsTheEnvironment) {
    const char* old_home = std::getenv("HOME");
    const std::string saved_home = old_home ? old_home : "";
    ::setenv("SECONDEAR_HOME", "/tmp/se_home", 1);
    EXPECT_EQ(taste_path(), std::filesystem::path("/tmp/se_home/taste.json"));
    ::unsetenv("SECONDEAR_HOME");
    ::setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
    EXPECT_EQ(taste_path(), std::filesystem::path("/tmp/xdg/secondear/taste.json"));
    ::unsetenv("XDG_CONFIG_HOME");
    ::setenv("HOME", "/tmp/h", 1);
    EXPECT_EQ(taste_path(), std::filesystem::path("/tmp/h/.config/secondear/taste.json"));
    ::setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace secondear::intent
