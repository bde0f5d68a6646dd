#!/usr/bin/env bash
# Correctness oracle: generated flows -> CSV -> flow files (flowtally-dump
# --import) -> flowtally-scanner --once -> rrdtool fetch, compared with an
# independent reference summer over the same CSV, exactly, for every RRD
# and interval (a missing interval must stay unknown). Runs twice: straight
# to the RRD files and through an rrdcached started here.
set -euo pipefail
B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
PY="python3 $S/tests/integration/scanner_oracle.py"
T=$(mktemp -d /tmp/ft-oracle.XXXXXX)
RCPID=
cleanup() {
	[ -n "$RCPID" ] && kill "$RCPID" 2>/dev/null && wait "$RCPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

. "$S/tests/integration/oracle_lib.sh"
oracle_flows "$T/gen" "$T/flows.src"

run_mode() {
	local mode=$1 daemon=
	local d="$T/$mode"
	oracle_dir "$d" "$T/flows.src"
	if [ "$mode" = cached ]; then
		oracle_rrdcached "$d/sock" "$d/rrd" "$d/rrdcached.log"
		echo "rrdcached = \"unix:$d/sock\"" >>"$d/ft.conf"
		daemon="unix:$d/sock"
	fi
	echo "}" >>"$d/ft.conf"
	"$B/scanner/flowtally-scanner" -f "$d/ft.conf" -n
	"$B/scanner/flowtally-scanner" -f "$d/ft.conf" --once 2>"$d/log"
	cat "$d/log"
	[ "$(grep -c 'RRDs updated' "$d/log")" -eq 4 ] || { echo "expected 4 files processed"; exit 1; }
	grep -q ' 0 errors' "$d/log"
	$PY check "$T/gen" "$d/rrd" $daemon
	# A second run changes nothing: every file is in the ledger.
	"$B/scanner/flowtally-scanner" -f "$d/ft.conf" --once 2>"$d/log2"
	if grep -q 'RRDs updated' "$d/log2"; then echo "re-run processed files again"; exit 1; fi
	$PY check "$T/gen" "$d/rrd" $daemon
	# The scoreboard was written.
	[ -s "$d/board/current.html" ] && [ -s "$d/board/current.json" ]
	if [ -n "$RCPID" ]; then kill "$RCPID"; wait "$RCPID" || true; RCPID=; fi
}

run_mode direct
run_mode cached
echo "oracle passed (direct and rrdcached)"
