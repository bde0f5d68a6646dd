#!/bin/bash
# Flow file format versions: files of version 1 (zstd over record rows,
# written by commit 41ccf98) and version 2 (zstd over all byte planes,
# written by commit c8e468d) still read record for record; what we write
# now is version 3, sparse byte planes with LZ4 (the default) or zstd
# (block codecs 4 and 3), and reads back identical, for IPv4-only and mixed
# IPv6 blocks.
set -u
DUMP="$FT_BUILDDIR/tools/flowtally-dump"
D1="$FT_SRCDIR/tests/data/flowfile_v1"
D2="$FT_SRCDIR/tests/data/flowfile_v2"
T=$(mktemp -d /tmp/test_ffcompat.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# u8 FILE OFFSET: one byte as a decimal number
u8() { od -A n -t u1 -j "$2" -N 1 "$1" | tr -d ' '; }
# check FILE VERSION CODEC CSV: FILE has that version byte and first-block
# codec, and reads back exactly the records of CSV.
check() {
	local f=$1 v=$2 c=$3 want=$4
	[ "$(u8 "$f" 8)" = "$v" ] || fail "$f is not a version $v file"
	[ "$(u8 "$f" $((256 + 9)))" = "$c" ] ||
		fail "$f: first block is not codec $c"
	"$DUMP" -o csv "$f" >"$T/got.csv" || fail "$f (version $v) does not read"
	cmp -s "$T/got.csv" "$want" ||
		fail "$f (version $v) reads other records than $want"
}

for n in v4 mix; do
	# Older versions: version byte, first block's codec, the records.
	for vc in "$D1 1 1" "$D2 2 2"; do
		read -r d v c <<<"$vc"
		check "$d/$n.ft" "$v" "$c" "$D1/$n.csv"
	done
	# What we write now: LZ4 by default, zstd on request.
	for cc in "default 4" "zstd 3" "lz4 4"; do
		read -r codec c <<<"$cc"
		args=()
		[ "$codec" = default ] || args=(--codec "$codec")
		mkdir -p "$T/$n.$codec"
		"$DUMP" --import "$D1/$n.csv" --start 2026-11-25T04:05:00Z \
		    --end 2026-11-25T04:10:00Z "${args[@]}" "$T/$n.$codec" \
		    >/dev/null || fail "import $n.csv ($codec)"
		f=$(ls "$T/$n.$codec"/ft-* 2>/dev/null | head -1)
		if [ -z "$f" ]; then
			fail "no file written from $n.csv ($codec)"
			continue
		fi
		check "$f" 3 "$c" "$D1/$n.csv"
	done
	# zstd over sparse planes is smaller than zstd over rows.
	[ "$(stat -c %s "$T/$n.zstd"/ft-*)" -lt "$(stat -c %s "$D1/$n.ft")" ] ||
		fail "$n: sparse byte planes did not compress better than rows"
done
[ $fails -eq 0 ] && echo "test_flowfile_compat: ok"
exit $((fails > 0))
