// Multi-clause requests, sections, answers to questions, JSON and speed of the interpreter.

#include "intent/interpret.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace secondear::intent {
namespace {

InterpretContext session() {
    InterpretContext ctx;
    ctx.tracks = {{"kick_in", "kick", "drums"},
                  {"snare_top", "snare", "drums"},
                  {"overheads", "overheads", "drums"},
                  {"bass_di", "bass", "bass"},
                  {"gtr_l", "electric_guitar", "guitars"},
                  {"gtr_r", "electric_guitar", "guitars"},
                  {"lead_vox", "lead_vocal", "vocals"},
                  {"bgv_1", "backing_vocal", "vocals"}};
    ctx.sections = {{"verse", 1}, {"chorus", 1}, {"verse", 2}, {"chorus", 2}, {"bridge", 1}};
    ctx.duration_s = 180.0;
    return ctx;
}

InterpretContext edm_session() {
    InterpretContext ctx;
    ctx.tracks = {{"kick", "kick", "drums"}, {"sub", "bass", "bass"}, {"lead", "synth", "synths"}};
    ctx.sections = {{"intro", 1}, {"build", 1}, {"drop", 1}, {"breakdown", 1}, {"drop", 2}};
    return ctx;
}

struct Want {
    std::string target;
    std::string quality;
    Direction direction;
    std::string section_label;  // "" = no section
};

void expect_directives(const Interpretation& r, const std::vector<Want>& want) {
    ASSERT_EQ(r.status, Status::applied) << r.summary;
    ASSERT_EQ(r.directives.size(), want.size()) << r.summary;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto& d = r.directives[i];
        EXPECT_EQ(d.target, want[i].target) << r.summary;
        EXPECT_EQ(d.quality, want[i].quality) << r.summary;
        EXPECT_EQ(d.direction, want[i].direction) << r.summary;
        EXPECT_EQ(d.section ? d.section->label : "", want[i].section_label) << r.summary;
    }
}

TEST(Interpret, TwoClausesWithTheirOwnTargetsAndSections) {
    const auto r = interpret("vocal louder in the chorus and the drums punchier", session());
    // The second clause names its own target, so it does not inherit the chorus.
    expect_directives(r, {{"lead_vocal", "loud", Direction::more, "chorus"},
                          {"drums", "punchy", Direction::more, ""}});
    EXPECT_EQ(r.directives[0].source_text, "vocal louder in the chorus");
}

TEST(Interpret, SharedTargetAndSharedQuality) {
    expect_directives(interpret("make the vocal warmer and brighter", session()),
                      {{"lead_vocal", "warm", Direction::more, ""},
                       {"lead_vocal", "bright", Direction::more, ""}});
    expect_directives(
        interpret("the vocal and the guitars warmer", session()),
        {{"lead_vocal", "warm", Direction::more, ""}, {"guitars", "warm", Direction::more, ""}});
    expect_directives(
        interpret("snare punchier, and the kick too", session()),
        {{"snare", "punchy", Direction::more, ""}, {"kick", "punchy", Direction::more, ""}});
}

TEST(Interpret, ComplaintsCarryAcrossClauses) {
    expect_directives(
        interpret("it's too bright and muddy", session()),
        {{"mix", "bright", Direction::less, ""}, {"mix", "muddy", Direction::less, ""}});
    expect_directives(
        interpret("brighter but not harsh", session()),
        {{"mix", "bright", Direction::more, ""}, {"mix", "harsh", Direction::less, ""}});
}

TEST(Interpret, SeparatorsSemicolonsAlsoAndCommas) {
    expect_directives(
        interpret("vocal louder; guitars quieter, also more reverb on the snare", session()),
        {{"lead_vocal", "loud", Direction::more, ""},
         {"guitars", "quiet", Direction::more, ""},
         {"snare", "spacious", Direction::more, ""}});
}

TEST(Interpret, LeadingAndTrailingSections) {
    expect_directives(interpret("in the chorus, vocal louder and drums punchier", session()),
                      {{"lead_vocal", "loud", Direction::more, "chorus"},
                       {"drums", "punchy", Direction::more, "chorus"}});
    expect_directives(interpret("vocal louder, but only in the bridge", session()),
                      {{"lead_vocal", "loud", Direction::more, "bridge"}});
}

TEST(Interpret, SectionOrdinalsAndTimes) {
    const auto ctx = session();
    auto r = interpret("the second verse drier", ctx);
    ASSERT_EQ(r.status, Status::applied) << r.summary;
    EXPECT_EQ(r.directives[0].section->ordinal, 2);
    r = interpret("vocal louder in the last chorus", ctx);
    ASSERT_EQ(r.status, Status::applied) << r.summary;
    EXPECT_EQ(r.directives[0].section->ordinal, 2);  // the session has two choruses
    r = interpret("wider from 1:30", ctx);
    ASSERT_EQ(r.status, Status::applied) << r.summary;
    EXPECT_DOUBLE_EQ(*r.directives[0].section->from_s, 90.0);
    EXPECT_FALSE(r.directives[0].section->to_s.has_value());
    r = interpret("guitars quieter until 0:45", ctx);
    ASSERT_EQ(r.status, Status::applied) << r.summary;
    EXPECT_FALSE(r.directives[0].section->from_s.has_value());
    EXPECT_DOUBLE_EQ(*r.directives[0].section->to_s, 45.0);
}

