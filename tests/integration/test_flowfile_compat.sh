#!/bin/bash
# Flow file format versions: files of version 1 (zstd over record rows,
# written by commit 41ccf98) still read record for record; what we write
# now is version 2 with zstd over byte planes (block codec 2) and reads
# back byte-identical, for IPv4-only and mixed IPv6 blocks.
set -u
DUMP="$FT_BUILDDIR/tools/flowtally-dump"
D="$FT_SRCDIR/tests/data/flowfile_v1"
T=$(mktemp -d /tmp/test_ffcompat.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# u8 FILE OFFSET: one byte as a decimal number
u8() { od -A n -t u1 -j "$2" -N 1 "$1" | tr -d ' '; }

for n in v4 mix; do
	[ "$(u8 "$D/$n.ft" 8)" = 1 ] || fail "$n.ft is not a version 1 file"
	[ "$(u8 "$D/$n.ft" $((256 + 9)))" = 1 ] ||
		fail "$n.ft: first block is not codec 1 (zstd rows)"
	"$DUMP" -o csv "$D/$n.ft" >"$T/$n.old.csv" ||
		fail "$n.ft (version 1) does not read"
	cmp -s "$T/$n.old.csv" "$D/$n.csv" ||
		fail "$n.ft (version 1) reads other records than $n.csv"
	mkdir -p "$T/$n"
	"$DUMP" --import "$D/$n.csv" --start 2026-11-25T04:05:00Z \
	    --end 2026-11-25T04:10:00Z "$T/$n" >/dev/null ||
		fail "import $n.csv"
	f=$(ls "$T/$n"/ft-* 2>/dev/null | head -1)
	if [ -z "$f" ]; then
		fail "no file written from $n.csv"
		continue
	fi
	[ "$(u8 "$f" 8)" = 2 ] || fail "$n: written file is not version 2"
	[ "$(u8 "$f" $((256 + 9)))" = 2 ] ||
		fail "$n: written block is not codec 2 (zstd byte planes)"
	"$DUMP" -o csv "$f" >"$T/$n.new.csv" || fail "$n: version 2 read"
	cmp -s "$T/$n.new.csv" "$D/$n.csv" ||
		fail "$n: version 2 round trip differs"
	# Smaller than the version 1 file of the same records.
	[ "$(stat -c %s "$f")" -lt "$(stat -c %s "$D/$n.ft")" ] ||
		fail "$n: byte planes did not compress better than rows"
done
[ $fails -eq 0 ] && echo "test_flowfile_compat: ok"
exit $((fails > 0))
