#include "support/ffmpeg_meter.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

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
    const auto number_after = [&](const std::string& label) -> std::optional<double> {
        const auto at = summary.find(label);
        if (at == std::string::npos) return std::nullopt;
        const char* p = summary.c_str() + at + label.size();
        while (*p == ' ') ++p;
        if (std::string_view(p).starts_with("-inf"))
            return -std::numeric_limits<double>::infinity();
        char* end = nullptr;
        const double v = std::strtod(p, &end);
        if (end == p) return std::nullopt;
        return v;
    };
    const auto integrated = number_after("I:");
    const auto peak = number_after("Peak:");
    if (!integrated || !peak) return std::nullopt;
    FfmpegReading r;
    r.integrated_lufs = *integrated;
    r.loudness_range_lu = number_after("LRA:").value_or(0.0);
    r.true_peak_dbtp = *peak;
    return r;
}

}  // namespace secondear::test
