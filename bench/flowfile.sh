#!/usr/bin/env bash
# Flow-file benchmark: write and read N records (default 5 M) uncompressed
# and with zstd, 5 runs each, medians; reads come from the page cache.
# Usage: bench/flowfile.sh [builddir] [records]  (a Release build if absent)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bld=${1:-$src/build/bench}
n=${2:-5000000}
if [ ! -x "$bld/bench/bench_flowfile" ]; then
	cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$bld" -j2 --target bench_flowfile >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lscpu | grep 'Model name' || true
echo "cores: $(nproc), $(uname -sr), zstd level 3"
"$bld/bench/bench_flowfile" "$out" "$n" 5
