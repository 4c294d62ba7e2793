#!/usr/bin/env bash
# Section boundaries and tempo (issue 6): runs the release-only benchmark tests of
# tests/analysis/sections_test.cpp and tempo_test.cpp, which print their figures.
#
# usage: bench/sections_bench.sh [BUILD_DIR]
#   BUILD_DIR defaults to build/sections-release (configured here as a Release tree if absent).
# Material (read in place from the corpus, SECONDEAR_CORPUS or /work/shared/corpus):
# - boundaries: seven fixed rotations of seven corpus mixes; each concatenation is four 15 s
#   excerpts from 20 s in (joins at 15, 30, 45 s); P, R and F at +-0.5 s per rotation, the mean
#   and the minimum (SectionsReleaseOnly.ManyCorpusConcatenations);
# - synthetic songs (deterministic generator, fixed seed) at 90-174 BPM: tempo, beats, sections;
# - the Caesium master and stem sum (130 BPM).
# The demo session's figures come from tests/pipeline/sections_test.cpp
# (ArrangementCliReleaseOnly.FullDemoTempoAndSections, in test_pipeline).
set -euo pipefail

build=${1:-build/sections-release}
[[ -f $build/build.ninja ]] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" --target test_analysis -j2
date -u +"run at %Y-%m-%d %H:%M UTC, commit $(git rev-parse --short HEAD)"
"$build/tests/test_analysis" \
    --gtest_filter='SectionsReleaseOnly.*:SectionsCorpus.*:TempoReleaseOnly.*:TempoCorpus.*'
