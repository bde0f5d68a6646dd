#!/usr/bin/env bash
# Scanner benchmarks, side by side with nfdump on the same flows, and RRD
# writing against librrd's own update loop and rrdcached one update per
# call. Usage: bench/scanner.sh [BUILD_DIR]  (a Release build; default
# build/rel). Prints a Markdown report on stdout. SECTIONS (default
# "classify nfdump hosts rrd") picks parts; RRDs are written on tmpfs (/dev/shm)
# so that the CPU cost of librrd, not a shared disk, is measured.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/rel}
SB="$B/bench/scanner_bench"
T=$(mktemp -d /tmp/ft-scanbench.XXXXXX)
NFPID=
RCPID=
cleanup() {
	[ -n "$NFPID" ] && kill "$NFPID" 2>/dev/null
	[ -n "$RCPID" ] && kill "$RCPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

med() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

echo "Machine: $(lscpu | sed -n 's/Model name: *//p' | head -1), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo

SECTIONS=${SECTIONS:-classify nfdump hosts rrd}
has() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
RT=$(mktemp -d /dev/shm/ft-scanbench.XXXXXX)
trap 'cleanup; rm -rf "$RT"' EXIT

# --- classification vs flows per file (100 objects + scoreboard) ---------
"$SB" conf "$T/c100.conf" 100 "$T/board" 10
"$SB" conf "$T/c100n.conf" 100 "$T/board" 0
if has classify; then
echo "### Classification, 50 networks + 50 services + 10 routers (20 interfaces)"
echo
echo "| flows/file | classify only, M flows/s | + scoreboard hosts, M flows/s | read + classify + hosts, M flows/s | read only, M flows/s | ranking + pages, s |"
echo "|---|---|---|---|---|---|"
for n in 1000 10000 100000 1000000 10000000; do
	mkdir -p "$T/f$n"
	f=$("$SB" gen "$T/f$n" "$n")
	runs=5
	[ "$n" -ge 10000000 ] && runs=1
	a=$("$SB" classify "$T/c100n.conf" "$f" $runs)
	b=$("$SB" classify "$T/c100.conf" "$f" $runs)
	echo "| $n | $(echo "$a" | field classify_mps) | $(echo "$b" | field classify_mps) | $(echo "$b" | field read_classify_mps) | $(echo "$a" | field read_mps) | $(echo "$b" | field board_s) |"
	[ "$n" -ne 1000000 ] && [ "$n" -ne 10000000 ] && rm -rf "$T/f$n"
	[ "$n" -eq 10000000 ] && rm -rf "$T/f$n"
done
# The same 1 M flows compressed as the collector writes them: LZ4 (its
# default) and zstd at level -1.
for cz in lz4 zstd; do
	mkdir -p "$T/z1m"
	fz=$("$SB" gen "$T/z1m" 1000000 0 "$cz")
	a=$("$SB" classify "$T/c100n.conf" "$fz" 5)
	b=$("$SB" classify "$T/c100.conf" "$fz" 5)
	echo "| 1000000, $cz file | $(echo "$a" | field classify_mps) | $(echo "$b" | field classify_mps) | $(echo "$b" | field read_classify_mps) | $(echo "$a" | field read_mps) | $(echo "$b" | field board_s) |"
	rm -rf "$T/z1m"
done
echo
echo "### Classification vs configured objects (1 M flows, no scoreboard)"
echo
echo "| objects (networks + services) | counter rows (RRDs) | classify only, M flows/s | read + classify, M flows/s |"
echo "|---|---|---|---|"
f1m=$(ls "$T"/f1000000/ft-*)
for o in 10 100 1000 10000; do
	"$SB" conf "$T/o$o.conf" "$o" "$T/board" 0
	r=$("$SB" classify "$T/o$o.conf" "$f1m" 5)
	echo "| $o | $(echo "$r" | field rows) | $(echo "$r" | field classify_mps) | $(echo "$r" | field read_classify_mps) |"
done
echo

fi

# --- nfdump over the same flows (sent through nfcapd on loopback) --------
if has nfdump; then
if [ ! -d "$T/f1000000" ]; then
	mkdir -p "$T/f1000000"
	"$SB" gen "$T/f1000000" 1000000 >/dev/null
fi
f1m=$(ls "$T"/f1000000/ft-*)
mkdir -p "$T/nf"
port=$((20000 + RANDOM % 20000))
nfcapd -w "$T/nf" -p "$port" -b 127.0.0.1 -t 3600 >"$T/nfcapd.log" 2>&1 &
NFPID=$!
for _ in $(seq 100); do grep -q Startup "$T/nfcapd.log" && break; sleep 0.05; done
"$SB" send "$f1m" 127.0.0.1 "$port" 2000 >/dev/null
kill -TERM "$NFPID"; wait "$NFPID" || true; NFPID=
nff=$(ls "$T"/nf/nfcapd.2* | head -1)
nflows=$(nfdump -r "$nff" -I | sed -n 's/^Flows: *//p')
echo "### Side by side with nfdump 1.7.1 (same flows: $nflows of 1 M arrived through nfcapd)"
echo
echo "| tool | median CPU s | M flows per CPU-second |"
echo "|---|---|---|"
for q in "-s ip/bytes" "-s proto" "-A srcip,dstport"; do
	ts=""
	for _ in 1 2 3; do
		# CPU seconds (user + sys): the machine may be shared.
		c=$( { /usr/bin/time -f "%U %S" nfdump -r "$nff" $q -q >/dev/null; } 2>&1 | tail -1)
		ts="$ts $(echo "$c" | awk '{print $1 + $2}')"
	done
	m=$(echo $ts | tr ' ' '\n' | med)
	echo "| nfdump $q | $(printf %.3f "$m") | $(echo "$nflows / $m / 1000000" | bc -l | xargs printf %.2f) |"
done
r=$("$SB" classify "$T/c100.conf" "$f1m" 5)
rc=$(echo "$r" | field read_classify_mps)
rn=$("$SB" classify "$T/c100n.conf" "$f1m" 5 | field read_classify_mps)
echo "| flowtally scanner (read + classify + scoreboard hosts, 1 M flows) | $(echo "1 / $rc" | bc -l | xargs printf %.3f) | $rc |"
echo "| flowtally scanner (read + classify, no scoreboard) | $(echo "1 / $rn" | bc -l | xargs printf %.3f) | $rn |"
echo "| FlowScan + CUFlow (published, ~5 k flows per CPU-second) | $(echo "1000000 / 5000" | bc) | 0.005 |"
echo
fi

if has hosts; then
# --- the scoreboard's worst case: 1 M distinct inside hosts, uniform ------
mkdir -p "$T/fu"
fu=$("$SB" gen "$T/fu" 10000000 1000000)
"$SB" conf "$T/cu.conf" 100 "$T/board" 10 2000000
echo "### Scoreboard with 1 M distinct inside hosts (10 M flows in one file, hosts uniform)"
echo
echo "| run | read + classify, ns/flow | + scoreboard host table, ns/flow | ranking + pages, ns/flow | scoreboard share of classification |"
echo "|---|---|---|---|---|"
for run in 1 2 3; do
	a=$("$SB" classify "$T/c100n.conf" "$fu" 1)
	b=$("$SB" classify "$T/cu.conf" "$fu" 1)
	na=$(echo "1000 / $(echo "$a" | field read_classify_mps)" | bc -l)
	nb=$(echo "1000 / $(echo "$b" | field read_classify_mps)" | bc -l)
	rk=$(echo "$(echo "$b" | field board_s) * 100" | bc -l)
	echo "| $run | $(printf %.1f "$na") | $(printf %.1f "$nb") | $(printf %.1f "$rk") | $(echo "($nb - $na + $rk) / $na" | bc -l | xargs printf %.2f) |"
done
rm -rf "$T/fu"
echo
fi

if has rrd; then
# --- RRD writing ---------------------------------------------------------
echo "### RRD writing, 10,000 RRDs per interval (6 DS, CUFlow's archives)"
echo
echo "| path | baseline (one call per RRD), RRDs/s | flowtally rrdout, RRDs/s | flowtally after restart (state unknown), RRDs/s |"
echo "|---|---|---|---|"
mkdir -p "$RT/rrd"
r=$("$SB" rrd "$RT/rrd" 10000 3)
echo "| librrd direct (baseline rrd_update_r; ours: forked writer) | $(echo "$r" | field baseline_per_s) | $(echo "$r" | field ours_per_s) | $(echo "$r" | field ours_after_restart_per_s) |"
rm -rf "$RT/rrd"; mkdir -p "$RT/rrdc"
rrdcached -g -l "unix:$RT/rc.sock" -b "$RT/rrdc" -B -p "$RT/rc.pid" -w 3600 -f 7200 >"$T/rc.log" 2>&1 &
RCPID=$!
for _ in $(seq 100); do [ -S "$RT/rc.sock" ] && break; sleep 0.05; done
r=$("$SB" rrd "$RT/rrdc" 10000 3 "unix:$RT/rc.sock")
echo "| rrdcached (baseline rrdc_update per RRD; ours: one BATCH) | $(echo "$r" | field baseline_per_s) | $(echo "$r" | field ours_per_s) | $(echo "$r" | field ours_after_restart_per_s) |"
kill "$RCPID"; wait "$RCPID" || true; RCPID=
fi
