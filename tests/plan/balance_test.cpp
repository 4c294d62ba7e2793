// Static balance in the mix plan: the lead vocal at its genre's level relative to the whole mix
// (predicted over time, so parts that take turns count as such), the table's balance for the
// rest, and the cases that keep the table (no vocal, spoken word). Fixtures are numbers: each
// track is a list of 100 ms block levels, no audio.
#include "plan/mix_planner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace secondear::plan {
namespace {

constexpr std::size_t k_blocks = 200;  // 20 s of 100 ms blocks

/// A stem that plays at LEVEL_DB (per 100 ms block, and integrated) in blocks [from, to) and is
/// digitally silent elsewhere.
TrackEvidence part(const std::string& name, const std::string& role, double level_db,
                   std::size_t from = 0, std::size_t to = k_blocks) {
    TrackEvidence t;
    t.name = name;
    t.path = name + ".wav";
    t.channels = 2;
    t.role.role = role;
    t.role.confidence = 1.0;
    auto& f = t.features;
    f.sample_rate_hz = 48000.0;
    f.channels = 2;
    f.frames = k_blocks * 4800;
    f.duration_s = static_cast<double>(k_blocks) / 10.0;
    f.integrated_lufs = level_db;
    f.peak_dbfs = level_db + 12.0;
    f.rms_dbfs = level_db;
    f.crest_db = 12.0;
    f.sibilance_db = -std::numeric_limits<double>::infinity();
    f.level_dbfs_per_100ms.assign(k_blocks, -std::numeric_limits<double>::infinity());
    for (std::size_t b = from; b < to; ++b) f.level_dbfs_per_100ms[b] = level_db;
    return t;
}

Plan plan_for(const std::vector<TrackEvidence>& tracks, const std::string& genre) {
    MixIntent mi;
    mi.genre = intent::load_genre(genre);
    return make_mix_plan(tracks, {}, mi, 48000.0, k_blocks * 4800);
}

/// The planned loudness of a track (LUFS): its BALANCE decision's target.
double target_lufs(const Plan& p, const std::string& name) {
    for (const auto& d : p.decisions)
        if (d.subject == name && d.rationale.code == "BALANCE")
            for (const auto& [k, v] : d.rationale.evidence)
                if (k == "target_lufs") return v;
    ADD_FAILURE() << "no BALANCE target for " << name;
    return 0.0;
}

double power_sum_db(std::initializer_list<double> levels_db) {
    double p = 0.0;
    for (double l : levels_db) p += std::pow(10.0, l / 10.0);
    return 10.0 * std::log10(p);
}

// Both parts play all the time: the mix is their power sum, and the lead sits the electronic
// profile's -2 LU under it.
TEST(Balance, LeadVocalSitsAtTheGenresLevelUnderTheMix) {
    const std::vector<TrackEvidence> tracks = {part("vox", "lead_vocal", -30.0),
                                               part("synth", "keys", -25.0),
                                               part("kick", "kick", -20.0)};
    const Plan p = plan_for(tracks, "electronic");
    const double vox = target_lufs(p, "vox");
    const double mix = power_sum_db({vox, target_lufs(p, "synth"), target_lufs(p, "kick")});
    // 0.05 LU: the bisection stops at 48/2^40 dB and the target is rounded to 0.01 dB.
    EXPECT_NEAR(vox - mix, intent::load_genre("electronic").lead_vocal_offset_lu, 0.05);
    // The instrumental keeps the table's balance between its parts.
    EXPECT_NEAR(target_lufs(p, "kick") - target_lufs(p, "synth"),
                balance_offset_lu("kick", "electronic") - balance_offset_lu("keys", "electronic"),
                0.01);  // 0.01 dB: rounding of the targets
}

// A vocal in the second half and a kick in the first: the gated mix is the mean of the two
// halves' powers (the 400 ms windows that straddle the change average to the same), so for a
// share of a = 10^(offset/10) the vocal sits r = a / (2 - a) in power against the kick; played
// together it sits r = a / (1 - a). For electronic (-2.5 LU) that is 4.1 dB under the kick
// against 1.1 dB over it: integrated loudness alone cannot tell these apart.
TEST(Balance, PartsThatTakeTurnsAreMixedOverTime) {
    const double a = std::pow(10.0, intent::load_genre("electronic").lead_vocal_offset_lu / 10.0);
    const Plan turns = plan_for({part("vox", "lead_vocal", -30.0, k_blocks / 2, k_blocks),
                                 part("kick", "kick", -20.0, 0, k_blocks / 2)},
                                "electronic");
    const Plan together =
        plan_for({part("vox", "lead_vocal", -30.0), part("kick", "kick", -20.0)}, "electronic");
    // 0.15 dB: the 400 ms windows at the vocal's entry hold only part of it, which lowers its
    // own gated mean by 0.07 dB (98.5 of 100 windows' worth of power) and the calibration to
    // its integrated loudness moves the placement by as much; plus bisection and rounding.
    EXPECT_NEAR(target_lufs(turns, "vox") - target_lufs(turns, "kick"),
                10.0 * std::log10(a / (2.0 - a)), 0.15);
    // 0.05 dB: bisection and rounding, as above.
    EXPECT_NEAR(target_lufs(together, "vox") - target_lufs(together, "kick"),
                10.0 * std::log10(a / (1.0 - a)), 0.05);
}

// Two parts of one role playing together are a section (each 0.5 x 10 log10 2 = 1.5 dB under
// the role's level); two that take turns each keep the role's level.
TEST(Balance, OnlyPartsPlayingTogetherShareTheLevel) {
    const Plan together = plan_for(
        {part("gtr 1", "electric_guitar", -30.0), part("gtr 2", "electric_guitar", -26.0)}, "rock");
    const Plan turns = plan_for({part("gtr 1", "electric_guitar", -30.0, 0, k_blocks / 2),
                                 part("gtr 2", "electric_guitar", -26.0, k_blocks / 2, k_blocks)},
                                "rock");
    // The guitar is the lead element here (no vocal): the table puts it at -20 LUFS.
    EXPECT_NEAR(target_lufs(together, "gtr 1"), -20.0 - 5.0 * std::log10(2.0), 0.01);  // rounding
    EXPECT_NEAR(target_lufs(together, "gtr 2"), -20.0 - 5.0 * std::log10(2.0), 0.01);
    EXPECT_NEAR(target_lufs(turns, "gtr 1"), -20.0, 0.01);
    EXPECT_NEAR(target_lufs(turns, "gtr 2"), -20.0, 0.01);
}

// An effect with a 3 s swell 9 dB over the rest is balanced by that swell: its integrated target
// sits under a steady effect's by the swell's rise over its integrated loudness (the blocks'
// mean power, since every window passes the gates).
TEST(Balance, EffectsAreBalancedByTheirClimax) {
    TrackEvidence swell = part("riser", "fx", -40.0);
    for (std::size_t b = 100; b < 130; ++b) swell.features.level_dbfs_per_100ms[b] = -31.0;
    const double mean_db = -40.0 + 10.0 * std::log10((170.0 + 30.0 * std::pow(10.0, 0.9)) / 200.0);
    swell.features.integrated_lufs = mean_db;
    const Plan steady = plan_for({part("kick", "kick", -20.0), part("riser", "fx", -40.0)}, "pop");
    const Plan swelling = plan_for({part("kick", "kick", -20.0), swell}, "pop");
    // 0.05 dB: the gating windows hold the first and last 300 ms fewer times than the rest, so
    // the gated mean of the -40 dB body sits 0.03 dB off the plain block mean; plus rounding.
    EXPECT_NEAR(target_lufs(steady, "riser") - target_lufs(swelling, "riser"), -31.0 - mean_db,
                0.05);
}

// A genre whose lead sits further under the mix gets a lower vocal: classical (-4 LU) against
// pop (-1.5 LU), same stems.
TEST(Balance, GenreVocalLevelOrdersTheVocal) {
    const std::vector<TrackEvidence> tracks = {part("vox", "lead_vocal", -30.0),
                                               part("piano", "piano", -25.0)};
    const Plan pop = plan_for(tracks, "pop");
    const Plan classical = plan_for(tracks, "classical");
    const double pop_vox = target_lufs(pop, "vox") - target_lufs(pop, "piano");
    const double classical_vox = target_lufs(classical, "vox") - target_lufs(classical, "piano");
    EXPECT_GT(pop_vox, classical_vox + 1.0);  // 2.5 LU apart in the profiles; over 1 dB here
}

// Backing vocals follow the lead: their distance to it is the table's, whatever the move.
TEST(Balance, BackingVocalsMoveWithTheLead) {
    const Plan p = plan_for({part("vox", "lead_vocal", -30.0), part("bv", "backing_vocal", -28.0),
                             part("kick", "kick", -20.0)},
                            "electronic");
    EXPECT_NEAR(target_lufs(p, "bv") - target_lufs(p, "vox"),
                balance_offset_lu("backing_vocal", "electronic"), 0.01);  // rounding
}

// No vocal: the lead element anchors the table, as before (the lead at -20 LUFS).
TEST(Balance, InstrumentalKeepsTheTable) {
    const Plan p =
        plan_for({part("piano", "piano", -30.0), part("bass", "bass", -26.0)}, "electronic");
    EXPECT_NEAR(target_lufs(p, "piano"), -20.0, 0.01);  // rounding
    EXPECT_NEAR(
        target_lufs(p, "bass"),
        -20.0 + balance_offset_lu("bass", "electronic") - balance_offset_lu("piano", "electronic"),
        0.01);
}

// Spoken word: the voice is the programme (offset 0), so the table says how far under it the
// rest sits; the voice stays at the anchor.
TEST(Balance, SpokenWordKeepsTheTable) {
    const Plan p =
        plan_for({part("voice", "lead_vocal", -30.0), part("bed", "pad", -25.0)}, "spoken-word");
    EXPECT_NEAR(target_lufs(p, "voice"), -20.0, 0.01);  // rounding
    EXPECT_NEAR(target_lufs(p, "bed") - target_lufs(p, "voice"),
                balance_offset_lu("pad", "spoken-word"), 0.01);
}

// Same evidence, same plan: faders identical to the bit.
TEST(Balance, Deterministic) {
    const std::vector<TrackEvidence> tracks = {part("vox", "lead_vocal", -30.0, 50, 200),
                                               part("kick", "kick", -20.0, 0, 120),
                                               part("fx", "fx", -40.0, 30, 60)};
    const Plan a = plan_for(tracks, "electronic");
    const Plan b = plan_for(tracks, "electronic");
    for (std::size_t i = 0; i < a.tracks.size(); ++i)
        EXPECT_EQ(a.tracks[i].fader_db, b.tracks[i].fader_db);
}

}  // namespace
}  // namespace secondear::plan
