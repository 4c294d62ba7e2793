#!/usr/bin/env bash
# Installs every Debian 12 package secondear needs (idempotent: only what is missing) and builds
# the release binary at build/release/secondear. Works as root; uses sudo otherwise.
#   scripts/setup.sh              install what is missing, then build (release)
#   scripts/setup.sh --deps-only  install what is missing, build nothing
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git    # toolchain
  libsndfile1-dev libsoxr-dev libebur128-dev libfftw3-dev  # audio files, resampling, loudness, FFT
  nlohmann-json3-dev libcli11-dev libfmt-dev           # JSON, command line, formatting
  libgtest-dev                                         # tests
  ffmpeg sox util-linux                                # peers for tests and benchmarks; setpriv
  chromium                                             # opens the HTML reports in tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ "${1:-}" == "--deps-only" ]] && exit 0
cmake --preset release >/dev/null
cmake --build --preset release
