#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace secondear::test {
namespace {

// Scratch folders hold whole rendered projects (up to a few hundred MB each); a full suite would
// leave gigabytes behind. They are removed when the test program ends and every test passed,
// and kept after a failure (to look at) or when SECONDEAR_KEEP_TEST_TMP is set.
class ScratchCleaner : public ::testing::EmptyTestEventListener {
  public:
    void add(const std::filesystem::path& dir) {
        const std::lock_guard lock(mutex_);
        dirs_.push_back(dir);
    }

    void OnTestProgramEnd(const ::testing::UnitTest& unit_test) override {
        if (!unit_test.Passed() || std::getenv("SECONDEAR_KEEP_TEST_TMP")) return;
        const std::lock_guard lock(mutex_);
        std::error_code ignored;  // cleaning up must never fail a test run
        for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ignored);
    }

  private:
    std::mutex mutex_;
    std::vector<std::filesystem::path> dirs_;
};

ScratchCleaner& cleaner() {
    // Owned by gtest's listener list once appended (it deletes it at exit).
    static auto* const instance = [] {
        auto* c = new ScratchCleaner;
        ::testing::UnitTest::GetInstance()->listeners().Append(c);
        return c;
    }();
    return *instance;
}

}  // namespace

bool corpus_available() {
    return std::filesystem::is_directory(SECONDEAR_CORPUS_DIR);
}

std::filesystem::path corpus_path(const std::string& relative) {
    return std::filesystem::path(SECONDEAR_CORPUS_DIR) / relative;
}

std::filesystem::path scratch_dir() {
    const char* root = std::getenv("SECONDEAR_TEST_TMP");
    std::filesystem::path base = root ? root : std::filesystem::temp_directory_path() / "secondear";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::filesystem::path dir = base / (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    cleaner().add(dir);
    return dir;
}

}  // namespace secondear::test
