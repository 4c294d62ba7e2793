#pragma once
// The recipes, readable top to bottom: decode -> analyze -> plan -> render -> encode/report.

#include <filesystem>

#include "analysis/analysis.hpp"
#include "core/block_source.hpp"
#include "io/decode.hpp"

namespace secondear::pipeline {

struct FileAnalysis {
    io::SourceInfo source;
    analysis::Analysis analysis;
};

/// Streams the file once through the analyzer (memory does not grow with its length).
FileAnalysis analyze_file(const std::filesystem::path& path);
/// Streams a source once through the analyzer (from its first frame).
analysis::Analysis analyze_source(BlockSource& source, const std::string& name);

}  // namespace secondear::pipeline
