#pragma once
// Where tests find the shared corpus and a scratch folder.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace secondear::test {

/// ../shared/corpus/<relative>; the test is skipped (with the reason) when the corpus is absent,
/// as in a user's clone. CI always has it.
std::filesystem::path corpus_path(const std::string& relative);
bool corpus_available();

/// A fresh empty folder for this test (under the build tree), removed at the next run.
std::filesystem::path scratch_dir();

}  // namespace secondear::test

#define SECONDEAR_REQUIRE_CORPUS()                                                        \
    do {                                                                                  \
        if (!::secondear::test::corpus_available())                                       \
            GTEST_SKIP() << "needs ../shared/corpus beside the project (present in CI)"; \
    } while (0)
