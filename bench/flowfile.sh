#!/usr/bin/env bash
# Flow-file benchmark: write and read N records (default 5 M) uncompressed
# with LZ4 and with zstd, 5 runs each, medians; reads come from the page
# cache. Synthetic records first, then the demo pipeline's (or FLOWS=DIR).
# Usage: bench/flowfile.sh [builddir] [records]  (a Release build if absent)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bld=${1:-$src/build/bench}
n=${2:-5000000}
if [ ! -x "$bld/bench/bench_flowfile" ]; then
	cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$bld" -j2 --target bench_flowfile >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lscpu | grep 'Model name' || true
echo "cores: $(nproc), $(uname -sr)"
"$bld/bench/bench_flowfile" "$out" "$n" 5

# The same on traffic-shaped records: the flow files of the demo pipeline
# (scripts/demo.sh; sensors over generated traffic), or FLOWS=DIR of your
# own, repeated up to the count. Compression depends on the data more than
# anything else here.
flows=${FLOWS:-$src/demo-work/flows}
if [ -d "$flows" ]; then
	mapfile -t files < <(find "$flows" -type f -name 'ft-*' | sort)
	if [ ${#files[@]} -gt 0 ]; then
		echo "records from $flows"
		"$bld/bench/bench_flowfile" "$out" "$n" 5 "${files[@]}"
	fi
else
	echo "no $flows: run scripts/demo.sh first for the traffic-shaped records"
fi

# Side by side with nfdump 1.7 reading an nfcapd file of the same records
# (NetFlow v5 sent to nfcapd on 127.0.0.1; the same records imported from
# CSV into flow files). Both tools read every record: nfdump with a filter
# that matches nothing, flowtally-dump --stats (totals only); then both
# print every record as CSV to /dev/null. Medians of 5 runs, CPU seconds
# (user+sys) and wall seconds.
if ! command -v nfcapd >/dev/null || ! command -v nfdump >/dev/null; then
	echo "nfdump/nfcapd not installed: no peer comparison"
	exit 0
fi
pn=${PEER_RECORDS:-1000000}
base=1700000100
dump="$bld/tools/flowtally-dump"
cmake --build "$bld" -j2 --target flowtally-dump >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$out/nf" "$out/ft" "$out/ftz" "$out/ftl"
nfcapd -b 127.0.0.1 -p "$port" -w "$out/nf" -t 3600 >"$out/nfcapd.log" 2>&1 &
npid=$!
trap 'kill $npid 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 100); do
	ss -lun | grep -q "127.0.0.1:$port " && break
	sleep 0.1
done
python3 "$src/bench/flowfile_v5send.py" "$pn" "$out/in.csv" "$port" "$base"
kill -TERM $npid
wait $npid || true
nf=$(ls "$out"/nf/nfcapd.2* | head -1)
nfdump -r "$nf" -y -w "$out/nf.lz4" 2>/dev/null || nfdump -r "$nf" -z=lz4 -w "$out/nf.lz4"
nfn=$(nfdump -r "$nf" -I | awk '/^Flows:/ { print $2 }')
ft=$("$dump" --import "$out/in.csv" "$out/ft" --start @$base --end @$((base + 300)) --codec none)
ftz=$("$dump" --import "$out/in.csv" "$out/ftz" --start @$base --end @$((base + 300)) --codec zstd)
ftl=$("$dump" --import "$out/in.csv" "$out/ftl" --start @$base --end @$((base + 300)) --codec lz4)
echo "peer: $pn records sent, $nfn in the nfcapd file; nfdump $(nfdump -V | awk '{ print $NF }')"
ls -l "$nf" "$out/nf.lz4" "$ft" "$ftl" "$ftz" | awk '{ printf "  %-48s %6.1f bytes/record\n", $NF, $5 / '"$pn"' }' |
	sed "s|$out/||"

# med5 NRECORDS LABEL CMD...: run CMD 5 times, print median rates.
med5() {
	local n=$1 label=$2 res w c
	shift 2
	local TIMEFORMAT='%R %U %S'
	res=$(for _ in 1 2 3 4 5; do { time "$@" >/dev/null 2>&1; } 2>&1; done)
	w=$(echo "$res" | awk '{ print $1 }' | sort -g | sed -n 3p)
	c=$(echo "$res" | awk '{ print $2 + $3 }' | sort -g | sed -n 3p)
	awk -v n="$n" -v w="$w" -v c="$c" -v label="$label" 'BEGIN {
		printf "  %-40s %7.2f M records/s per CPU second, %7.2f M/s wall\n",
		    label, n / c / 1e6, n / w / 1e6 }'
}
"$dump" --stats "$ft" >/dev/null
nfdump -r "$nf" -q 'proto 250' >/dev/null
med5 "$nfn" "nfdump read all, uncompressed" nfdump -r "$nf" -q 'proto 250'
med5 "$pn" "flowtally-dump read all, uncompressed" "$dump" --stats "$ft"
med5 "$nfn" "nfdump read all, lz4" nfdump -r "$out/nf.lz4" -q 'proto 250'
med5 "$pn" "flowtally-dump read all, lz4" "$dump" --stats "$ftl"
med5 "$pn" "flowtally-dump read all, zstd 3" "$dump" --stats "$ftz"
med5 "$nfn" "nfdump -o csv, uncompressed" nfdump -r "$nf" -q -o csv
med5 "$pn" "flowtally-dump -o csv, uncompressed" "$dump" -o csv "$ft"
