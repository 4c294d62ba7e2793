#pragma once
// Subcommands of the CLI: each registers its options and runs one pipeline recipe.

#include <functional>
#include <map>

#include <CLI/CLI.hpp>

namespace secondear::cli {

/// The runner of each registered subcommand.
using Runners = std::map<const CLI::App*, std::function<int()>>;

void register_commands(CLI::App& app);
/// Runs the subcommand that was parsed; returns the process exit code.
int run_selected(CLI::App& app);

}  // namespace secondear::cli
