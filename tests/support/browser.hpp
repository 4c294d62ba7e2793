#pragma once
// Headless Chromium for tests (Debian's `chromium`; the set-up script installs it). One run of a
// local page gives its DOM after load, its console messages, the network requests it made, and a
// screenshot. Chromium's own background requests are made unresolvable, so nothing leaves the
// machine. See tests/report/html_browser_test.cpp for the canary that proves the detectors work.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace secondear::test {

inline const std::filesystem::path k_chromium = "/usr/bin/chromium";

struct BrowserRun {
    int status = -1;
    std::string dom;
    std::vector<std::string> console;   // console messages of the page
    std::vector<std::string> requests;  // URLs the page asked the network for
    std::uintmax_t screenshot_bytes = 0;
};

std::string read_text(const std::filesystem::path& p);
/// The URLs of URL requests made on behalf of a file:// page, from a NetLog file.
std::vector<std::string> page_requests(const std::filesystem::path& netlog);
BrowserRun open_in_chromium(const std::filesystem::path& page,
                            const std::filesystem::path& screenshot,
                            const std::filesystem::path& work);
/// The build folder (tests run with SECONDEAR_TEST_TMP=<build>/tests/tmp), else `fallback`: where
/// screenshots are kept as CI artifacts.
std::filesystem::path build_dir(const std::filesystem::path& fallback);

}  // namespace secondear::test

#define SECONDEAR_REQUIRE_CHROMIUM()                                                           \
    do {                                                                                       \
        if (!std::filesystem::exists(::secondear::test::k_chromium))                           \
            GTEST_SKIP() << "needs Debian's chromium at /usr/bin/chromium (the set-up script " \
                            "installs it for CI)";                                             \
    } while (0)
