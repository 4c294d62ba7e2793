#pragma once
// The recipes, readable top to bottom: decode -> analyze -> plan -> render -> encode/report.

#include <filesystem>

#include "analysis/analysis.hpp"
#include "io/decode.hpp"

namespace secondear::pipeline {

struct FileAnalysis {
    io::SourceInfo source;
    analysis::Analysis analysis;
};

/// Streams the file once through the analyzer (memory does not grow with its length).
FileAnalysis analyze_file(const std::filesystem::path& path);

}  // namespace secondear::pipeline
