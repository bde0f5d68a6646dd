#!/bin/bash
# Long fuzzing runs: builds every tests/fuzz/fuzz_*.c target with clang
# libFuzzer (-DFUZZ=ON) into build/fuzz, then runs each for SECONDS seconds
# (default 60) starting from its seed corpus. New inputs go to
# build/fuzz/corpus/<target>/ (the seed corpus in the tree is not touched);
# crashes to build/fuzz/artifacts/<target>-*. Every run is bounded.
#
# Usage: tests/fuzz/run_long.sh [SECONDS] [TARGET...]
# Exit status: 0 when no target found a crash, leak or timeout, else 1.
set -euo pipefail

secs=${1:-60}
shift || true
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [TARGET...]" >&2
	exit 2
	;;
esac

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build/fuzz
jobs=$(nproc 2>/dev/null || echo 2)

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for f in "$src"/tests/fuzz/fuzz_*.c; do
		targets+=("$(basename "$f" .c)")
	done
fi

CC=clang cmake -S "$src" -B "$build" -DFUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
	>/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
	bin=$(find "$build" -type f -name "$t" -perm -u+x | head -n 1)
	if [ -z "$bin" ]; then
		echo "$t: not built" >&2
		status=1
		continue
	fi
	work=$build/corpus/$t
	mkdir -p "$work" "$build/artifacts"
	echo "== $t: ${secs}s"
	# libFuzzer stops itself at max_total_time; timeout is the backstop.
	if ! timeout --kill-after=10 $((secs + 60)) "$bin" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$t-" \
		"$work" "$src/tests/fuzz/corpus/$t" \
		>"$build/$t.log" 2>&1; then
		echo "$t: FAILED (see $build/$t.log and $build/artifacts/)" >&2
		tail -n 30 "$build/$t.log" >&2
		status=1
	else
		grep -E '^stat::(number_of_executed_units|new_units_added)' \
			"$build/$t.log" || true
	fi
done
exit $status