TEST(Interpret, AMissingSectionAsksWhere) {
    const auto r = interpret("vocal louder in the third verse", session());
    ASSERT_EQ(r.status, Status::question) << r.summary;
    EXPECT_EQ(r.question->options.back().label, "over the whole song");
}

TEST(Interpret, DropIsASectionAfterACueAndAVerbOtherwise) {
    const auto ctx = edm_session();
    expect_directives(interpret("more space in the drop", ctx),
                      {{"mix", "spacious", Direction::more, "drop"}});
    expect_directives(interpret("drop the lead a bit", ctx),
                      {{"lead", "quiet", Direction::more, ""}});
}

TEST(Interpret, KeepClausesChangeNothing) {
    const auto r = interpret("brighter but keep the vocal warm", session());
    expect_directives(r, {{"mix", "bright", Direction::more, ""}});
    EXPECT_NE(r.summary.find("kept as it is"), std::string::npos);
}

TEST(Interpret, WithoutSessionTargetsAreTakenAsSaid) {
    expect_directives(interpret("strings wider", InterpretContext{}),
                      {{"strings", "wide", Direction::more, ""}});
}

TEST(Interpret, AQuestionCarriesTheClearPartsInEveryOption) {
    const auto r = interpret("vocal louder and make it pop", session());
    ASSERT_EQ(r.status, Status::question);
    EXPECT_TRUE(r.directives.empty());
    for (const auto& option : r.question->options) {
        ASSERT_GE(option.directives.size(), 2u);
        EXPECT_EQ(option.directives[0].target, "lead_vocal");
        EXPECT_EQ(option.directives[0].quality, "loud");
    }
}

TEST(Interpret, MisspellingsAreReportedInTheSummary) {
    const auto r = interpret("brigther vox", session());
    ASSERT_EQ(r.status, Status::applied);
    EXPECT_NE(r.summary.find("\"brigther\" as \"brighter\""), std::string::npos) << r.summary;
}

TEST(InterpretAnswer, ByNumberOrdinalAndWords) {
    const auto ctx = session();
    const auto q = interpret("make it bigger", ctx);
    ASSERT_EQ(q.status, Status::question);
    const auto& question = *q.question;
    ASSERT_EQ(question.options.size(), 4u);

    auto r = interpret_answer(question, "2", ctx);
    ASSERT_EQ(r.status, Status::applied);
    EXPECT_EQ(r.directives[0].quality, question.options[1].directives[0].quality);
    r = interpret_answer(question, "option 1", ctx);
    EXPECT_EQ(r.directives[0].quality, "wide");
    r = interpret_answer(question, "the third one", ctx);
    EXPECT_EQ(r.directives[0].quality, "spacious");
    r = interpret_answer(question, "wider", ctx);
    ASSERT_EQ(r.status, Status::applied);
    EXPECT_EQ(r.directives[0].quality, "wide");
    r = interpret_answer(question, "fuller low end", ctx);
    ASSERT_EQ(r.status, Status::applied);
    EXPECT_EQ(r.directives[0].quality, "full");
}

TEST(InterpretAnswer, AFreshClearRequestIsTakenAsIs) {
    const auto ctx = session();
    const auto q = interpret("fix it", ctx);
    ASSERT_EQ(q.status, Status::question);
    const auto r = interpret_answer(*q.question, "just make the vocal louder", ctx);
    expect_directives(r, {{"lead_vocal", "loud", Direction::more, ""}});
}

TEST(InterpretAnswer, AnUnclearReplyAsksAgain) {
    const auto ctx = session();
    const auto q = interpret("more vibe", ctx);
    ASSERT_EQ(q.status, Status::question);
    for (const char* reply : {"banana", "7", ""}) {
        const auto r = interpret_answer(*q.question, reply, ctx);
        EXPECT_EQ(r.status, Status::question) << reply;
        ASSERT_TRUE(r.question.has_value());
        EXPECT_EQ(r.question->text, q.question->text);
    }
}

TEST(InterpretJson, QuestionRoundTripsAndAnswersTheSame) {
    const auto ctx = session();
    const auto q = interpret("more bass in the chorus", ctx);
    ASSERT_EQ(q.status, Status::question) << q.summary;
    const nlohmann::json j = *q.question;
    const auto back = nlohmann::json::parse(j.dump()).get<Question>();
    EXPECT_EQ(nlohmann::json(back), j);
    const auto a = interpret_answer(back, "1", ctx);
    const auto b = interpret_answer(*q.question, "1", ctx);
    EXPECT_EQ(nlohmann::json(a), nlohmann::json(b));
    EXPECT_EQ(a.directives[0].section->label, "chorus");
    const nlohmann::json whole = q;
    EXPECT_EQ(whole.at("status"), "question");
}

TEST(Interpret, Deterministic) {
    const auto ctx = session();
    const std::string text =
        "the vox is a bit harsh in the chorus, drums punchier and tighter, bass not so boomy, "
        "more air on the bgvs from 1:30 but keep the guitars";
    const auto first = nlohmann::json(interpret(text, ctx)).dump();
    for (int i = 0; i < 20; ++i) EXPECT_EQ(nlohmann::json(interpret(text, ctx)).dump(), first);
}

}  // namespace
}  // namespace secondear::intent
