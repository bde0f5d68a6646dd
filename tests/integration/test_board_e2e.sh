#!/usr/bin/env bash
# Scoreboard end to end: generated flows -> flow files (flowtally-dump
# --import; one 300 s and one 900 s interval) -> flowtally-scanner --once ->
# the history JSON compared with an independent reference (rankings, ties,
# rates over the real interval length, shares); every HTML page validated
# with html5lib in strict mode; a corrupt aggregate state set aside.
set -euo pipefail
B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
PY="/usr/bin/python3 $S/tests/integration/board_oracle.py"
T=$(mktemp -d /tmp/ft-board-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/gen" "$T/flows" "$T/rrd" "$T/state" "$T/board"
$PY gen "$T/gen"
for iv in $($PY intervals); do
	st=${iv%:*} en=${iv#*:}
	"$B/tools/flowtally-dump" --import "$T/gen/$st-$en.csv" \
	    --start "@$st" --end "@$en" "$T/flows" >/dev/null
done
cat >"$T/ft.conf" <<CONF
subnets = { "10.0.0.0/8", "2001:db8::/32" }
network "lan" { prefixes = { "10.1.0.0/16" } }
network "v6" { prefixes = { "2001:db8::/32" } }
scanner {
	flow_dir = "$T/flows"
	rrd_dir = "$T/rrd"
	state_dir = "$T/state"
	interval = 300
	scoreboard {
		top = 3
		aggregate = 3
		dir = "$T/board"
		graph_url = "/cgi-bin/flowtally.cgi"
	}
}
CONF
# A corrupt aggregate state: reported, set aside, a fresh one started.
echo "garbage" >"$T/board/aggregate.state"
"$B/scanner/flowtally-scanner" -f "$T/ft.conf" -n
"$B/scanner/flowtally-scanner" -f "$T/ft.conf" --once 2>"$T/log" || {
	cat "$T/log"; exit 1; }
grep -q "aggregate state $T/board/aggregate.state is corrupt" "$T/log" || {
	cat "$T/log"; echo "corrupt state not reported"; exit 1; }
ls "$T/board"/aggregate.state.corrupt-* >/dev/null
grep -q '^flowtally-aggregate 1$' "$T/board/aggregate.state"
if grep 'scoreboard:' "$T/log" | grep -qv 'is corrupt'; then cat "$T/log"; exit 1; fi

$PY check "$T/gen" "$T/board"
html=$(find "$T/board" -name '*.html' | sort)
[ "$(echo "$html" | wc -l)" -eq 6 ] || { echo "$html"; exit 1; }
/usr/bin/python3 "$S/tests/data/board/validate_html.py" $html \
    $(find "$T/board" -name '*.json')
grep -q 'href="/cgi-bin/flowtally.cgi?network=lan"' "$T/board/current.html"
echo "scoreboard end to end passed"
