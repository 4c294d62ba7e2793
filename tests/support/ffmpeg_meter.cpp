#include "support/ffmpeg_meter.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

namespace secondear::test {

bool ffmpeg_available() {
    return std::system("ffmpeg -version >/dev/null 2>&1") == 0;
}

std::optional<FfmpegReading> ffmpeg_ebur128(const std::filesystem::path& file) {
    const std::string cmd = "ffmpeg -hide_banner -nostats -i '" + file.string() +
                            "' -af ebur128=peak=true -f null - 2>&1";
    std::FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return std::nullopt;
    std::string text;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) text += buf.data();
    ::pclose(pipe);
    // The summary at the end: "I:  -14.0 LUFS", "LRA:  3.1 LU", "Peak:  -1.0 dBFS" (true peak).
    const auto summary_at = text.rfind("Summary:");
    if (summary_at == std::string::npos) return std::nullopt;
    const std::string summary = text.substr(summary_at);
    std::smatch m;
    FfmpegReading r;
    if (!std::regex_search(summary, m, std::regex(R"(I:\s+(-?[0-9.]+|-inf) LUFS)")))
        return std::nullopt;
    r.integrated_lufs = std::stod(m[1]);
    if (std::regex_search(summary, m, std::regex(R"(LRA:\s+(-?[0-9.]+) LU)")))
        r.loudness_range_lu = std::stod(m[1]);
    if (!std::regex_search(summary, m, std::regex(R"(Peak:\s+(-?[0-9.]+|-inf) dBFS)")))
        return std::nullopt;
    r.true_peak_dbtp = std::stod(m[1]);
    return r;
}

}  // namespace secondear::test
