// Issue 7, end to end: the report of the demo session, as `secondear mix` writes it, opened in
// headless Chromium: no console errors, no network requests, every plot has data, every plan
// decision appears in the page; the screenshot is kept in the build folder as a CI artifact.
#include <gtest/gtest.h>

#include <regex>

#include "demo/demo_session.hpp"
#include "pipeline.hpp"
#include "support/browser.hpp"
#include "support/paths.hpp"

namespace secondear {
namespace {

namespace fs = std::filesystem;

/// The text as the page shows it (the report escapes &, <, >, ").
std::string escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

TEST(DemoReport, OpensOfflineAndShowsEveryDecisionWithPlotsThatHaveData) {
    SECONDEAR_REQUIRE_CHROMIUM();
    const auto dir = test::scratch_dir();
    demo::write_demo_session(demo::make_demo_session({.bars_per_section_scale = 4}),
                             dir / "session");
    pipeline::MixJob job;
    job.session = dir / "session/session.json";
    job.out_dir = dir / "project";
    const auto outcome = pipeline::mix(job);
    const fs::path page = dir / "project/report.html";
    // Issue 7: a 16-track page stays under 2 MB; this 12-track one must too.
    EXPECT_LT(fs::file_size(page), 2'000'000u);

    const auto run =
        test::open_in_chromium(page, test::build_dir(dir) / "report-screenshot-demo.png", dir);
    ASSERT_EQ(run.status, 0);
    EXPECT_TRUE(run.console.empty()) << run.console.front();
    EXPECT_TRUE(run.requests.empty()) << run.requests.front();
    EXPECT_GT(run.screenshot_bytes, 50'000u);  // a page of plots and text, not a blank one

    // Every plot is drawn with points (a path or polyline with at least a few coordinates) or
    // bars of some width, or says plainly that it has no data.
    const std::string& dom = run.dom;
    const std::regex plot(R"(<svg[^>]*class="plot"[^>]*>([\s\S]*?)</svg>)");
    int plots = 0;
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), plot); it != std::sregex_iterator();
         ++it) {
        ++plots;
        const std::string body = (*it)[1];
        const bool has_points =
            std::regex_search(body, std::regex(R"((points|d)="[^"]*\d[ ,][^"]*\d[ ,][^"]*\d)"));
        const bool has_bars = std::regex_search(body, std::regex(R"(<rect class="bar[^"]*"[^>]*width="[1-9])"));
        EXPECT_TRUE(has_points || has_bars || body.find("no data") != std::string::npos)
            << body.substr(0, 300);
    }
    EXPECT_GE(plots, 5);

    // Every decision of the plan, with its reason, is in the page.
    for (const auto& d : outcome.plan.decisions)
        EXPECT_NE(dom.find(escaped(d.rationale.text)), std::string::npos) << d.rationale.text;
    for (const auto& t : outcome.plan.tracks)
        for (const auto& e : t.chain)
            EXPECT_NE(dom.find(escaped(e.rationale.text)), std::string::npos) << e.id;
}

}  // namespace
}  // namespace secondear
