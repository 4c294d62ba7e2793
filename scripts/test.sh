#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then
#  1. the debug build under AddressSanitizer + UBSan runs every test except the heavy sweeps;
#  2. the release build runs the heavy sweeps (test suites named *ReleaseOnly: whole-corpus
#     masters, long songs), which would take too long under the sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps-only

cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug -E ReleaseOnly

cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -R ReleaseOnly --no-tests=ignore
