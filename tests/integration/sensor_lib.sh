# Shared helpers for the sensor's integration tests (sourced, not run).
# Needs FT_BUILDDIR and FT_SRCDIR; sets SENSOR, SINK, GEN, COUNT, CMP, TMP.
set -euo pipefail
SENSOR=$FT_BUILDDIR/sensor/flowtally-sensor
SINK=$FT_BUILDDIR/bench/sensor_sink
GEN="python3 $FT_SRCDIR/tests/sensor/pcapgen.py"
COUNT="python3 $FT_SRCDIR/tests/sensor/pcapcount.py"
CMP="python3 $FT_SRCDIR/tests/sensor/flowcmp.py"
TMP=$(mktemp -d /tmp/ft-sensor-test.XXXXXX)
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 20; i++)); do
		if "$@" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out waiting for $what"
}

# A UDP port on 127.0.0.1 nothing listens on now.
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if ! awk -v h=":$(printf '%04X' $p)" '$2 ~ h"$" {f = 1} END {exit !f}' \
		    /proc/net/udp /proc/net/udp6; then
			echo "$p"
			return 0
		fi
	done
	fail "no free UDP port"
}

# udp_queue_empty PORT: nothing waiting in the receive queue of PORT.
udp_queue_empty() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" '$2 ~ p"$" { split($5, q, ":"); if (q[2] != "00000000") bad = 1 } END { exit bad }' /proc/net/udp
}

# file_has FILE VALUE: FILE's first line is VALUE.
file_has() {
	[ -f "$1" ] && [ "$(head -1 "$1")" = "$2" ]
}

# stat_of FILE NAME: a "name value" statistic printed by the sensor.
stat_of() {
	awk -v n="$2" '$1 == n || $2 == n { print $NF; exit }' "$1" |
	    tr -d '\r'
}

# start_sink DIR: a sensor_sink writing into DIR; sets SINK_PORT.
start_sink() {
	local d=$1
	mkdir -p "$d"
	"$SINK" -P "$d/port" -o "$d/flows" -w "$d/dgrams.pcap" -c "$d/count" \
	    2>"$d/sink.log" &
	PIDS+=($!)
	SINK_PID=$!
	wait_for "sink port" 10 test -s "$d/port"
	SINK_PORT=$(cat "$d/port")
}

# start_nfcapd DIR: nfcapd writing into DIR; sets NFC_PORT, NFC_PID.
start_nfcapd() {
	local d=$1
	mkdir -p "$d/files"
	NFC_PORT=$(free_port)
	nfcapd -b 127.0.0.1 -p "$NFC_PORT" -w "$d/files" -B 8000000 \
	    >"$d/nfcapd.log" 2>&1 &
	PIDS+=($!)
	NFC_PID=$!
	wait_for "nfcapd startup" 10 grep -q Startup "$d/nfcapd.log"
}

# stop_after DATAGRAMS DIR: wait until the sink saw them and nfcapd's queue
# drained, then stop both.
stop_after() {
	local n=$1 d=$2
	wait_for "sink to receive $n datagrams" 20 file_has "$d/count" "$n"
	kill "$SINK_PID"
	wait "$SINK_PID" || true
	if [ -n "${NFC_PID:-}" ]; then
		wait_for "nfcapd queue to drain" 20 udp_queue_empty "$NFC_PORT"
		kill "$NFC_PID"
		wait "$NFC_PID" || true
	fi
}
