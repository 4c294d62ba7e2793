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

/// A fresh empty folder for this test (under $SECONDEAR_TEST_TMP, or the system temp folder),
/// removed when the test program ends with every test passed; kept after a failure or when
/// SECONDEAR_KEEP_TEST_TMP is set.
std::filesystem::path scratch_dir();

}  // namespace secondear::test

#define SECONDEAR_REQUIRE_CORPUS()                                                        \
    do {                                                                                  \
        if (!::secondear::test::corpus_available())                                       \
            GTEST_SKIP() << "needs ../shared/corpus beside the project (present in CI)"; \
    } while (0)
