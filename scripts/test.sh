#!/usr/bin/env bash
# The whole test suite, as CI runs it: install dependencies, check the
# formatting, build with gcc (-Werror) and run every test, then build with
# clang under ASan+UBSan and run every test again (fuzz corpora included).
# Ends with one line "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/deps.sh || exit 1

fail=0
pass=0
note() { printf '\n=== %s\n' "$*"; }

note "format check (clang-format 14)"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
if clang-format --dry-run --Werror $files; then
	pass=$((pass + 1))
else
	echo "formatting differs: run clang-format -i on the files above"
	fail=$((fail + 1))
fi

run_suite() {
	local name=$1 dir=$2
	shift 2
	note "$name: build"
	if ! cmake -S "$top" -B "$dir" "$@" >"$dir.cmake.log" 2>&1; then
		cat "$dir.cmake.log"
		fail=$((fail + 1))
		return
	fi
	if ! cmake --build "$dir" -j"$(nproc)" >"$dir.build.log" 2>&1; then
		tail -50 "$dir.build.log"
		fail=$((fail + 1))
		return
	fi
	note "$name: ctest"
	local out
	out=$(cd "$dir" && ctest --output-on-failure -j"$(nproc)" 2>&1)
	echo "$out" | tail -60
	local p f
	p=$(echo "$out" | sed -n 's/.* \([0-9][0-9]*\) tests failed out of \([0-9][0-9]*\).*/\2 \1/p')
	if [ -z "$p" ]; then
		if echo "$out" | grep -q '100% tests passed'; then
			p=$(echo "$out" | sed -n 's/.*100% tests passed, 0 tests failed out of \([0-9]*\).*/\1 0/p')
		else
			p="0 1"
		fi
	fi
	set -- $p
	pass=$((pass + $1 - $2))
	fail=$((fail + $2))
}

mkdir -p "$top/build"
run_suite "gcc" "$top/build/gcc" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc -DWERROR=ON

note "package: build the .deb, install, start, purge"
if bash tests/package/test_deb.sh >"$top/build/package.log" 2>&1; then
	tail -1 "$top/build/package.log"
	pass=$((pass + 1))
else
	tail -30 "$top/build/package.log"
	fail=$((fail + 1))
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite "clang asan+ubsan" "$top/build/asan" -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_COMPILER=clang -DSANITIZE=address,undefined -DWERROR=ON

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
