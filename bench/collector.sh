#!/usr/bin/env bash
# Collector vs nfcapd, side by side in the same run, on loopback, with the
# deterministic sender bench/ft-nfsend (built with the project; it replays
# pre-encoded datagrams with sendmmsg, so it is not the limit):
#   1. the sender's own limit (flows/s with no pacing);
#   2. per version (v5, v9, IPFIX) and per collector, the highest paced rate
#      received with zero loss over TRIAL seconds (binary search on a log
#      scale between LO and the sender's limit, STEPS steps: about 7 %
#      resolution with 6; "limit" when never lossy);
#   3. the target check: ours at TARGET_X (2) times nfcapd's zero-loss rate,
#      CHECKS trials, each must lose nothing (a lossy trial prints where:
#      the kernel's socket buffer or our ring);
#   4. CPU seconds per million flows at RATE flows/s (the run time of all
#      the process's threads from /proc/PID/task/*/schedstat, in ns, over
#      CPU_FLOWS flows; the collectors in turn, RUNS rounds) with
#      compression on (ours: LZ4, the default; nfcapd: -z LZO, its usual
#      choice), and for reference ours with zstd (level -1) and without
#      compression, nfcapd with -y LZ4; and peak memory (VmHWM);
#   5. the ratios, ours / nfcapd (CPU_WHO picks a subset of the five).
# Each CPU figure is the median of RUNS runs. Bounded: about 8 minutes.
# Usage: bench/collector.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/release}
COLLECTOR=$B/collector/flowtally-collector
SEND=$B/bench/ft-nfsend
TRIAL=${TRIAL:-3}
RATE=${RATE:-100000}
CPU_FLOWS=${CPU_FLOWS:-500000}
RUNS=${RUNS:-3}
SEARCH_RUNS=${SEARCH_RUNS:-1}
STEPS=${STEPS:-6}
CHECKS=${CHECKS:-3}
TARGET_X=${TARGET_X:-2}
# Both collectors get the same socket buffer, small enough that a trial
# measures sustained throughput rather than buffering.
RCVBUF=${RCVBUF:-4194304}
LO=${LO:-100000}
VERSIONS=${VERSIONS:-"5 9 10"}
CPU_WHO=${CPU_WHO:-"ours ours-zstd ours-none nfcapd nfcapd-lz4"}
PY=/usr/bin/python3

