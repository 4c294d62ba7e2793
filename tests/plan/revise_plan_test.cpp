// Plan deltas from directives (plan/revise.hpp): where each move lands, locks, sections, and the
// changes list. A small hand-built plan; no audio.
#include <gtest/gtest.h>

#include <algorithm>

#include "plan/revise.hpp"

namespace secondear::plan {
namespace {

using intent::Direction;
using intent::Directive;

constexpr double k_rate_hz = 48000.0;
constexpr double k_duration_s = 16.0;

ProcessorEntry comp(const std::string& id, double threshold_db) {
    return {id,
            true,
            false,
            dsp::CompressorParams{.threshold_db = threshold_db, .ratio = 3.0},
            {"TEST", "", {}}};
}

Plan fixture() {
    Plan p;
    p.kind = "mix";
    p.sample_rate_hz = k_rate_hz;
    p.frames = static_cast<std::size_t>(k_duration_s * k_rate_hz);
    p.tempo_bpm = 120.0;
    p.sections = {
        {0, 4, "verse", 1}, {4, 8, "chorus", 1}, {8, 12, "verse", 1}, {12, 16, "chorus", 1}};
    Track vox;
    vox.name = "lead_vocal";
    vox.role = "lead_vocal";
    vox.group = "vocals";
    vox.fader_db = 1.0;
    vox.chain = {comp("track.lead_vocal.comp", -20.0)};
    vox.sends = {{"plate", -20.0, false, {}}, {"delay", -26.0, false, {}}};
    Track kick;
    kick.name = "kick_in";
    kick.role = "kick";
    kick.group = "drums";
    kick.output_bus = "drums";
    Track snare = kick;
    snare.name = "snare_top";
    snare.role = "snare";
    Track bass;
    bass.name = "bass";
    bass.role = "bass";
    bass.group = "bass";
    bass.fader_locked = true;
    p.tracks = {vox, kick, snare, bass};
    p.buses = {{"plate",
                "return",
                "mix",
                0.0,
                false,
                {{"bus.plate.reverb", true, false, dsp::ReverbParams{}, {}}},
                {}},
               {"delay",
                "return",
                "mix",
                0.0,
                false,
                {{"bus.delay.echo", true, false, dsp::DelayParams{}, {}}},
                {}},
               {"drums", "group", "mix", 0.0, false, {comp("bus.drums.comp", -18.0)}, {}},
               {"mix", "mix", "master", 0.0, false, {comp("mixbus.comp", -16.0)}, {}}};
    p.master.chain = {comp("master.glue", -12.0)};
    return p;
}

Directive say(std::string target, std::string quality, Direction dir = Direction::more,
              double amount = 0.5) {
    Directive d;
    d.target = std::move(target);
    d.quality = std::move(quality);
    d.direction = dir;
    d.amount = amount;
    return d;
}

const Change* find_change(const RevisionResult& r, const std::string& path) {
    for (const auto& c : r.changes)
        if (c.path == path) return &c;
    return nullptr;
}

const ProcessorEntry* find_entry(const std::vector<ProcessorEntry>& chain, const std::string& id) {
    for (const auto& e : chain)
        if (e.id == id) return &e;
    return nullptr;
}

TEST(RevisePlan, LouderVocalMovesItsFaderByTheScaledMove) {
    const auto r = apply_directives(fixture(), {say("lead_vocal", "loud")});
    // "loud" is +4 dB at amount 1; 0.5 gives +2 dB.
    EXPECT_DOUBLE_EQ(r.plan.tracks[0].fader_db, 3.0);
    const Change* c = find_change(r, "tracks[lead_vocal].fader_db");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->code, "REVISE_LOUD");
    EXPECT_DOUBLE_EQ(c->from.get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(c->to.get<double>(), 3.0);
    EXPECT_FALSE(c->skipped);
}

TEST(RevisePlan, LockedFaderIsKeptAndListedAsSkipped) {
    const auto r = apply_directives(fixture(), {say("bass", "quiet")});
    EXPECT_DOUBLE_EQ(r.plan.tracks[3].fader_db, 0.0);
    const Change* c = find_change(r, "tracks[bass].fader_db");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->skipped);
    EXPECT_NE(c->text.find("locked"), std::string::npos);
}

TEST(RevisePlan, WarmerMixIsAnAudealizeCurveInTheMasterChainBeforeItsCompressor) {
    const auto r = apply_directives(fixture(), {say("mix", "warm")});
    const auto& chain = r.plan.master.chain;
    // The EQ and warm's saturation (drive only, on the mix), both before the glue compressor.
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].id, "master.revise.warm");
    EXPECT_EQ(chain[1].id, "master.revise.saturation");
    EXPECT_EQ(chain[2].id, "master.glue");
    const auto& eq = std::get<dsp::EqParams>(chain[0].params);
    // The curve rises below 400 Hz and falls above 1 kHz (Audealize 'warm'): a 1 dB margin is far
    // inside the +-2 dB the half-amount curve moves there.
    EXPECT_GT(dsp::Equalizer::response_db(eq, 125.0, k_rate_hz), 1.0);
    EXPECT_LT(dsp::Equalizer::response_db(eq, 2000.0, k_rate_hz), -0.3);
    const Change* c = find_change(r, "master.chain[master.revise.warm]");
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->text.find("Audealize"), std::string::npos);
    EXPECT_NE(c->text.find("122 contributors"), std::string::npos);
    // Level on the mix is never changed: the master target stays.
    EXPECT_EQ(r.plan.master.target, fixture().master.target);
}

