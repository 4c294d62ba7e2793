#pragma once
// The project's data files (data/), compiled into the binary by cmake/EmbedData.cmake.

#include <string_view>
#include <vector>

namespace secondear {

/// Contents of data/<relative_path>, or an empty view when there is no such file.
std::string_view embedded_data(std::string_view relative_path);
/// Every embedded path, relative to data/.
std::vector<std::string_view> embedded_data_paths();

}  // namespace secondear
