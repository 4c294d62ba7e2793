#pragma once
// Revision subcommands: revise, history, undo, redo, compare, accept, reject, taste, chat.

#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace secondear::cli {

/// Adds the revision subcommands to `app` and their runners to `runners`.
void register_revision_commands(CLI::App& app, Runners& runners);

}  // namespace secondear::cli