TEST(RevisePlan, AskingTwiceForWarmthAddsToTheSameCurve) {
    const auto once = apply_directives(fixture(), {say("lead_vocal", "warm")});
    const auto twice = apply_directives(once.plan, {say("lead_vocal", "warm")});
    const auto* a = find_entry(once.plan.tracks[0].chain, "track.lead_vocal.revise.warm");
    const auto* b = find_entry(twice.plan.tracks[0].chain, "track.lead_vocal.revise.warm");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(twice.plan.tracks[0].chain.size(), once.plan.tracks[0].chain.size());
    const double ga =
        dsp::Equalizer::response_db(std::get<dsp::EqParams>(a->params), 125, k_rate_hz);
    const double gb =
        dsp::Equalizer::response_db(std::get<dsp::EqParams>(b->params), 125, k_rate_hz);
    // Twice the move: about twice the gain (fit error of a few tenths of a dB allowed).
    EXPECT_NEAR(gb, 2.0 * ga, 0.6);
}

TEST(RevisePlan, LouderVocalInTheChorusIsAGainLaneInsideTheChorusOnly) {
    Directive d = say("lead_vocal", "loud");
    d.section = intent::SectionRef{"chorus", 1, std::nullopt, std::nullopt};
    const auto r = apply_directives(fixture(), {d});
    const Track& t = r.plan.tracks[0];
    EXPECT_DOUBLE_EQ(t.fader_db, 1.0);
    ASSERT_EQ(t.automation.size(), 1u);
    const auto& lane = t.automation[0];
    EXPECT_EQ(lane.param, "gain_db");
    // One beat at 120 BPM (0.5 s) ramps, ending on the boundaries.
    const std::vector<AutomationPoint> expected = {{3.5, 0.0}, {4.0, 2.0}, {7.5, 2.0}, {8.0, 0.0}};
    EXPECT_EQ(lane.points, expected);
    ASSERT_NE(find_change(r, "tracks[lead_vocal].automation[gain_db]"), nullptr);
}

TEST(RevisePlan, EverySectionOfALabelWithOrdinalZeroAndLanesSum) {
    Directive d = say("lead_vocal", "loud");
    d.section = intent::SectionRef{"chorus", 0, std::nullopt, std::nullopt};
    const auto once = apply_directives(fixture(), {d});
    ASSERT_EQ(once.plan.tracks[0].automation.size(), 1u);
    // The second chorus ends with the song: no ramp down.
    EXPECT_EQ(once.plan.tracks[0].automation[0].points.back(), (AutomationPoint{12.0, 2.0}));
    const auto twice = apply_directives(once.plan, {d});
    const auto& lane = twice.plan.tracks[0].automation[0];
    bool found = false;
    for (const auto& p : lane.points)
        if (p.time_s == 6.0 || p.time_s == 4.0) found = found || p.value == 4.0;
    EXPECT_TRUE(found);  // +2 dB twice
}

TEST(RevisePlan, SectionScopedEqIsSkippedAndSaidSo) {
    Directive d = say("lead_vocal", "bright");
    d.section = intent::SectionRef{"chorus", 1, std::nullopt, std::nullopt};
    const auto r = apply_directives(fixture(), {d});
    EXPECT_EQ(r.plan.tracks[0].chain, fixture().tracks[0].chain);
    ASSERT_FALSE(r.changes.empty());
    EXPECT_TRUE(r.changes[0].skipped);
    EXPECT_NE(r.changes[0].text.find("static"), std::string::npos);
}

TEST(RevisePlan, PunchierDrumsTightenTheDrumBusCompressor) {
    const auto r = apply_directives(fixture(), {say("drums", "punchy")});
    const auto& bus = r.plan.buses[2];
    const auto& p = std::get<dsp::CompressorParams>(bus.chain[0].params);
    // punchy: ratio +1, threshold -2 dB, attack +15 ms, release -40 ms at amount 1; half here.
    EXPECT_DOUBLE_EQ(p.ratio, 3.5);
    EXPECT_DOUBLE_EQ(p.threshold_db, -19.0);
    EXPECT_NE(find_change(r, "buses[drums].chain[bus.drums.comp].params.ratio"), nullptr);
    // The tracks get the EQ part, not a compressor of their own.
    EXPECT_NE(find_entry(r.plan.tracks[1].chain, "track.kick_in.revise.punchy"), nullptr);
    EXPECT_EQ(find_entry(r.plan.tracks[1].chain, "track.kick_in.revise.comp"), nullptr);
}

