#!/bin/bash
# flowtally-dump end to end: CSV -> flow file -> CSV is byte-identical (both
# codecs), text and JSON output, --stats, a flipped byte salvaged with the
# offset reported and a non-zero exit, --since/--until over a nested tree.
set -u
DUMP="$FT_BUILDDIR/tools/flowtally-dump"
T=$(mktemp -d /tmp/test_dump.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

HDR=first,last,exporter,src,dst,sport,dport,proto,tos,tcp_flags,packets,bytes,in_if,out_if,src_as,dst_as,sampling,nexthop,src_mask,dst_mask,direction,vlan

# gen N BASE_SECONDS V6: N deterministic records in [BASE, BASE+300 s).
gen() {
	awk -v n="$1" -v base="$2" -v v6="$3" -v hdr="$HDR" 'BEGIN {
		print hdr
		for (i = 0; i < n; i++) {
			s = base + (i * 7) % 290; ms = (i * 13) % 1000
			first = strftime("%Y-%m-%dT%H:%M:%S", s, 1) sprintf(".%03dZ", ms)
			last = strftime("%Y-%m-%dT%H:%M:%S", s + 5, 1) sprintf(".%03dZ", (ms + 7) % 1000)
			if (v6 && i % 3 == 0) {
				src = sprintf("2001:db8:%x::%x", i % 65535 + 1, i % 4096 + 1)
				dst = "fe80::1"; nh = "-"
			} else {
				src = sprintf("10.%d.%d.%d", i % 256, int(i / 256) % 256, i % 250 + 1)
				dst = sprintf("192.0.2.%d", i % 200 + 1); nh = (i % 4) ? "198.51.100.1" : "-"
			}
			ex = (i % 5) ? "127.0.0.1" : "127.0.0.2"
			# %.0f: mawk clamps %d to 32 bits.
			printf "%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%.0f,%d,%d,%.0f,%d,%d,%s,%d,%d,%d,%d\n",
			    first, last, ex, src, dst, (i * 31) % 65536, (i % 3) ? 443 : 53,
			    (i % 2) ? 6 : 17, i % 256, i % 64, i % 1000 + 1,
			    (i % 1000 + 1) * 1500 + 4294967296 * (i % 3), i % 10, i % 7,
			    (i * 1013) % 4294967296, 65000 + i % 100, (i % 2) ? 1 : 100,
			    nh, i % 33, i % 129, (i % 3 == 2) ? 255 : i % 2, i % 4096
		}
	}'
}

# 1. Round trips, both codecs, IPv4 and IPv6.
gen 10000 1700000100 1 > "$T/in.csv"
for codec in none zstd; do
	mkdir -p "$T/rt-$codec"
	f=$("$DUMP" --import "$T/in.csv" "$T/rt-$codec" --start 2023-11-14T22:15:00Z \
	    --end 2023-11-14T22:20:00Z --codec $codec) || fail "import $codec"
	[ "$(basename "$f")" = ft-20231114-221500Z ] || fail "import name $f"
	"$DUMP" -o csv "$f" > "$T/out-$codec.csv" || fail "dump csv $codec"
	cmp -s "$T/in.csv" "$T/out-$codec.csv" || fail "CSV round trip ($codec) differs"
	"$DUMP" -o csv "$T/rt-$codec" | cmp -s "$T/in.csv" - || fail "dump of a directory ($codec) differs"
done
f="$T/rt-zstd/ft-20231114-221500Z"

# 2. Text and JSON.
"$DUMP" "$f" > "$T/out.txt" || fail "dump text"
[ "$(wc -l < "$T/out.txt")" -eq 10001 ] || fail "text line count"
head -1 "$T/out.txt" | grep -q '^first  *last  *proto  *src ' || fail "text header"
grep -q '^2023-11-14T22:15:07.013Z 2023-11-14T22:15:12.020Z tcp   10\.1\.0\.2  *31 192\.0\.2\.2  *443  *2  *4294970296 \.\.\.\.\.\.\.F ' "$T/out.txt" ||
	fail "text first record"
"$DUMP" -o json "$f" > "$T/out.json" || fail "dump json"
python3 - "$T/out.json" "$T/in.csv" <<'PY' || fail "JSON lines do not match the CSV"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[2])))
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == len(objs) == 10000, (len(rows), len(objs))
for r, o in zip(rows, objs):
    for k, v in r.items():
        assert str(o[k]) == v, (k, v, o[k])
PY

# 3. --stats.
"$DUMP" --stats "$f" > "$T/stats.txt" || fail "stats"
grep -q '^  header records 10000 blocks 3 exporters 2$' "$T/stats.txt" || fail "stats header line"
grep -q '^  exporter 127.0.0.2 .* flows 2000 ' "$T/stats.txt" || fail "stats exporter flows"
grep -q '^totals files 1 records 10000 ' "$T/stats.txt" || fail "stats totals"
"$DUMP" --stats -o json "$f" | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' ||
	fail "stats json"

