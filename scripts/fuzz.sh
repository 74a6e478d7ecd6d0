#!/usr/bin/env bash
# A short, bounded libFuzzer pass over libs/nostr's parsers (tests/fuzz):
# configures build-fuzz/ with clang (ASan + UBSan + libFuzzer), builds the
# fuzz targets, and runs each over its committed corpus through ctest.
# Usage: scripts/fuzz.sh [seconds per target, default 15]
# Env: FUZZ_BUILD_DIR (default <repo>/build-fuzz), JOBS (default nproc).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-$(nproc)}
seconds=${1:-15}

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DMARINA_FUZZ=ON -DMARINA_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMARINA_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" -L unit -R '^fuzz_' --output-on-failure -j "$jobs"
