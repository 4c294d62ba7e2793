#include "support/paths.hpp"

#include <cstdlib>

namespace secondear::test {

bool corpus_available() { return std::filesystem::is_directory(SECONDEAR_CORPUS_DIR); }

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
    return dir;
}

}  // namespace secondear::test
