#pragma once
// A progress bar on stderr for long jobs, only when stderr is a terminal (never in logs or pipes).

#include <unistd.h>

#include <functional>
#include <iostream>
#include <string>

#include <fmt/format.h>

namespace secondear::cli {

inline std::function<void(double)> progress_bar(const std::string& label) {
    if (!::isatty(STDERR_FILENO)) return {};
    return [label](double fraction) {
        const int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::cerr << fmt::format("\r{} [{}{}] {:3.0f}%", label, std::string(filled, '#'),
                                 std::string(width - filled, ' '), fraction * 100.0)
                  << (fraction >= 1.0 ? "\n" : "") << std::flush;
    };
}

}  // namespace secondear::cli
