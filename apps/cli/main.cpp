// The `secondear` command: parses arguments and calls the engine. No DSP here.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "core/errors.hpp"

int main(int argc, char** argv) {
    using namespace secondear;
    // A decoded 4-minute stem is about 85 MB: above glibc's mmap threshold each one would be
    // fresh pages (a fault and a zeroed page per 4 KB, a tenth of a mix's analysis time); kept in
    // the heap after it is freed, the next stem reuses the same pages (peak RSS of a 16-stem mix:
    // 207 -> 217 MB with one thread).
    mallopt(M_MMAP_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    CLI::App app{"secondear: a second pair of ears for mixing and mastering"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "secondear 0.1.0");
    cli::register_commands(app);
    try {
        app.parse(argc, argv);
        return cli::run_selected(app);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::cerr << "secondear: " << e.what() << " (see --help)\n";
        return static_cast<int>(ErrorKind::usage);
    } catch (const Error& e) {
        std::cerr << "secondear: " << e.what() << "\n";
        return e.exit_code();
    } catch (const std::exception& e) {
        std::cerr << "secondear: internal error: " << e.what() << " (please report)\n";
        return static_cast<int>(ErrorKind::internal);
    }
}
