#pragma once
// The demo session (sections at 4x the default bar count), written and mixed into a project:
// the starting point of the revision and section-scoped request tests. Header-only, as it calls
// the whole engine and only test_pipeline links that.

#include <filesystem>

#include "demo/demo_session.hpp"
#include "pipeline.hpp"

namespace secondear::test {

/// Writes the demo session to dir/session, mixes it into dir/project and returns that folder.
inline std::filesystem::path mixed_demo_project(const std::filesystem::path& dir) {
    demo::DemoOptions o;
    o.bars_per_section_scale = 4;
    demo::write_demo_session(demo::make_demo_session(o), dir / "session");
    pipeline::MixJob job;
    job.session = dir / "session" / "session.json";
    job.out_dir = dir / "project";
    pipeline::mix(job);
    return dir / "project";
}

}  // namespace secondear::test
