#!/usr/bin/env bash
# Scoreboard benchmark: 10 M flows over 1 M distinct inside hosts per
# interval, then board_interval (ranking + every page), 5 runs, medians.
# Usage: bench/board.sh [builddir]   (a Release build is made if absent)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bld=${1:-$src/build/bench}
if [ ! -x "$bld/bench/board_bench" ]; then
	cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$bld" -j2 --target board_bench >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lscpu | grep 'Model name' || true
"$bld/bench/board_bench" 1000000 10000000 5 "$out"
"$bld/bench/board_bench" 10000 10000000 5 "$out"
"$bld/bench/board_bench" 1000000 10000000 5 "$out" 1
