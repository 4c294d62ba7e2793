#pragma once
// An independent meter: Debian's ffmpeg `ebur128` filter (peak=true), run as a subprocess.
// Used to check our masters with a meter we did not write.

#include <filesystem>
#include <optional>

namespace secondear::test {

struct FfmpegReading {
    double integrated_lufs = 0.0;
    double loudness_range_lu = 0.0;
    double true_peak_dbtp = 0.0;
};

bool ffmpeg_available();
/// nullopt when ffmpeg is missing or its output cannot be parsed.
std::optional<FfmpegReading> ffmpeg_ebur128(const std::filesystem::path& file);

}  // namespace secondear::test
