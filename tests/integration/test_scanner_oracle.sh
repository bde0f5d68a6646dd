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

$PY gen "$T/gen"
mkdir -p "$T/flows.src"
for st in $($PY starts); do
	"$B/tools/flowtally-dump" --import "$T/gen/csv/$st.csv" \
	    --start "@$st" --end "@$((st + 300))" "$T/flows.src" >/dev/null
done

run_mode() {
	local mode=$1 daemon=
	local d="$T/$mode"
	mkdir -p "$d/rrd" "$d/flows"
	cp "$T"/flows.src/ft-* "$d/flows/"
	$PY conf "$d/ft.conf" "$d/rrd" "$d/flows" "$d/state" "$d/board"
	if [ "$mode" = cached ]; then
		rrdcached -g -l "unix:$d/sock" -b "$d/rrd" -B -p "$d/rc.pid" \
		    -w 3600 -f 7200 >"$d/rrdcached.log" 2>&1 &
		RCPID=$!
		for _ in $(seq 600); do [ -S "$d/sock" ] && break; sleep 0.05; done
		[ -S "$d/sock" ] || { echo "rrdcached did not start"; exit 1; }
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