[ -x "$COLLECTOR" ] && [ -x "$SEND" ] || {
	echo "build first: scripts/build.sh" >&2
	exit 1
}
T=$(mktemp -d /tmp/ft-bench-coll.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

free_port() {
	$PY -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@" 2>/dev/null; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.05
	done
}
# Run time of every thread of process $1, ns (exact, unlike the 10 ms
# ticks of /proc/PID/stat).
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%d\n", s }'; }
hwm_kb() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { echo "$1" | sed "s/.* $2=\([0-9.]*\).*/\1/"; }

# --- collectors: start, count flows received, stop -------------------------
start_ours() { # [compress]
	mkdir -p "$T/st"
	cat >"$T/c.conf" <<CONF
collector {
	state_dir = "$T/st"
	pidfile = ""
	compress = "${1:-lz4}"
	rcvbuf = $RCVBUF
}
CONF
	rm -rf "$T/out" "$T/st/stats"
	"$COLLECTOR" -d -f "$T/c.conf" -l 127.0.0.1:0 -w "$T/out" >"$T/ours.log" 2>&1 &
	CPID=$!
	PIDS+=("$CPID")
	wait_for 10 test -s "$T/st/stats"
	CPORT=$(awk '$1 == "listen" { for (i = 2; i <= NF; i++) if ($i ~ /^port=/) { sub("port=", "", $i); print $i; exit } }' "$T/st/stats")
}
ours_flows() {
	rm -f "$T/st/stats"
	kill -USR1 "$CPID"
	wait_for 10 test -s "$T/st/stats"
	awk '$1 == "collector" { for (i = 2; i <= NF; i++) if ($i ~ /^flows=/) { sub("flows=", "", $i); print $i } }' "$T/st/stats"
}
# Wait until the count stops moving (the queue is drained).
ours_settle() {
	local a b
	a=$(ours_flows)
	while sleep 0.3; b=$(ours_flows); [ "$a" != "$b" ]; do a=$b; done
	echo "$b"
}
start_nfcapd() { # [compression flag]
	rm -rf "$T/nf"
	mkdir -p "$T/nf"
	CPORT=$(free_port)
	nfcapd -b 127.0.0.1 -p "$CPORT" -w "$T/nf" -t 60 "${1:--z}" -B "$RCVBUF" \
	    >"$T/nf.log" 2>&1 &
	CPID=$!
	PIDS+=("$CPID")
	wait_for 10 grep -q Startup "$T/nf.log"
}
# nfcapd prints each file's totals when it closes it ("Ident: 'none'
# Flows: N, ..."): at every rotation (-t 60, which a trial may cross) and
# at exit. The flows received are the sum over all of them.
stop_nfcapd_flows() {
	sleep 0.5
	kill -TERM "$CPID"
	wait "$CPID" 2>/dev/null || true
	sed -n "s/.*Flows: \([0-9]*\),.*/\1/p" "$T/nf.log" |
	    awk '{ s += $1 } END { print s + 0 }'
}
stop_ours() {
	kill -TERM "$CPID"
	wait "$CPID" 2>/dev/null || true
}

# --- one trial: send at rate for TRIAL s, return the flows lost --------------
trial() { # who version rate
	local who=$1 v=$2 r=$3 out sent got before=0
	local count=$((r * TRIAL))
	if [ "$who" = ours ]; then
		start_ours
	else
		start_nfcapd
	fi
	out=$("$SEND" -v "$v" -c "$count" -r "$r" -s 7 "127.0.0.1:$CPORT")
	sent=$(field "$out" flows)
	if [ "$who" = ours ]; then
		got=$(ours_settle)
		# where the losses were, for the target check's line
		awk '$1 == "collector" { for (i = 2; i <= NF; i++) if ($i ~ /^(kernel|ring)_drops=/) printf "%s ", $i }' \
		    "$T/st/stats" >"$T/drops"
		stop_ours
	else
		got=$(stop_nfcapd_flows)
	fi
	echo $((sent - got))
}

# highest zero-loss rate by binary search over [LO, limit], log scale
search() { # who version limit
	local who=$1 v=$2 hi=$3 lo=$LO mid i lost
	lost=$(trial "$who" "$v" "$hi")
	if [ "$lost" = 0 ]; then
		echo "$hi limit"
		return
	fi
	lost=$(trial "$who" "$v" "$lo")
	if [ "$lost" != 0 ]; then
		echo "<$lo lossy"
		return
	fi
	for ((i = 0; i < STEPS; i++)); do
		mid=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%d", sqrt(a * b) }')
		lost=$(trial "$who" "$v" "$mid")
		if [ "$lost" = 0 ]; then lo=$mid; else hi=$mid; fi
	done
	echo "$lo search"
}

# CPU seconds per million flows and peak memory at RATE
cpu_run() { # who version
	local who=$1 v=$2 t0 t1 out
	case $who in
	ours) start_ours ;;
	ours-zstd) start_ours zstd ;;
	ours-none) start_ours none ;;
	nfcapd-lz4) start_nfcapd -y ;;
	*) start_nfcapd ;;
	esac
	t0=$(cpu_ns "$CPID")
	out=$("$SEND" -v "$v" -c "$CPU_FLOWS" -r "$RATE" -s 9 "127.0.0.1:$CPORT")
	case $who in
	ours*) ours_settle >/dev/null ;;
	*) sleep 0.5 ;;
	esac
	t1=$(cpu_ns "$CPID")
	hwm=$(hwm_kb "$CPID")
	case $who in
	ours*) stop_ours ;;
	*) stop_nfcapd_flows >/dev/null ;;
	esac
	awk -v d=$((t1 - t0)) -v n="$CPU_FLOWS" -v h="$hwm" \
	    'BEGIN { printf "%.3f %d\n", d / 1e9 / (n / 1e6), h }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "trial ${TRIAL}s, rcvbuf ${RCVBUF}, search ${STEPS} steps (log scale), ${RUNS} runs (median), CPU at ${RATE} flows/s over ${CPU_FLOWS} flows"