# 4. A flipped byte in the second block (uncompressed, IPv4 only).
gen 10000 1700000100 0 > "$T/v4.csv"
mkdir -p "$T/flip"
f=$("$DUMP" --import "$T/v4.csv" "$T/flip" --start @1700000100 --end @1700000400 --codec none)
len0=$(od -An -t u4 -j $((256 + 16)) -N 4 "$f" | tr -d ' ')
boff=$((256 + 32 + len0))
# records in the first and in the second (damaged) block, from their headers
n0=$(od -An -t u4 -j $((256 + 4)) -N 4 "$f" | tr -d ' ')
n1=$(od -An -t u4 -j $((boff + 4)) -N 4 "$f" | tr -d ' ')
printf '\x5a' | dd of="$f" bs=1 seek=$((boff + 32 + 1000)) conv=notrunc status=none
"$DUMP" -o csv "$f" > "$T/flip.csv" 2> "$T/flip.err"
rc=$?
[ $rc -ne 0 ] || fail "damaged file: exit status 0"
grep -q "$f: block at offset $boff is corrupt" "$T/flip.err" || fail "no offset $boff in: $(cat "$T/flip.err")"
grep -q "$n1 records lost" "$T/flip.err" || fail "lost count in: $(cat "$T/flip.err")"
{ head -n $((1 + n0)) "$T/v4.csv"; tail -n +$((2 + n0 + n1)) "$T/v4.csv"; } | cmp -s - "$T/flip.csv" ||
	fail "intact blocks' records not all printed"

# 5. A directory tree with --since/--until, in time order; in-progress and
# foreign files are skipped.
mkdir -p "$T/tree"
for start in 1700003000 1700000100 1700000700 1700000400; do
	gen 50 $start 1 > "$T/g.csv"
	"$DUMP" --import "$T/g.csv" "$T/tree" --start @$start --end @$((start + 300)) --nest > /dev/null ||
		fail "import tree $start"
done
[ -f "$T/tree/2023/2023-11/2023-11-14/ft-20231114-222500Z" ] || fail "nesting"
cp "$T/tree/2023/2023-11/2023-11-14/ft-20231114-222500Z" "$T/tree/.ft-inprogress.1700000100.1"
echo junk > "$T/tree/2023/notes.txt"
"$DUMP" -o csv "$T/tree" > "$T/all.csv" || fail "dump tree"
[ "$(wc -l < "$T/all.csv")" -eq 201 ] || fail "tree: expected 200 records"
{ echo "$HDR"; for start in 1700000100 1700000400 1700000700 1700003000; do
	gen 50 $start 1 | tail -n +2; done; } | cmp -s - "$T/all.csv" || fail "tree not in time order"
"$DUMP" -o csv --since 2023-11-14T22:20:00Z --until 2023-11-14T22:25:00Z "$T/tree" > "$T/win.csv" ||
	fail "dump window"
# Only records overlapping the window, and all of them.
python3 - "$T/win.csv" <<'PY' || fail "--since/--until kept a record outside the window"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no records"
for r in rows:
    assert r["last"] >= "2023-11-14T22:20:00.000Z" and r["first"] < "2023-11-14T22:25:00.000Z", r
PY
n=$(tail -n +2 "$T/win.csv" | wc -l)
all=$(python3 - "$T/all.csv" <<'PY'
import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1]))
          if r["last"] >= "2023-11-14T22:20:00.000Z" and r["first"] < "2023-11-14T22:25:00.000Z"))
PY
)
[ "$n" -eq "$all" ] || fail "window: $n records, expected $all"
"$DUMP" --stats --since 2023-11-14T23:00:00Z "$T/tree" | grep -q '^totals files 1 ' ||
	fail "--since did not skip the earlier files"

# An empty tree (only an in-progress file) prints just the CSV header.
mkdir -p "$T/empty"
cp "$f" "$T/empty/.ft-inprogress.1700000100.7"
[ "$("$DUMP" -o csv "$T/empty")" = "$HDR" ] || fail "empty tree: not just the header"

# 6. Not a flow file: a clear error naming it, non-zero exit.
echo "hello" > "$T/bogus"
"$DUMP" "$T/bogus" 2> "$T/bogus.err" && fail "bogus file accepted"
grep -q "$T/bogus: truncated header" "$T/bogus.err" || fail "bogus message: $(cat "$T/bogus.err")"
"$DUMP" -o xml "$f" 2> /dev/null && fail "-o xml accepted"

[ $fails -eq 0 ] || exit 1
echo "test_dump: all passed"
