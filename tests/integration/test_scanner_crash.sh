#!/usr/bin/env bash
# Crash safety: SIGKILL the scanner again and again at varying moments
# (while classifying, writing RRDs, writing the scoreboard, recording or
# archiving), restart it each time, and check that the RRDs end up exactly
# as after one clean run (rrdtool fetch output identical, and equal to the
# reference summer): no file lost, no flow counted twice. Direct librrd
# and through rrdcached.
set -euo pipefail
B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
export ORACLE_FILES="0 1 2 3 4 5 6 7 8 9"
PY="python3 $S/tests/integration/scanner_oracle.py"
SCANNER="$B/scanner/flowtally-scanner"
T=$(mktemp -d /tmp/ft-crash.XXXXXX)
RCPID=
SPID=
cleanup() {
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
	[ -n "$RCPID" ] && kill "$RCPID" 2>/dev/null && wait "$RCPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

. "$S/tests/integration/oracle_lib.sh"
oracle_flows "$T/gen" "$T/flows.src"

# setup DIR MODE ARCHIVE: a config in DIR (rrdcached started for "cached").
setup() {
	local d=$1 mode=$2 archive=$3
	oracle_dir "$d" "$T/flows.src"
	echo "archive = \"$archive\"" >>"$d/ft.conf"
	if [ "$mode" = cached ]; then
		echo "rrdcached = \"unix:$T/sock\"" >>"$d/ft.conf"
	fi
	echo "}" >>"$d/ft.conf"
}

dump_all() {
	local d=$1 daemon=${2:-}
	local opt=
	[ -n "$daemon" ] && opt="--daemon $daemon"
	(cd "$d/rrd" && find . -name '*.rrd' | sort) | while read -r f; do
		echo "fetch $d/rrd/$f AVERAGE -r 300 -s 1700000100 -e 1700003400 $opt"
	done | rrdtool - | sed 's/^OK u:.*/OK/'
}

crash_mode() {
	local mode=$1 daemon=
	if [ "$mode" = cached ]; then
		oracle_rrdcached "$T/sock" "$T" "$T/rrdcached.log"
		daemon="unix:$T/sock"
	fi
	local clean="$T/$mode-clean" crash="$T/$mode-crash"
	setup "$clean" "$mode" keep
	setup "$crash" "$mode" move
	"$SCANNER" -f "$clean/ft.conf" --once 2>"$clean/log"

	# Kill at moments spread over the run; the delays cycle so that each
	# phase of a file's processing gets hit. They start short and grow:
	# on an idle machine a whole run takes well under a second, and the
	# kills must still land.
	local delays=(0.005 0.01 0.02 0.03 0.05 0.07 0.1 0.15 0.2 0.3 0.5 0.8)
	local kills=0 i=0 finished=0
	while [ $i -lt 24 ]; do
		"$SCANNER" -f "$crash/ft.conf" --once 2>>"$crash/log" &
		SPID=$!
		sleep "${delays[$((i % ${#delays[@]}))]}"
		if kill -9 "$SPID" 2>/dev/null; then
			kills=$((kills + 1))
		fi
		wait "$SPID" 2>/dev/null && finished=1 || true
		SPID=
		i=$((i + 1))
		# Done once every file has been archived.
		if ! ls "$crash/flows"/ft-* >/dev/null 2>&1; then
			break
		fi
	done
	# Finish whatever is left, undisturbed.
	"$SCANNER" -f "$crash/ft.conf" --once 2>>"$crash/log"
	if ls "$crash/flows"/ft-* >/dev/null 2>&1; then
		echo "files left unprocessed"; exit 1
	fi
	[ "$(ls "$crash/flows/saved"/*/ft-* | wc -l)" -eq 10 ] || { echo "archive lost files"; exit 1; }
	echo "$mode: $kills kills in $i runs"
	[ "$kills" -ge 5 ] || { echo "too few kills landed"; exit 1; }
	dump_all "$clean" "$daemon" >"$T/$mode-clean.txt"
	dump_all "$crash" "$daemon" >"$T/$mode-crash.txt"
	diff -u "$T/$mode-clean.txt" "$T/$mode-crash.txt"
	$PY check "$T/gen" "$crash/rrd" $daemon
	grep -c 'RRDs updated' "$crash/log" || true
	if [ -n "$RCPID" ]; then kill "$RCPID"; wait "$RCPID" || true; RCPID=; fi
}

crash_mode direct
crash_mode cached
echo "crash safety passed"
