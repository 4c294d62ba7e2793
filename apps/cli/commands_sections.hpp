#pragma once
// `secondear analyze --sections FILE|DIR`: the song's map (tempo, beats, sections, and for a
// folder of stems which tracks play in each section).

#include <string>
#include <vector>

namespace secondear::cli {

/// Prints the map of each path (a file, or a folder analysed as the sum of its stems); with json,
/// the analysis object of each gains tempo_bpm, beats_s and sections (one object for one path,
/// an array for several). Sections shorter than min_section_bars are not split off (a 2-bar
/// intro needs 2). Returns the process exit code (the first failure's; others go on).
int run_sections(const std::vector<std::string>& paths, bool json, int min_section_bars = 4);

}  // namespace secondear::cli
