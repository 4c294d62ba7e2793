// The phrasings table: how musicians ask for changes, and what each request must become.
// Every vague phrasing must give a question; no clear one may.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "intent/interpret.hpp"

namespace secondear::intent {
namespace {

// A band session: drums (multi-mic), bass, guitars, keys, synth, lead and backing vocals.
InterpretContext band_session() {
    InterpretContext ctx;
    ctx.tracks = {{"kick_in", "kick", "drums"},
                  {"kick_out", "kick", "drums"},
                  {"snare_top", "snare", "drums"},
                  {"snare_bottom", "snare", "drums"},
                  {"hihat", "hihat", "drums"},
                  {"tom_1", "tom", "drums"},
                  {"overheads", "overheads", "drums"},
                  {"room", "room", "drums"},
                  {"bass_di", "bass", "bass"},
                  {"bass_amp", "bass", "bass"},
                  {"gtr_l", "electric_guitar", "guitars"},
                  {"gtr_r", "electric_guitar", "guitars"},
                  {"acoustic", "acoustic_guitar", "guitars"},
                  {"piano", "piano", "keys"},
                  {"synth_pad", "synth", "synths"},
                  {"lead_vox", "lead_vocal", "vocals"},
                  {"bgv_1", "backing_vocal", "vocals"},
                  {"bgv_2", "backing_vocal", "vocals"}};
    ctx.sections = {{"intro", 1},  {"verse", 1},      {"pre-chorus", 1}, {"chorus", 1},
                    {"verse", 2},  {"pre-chorus", 2}, {"chorus", 2},     {"bridge", 1},
                    {"chorus", 3}, {"outro", 1}};
    ctx.duration_s = 215.0;
    return ctx;
}

// Amount classes of the documented table: T a touch 0.25, B a bit 0.35, N none 0.5,
// M much 0.75, W way/a lot 1.0; '-' = not checked.
double amount_of(char cls) {
    switch (cls) {
        case 'T':
            return 0.25;
        case 'B':
            return 0.35;
        case 'N':
            return 0.5;
        case 'M':
            return 0.75;
        case 'W':
            return 1.0;
    }
    return -1.0;
}

struct Case {
    const char* text;
    Status status;
    const char* target;   // first directive's target
    const char* section;  // "" none, "chorus" (every), "verse 2", "@90-" from 90 s, "@-30" to 30 s
    const char* quality;
    const char* direction;
    char amount;
};

constexpr Status A = Status::applied;
constexpr Status Q = Status::question;
constexpr Status N = Status::not_understood;

const std::vector<Case>& cases() {
    static const std::vector<Case> table{
        // --- plain qualities on the whole mix
        {"make it warmer", A, "mix", "", "warm", "more", 'N'},
        {"warmer", A, "mix", "", "warm", "more", 'N'},
        {"more warmth", A, "mix", "", "warm", "more", 'N'},
        {"a touch warmer please", A, "mix", "", "warm", "more", 'T'},
        {"can you make the whole thing a bit warmer", A, "mix", "", "warm", "more", 'B'},
        {"way warmer", A, "mix", "", "warm", "more", 'W'},
        {"much warmer", A, "mix", "", "warm", "more", 'M'},
        {"it's too cold", A, "mix", "", "warm", "more", 'N'},
        {"brighter", A, "mix", "", "bright", "more", 'N'},
        {"the mix is too bright", A, "mix", "", "bright", "less", 'N'},
        {"too bright", A, "mix", "", "bright", "less", 'N'},
        {"a little too bright", A, "mix", "", "bright", "less", 'B'},
        {"way too bright", A, "mix", "", "bright", "less", 'W'},
        {"less bright", A, "mix", "", "bright", "less", 'N'},
        {"more top end", A, "mix", "", "bright", "more", 'N'},
        {"more sparkle", A, "mix", "", "bright", "more", 'N'},
        {"darker", A, "mix", "", "dark", "more", 'N'},
        {"it sounds dull", A, "mix", "", "dark", "less", 'N'},
        {"could use more air", A, "mix", "", "airy", "more", 'N'},
        {"add some air", A, "mix", "", "airy", "more", 'B'},
        {"more air on top", A, "mix", "", "airy", "more", 'N'},
        {"it's muddy", A, "mix", "", "muddy", "less", 'N'},
        {"not so muddy", A, "mix", "", "muddy", "less", 'N'},
        {"too much mud", A, "mix", "", "muddy", "less", 'N'},
        {"clean up the mud", A, "mix", "", "muddy", "less", 'N'},
        {"less muddiness", A, "mix", "", "muddy", "less", 'N'},
        {"clearer", A, "mix", "", "clear", "more", 'N'},
        {"more clarity", A, "mix", "", "clear", "more", 'N'},
        {"it's too boomy", A, "mix", "", "boomy", "less", 'N'},
        {"less boom", A, "mix", "", "boomy", "less", 'N'},
        {"tame the boominess", A, "mix", "", "boomy", "less", 'N'},
        {"the low end is too much", A, "mix", "", "full", "less", 'N'},
        {"boxy", A, "mix", "", "boxy", "more", 'N'},
        {"it sounds boxy", A, "mix", "", "boxy", "less", 'N'},
        {"less harsh", A, "mix", "", "harsh", "less", 'N'},
        {"it's harsh", A, "mix", "", "harsh", "less", 'N'},
        {"too harsh", A, "mix", "", "harsh", "less", 'N'},
        {"it's a bit harsh", A, "mix", "", "harsh", "less", 'B'},
        {"the top end is too much", A, "mix", "", "bright", "less", 'N'},
        {"smoother", A, "mix", "", "smooth", "more", 'N'},
        {"it sounds thin", A, "mix", "", "thin", "less", 'N'},
        {"fatter", A, "mix", "", "full", "more", 'N'},
        {"fuller", A, "mix", "", "full", "more", 'N'},
        {"more low end", A, "mix", "", "full", "more", 'N'},
        {"more body", A, "mix", "", "full", "more", 'N'},
        {"thicker", A, "mix", "", "full", "more", 'N'},
        {"punchier", A, "mix", "", "punchy", "more", 'N'},
        {"more punch", A, "mix", "", "punchy", "more", 'N'},
        {"lacks punch", A, "mix", "", "punchy", "more", 'N'},
        {"needs more impact", A, "mix", "", "punchy", "more", 'N'},
        {"wider", A, "mix", "", "wide", "more", 'N'},
        {"make it wider", A, "mix", "", "wide", "more", 'N'},
        {"more stereo width", A, "mix", "", "wide", "more", 'N'},
        {"narrower", A, "mix", "", "narrow", "more", 'N'},
        {"it's too wide", A, "mix", "", "wide", "less", 'N'},
        {"more intimate", A, "mix", "", "intimate", "more", 'N'},
        {"it feels distant", A, "mix", "", "distant", "less", 'N'},
        {"drier", A, "mix", "", "dry", "more", 'N'},
        {"more space", A, "mix", "", "spacious", "more", 'N'},
        {"more reverb", A, "mix", "", "spacious", "more", 'N'},
        {"less reverb", A, "mix", "", "spacious", "less", 'N'},
        {"too much reverb", A, "mix", "", "spacious", "less", 'N'},
        {"way too much reverb", A, "mix", "", "spacious", "less", 'W'},
        {"more roomy", A, "mix", "", "spacious", "more", 'N'},
        {"louder", A, "mix", "", "loud", "more", 'N'},
        {"make it louder", A, "mix", "", "loud", "more", 'N'},
        {"quieter", A, "mix", "", "quiet", "more", 'N'},
        {"more aggressive", A, "mix", "", "aggressive", "more", 'N'},
        {"more laid back", A, "mix", "", "laid-back", "more", 'N'},
        {"more laid-back", A, "mix", "", "laid-back", "more", 'N'},
        {"more relaxed", A, "mix", "", "laid-back", "more", 'N'},
        {"cleaner", A, "mix", "", "clean", "more", 'N'},
        {"grittier", A, "mix", "", "gritty", "more", 'N'},
        {"more grit", A, "mix", "", "gritty", "more", 'N'},
        {"dirtier", A, "mix", "", "gritty", "more", 'N'},
        {"crisper", A, "mix", "", "crisp", "more", 'N'},
        {"crispier", A, "mix", "", "crisp", "more", 'N'},
        {"tighter", A, "mix", "", "tight", "more", 'N'},
        {"it's loose", A, "mix", "", "tight", "more", 'N'},
        {"more glue", A, "mix", "", "glued", "more", 'N'},
        {"glue it together", A, "mix", "", "glued", "more", 'N'},
        {"more cohesive", A, "mix", "", "glued", "more", 'N'},
        {"more presence", A, "mix", "", "present", "more", 'N'},
        {"the whole mix a lot warmer", A, "mix", "", "warm", "more", 'W'},
        {"overall slightly darker", A, "mix", "", "dark", "more", 'T'},
        {"everything a tad brighter", A, "mix", "", "bright", "more", 'T'},
        // --- targets by many names
        {"vocal louder", A, "lead_vocal", "", "loud", "more", 'N'},
        {"the vox louder", A, "lead_vocal", "", "loud", "more", 'N'},
        {"vocals up", A, "lead_vocal", "", "loud", "more", 'N'},
        {"turn up the vocal", A, "lead_vocal", "", "loud", "more", 'N'},
        {"turn the vocal up a bit", A, "lead_vocal", "", "loud", "more", 'B'},
        {"push the lead", A, "lead_vocal", "", "loud", "more", 'N'},
        {"bring the singer up", A, "lead_vocal", "", "loud", "more", 'N'},
        {"more vocal", A, "lead_vocal", "", "loud", "more", 'N'},
        {"the vocal needs to be louder", A, "lead_vocal", "", "loud", "more", 'N'},
        {"the vocal is too quiet", A, "lead_vocal", "", "quiet", "less", 'N'},
        {"the vocal is buried", A, "lead_vocal", "", "present", "more", 'N'},
        {"the vocal isn't cutting through", A, "lead_vocal", "", "present", "more", 'N'},
        {"vocal more present", A, "lead_vocal", "", "present", "more", 'N'},
        {"the vocal is a bit harsh", A, "lead_vocal", "", "harsh", "less", 'B'},
        {"vocal too sibilant", A, "lead_vocal", "", "harsh", "less", 'N'},
        {"the vocal sounds thin", A, "lead_vocal", "", "thin", "less", 'N'},
        {"vocal warmer", A, "lead_vocal", "", "warm", "more", 'N'},
        {"vox drier", A, "lead_vocal", "", "dry", "more", 'N'},
        {"less reverb on the vocal", A, "lead_vocal", "", "spacious", "less", 'N'},
        {"too much reverb on the vocals", A, "lead_vocal", "", "spacious", "less", 'N'},
        {"more delay on the vox", A, "lead_vocal", "", "spacious", "more", 'N'},
        {"the singer should feel more intimate", A, "lead_vocal", "", "intimate", "more", 'N'},
        {"pull back the vocal", A, "lead_vocal", "", "quiet", "more", 'N'},
        {"bring down the vocal a touch", A, "lead_vocal", "", "quiet", "more", 'T'},
        {"vocal down 2 dB", A, "lead_vocal", "", "quiet", "more", 'N'},
        {"vocal up 1 db", A, "lead_vocal", "", "loud", "more", 'T'},
        {"the voice is too loud", A, "lead_vocal", "", "loud", "less", 'N'},
        {"all the vocals louder", A, "vocals", "", "loud", "more", 'N'},
        {"backing vocals quieter", A, "backing_vocal", "", "quiet", "more", 'N'},
        {"bgvs wider", A, "backing_vocal", "", "wide", "more", 'N'},
        {"the harmonies are too loud", A, "backing_vocal", "", "loud", "less", 'N'},
        {"the drums punchier", A, "drums", "", "punchy", "more", 'N'},
        {"kit punchier", A, "drums", "", "punchy", "more", 'N'},
        {"the drums are too roomy", A, "drums", "", "spacious", "less", 'N'},
        {"drums need more punch", A, "drums", "", "punchy", "more", 'N'},
        {"drums tighter", A, "drums", "", "tight", "more", 'N'},
        {"the drums feel a bit loose", A, "drums", "", "tight", "more", 'B'},
        {"kick more punch", A, "kick", "", "punchy", "more", 'N'},
        {"the kick is boomy", A, "kick", "", "boomy", "less", 'N'},
        {"kick_in a bit brighter", A, "kick_in", "", "bright", "more", 'B'},
        {"the snare is too boxy", A, "snare", "", "boxy", "less", 'N'},
        {"snare crisper", A, "snare", "", "crisp", "more", 'N'},
        {"fatter snare", A, "snare", "", "full", "more", 'N'},
        {"hats are too harsh", A, "hihat", "", "harsh", "less", 'N'},
        {"the cymbals are harsh", A, "overheads", "", "harsh", "less", 'N'},
        {"overheads darker", A, "overheads", "", "dark", "more", 'N'},
        {"toms fatter", A, "tom", "", "full", "more", 'N'},
        {"the bass is too boomy", A, "bass", "", "boomy", "less", 'N'},
        {"bass tighter", A, "bass", "", "tight", "more", 'N'},
        {"the bass louder", A, "bass", "", "loud", "more", 'N'},
        {"turn up the bass", A, "bass", "", "loud", "more", 'N'},
        {"more grit on the bass", A, "bass", "", "gritty", "more", 'N'},
        {"the 808 needs to be fatter", A, "bass", "", "full", "more", 'N'},
        {"guitars wider", A, "guitars", "", "wide", "more", 'N'},
        {"gtrs less harsh", A, "guitars", "", "harsh", "less", 'N'},
        {"the guitar is too bright", A, "guitars", "", "bright", "less", 'N'},
        {"guitars more aggressive", A, "guitars", "", "aggressive", "more", 'N'},
        {"the guitars are muddy", A, "guitars", "", "muddy", "less", 'N'},
        {"acoustic more present", A, "acoustic", "", "present", "more", 'N'},
        {"keys quieter", A, "keys", "", "quiet", "more", 'N'},
        {"piano warmer", A, "piano", "", "warm", "more", 'N'},
        {"the piano is boxy", A, "piano", "", "boxy", "less", 'N'},
        {"synths wider", A, "synths", "", "wide", "more", 'N'},
        {"pads more spacious", A, "synths", "", "spacious", "more", 'N'},
        {"less guitar", A, "guitars", "", "quiet", "more", 'N'},
        {"too much guitar", A, "guitars", "", "quiet", "more", 'N'},
        {"not enough vocal", A, "lead_vocal", "", "loud", "more", 'N'},
        {"everything more glued", A, "mix", "", "glued", "more", 'N'},
        {"the mix feels disjointed", A, "mix", "", "glued", "more", 'N'},
        // --- sections
        {"vocal louder in the chorus", A, "lead_vocal", "chorus", "loud", "more", 'N'},
        {"louder vocal in the choruses", A, "lead_vocal", "chorus", "loud", "more", 'N'},
        {"the second verse needs more energy in the drums", Q, "", "", "", "", '-'},
        {"drums punchier in verse 2", A, "drums", "verse 2", "punchy", "more", 'N'},
        {"drums punchier in the second verse", A, "drums", "verse 2", "punchy", "more", 'N'},
        {"the bridge is too busy and muddy", A, "mix", "bridge", "muddy", "less", 'N'},
        {"more reverb in the bridge", A, "mix", "bridge", "spacious", "more", 'N'},
        {"the intro should be more intimate", A, "mix", "intro", "intimate", "more", 'N'},
        {"wider in the outro", A, "mix", "outro", "wide", "more", 'N'},
        {"in the last chorus the vocal louder", A, "lead_vocal", "chorus 3", "loud", "more", 'N'},
        {"vocal louder in the last chorus", A, "lead_vocal", "chorus 3", "loud", "more", 'N'},
        {"first chorus drier", A, "mix", "chorus 1", "dry", "more", 'N'},
        {"make the chorus lift more", A, "mix", "chorus", "lift", "more", 'N'},
        {"make the chorus bigger", A, "mix", "chorus", "lift", "more", 'N'},
        {"bigger chorus", A, "mix", "chorus", "lift", "more", 'N'},
        {"the hook should hit harder", A, "mix", "chorus", "punchy", "more", 'N'},
        {"the pre chorus could be darker", A, "mix", "pre-chorus", "dark", "more", 'N'},
        {"from 1:30 make it wider", A, "mix", "@90-", "wide", "more", 'N'},
        {"after 2:10 the drums louder", A, "drums", "@130-", "loud", "more", 'N'},
        {"vocal drier from 1:30 until the end", A, "lead_vocal", "@90-215", "dry", "more", 'N'},
        {"between 1:00 and 1:30 the guitars quieter", A, "guitars", "@60-90", "quiet", "more", 'N'},
        {"the last 30 seconds more spacious", A, "mix", "@185-", "spacious", "more", 'N'},
        {"more space in the drop", Q, "", "", "", "", '-'},
        {"bass louder in the chrous", A, "bass", "chorus", "loud", "more", 'N'},
        // --- misspellings
        {"warmmer", A, "mix", "", "warm", "more", 'N'},
        {"brigther", A, "mix", "", "bright", "more", 'N'},
        {"make the vocals warmmer", A, "lead_vocal", "", "warm", "more", 'N'},
        {"voxs louder", A, "lead_vocal", "", "loud", "more", 'N'},
        {"vocl louder", A, "lead_vocal", "", "loud", "more", 'N'},
        {"gitars wider", A, "guitars", "", "wide", "more", 'N'},
        {"snare punchyer", A, "snare", "", "punchy", "more", 'N'},
        {"less muddyness", A, "mix", "", "muddy", "less", 'N'},
        {"more reverbb on the vox", A, "lead_vocal", "", "spacious", "more", 'N'},
        {"the drums are to boomy", A, "drums", "", "boomy", "less", 'N'},
        {"crispyer hats", A, "hihat", "", "crisp", "more", 'N'},
        {"quiter guitars", A, "guitars", "", "quiet", "more", 'N'},
        {"make it agressive", A, "mix", "", "aggressive", "more", 'N'},
        {"more presense on the vocal", A, "lead_vocal", "", "present", "more", 'N'},
        {"the basss is muddy", A, "bass", "", "muddy", "less", 'N'},
        {"it's too harsch", A, "mix", "", "harsh", "less", 'N'},
        {"isnt punchy enough", A, "mix", "", "punchy", "more", 'N'},
        {"dont make it so bright", A, "mix", "", "bright", "less", '-'},
        // --- vague: must ask
        {"make it pop", Q, "", "", "", "", '-'},
        {"fix it", Q, "", "", "", "", '-'},
        {"make it better", Q, "", "", "", "", '-'},
        {"better", Q, "", "", "", "", '-'},
        {"more vibe", Q, "", "", "", "", '-'},
        {"it needs more vibe", Q, "", "", "", "", '-'},
        {"bigger", Q, "", "", "", "", '-'},
        {"make it bigger", Q, "", "", "", "", '-'},
        {"I want it bigger", Q, "", "", "", "", '-'},
        {"make it sound professional", Q, "", "", "", "", '-'},
        {"make it radio ready", Q, "", "", "", "", '-'},
        {"more polished", Q, "", "", "", "", '-'},
        {"more energy", Q, "", "", "", "", '-'},
        {"more exciting", Q, "", "", "", "", '-'},
        {"something feels off", Q, "", "", "", "", '-'},
        {"it sounds weird", Q, "", "", "", "", '-'},
        {"make the vocal pop", Q, "", "", "", "", '-'},
        {"do something with the vocal", Q, "", "", "", "", '-'},
        {"the vocal", Q, "", "", "", "", '-'},
        {"the drums need work", Q, "", "", "", "", '-'},
        {"more bass", Q, "", "", "", "", '-'},
        {"not enough bass", Q, "", "", "", "", '-'},
        {"too much bass", Q, "", "", "", "", '-'},
        {"make the theremin louder", Q, "", "", "", "", '-'},
        {"strings wider", Q, "", "", "", "", '-'},
        {"more magic", Q, "", "", "", "", '-'},
        {"give it more life", Q, "", "", "", "", '-'},
        {"more mojo please", Q, "", "", "", "", '-'},
        {"make it sound expensive", Q, "", "", "", "", '-'},
        {"more power", Q, "", "", "", "", '-'},
        {"do your magic", Q, "", "", "", "", '-'},
        {"make it sound like a record", Q, "", "", "", "", '-'},
        // --- not understood
        {"asdf qwerty", N, "", "", "", "", '-'},
        {"purple monkey dishwasher", N, "", "", "", "", '-'},
        {"", N, "", "", "", "", '-'},
        {"hello", N, "", "", "", "", '-'},
        {"what time is it", N, "", "", "", "", '-'},
    };
    return table;
}

std::string section_text(const std::optional<SectionRef>& s) {
    if (!s) return "";
    if (!s->label.empty()) {
        return s->ordinal == 0 ? s->label : s->label + " " + std::to_string(s->ordinal);
    }
    const auto num = [](const std::optional<double>& v) {
        return v ? std::to_string(static_cast<int>(std::lround(*v))) : std::string();
    };
    return "@" + num(s->from_s) + "-" + num(s->to_s);
}

TEST(InterpretPhrasings, TableHasAtLeast220Phrasings) {
    // The issue asks for at least 200; the brief for 220.
    EXPECT_GE(cases().size(), 220u);
}

TEST(InterpretPhrasings, EveryPhrasingReadsAsExpected) {
    const auto ctx = band_session();
    int failures = 0;
    for (const auto& c : cases()) {
        const auto r = interpret(c.text, ctx);
        const std::string where = std::string("\"") + c.text + "\" -> " + r.summary;
        if (r.status != c.status) {
            ADD_FAILURE() << "status " << to_string(r.status) << ", want " << to_string(c.status)
                          << ": " << where;
            ++failures;
            continue;
        }
        if (c.status == Status::question) {
            ASSERT_TRUE(r.question.has_value()) << where;
            EXPECT_GE(r.question->options.size(), 2u) << where;
            EXPECT_LE(r.question->options.size(), 4u) << where;
            for (const auto& o : r.question->options) EXPECT_FALSE(o.directives.empty()) << where;
            continue;
        }
        if (c.status != Status::applied) continue;
        ASSERT_FALSE(r.directives.empty()) << where;
        const auto& d = r.directives.front();
        EXPECT_EQ(d.target, c.target) << where;
        EXPECT_EQ(section_text(d.section), c.section) << where;
        EXPECT_EQ(d.quality, c.quality) << where;
        EXPECT_EQ(std::string(to_string(d.direction)), c.direction) << where;
        if (amount_of(c.amount) >= 0.0) {
            EXPECT_DOUBLE_EQ(d.amount, amount_of(c.amount)) << where;
        }
    }
    EXPECT_EQ(failures, 0);
}

TEST(InterpretPhrasings, ClearRequestsNeverAskAndVagueOnesAlwaysAsk) {
    const auto ctx = band_session();
    int clear = 0;
    int vague = 0;
    for (const auto& c : cases()) {
        const auto r = interpret(c.text, ctx);
        if (c.status == Status::applied) {
            ++clear;
            EXPECT_NE(r.status, Status::question) << c.text;
        }
        if (c.status == Status::question) {
            ++vague;
            EXPECT_EQ(r.status, Status::question) << c.text;
        }
    }
    // The table must exercise both sides in earnest.
    EXPECT_GE(clear, 150);
    EXPECT_GE(vague, 25);
}

}  // namespace
}  // namespace secondear::intent
