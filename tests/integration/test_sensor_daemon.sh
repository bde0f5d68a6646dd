#!/usr/bin/env bash
# flowtally-sensor as a daemon on the loopback interface: BPF filter,
# pidfile, control socket (stats, dump, expire-all, unknown command, the
# -c client), SIGTERM exporting every active flow, ctl shutdown, and
# 1-in-N sampling announced to the collector.
. "$FT_SRCDIR/tests/integration/sensor_lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: live capture needs root"; exit 0; }

printf 'sensor {\n\tuser = ""\n\tpromisc = false\n}\n' >"$TMP/sensor.conf"
"$SENSOR" -f "$TMP/sensor.conf" -C -i lo -n 127.0.0.1:9 >/dev/null ||
    fail "-C rejected a good configuration"
printf 'sensor {\n\tversion = 7\n}\n' >"$TMP/bad.conf"
if "$SENSOR" -f "$TMP/bad.conf" -i lo -n 127.0.0.1:9 2>"$TMP/bad.err"; then
	fail "version 7 accepted"
fi
grep -q 'sensor.version' "$TMP/bad.err" || fail "bad config not named: $(cat "$TMP/bad.err")"

# A plain UDP receiver as the target of the metered traffic, so no ICMP
# port-unreachable interferes; sets TP.
start_target() {
	mkdir -p "$1"
	"$SINK" -P "$1/port" 2>/dev/null &
	PIDS+=($!)
	await "target port" 10 test -s "$1/port"
	TP=$(cat "$1/port")
}

# send_udp PORT COUNT: COUNT datagrams of 100 bytes from one socket.
send_udp() {
	local i
	exec 7>/dev/udp/127.0.0.1/"$1"
	for ((i = 0; i < $2; i++)); do
		printf '%0100d' 0 >&7
	done
	exec 7>&-
}

run_live() { # DIR TARGETPORT EXTRA-ARGS...
	local d=$1 tp=$2
	shift 2
	start_sink "$d"
	"$SENSOR" -f "$TMP/sensor.conf" -d -i lo -v 9 -p "$d/pid" \
	    -c "$d/ctl" -n "127.0.0.1:$SINK_PORT" "$@" "udp dst port $tp" \
	    2>"$d/sensor.log" &
	SENSOR_PID=$!
	PIDS+=($SENSOR_PID)
	await "sensor pidfile" 20 test -s "$d/pid"
	await "control socket" 20 test -S "$d/ctl"
	await "sensor log" 20 grep -q started "$d/sensor.log"
}

ctl() { # DIR CMD
	"$SENSOR" -c "$1/ctl" "$2"
}

active_is() { # DIR N
	[ "$(ctl "$1" stats | stat_of /dev/stdin flows_active)" = "$2" ]
}

# 1. Stats, dump, expire-all, then SIGTERM exports the rest.
d=$TMP/live
start_target "$TMP/target1"
run_live "$d" "$TP"
[ "$(cat "$d/pid")" = "$SENSOR_PID" ] || fail "pidfile holds $(cat "$d/pid")"
send_udp "$TP" 5
await "5 packets counted" 20 active_is "$d" 1
ctl "$d" stats >"$d/stats1"
[ "$(stat_of "$d/stats1" packets)" = 5 ] || fail "stats: $(cat "$d/stats1")"
[ "$(stat_of "$d/stats1" bytes)" = $((5 * 128)) ] ||
    fail "bytes not the IP length: $(stat_of "$d/stats1" bytes)"
grep -q '^pcap_dropped ' "$d/stats1" || fail "no pcap drop counter"
ctl "$d" dump >"$d/dump"
grep -q "127.0.0.1 .* 127.0.0.1 $TP proto 17 .*packets 5 bytes 640" \
    "$d/dump" || fail "dump: $(cat "$d/dump")"
ctl "$d" bogus >"$d/bogus"
grep -q 'unknown command' "$d/bogus" || fail "bogus command: $(cat "$d/bogus")"
ctl "$d" expire-all | grep -q 'expired 1' || fail "expire-all"
await "the expired flow at the sink" 20 file_has "$d/count" 1
send_udp "$TP" 3
await "3 more packets" 20 active_is "$d" 1
kill -TERM "$SENSOR_PID"
wait "$SENSOR_PID" || fail "sensor exited $? on SIGTERM"
[ ! -e "$d/pid" ] || fail "pidfile left behind"
[ ! -e "$d/ctl" ] || fail "control socket left behind"
await "the last flow at the sink" 20 \
    awk '{p += $6} END {exit p != 8}' "$d/flows"
kill "$SINK_PID"

# 2. ctl shutdown, with 1-in-2 sampling announced.
d=$TMP/sampled
start_target "$TMP/target2"
run_live "$d" "$TP" -s 2
send_udp "$TP" 10
await "sampled packets" 20 active_is "$d" 1
ctl "$d" shutdown | grep -q 'shutting down' || fail "shutdown"
wait "$SENSOR_PID" || fail "sensor exited $? on shutdown"
await "the sampled flow" 20 awk '{p += $6} END {exit p != 5}' "$d/flows"
awk '$6 > 0 && $11 != 2 {exit 1}' "$d/flows" ||
    fail "sampling not announced: $(cat "$d/flows")"
kill "$SINK_PID"

# 3. Privilege drop: as "nobody", files in a root-only directory are still
# read (opened before the drop) and exported.
if id nobody >/dev/null 2>&1; then
	d=$TMP/drop
	mkdir -p "$d/in"
	chmod 700 "$d/in"
	$GEN links "$d/in"
	printf 'sensor {\n\tuser = "nobody"\n}\n' >"$TMP/nobody.conf"
	start_sink "$d"
	"$SENSOR" -f "$TMP/nobody.conf" -r "$d/in/link_sll.pcap" \
	    -n "127.0.0.1:$SINK_PORT" -v 10 2>"$d/sensor.log" ||
	    fail "as nobody: $(cat "$d/sensor.log")"
	n=$(stat_of "$d/sensor.log" datagrams)
	await "flows from the nobody run" 20 file_has "$d/count" "$n"
	[ "$(awk '{p += $6} END {print p}' "$d/flows")" = 12 ] ||
	    fail "as nobody: $(cat "$d/flows")"
	kill "$SINK_PID"
fi
echo PASS