TEST(RevisePlan, SpaciousVocalRaisesItsReverbAndDelaySends) {
    const auto r = apply_directives(fixture(), {say("lead_vocal", "spacious")});
    // spacious: reverb +6, delay +3 at amount 1.
    EXPECT_DOUBLE_EQ(r.plan.tracks[0].sends[0].level_db, -17.0);
    EXPECT_DOUBLE_EQ(r.plan.tracks[0].sends[1].level_db, -24.5);
    // A track without sends gets a plate send.
    const auto k = apply_directives(fixture(), {say("kick_in", "spacious")});
    ASSERT_EQ(k.plan.tracks[1].sends.size(), 2u);
    EXPECT_EQ(k.plan.tracks[1].sends[0].bus, "plate");
    EXPECT_DOUBLE_EQ(k.plan.tracks[1].sends[0].level_db, -27.0);
}

TEST(RevisePlan, WiderMonoSourceIsSkippedStereoGetsAWidthEntry) {
    RevisionContext ctx;
    ctx.track_channels = {1, 1, 1, 2};
    const auto r =
        apply_directives(fixture(), {say("lead_vocal", "wide"), say("bass", "wide")}, ctx);
    EXPECT_EQ(find_entry(r.plan.tracks[0].chain, "track.lead_vocal.revise.width"), nullptr);
    const auto* w = find_entry(r.plan.tracks[3].chain, "track.bass.revise.width");
    ASSERT_NE(w, nullptr);
    // +1.5 dB of side: x1.19.
    EXPECT_NEAR(std::get<dsp::WidthParams>(w->params).width, 1.19, 0.005);
}

TEST(RevisePlan, LockedEntryIsNeverChanged) {
    Plan p = fixture();
    p.tracks[0].chain[0].locked = true;
    const auto r = apply_directives(p, {say("lead_vocal", "punchy")});
    EXPECT_EQ(*find_entry(r.plan.tracks[0].chain, "track.lead_vocal.comp"), p.tracks[0].chain[0]);
    const Change* c = find_change(r, "tracks[lead_vocal].chain[track.lead_vocal.comp]");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->skipped);
}

TEST(RevisePlan, UnknownTargetOrSectionIsASkippedChangeNotAnError) {
    Directive d = say("lead_vocal", "loud");
    d.section = intent::SectionRef{"bridge", 1, std::nullopt, std::nullopt};
    const auto r = apply_directives(fixture(), {say("theremin", "loud"), d});
    EXPECT_EQ(r.plan, fixture());
    ASSERT_EQ(r.changes.size(), 2u);
    EXPECT_TRUE(r.changes[0].skipped && r.changes[1].skipped);
}

TEST(RevisePlan, TargetsResolveByNameThenRoleThenGroup) {
    const Plan p = fixture();
    EXPECT_EQ(target_tracks(p, "lead_vocal"), std::vector<std::size_t>{0});
    EXPECT_EQ(target_tracks(p, "kick"), std::vector<std::size_t>{1});
    EXPECT_EQ(target_tracks(p, "drums"), (std::vector<std::size_t>{1, 2}));
    EXPECT_TRUE(target_tracks(p, "mix").empty());
}

TEST(RevisePlan, SectionOrdinalsAndTimeRanges) {
    const Plan p = fixture();
    using R = std::vector<std::pair<double, double>>;
    EXPECT_EQ(section_ranges(p, {"chorus", 2, {}, {}}), (R{{12.0, 16.0}}));
    EXPECT_EQ(section_ranges(p, {"verse", -1, {}, {}}), (R{{8.0, 12.0}}));
    EXPECT_EQ(section_ranges(p, {"", 0, 90.0, {}}), R{});
    EXPECT_EQ(section_ranges(p, {"", 0, 6.0, {}}), (R{{6.0, 16.0}}));
    const auto ctx = interpret_context(p);
    ASSERT_EQ(ctx.sections.size(), 4u);
    EXPECT_EQ(ctx.sections[3].ordinal, 2);
    EXPECT_DOUBLE_EQ(ctx.duration_s, 16.0);
}

TEST(RevisePlan, ChangesRoundTripThroughJson) {
    const auto r = apply_directives(fixture(), {say("lead_vocal", "warm")});
    for (const auto& c : r.changes) {
        const Change back = change_from_json(change_json(c));
        EXPECT_EQ(back.path, c.path);
        EXPECT_EQ(back.from, c.from);
        EXPECT_EQ(back.to, c.to);
        EXPECT_EQ(back.code, c.code);
    }
}

}  // namespace
}  // namespace secondear::plan
