// The HTML report: self-contained, balanced, every plot with data, every decision shown, text
// escaped, small. The page is read as text here; html_browser_test.cpp opens it in Chromium.

#include "report/html_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "report/html_fixtures.hpp"
#include "report/svg.hpp"

namespace secondear::report {
namespace {

using nlohmann::json;
namespace fx = test::html;

std::size_t count(const std::string& page, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = page.find(needle); pos != std::string::npos; pos = page.find(needle, pos + 1))
        ++n;
    return n;
}

std::vector<std::string> plots(const std::string& page) {
    std::vector<std::string> out;
    for (auto pos = page.find("<svg class=\"plot\""); pos != std::string::npos;
         pos = page.find("<svg class=\"plot\"", pos + 1))
        out.push_back(page.substr(pos, page.find("</svg>", pos) + 6 - pos));
    return out;
}

// Point counts of every polyline/polygon in `svg` (each point is "x,y", separated by spaces).
std::vector<std::size_t> point_counts(const std::string& svg) {
    std::vector<std::size_t> out;
    for (const char* tag : {"<polyline", "<polygon"})
        for (auto pos = svg.find(tag); pos != std::string::npos; pos = svg.find(tag, pos + 1)) {
            const auto start = svg.find("points=\"", pos) + 8;
            const std::string p = svg.substr(start, svg.find('"', start) - start);
            out.push_back(p.empty() ? 0 : count(p, " ") + 1);
        }
    return out;
}

void expect_balanced(const std::string& page) {
    for (const char* tag : {"svg", "section", "figure", "table", "div", "dl", "ul", "main"})
        EXPECT_EQ(
            count(page, std::string("<") + tag + " ") + count(page, std::string("<") + tag + ">"),
            count(page, std::string("</") + tag + ">"))
            << tag;
    EXPECT_EQ(count(page, "<html"), 1u);
    EXPECT_NE(page.find("</html>"), std::string::npos);
}

void expect_offline(const std::string& page) {
    for (const char* bad : {"http://", "https://", "src=\"//", "href=\"//", "url(", "@import",
                            "<link", "<img", "<iframe"})
        EXPECT_EQ(page.find(bad), std::string::npos) << bad;
}

// Every plot draws something: a polyline/polygon with at least `min_points` points, bars or a
// section strip; or it says "no data". Never an empty points list.
void expect_plots_have_data(const std::string& page, std::size_t min_points, bool allow_no_data) {
    const auto all = plots(page);
    ASSERT_FALSE(all.empty());
    for (const auto& svg : all) {
        for (std::size_t n : point_counts(svg)) EXPECT_GE(n, 2u) << svg.substr(0, 120);
        const auto counts = point_counts(svg);
        const bool lines =
            !counts.empty() && *std::max_element(counts.begin(), counts.end()) >= min_points;
        const bool bars = svg.find("class=\"bar ") != std::string::npos ||
                          svg.find("class=\"section ") != std::string::npos;
        const bool none = svg.find(">no data<") != std::string::npos;
        EXPECT_TRUE(lines || bars || (allow_no_data && none)) << svg.substr(0, 160);
        if (!allow_no_data) {
            EXPECT_FALSE(none) << svg.substr(0, 160);
        }
        EXPECT_NE(svg.find("<title"), std::string::npos);
        EXPECT_NE(svg.find("<desc"), std::string::npos);
    }
}

void expect_contains_escaped(const std::string& page, const std::string& text) {
    EXPECT_NE(page.find(svg::escape(text)), std::string::npos) << text;
}

void expect_rationale(const std::string& page, const json& r) {
    expect_contains_escaped(page, r.at("code").get<std::string>());
    expect_contains_escaped(page, r.at("text").get<std::string>());
}

void expect_processors(const std::string& page, const json& chain) {
    for (const auto& p : chain) {
        expect_contains_escaped(page, p.at("id").get<std::string>());
        expect_rationale(page, p.at("rationale"));
    }
}

void expect_master_decisions(const std::string& page, const json& m) {
    expect_processors(page, m.at("processors"));
    for (const char* key : {"left_alone", "notes"})
        for (const auto& d : m.at(key)) expect_rationale(page, d.at("rationale"));
    for (const auto& p : m.at("before").at("problems")) {
        expect_contains_escaped(page, p.at("code").get<std::string>());
        expect_contains_escaped(page, p.at("text").get<std::string>());
    }
}

TEST(HtmlReport, MasterPageIsBalancedOfflineAndComplete) {
    const json r = fx::master_report(180.0);
    const std::string page = html_report(r);
    expect_balanced(page);
    expect_offline(page);
    // 100 points: the fixture's timelines have 1800 values and its spectrum 31 bands.
    expect_plots_have_data(page, 30, false);
    expect_master_decisions(page, r);
    // Seven plots: spectrum, loudness, true peak, limiter, two waveforms, stereo picture.
    EXPECT_EQ(plots(page).size(), 7u);
    EXPECT_EQ(count(page, "<audio controls"), 2u);
    EXPECT_EQ(page.find("<script"), std::string::npos);  // the master page needs no script
    // The sections from the plan are shaded on the loudness timeline.
    EXPECT_NE(page.find(">chorus</text>"), std::string::npos);
}

TEST(HtmlReport, MixPageShowsEveryDecisionByTrack) {
    const json r = fx::mix_report(16, 200.0);
    const std::string page = html_report(r);
    expect_balanced(page);
    expect_offline(page);
    expect_plots_have_data(page, 30, false);
    for (const auto& t : r.at("tracks")) {
        expect_contains_escaped(page, t.at("name").get<std::string>());
        expect_processors(page, t.at("chain"));
        for (const auto& s : t.at("sends")) expect_rationale(page, s.at("rationale"));
        for (const auto& a : t.at("automation")) expect_rationale(page, a.at("rationale"));
        for (const auto& d : t.at("decisions")) expect_rationale(page, d.at("rationale"));
        for (const auto& p : t.at("problems")) {
            expect_contains_escaped(page, p.at("code").get<std::string>());
            expect_contains_escaped(page, p.at("text").get<std::string>());
        }
    }
    for (const auto& b : r.at("buses")) expect_processors(page, b.at("chain"));
    for (const auto& d : r.at("decisions")) expect_rationale(page, d.at("rationale"));
    expect_master_decisions(page, r.at("master"));
    // One player each for the mix, the master and the 16 stems; spaces in paths are encoded.
    EXPECT_EQ(count(page, "<audio controls"), 18u);
    EXPECT_NE(page.find("src=\"stems/track%2000.wav\""), std::string::npos);
    // The console: one row per track and bus, each with its fader meter.
    EXPECT_EQ(count(page, "<span class=\"fill\""), 16u + 2u);
    // The lane map: 8 sections and one lane per automated track (every 4th of 16).
    const auto all = plots(page);
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(count(all.front(), "class=\"section "), 8u);
    EXPECT_EQ(point_counts(all.front()).size(), 4u);
}

TEST(HtmlReport, TextFromTheJsonIsEscaped) {
    const std::string page = html_report(fx::mix_report(16, 30.0));
    EXPECT_EQ(page.find("<script>alert(1)</script>"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_NE(page.find("track 00 &amp; co"), std::string::npos);
    EXPECT_NE(page.find("because &quot;peaks&quot; &gt; 3 dB"), std::string::npos);
}

TEST(HtmlReport, SixteenTrackPageIsUnderTwoMegabytes) {
    // Ten minutes: 6000 values per timeline, so decimation must hold the page down.
    const std::string page = html_report(fx::mix_report(16, 600.0));
    std::cout << "16-track, 10-minute page: " << page.size() << " bytes\n";
    EXPECT_LT(page.size(), 2u * 1024u * 1024u);
    for (const auto& svg : plots(page))
        for (std::size_t n : point_counts(svg)) EXPECT_LE(n, 1500u);  // the per-polyline budget
}

TEST(HtmlReport, MissingTimelinesSayNoData) {
    json r = fx::master_report(60.0);
    for (const char* side : {"before", "after"}) {
        r[side].erase("short_term_lufs_per_100ms");
        r[side].erase("true_peak_dbtp_per_100ms");
        r[side].erase("envelope_db_per_100ms");
    }
    r["limiter"].erase("gain_reduction_db_per_100ms");
    const std::string page = html_report(r);
    expect_balanced(page);
    expect_plots_have_data(page, 2, true);
    // Loudness, true peak, limiter and both waveforms have nothing to draw.
    EXPECT_EQ(count(page, ">no data<"), 5u);
    EXPECT_EQ(page.find("points=\"\""), std::string::npos);
}

TEST(HtmlReport, SilenceAndNullsBreakLinesInsteadOfDrawingThem) {
    json r = fx::master_report(20.0);
    json st = json::array();
    for (int i = 0; i < 200; ++i) st.push_back(i % 50 < 10 ? json(nullptr) : json(-15.0));
    r["after"]["short_term_lufs_per_100ms"] = st;
    const std::string page = html_report(r);
    const auto all = plots(page);
    ASSERT_GE(all.size(), 2u);
    // Four runs of 40 loud values between silences: four after-polylines (plus one before).
    EXPECT_EQ(point_counts(all[1]).size(), 5u);
}

TEST(HtmlReport, RevisionPageHasLoudnessMatchedAb) {
    const json r = fx::revision_report();
    const std::string page = html_report(r);
    expect_balanced(page);
    expect_offline(page);
    expect_plots_have_data(page, 2, false);
    for (const auto& c : r.at("changes")) {
        expect_contains_escaped(page, c.at("path").get<std::string>());
        expect_contains_escaped(page, c.at("code").get<std::string>());
    }
    expect_contains_escaped(page, r.at("request").get<std::string>());
    EXPECT_EQ(count(page, "<script>"), 1u);
    EXPECT_NE(page.find("id=\"ab-before\""), std::string::npos);
    // The after file measured 0.6 LU louder: it plays at 10^(-0.6/20) = 0.9333, before at 1.
    EXPECT_NE(page.find("src=\"revisions/2/master.wav\" data-volume=\"0.9333\""),
              std::string::npos);
    EXPECT_NE(page.find("src=\"revisions/1/master.wav\" data-volume=\"1\""), std::string::npos);
    // The failed check is said in words, not only by style.
    EXPECT_NE(page.find("not as expected"), std::string::npos);
}

TEST(HtmlReport, NonLocalAudioPathsAreNotLinked) {
    json r = fx::master_report(10.0);
    r["output"] = "https://example.invalid/master.wav";
    const std::string page = html_report(r);
    EXPECT_EQ(count(page, "<audio controls"), 1u);
    EXPECT_NE(page.find("not linked"), std::string::npos);
}

TEST(HtmlReport, UnknownKindThrows) {
    try {
        (void)html_report(json{{"kind", "podcast"}});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::input_invalid);
    }
}

}  // namespace
}  // namespace secondear::report
