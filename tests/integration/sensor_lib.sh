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

. "$FT_SRCDIR/scripts/wait_for.sh"
. "$FT_SRCDIR/scripts/free_port.sh"

# await DESCRIPTION SECONDS COMMAND...: wait_for, failing the test on timeout.
await() {
	local what=$1
	shift
	wait_for "$@" || fail "timed out waiting for $what"
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
	await "sink port" 10 test -s "$d/port"
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
	await "nfcapd startup" 10 grep -q Startup "$d/nfcapd.log"
}

# stop_after DATAGRAMS DIR: wait until the sink saw them and nfcapd's queue
# drained, then stop both.
stop_after() {
	local n=$1 d=$2
	await "sink to receive $n datagrams" 20 file_has "$d/count" "$n"
	kill "$SINK_PID"
	wait "$SINK_PID" || true
	if [ -n "${NFC_PID:-}" ]; then
		await "nfcapd queue to drain" 20 udp_queue_empty "$NFC_PORT"
		kill "$NFC_PID"
		wait "$NFC_PID" || true
	fi
}