for v in $VERSIONS; do
	if [ -z "${CPU_ONLY:-}" ]; then
	lims=()
	for ((k = 0; k < RUNS; k++)); do
		# the sender's limit: unpaced, into our collector
		start_ours
		out=$("$SEND" -v "$v" -c 3000000 -s 7 "127.0.0.1:$CPORT")
		stop_ours
		lims+=("$(awk -v f="$(field "$out" flows)" -v s="$(field "$out" seconds)" 'BEGIN { printf "%d", f / s }')")
	done
	limit=$(printf '%s\n' "${lims[@]}" | median)
	echo "v$v sender limit: $limit flows/s (runs: ${lims[*]})"
	declare -A zl=()
	for who in nfcapd ours; do
		rates=()
		kinds=()
		for ((k = 0; k < SEARCH_RUNS; k++)); do
			read -r rr kind <<<"$(search "$who" "$v" "$limit")"
			rates+=("${rr#<}")
			kinds+=("$kind")
		done
		zl[$who]=$(printf '%s\n' "${rates[@]}" | median)
		echo "v$v $who: zero-loss ${zl[$who]} flows/s (${kinds[*]})"
	done
	echo "v$v zero-loss ratio ours/nfcapd: $(ratio "${zl[ours]}" "${zl[nfcapd]}"); sender limit / nfcapd: $(ratio "$limit" "${zl[nfcapd]}")"
	target=$((TARGET_X * zl[nfcapd]))
	if [ "$target" -gt "$limit" ]; then
		echo "v$v target ${TARGET_X}x nfcapd = $target flows/s is above the sender limit: checking at the limit"
		target=$limit
	fi
	losses=()
	for ((k = 0; k < CHECKS; k++)); do
		losses+=("$(trial ours "$v" "$target")")
		[ "${losses[-1]}" = 0 ] || echo "v$v target check trial $((k + 1)): datagrams dropped: $(cat "$T/drops")"
	done
	ok=pass
	for x in "${losses[@]}"; do [ "$x" = 0 ] || ok=FAIL; done
	echo "v$v target check: ours at $target flows/s, flows lost per trial: ${losses[*]} -> $ok"
	fi
	# The three in turn, so drifting load falls on each alike.
	declare -A cpu=() cpus=() hwms=()
	for ((k = 0; k < RUNS; k++)); do
		for who in $CPU_WHO; do
			read -r c h <<<"$(cpu_run "$who" "$v")"
			cpus[$who]+="$c "
			hwms[$who]+="$h "
		done
	done
	for who in $CPU_WHO; do
		cpu[$who]=$(printf '%s\n' ${cpus[$who]} | median)
		echo "v$v $who: cpu ${cpu[$who]} s/Mflow (runs: ${cpus[$who]% }), VmHWM $(printf '%s\n' ${hwms[$who]} | median) kB"
	done
	echo "v$v cpu ratio ours/nfcapd: $(ratio "${cpu[ours]:-0}" "${cpu[nfcapd]:-0}") compressed (LZ4 / LZO); ours zstd $(ratio "${cpu[ours-zstd]:-0}" "${cpu[nfcapd]:-0}"), ours uncompressed $(ratio "${cpu[ours-none]:-0}" "${cpu[nfcapd]:-0}"); ours LZ4 / nfcapd LZ4 $(ratio "${cpu[ours]:-0}" "${cpu[nfcapd-lz4]:-0}")"
done
