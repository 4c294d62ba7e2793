// Section automation in the plan: the moves per section, ramps of one beat ending on each
// boundary, genre and intents, merging with a level ride, and section loudness.
#include "plan/automation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace secondear::plan {
namespace {

// intro 0-8, verse 8-16, chorus 16-24, verse 24-32, chorus 32-40, outro 40-44 (120 BPM: 0.5 s
// beats).
std::vector<Section> song_sections() {
    return {{0, 8, "intro", 1},   {8, 16, "verse", 1},   {16, 24, "chorus", 1},
            {24, 32, "verse", 1}, {32, 40, "chorus", 1}, {40, 44, "outro", 1}};
}

Plan song_plan(const std::string& genre = "pop") {
    Plan p;
    p.kind = "mix";
    p.genre = genre;
    p.tempo_bpm = 120.0;
    p.sections = song_sections();
    Track lead;
    lead.name = "vox";
    lead.role = "lead_vocal";
    lead.output_bus = "vocals";
    lead.sends = {{"plate", -16.0, false, {}}, {"delay", -22.0, false, {}}};
    Track kick;
    kick.name = "kick";
    kick.role = "kick";
    kick.output_bus = "drums";
    Track keys;
    keys.name = "keys";
    keys.role = "keys";
    keys.sends = {{"plate", -20.0, false, {}}};
    p.tracks = {lead, kick, keys};
    p.buses = {{"drums", "group", "mix", 0.0, false, {}, {}},
               {"plate", "return", "mix", 0.0, false, {}, {}},
               {"delay", "return", "mix", 0.0, false, {}, {}},
               {"mix", "mix", "master", 0.0, false, {}, {}}};
    return p;
}

const AutomationLane* lane(const std::vector<AutomationLane>& lanes, const std::string& param) {
    for (const auto& l : lanes)
        if (l.param == param) return &l;
    return nullptr;
}

// The same interpolation as the renderer (linear between points, held outside).
double at(const AutomationLane& l, double t) {
    const auto& p = l.points;
    if (t <= p.front().time_s) return p.front().value;
    if (t >= p.back().time_s) return p.back().value;
    for (std::size_t k = 1; k < p.size(); ++k)
        if (t <= p[k].time_s) {
            const double span = p[k].time_s - p[k - 1].time_s;
            return span <= 0 ? p[k].value
                             : p[k - 1].value +
                                   (p[k].value - p[k - 1].value) * (t - p[k - 1].time_s) / span;
        }
    return p.back().value;
}

const Bus& bus(const Plan& p, const std::string& name) {
    for (const auto& b : p.buses)
        if (b.name == name) return b;
    throw std::runtime_error("no bus " + name);
}

// Lane values are rounded to 0.01 dB (or 0.01 width) in the plan.
constexpr double k_value_tolerance = 1e-9;

TEST(Automation, ChorusLiftsVerseStaysIntimate) {
    Plan p = song_plan();
    automate_sections(p, {});
    const auto* gain = lane(p.tracks[0].automation, "gain_db");
    ASSERT_NE(gain, nullptr);
    EXPECT_EQ(gain->rationale.code, "SECTION_LEAD_LIFT");
    EXPECT_NEAR(at(*gain, 4.0), 0.0, k_value_tolerance);
    EXPECT_NEAR(at(*gain, 12.0), 0.0, k_value_tolerance);
    EXPECT_NEAR(at(*gain, 20.0), 1.5, k_value_tolerance);
    EXPECT_NEAR(at(*gain, 36.0), 1.5, k_value_tolerance);
    EXPECT_NEAR(at(*gain, 42.0), 0.0, k_value_tolerance);
    const auto* plate = lane(p.tracks[0].automation, "send.plate_db");
    ASSERT_NE(plate, nullptr);
    EXPECT_NEAR(at(*plate, 12.0), -2.0, k_value_tolerance);  // drier verse
    EXPECT_NEAR(at(*plate, 20.0), 3.0, k_value_tolerance);   // more space in the chorus
    EXPECT_NE(lane(p.tracks[0].automation, "send.delay_db"), nullptr);
    // The drum bus drives the chorus; the kick itself has no lane (the bus carries it).
    const auto* drums = lane(bus(p, "drums").automation, "gain_db");
    ASSERT_NE(drums, nullptr);
    EXPECT_NEAR(at(*drums, 20.0), 1.0, k_value_tolerance);
    EXPECT_NEAR(at(*drums, 12.0), 0.0, k_value_tolerance);
    EXPECT_TRUE(p.tracks[1].automation.empty());
    EXPECT_TRUE(p.tracks[2].automation.empty());  // keys: no move, no intent
    const auto* width = lane(bus(p, "mix").automation, "width");
    ASSERT_NE(width, nullptr);
    EXPECT_NEAR(at(*width, 20.0), 1.15, k_value_tolerance);
    EXPECT_NEAR(at(*width, 12.0), 1.0, k_value_tolerance);
    for (const auto* l : {gain, plate, drums, width}) EXPECT_FALSE(l->rationale.text.empty());
}

TEST(Automation, RampsAreOneBeatEndingOnTheBoundary) {
    Plan p = song_plan();
    automate_sections(p, {});
    const auto& gain = *lane(p.tracks[0].automation, "gain_db");
    const double beat_s = 0.5;
    // Into the chorus at 16 s: flat until 15.5 s, full at 16 s, linear between.
    EXPECT_NEAR(at(gain, 15.5), 0.0, k_value_tolerance);
    EXPECT_NEAR(at(gain, 15.75), 0.75, 1e-9);
    EXPECT_NEAR(at(gain, 16.0), 1.5, k_value_tolerance);
    // Out of the chorus at 24 s: the ramp sits in the chorus's last beat.
    EXPECT_NEAR(at(gain, 24.0 - beat_s), 1.5, k_value_tolerance);
    EXPECT_NEAR(at(gain, 24.0), 0.0, k_value_tolerance);
    // Times never decrease and every ramp lasts one beat.
    for (std::size_t k = 1; k < gain.points.size(); ++k) {
        EXPECT_GE(gain.points[k].time_s, gain.points[k - 1].time_s);
        if (gain.points[k].value != gain.points[k - 1].value) {
            EXPECT_NEAR(gain.points[k].time_s - gain.points[k - 1].time_s, beat_s, 1e-9);
        }
    }
    // A very fast tempo still ramps over at least 50 ms (shorter steps click).
    EXPECT_DOUBLE_EQ(ramp_s(2000.0), 0.05);
    EXPECT_DOUBLE_EQ(ramp_s(120.0), 0.5);
    EXPECT_DOUBLE_EQ(ramp_s(0.0), 0.5);  // unknown tempo: 120 BPM
}

TEST(Automation, RampNeverLongerThanHalfTheSectionItLeaves) {
    Plan p = song_plan();
    p.tempo_bpm = 40.0;  // 1.5 s beats
    p.sections = {{0, 2, "verse", 1}, {2, 10, "chorus", 1}};
    automate_sections(p, {});
    const auto& gain = *lane(p.tracks[0].automation, "gain_db");
    ASSERT_EQ(gain.points.size(), 3u);
    EXPECT_DOUBLE_EQ(gain.points[1].time_s, 1.0);
    EXPECT_DOUBLE_EQ(gain.points[2].time_s, 2.0);
}

TEST(Automation, GenreScalesTheMoves) {
    Plan jazz = song_plan("jazz");
    automate_sections(jazz, {});
    EXPECT_NEAR(at(*lane(jazz.tracks[0].automation, "gain_db"), 20.0), 0.75, k_value_tolerance);
    Plan classical = song_plan("classical");
    automate_sections(classical, {});
    for (const auto& t : classical.tracks) EXPECT_TRUE(t.automation.empty());
    for (const auto& b : classical.buses) EXPECT_TRUE(b.automation.empty());
    ASSERT_FALSE(classical.decisions.empty());
    EXPECT_EQ(classical.decisions.back().rationale.code, "SECTIONS_NOT_AUTOMATED");
}

TEST(Automation, NoSectionsNoLanes) {
    Plan p = song_plan();
    p.sections = {{0, 44, "song", 0.5}};
    automate_sections(p, {});
    for (const auto& t : p.tracks) EXPECT_TRUE(t.automation.empty());
    for (const auto& b : p.buses) EXPECT_TRUE(b.automation.empty());
}

TEST(Automation, IntentsNamingASectionActOnlyThere) {
    Plan p = song_plan();
    AutomationIntent in;
    in.track_intents = {{}, {}, {"Intimate in the verses", "powerful in chorus"}};
    automate_sections(p, in);
    const auto* gain = lane(p.tracks[2].automation, "gain_db");
    ASSERT_NE(gain, nullptr);
    EXPECT_EQ(gain->rationale.code, "SECTION_INTENT_LIFT");
    EXPECT_NEAR(at(*gain, 20.0), 1.0, k_value_tolerance);
    EXPECT_NEAR(at(*gain, 12.0), 0.0, k_value_tolerance);
    const auto* plate = lane(p.tracks[2].automation, "send.plate_db");
    ASSERT_NE(plate, nullptr);
    EXPECT_NEAR(at(*plate, 12.0), -3.0, k_value_tolerance);
    EXPECT_NEAR(at(*plate, 28.0), -3.0, k_value_tolerance);
    EXPECT_NEAR(at(*plate, 20.0), 0.0, k_value_tolerance);
}

TEST(Automation, SectionLiftSumsIntoAnExistingRide) {
    Plan p = song_plan();
    AutomationLane ride{"gain_db",
                        {{10.0, 0.0}, {10.1, -3.0}, {18.0, -3.0}, {18.1, 0.0}},
                        {"RIDE_UNEVEN_LEVEL", "ride", {}}};
    p.tracks[0].automation.push_back(ride);
    automate_sections(p, {});
    ASSERT_EQ(p.tracks[0].automation.size(), 3u);  // gain (merged), plate, delay
    const auto& gain = *lane(p.tracks[0].automation, "gain_db");
    EXPECT_EQ(gain.rationale.code, "RIDE_UNEVEN_LEVEL");
    EXPECT_NE(gain.rationale.text.find("Fader"), std::string::npos);
    EXPECT_NEAR(at(gain, 12.0), -3.0, k_value_tolerance);
    EXPECT_NEAR(at(gain, 17.0), -1.5, k_value_tolerance);
    EXPECT_NEAR(at(gain, 20.0), 1.5, k_value_tolerance);
    EXPECT_NEAR(at(gain, 15.75), -3.0 + 0.75, 1e-9);
}

TEST(SectionLoudness, FromTheShortTermSeries) {
    // 20 s: -20 LUFS for 10 s, then -14 LUFS (each short-term value ends a 3 s window).
    std::vector<double> st(200);
    for (std::size_t k = 0; k < st.size(); ++k)
        st[k] = static_cast<double>(k + 1) * 0.1 <= 10.0 + 1e-9 ? -20 : -14;
    std::vector<Section> s = {{0, 10, "verse", 1}, {10, 20, "chorus", 1}};
    const auto l = section_loudness_lufs(st, s);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_NEAR(l[0], -20.0, 1e-9);
    EXPECT_NEAR(l[1], -14.0, 1e-9);
    EXPECT_NEAR(section_contrast_lu(s, l), 6.0, 1e-9);
    EXPECT_TRUE(std::isnan(section_contrast_lu(s, l, "chorus", "bridge")));
}

TEST(SectionLoudness, FromAudioIsTheLevelDifference) {
    // Two 4 s halves of one 1 kHz sine, 6 dB apart: the same K-weighting on both, so the
    // loudness difference is the level difference (BS.1770 gating keeps every block of a steady
    // tone).
    const double sr = 48000.0;
    AudioBuffer a(1, static_cast<std::size_t>(8 * sr), sr);
    for (std::size_t i = 0; i < a.frames(); ++i) {
        const double amp = i < a.frames() / 2 ? 0.1 : 0.2;
        a.channel(0)[i] = static_cast<float>(
            amp * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(i) / sr));
    }
    std::vector<Section> s = {{0, 4, "verse", 1}, {4, 8, "chorus", 1}};
    const auto l = section_loudness_lufs(a, s);
    ASSERT_EQ(l.size(), 2u);
    // 20 log10(2) = 6.02 dB; 0.01 LU covers float rounding of the sine.
    EXPECT_NEAR(section_contrast_lu(s, l), 20.0 * std::log10(2.0), 0.01);
    // -0.691 + 10 log10(0.1^2 / 2) + K-weighting at 1 kHz (+0.69 dB): about -23 LUFS.
    EXPECT_NEAR(l[0], -23.0, 0.1);
}

}  // namespace
}  // namespace secondear::plan
