#!/usr/bin/env bash
# Sensor vs softflowd, side by side in the same run: both read the same
# generated 1 M-packet capture (Ethernet, 96-byte snaplen, many flows) and
# export NetFlow v9 to a local UDP sink. Reports the median over RUNS of
# packets/s, CPU seconds and peak memory (max RSS), the ratios, the share
# of flows whose bytes equal the pcap's IP bytes, and peak memory under
# floods of distinct flows bounded by -m. Prints a Markdown section.
#
# usage: bench/sensor_bench.sh [BUILDDIR]
# env:   PACKETS (1000000) FLOWS (50000) RUNS (5) MAXFLOWS (65536)
#        FLOOD ("100000 1000000") FLOODMAX (8192)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$SRC/build/bench}
PACKETS=${PACKETS:-1000000}
FLOWS=${FLOWS:-50000}
RUNS=${RUNS:-5}
MAXFLOWS=${MAXFLOWS:-65536}
FLOOD=${FLOOD:-100000 1000000}
FLOODMAX=${FLOODMAX:-8192}

if [ ! -x "$B/sensor/flowtally-sensor" ] || [ ! -x "$B/bench/sensor_sink" ]; then
	cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$B" -j2 --target flowtally-sensor sensor_sink >/dev/null
fi
SENSOR=$B/sensor/flowtally-sensor
SINK=$B/bench/sensor_sink
W=$(mktemp -d /tmp/ft-sensor-bench.XXXXXX)
SINK_PID=
cleanup() {
	[ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
printf 'sensor {\n\tuser = ""\n}\n' >"$W/sensor.conf"

start_sink() { # extra args
	rm -f "$W/port"
	"$SINK" -P "$W/port" "$@" 2>/dev/null &
	SINK_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ -s "$W/port" ] && break
		sleep 0.05
	done
	PORT=$(cat "$W/port")
}
stop_sink() {
	sleep 0.5 # let the sink drain its queue (not timed)
	kill "$SINK_PID"
	wait "$SINK_PID" 2>/dev/null || true
	SINK_PID=
}

# run NAME FILE MAXFLOWS: one timed run; appends "wall user sys maxrss_kb".
run() {
	local name=$1 file=$2 max=$3 t0 t1
	t0=$(date +%s.%N)
	local m=()
	[ "$max" = default ] || m=(-m "$max")
	if [ "$name" = ours ]; then
		/usr/bin/time -f '%U %S %M' -o "$W/time" "$SENSOR" \
		    -f "$W/sensor.conf" -r "$file" -n "127.0.0.1:$PORT" -v 9 \
		    "${m[@]}" 2>/dev/null
	else
		/usr/bin/time -f '%U %S %M' -o "$W/time" softflowd -r "$file" \
		    -n "127.0.0.1:$PORT" -c none -d -v 9 "${m[@]}" \
		    >/dev/null 2>&1
	fi
	t1=$(date +%s.%N)
	echo "$(calc "%.3f" "$t1 - $t0") $(tail -1 "$W/time")" >>"$W/$name.$4"
}

calc() { # FORMAT EXPRESSION
	awk "BEGIN { printf \"$1\", $2 }"
}

median() { # FILE COLUMN
	awk -v c="$2" '{print $c}' "$1" | sort -g |
	    awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

echo "generating $PACKETS packets over $FLOWS flows..." >&2
python3 "$SRC/tests/sensor/pcapgen.py" bench "$W/bench.pcap" "$PACKETS" "$FLOWS"
python3 "$SRC/tests/sensor/pcapcount.py" "$W/bench.pcap" >"$W/oracle"

start_sink
for ((r = 0; r < RUNS; r++)); do
	echo "run $((r + 1))/$RUNS" >&2
	run ours "$W/bench.pcap" "$MAXFLOWS" main
	run softflowd "$W/bench.pcap" "$MAXFLOWS" main
	run ours "$W/bench.pcap" default def
	run softflowd "$W/bench.pcap" default def
done
stop_sink

# Exactness: one more run each into a decoding sink.
exact() { # NAME
	start_sink -o "$W/$1.flows"
	run "$1" "$W/bench.pcap" "$MAXFLOWS" exact
	stop_sink
	{ python3 "$SRC/tests/sensor/flowcmp.py" exact "$W/oracle" \
	    "$W/$1.flows" || true; } | tail -1 | awk '{k = $2; d = $(NF - 1); printf "%.1f", 100 * (k - d) / k}'
}
ex_ours=$(exact ours)
ex_sf=$(exact softflowd)

# Flood: every packet a new flow, table bounded by FLOODMAX.
flood_rows=
start_sink
for n in $FLOOD; do
	echo "flood $n" >&2
	python3 "$SRC/tests/sensor/pcapgen.py" flood "$W/flood.pcap" "$n"
	rm -f "$W/ours.flood" "$W/softflowd.flood"
	run ours "$W/flood.pcap" "$FLOODMAX" flood
	run softflowd "$W/flood.pcap" "$FLOODMAX" flood
	flood_rows+="| $n | $(awk '{printf "%.1f", $4 / 1024}' "$W/ours.flood") MB | $(awk '{printf "%.1f", $4 / 1024}' "$W/softflowd.flood") MB |
"
done
stop_sink

cpu_median() { awk '{print $2 + $3}' "$1" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for p in ours softflowd; do
	eval "${p}_wall=$(median "$W/$p.main" 1)"
	eval "${p}_cpu=$(cpu_median "$W/$p.main")"
	eval "${p}_rss=$(median "$W/$p.main" 4)"
	eval "${p}_dwall=$(median "$W/$p.def" 1)"
	eval "${p}_dcpu=$(cpu_median "$W/$p.def")"
	eval "${p}_drss=$(median "$W/$p.def" 4)"
done
rate() { calc %.2f "$PACKETS / $1 / 1000000"; }
ratio() { calc %.1f "$1 / $2"; }
mb() { calc %.1f "$1 / 1024"; }
cat <<MD
## Sensor vs softflowd

\`bench/sensor_bench.sh\` (Release build), $(date -u +%Y-%m-%d). Machine:
$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores (shared with
other builds: expect noise). Input: $PACKETS packets over $FLOWS flows,
Ethernet, 96-byte snaplen (\`tests/sensor/pcapgen.py bench\`), read with
\`-r\` and exported as NetFlow v9 to a local UDP sink, both with
\`-m $MAXFLOWS\`; softflowd 1.1.0 with \`-c none -d\`. Median of $RUNS runs.

| | flowtally-sensor | softflowd | ratio |
|---|---|---|---|
| packets/s (wall) | $(rate "$ours_wall") M | $(rate "$softflowd_wall") M | $(ratio "$softflowd_wall" "$ours_wall")x |
| packets per CPU-second | $(rate "$ours_cpu") M | $(rate "$softflowd_cpu") M | $(ratio "$softflowd_cpu" "$ours_cpu")x |
| CPU seconds | $ours_cpu | $softflowd_cpu | |
| peak memory (max RSS) | $(mb "$ours_rss") MB | $(mb "$softflowd_rss") MB | $(calc %.2f "$ours_rss / $softflowd_rss") |
| 5-tuples with exact bytes | $ex_ours % | $ex_sf % | |

The same with each program's default table size (ours 65536 flows,
softflowd 8192, which must expire flows early here):

| | flowtally-sensor | softflowd | ratio |
|---|---|---|---|
| packets/s (wall) | $(rate "$ours_dwall") M | $(rate "$softflowd_dwall") M | $(ratio "$softflowd_dwall" "$ours_dwall")x |
| packets per CPU-second | $(rate "$ours_dcpu") M | $(rate "$softflowd_dcpu") M | $(ratio "$softflowd_dcpu" "$ours_dcpu")x |
| peak memory (max RSS) | $(mb "$ours_drss") MB | $(mb "$softflowd_drss") MB | $(calc %.2f "$ours_drss / $softflowd_drss") |

Flood of distinct flows (one packet each), table bounded by \`-m $FLOODMAX\`,
peak memory:

| packets | flowtally-sensor | softflowd |
|---|---|---|
$flood_rows
MD
