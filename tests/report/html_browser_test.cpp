// The report pages opened in headless Chromium (Debian's `chromium` package; the set-up script
// installs it for CI, and these tests skip with a message where it is absent).
//
// One Chromium run per page gives:
// - the DOM after load (--dump-dom): the page parsed whole, and the A/B script ran (it marks its
//   box "ready");
// - console messages (--enable-logging=stderr --v=0 logs each as an ":CONSOLE" line with its
//   source), which must be none;
// - network requests (--log-net-log writes Chromium's NetLog; every URL request the page makes
//   carries the page's network isolation key, "file://..."), which must be none. Chromium's own
//   background requests (component updates, accounts) carry other keys and are made unresolvable
//   with --host-resolver-rules, so no packet leaves the machine;
// - a screenshot, kept in the build folder (report-screenshot*.png) for people and CI artifacts.
// A canary page with a deliberate script error and a request shows that both detectors work.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/html_fixtures.hpp"
#include "report/html_report.hpp"
#include "support/browser.hpp"
#include "support/paths.hpp"

namespace secondear::report {
namespace {

using test::build_dir;
using test::open_in_chromium;
using test::read_text;

namespace fs = std::filesystem;
using nlohmann::json;

void check_page(const json& report, const std::string& shot_name, const std::string& must_have) {
    const fs::path work = test::scratch_dir();
    const fs::path page = work / "report.html";
    std::ofstream(page) << html_report(report);
    const fs::path blank = work / "blank.html";
    std::ofstream(blank) << "<!DOCTYPE html><html><body></body></html>";
    fs::create_directories(work / "blank");
    const auto control = open_in_chromium(blank, work / "blank.png", work / "blank");
    const fs::path shot = build_dir(work) / shot_name;
    const auto run = open_in_chromium(page, shot, work);
    ASSERT_EQ(run.status, 0) << "chromium failed; see " << (work / "stderr.txt");
    EXPECT_NE(run.dom.find("</html>"), std::string::npos);
    EXPECT_NE(run.dom.find(must_have), std::string::npos) << must_have;
    EXPECT_TRUE(run.console.empty()) << run.console.front();
    EXPECT_TRUE(run.requests.empty()) << run.requests.front();
    // Non-trivial: a blank page of the same size compresses to a small PNG (about 14 KB); plots
    // and text make it several times larger.
    EXPECT_GT(run.screenshot_bytes, 3 * control.screenshot_bytes) << shot;
    std::cout << "screenshot " << shot << ": " << run.screenshot_bytes << " bytes (blank "
              << control.screenshot_bytes << ")\n";
}

TEST(HtmlBrowser, CanaryPageErrorsAndRequestsAreDetected) {
    SECONDEAR_REQUIRE_CHROMIUM();
    const fs::path work = test::scratch_dir();
    const fs::path page = work / "canary.html";
    // Port 9 on loopback (discard): the request stays on this machine and fails at once.
    std::ofstream(page) << "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\">"
                           "<script>no_such_function();</script></body></html>";
    const auto run = open_in_chromium(page, work / "canary.png", work);
    ASSERT_EQ(run.status, 0);
    EXPECT_EQ(run.console.size(), 1u);
    ASSERT_EQ(run.requests.size(), 1u);
    EXPECT_EQ(run.requests.front(), "http://127.0.0.1:9/x.png");
}

TEST(HtmlBrowser, MixPageLoadsQuietlyAndOffline) {
    SECONDEAR_REQUIRE_CHROMIUM();
    check_page(test::html::mix_report(16, 200.0), "report-screenshot.png", "Mix report");
}

TEST(HtmlBrowser, MasterPageLoadsQuietlyAndOffline) {
    SECONDEAR_REQUIRE_CHROMIUM();
    check_page(test::html::master_report(180.0), "report-screenshot-master.png", "Master report");
}

TEST(HtmlBrowser, RevisionPageRunsItsAbScript) {
    SECONDEAR_REQUIRE_CHROMIUM();
    check_page(test::html::revision_report(), "report-screenshot-revision.png",
               "class=\"ab ready\"");
}

}  // namespace
}  // namespace secondear::report
