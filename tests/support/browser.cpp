#include "support/browser.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace secondear::test {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> page_requests(const fs::path& netlog) {
    std::vector<std::string> out;
    const json log = json::parse(read_text(netlog), nullptr, false);
    if (log.is_discarded()) return {"(unreadable NetLog)"};
    const int start_job = log.at("constants").at("logEventTypes").at("URL_REQUEST_START_JOB");
    for (const auto& e : log.at("events")) {
        if (e.value("type", -1) != start_job || !e.contains("params")) continue;
        const auto& p = e.at("params");
        if (p.value("network_isolation_key", "").find("file://") != std::string::npos)
            out.push_back(p.value("url", "?"));
    }
    return out;
}

BrowserRun open_in_chromium(const fs::path& page, const fs::path& screenshot,
                            const fs::path& work) {
    const fs::path dom = work / "dom.html", err = work / "stderr.txt", netlog = work / "net.json";
    const std::string cmd = fmt::format(
        "timeout 120 {} --headless --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --disable-sync --no-first-run --no-default-browser-check "
        "--disable-default-apps --disable-domain-reliability --no-pings "
        "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' --user-data-dir='{}' "
        "--enable-logging=stderr --v=0 --log-net-log='{}' --screenshot='{}' "
        "--window-size=1280,2400 --dump-dom 'file://{}' >'{}' 2>'{}'",
        k_chromium.string(), (work / "profile").string(), netlog.string(), screenshot.string(),
        fs::absolute(page).string(), dom.string(), err.string());
    BrowserRun run;
    run.status = std::system(cmd.c_str());
    run.dom = read_text(dom);
    std::istringstream lines(read_text(err));
    for (std::string line; std::getline(lines, line);)
        if (line.find(":CONSOLE") != std::string::npos) run.console.push_back(line);
    run.requests = page_requests(netlog);
    if (fs::exists(screenshot)) run.screenshot_bytes = fs::file_size(screenshot);
    return run;
}

fs::path build_dir(const fs::path& fallback) {
    const char* tmp = std::getenv("SECONDEAR_TEST_TMP");
    return tmp ? fs::path(tmp).parent_path().parent_path() : fallback;
}

}  // namespace secondear::test
