#!/usr/bin/env bash
# The scanner as a daemon (-d): processes what is pending at start, scans
# again on SIGUSR1, reloads on SIGHUP (a new service gets its RRD, existing
# RRDs keep their history, a broken config is refused and the old one
# kept), exits on SIGTERM removing its pidfile; a second instance on the
# same state directory is refused.
set -euo pipefail
B=${FT_BUILDDIR:?}
T=$(mktemp -d /tmp/ft-scand.XXXXXX)
SPID=
cleanup() {
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

. "$FT_SRCDIR/scripts/wait_for.sh"
# await_log PATTERN FILE: wait for PATTERN in FILE, failing the test after 20 s.
await_log() {
	wait_for 20 grep -q -- "$1" "$2" && return 0
	echo "timed out waiting for '$1' in $2"; cat "$2"; exit 1
}

mkdir -p "$T/flows"
conf() {
	cat >"$T/ft.conf" <<EOC
subnets = { "10.0.0.0/8" }
service "http" { ports = { "80/tcp" } }
$1
scanner {
	flow_dir = "$T/flows"
	rrd_dir = "$T/rrd"
	state_dir = "$T/state"
	pidfile = "$T/scanner.pid"
	scoreboard { top = 0 }
}
EOC
}
flowfile() { # flowfile START
	printf 'src,dst,sport,dport,proto,bytes,packets\n1.2.3.4,10.0.0.1,1234,80,6,3000,3\n10.0.0.1,1.2.3.4,22,999,6,600,2\n' >"$T/in.csv"
	"$B/tools/flowtally-dump" --import "$T/in.csv" --start "@$1" \
	    --end "@$(($1 + 300))" "$T/flows" >/dev/null
}

# -n checks the scanner's own settings too, naming the bad one.
conf "service \"x\" { ports = { \"81/tcp\" } }"
sed -i 's/^scanner {/scanner {\n\tinterval = 5/' "$T/ft.conf"
if "$B/scanner/flowtally-scanner" -n -f "$T/ft.conf" 2>"$T/n.err"; then
	echo "-n passed interval = 5"; exit 1
fi
grep -q "interval 5 out of range" "$T/n.err"
conf ""
"$B/scanner/flowtally-scanner" -n -f "$T/ft.conf" 2>"$T/n.err"
grep -q "configuration OK" "$T/n.err"
flowfile 1700000100
"$B/scanner/flowtally-scanner" -d -f "$T/ft.conf" 2>"$T/log" &
SPID=$!
await_log "ft-20231114-221500Z: 2 flows" "$T/log"
[ "$(cat "$T/scanner.pid")" = "$SPID" ]

# A second scanner on the same state directory is refused.
if "$B/scanner/flowtally-scanner" --once -f "$T/ft.conf" 2>"$T/log2"; then
	echo "second instance not refused"; exit 1
fi

# SIGUSR1: scan now.
flowfile 1700000400
kill -USR1 "$SPID"
await_log "ft-20231114-222000Z: 2 flows" "$T/log"

# SIGHUP with a broken config: refused, the old one stays.
echo 'service "bad label" { ports = { "1/tcp" } }' >>"$T/ft.conf"
kill -HUP "$SPID"
await_log "keeping the old configuration" "$T/log"

# SIGHUP with a new service: its RRD appears, the others keep history.
conf 'service "ssh" { ports = { "22/tcp" } }'
kill -HUP "$SPID"
await_log "reloaded" "$T/log"
flowfile 1700000700
kill -USR1 "$SPID"
await_log "ft-20231114-222500Z: 2 flows" "$T/log"
[ -f "$T/rrd/service_ssh_src.rrd" ]
rrdtool fetch "$T/rrd/total.rrd" AVERAGE -r 300 -s 1700000100 -e 1700001000 >"$T/fetch"
# in_bytes 3000 per file in all three intervals.
[ "$(grep -c '1.0000000000e+01' "$T/fetch")" -eq 3 ]
rrdtool fetch "$T/rrd/service_ssh_src.rrd" AVERAGE -r 300 -s 1700000700 -e 1700001000 | grep -q '^1700001000: 0.0000000000e+00 2.0000000000e+00'

kill -TERM "$SPID"
wait "$SPID"
SPID=
grep -q "exiting" "$T/log"
[ ! -e "$T/scanner.pid" ]
echo "daemon test passed"
