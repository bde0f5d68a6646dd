#!/usr/bin/env bash
# Export-time binning with a grace window (late_grace): two exporters drift
# apart (one replays fast, one lags an interval behind). While the fast one
# is in the next interval, the previous interval's file stays open and the
# lagging exporter's flows go into it, not counted late. When a still later
# interval arrives the previous file is published (oldest first) and data
# for it is late from then on; at the end of the window (arrival time) it
# is published too. Files hold exactly the flows of their intervals.
. "$(dirname "$0")/collector_lib.sh"

T0=1700000100 # a 60 s boundary in the past
name() { date -u -d "@$1" +ft-%Y%m%d-%H%M%SZ; }
file_of() { find "$OUT" -name "$(name "$1")" -print -quit 2>/dev/null; }
has_file() { [ -n "$(file_of "$1")" ]; }
send() { # DOMAIN START_S STEP_MS COUNT
	"$SEND" -v 9 -D "$1" -T "$2" -I "$3" -c "$4" -p 1 "127.0.0.1:$PORT" >/dev/null
}
late() { stat_field collector late_flows; }

start_collector 'late_grace = "30"' -t 60 --export-time
grep -q "previous interval stays open 30s" "$T/log" || fail "grace not logged"
# Fast exporter: 100 s of export time, one flow a second: 60 flows in T0,
# 40 in T0+60. The lagging one: 100 flows all within T0.
send 1 $T0 1000 100
send 2 $T0 500 100
wait_packets 200
[ "$(late)" = 0 ] || fail "lagging exporter counted late: $(late)"
[ -z "$(file_of $T0)" ] || fail "T0 published before its grace ended"
[ "$(stat_field collector grace_start)" = $T0 ] ||
	fail "stats grace_start $(stat_field collector grace_start), want $T0"

# A third exporter in T0+120: T0 is published now, T0+60 is the grace file.
send 3 $((T0 + 130)) 1000 10
wait_for 10 has_file $T0 || fail "T0 not published"
[ "$(records "$(file_of $T0)")" = 160 ] ||
	fail "T0 holds $(records "$(file_of $T0)") flows, want 160"
# T0 is closed: its data is late now, into the oldest open file (T0+60).
send 4 $T0 1000 10
wait_packets 220
[ "$(late)" = 10 ] || fail "late_flows $(late), want 10"
stop_collector
f1=$(file_of $((T0 + 60)))
f2=$(file_of $((T0 + 120)))
[ -n "$f1" ] && [ -n "$f2" ] || fail "files missing: $(find "$OUT" -type f)"
[ "$(records "$f1")" = 50 ] || fail "T0+60 holds $(records "$f1"), want 50"
[ "$(records "$f2")" = 10 ] || fail "T0+120 holds $(records "$f2"), want 10"
# Published oldest first: T0+60 renamed before T0+120 (the scanner's order).
[ "$(stat -c %.9Z "$f1")" \< "$(stat -c %.9Z "$f2")" ] ||
	[ "$(stat -c %.9Z "$f1")" = "$(stat -c %.9Z "$f2")" ] ||
	fail "T0+120 was published before T0+60"
[ -z "$(find "$OUT" -name '.ft-inprogress*')" ] || fail "in-progress left"

# The window ends by arrival time: with 1 s, T0 is published on its own
# while T0+60 stays open, and the lagging exporter is late after it.
rm -rf "$OUT"
start_collector 'late_grace = "1s"' -t 60 --export-time
send 1 $T0 1000 100
wait_for 10 has_file $T0 || fail "grace window did not end"
[ -z "$(file_of $((T0 + 60)))" ] || fail "current file published early"
send 2 $T0 500 100
wait_packets 200
[ "$(late)" = 100 ] || fail "after the window: late_flows $(late), want 100"
stop_collector
[ "$(records "$(file_of $T0)")" = 60 ] || fail "T0: $(records "$(file_of $T0)")"
[ "$(records "$(file_of $((T0 + 60)))")" = 140 ] ||
	fail "T0+60: $(records "$(file_of $((T0 + 60)))")"
echo PASS
