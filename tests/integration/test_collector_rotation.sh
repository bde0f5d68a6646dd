#!/usr/bin/env bash
# Rotation: with -t 2 files publish on each 2-second boundary while flows
# keep coming, SIGHUP publishes at once, SIGTERM publishes the open file;
# a reader polling the directory never sees a partial file; the
# post-rotate command gets every published path; every flow sent is in
# exactly one file. Then --export-time bins a replay of old export packets
# into the intervals of their own time. Written with zstd: the other
# collector tests use the default, LZ4.
FT_COMPRESS=zstd
. "$(dirname "$0")/collector_lib.sh"

start_collector "post_rotate = \"echo \\\"\$1\\\" >> $T/published\"" -t 2

# A reader that opens every complete file as soon as it appears.
reader() {
	local f seen=" "
	while [ ! -e "$T/stop-reader" ]; do
		for f in $(find "$OUT" -name 'ft-*' 2>/dev/null | sort); do
			case "$seen" in *" $f "*) continue ;; esac
			if ! "$DUMP" --stats "$f" >"$T/r.out" 2>&1 ||
			    ! grep -q "closed yes" "$T/r.out"; then
				echo "partial: $f" >>"$T/reader-errors"
				cat "$T/r.out" >>"$T/reader-errors"
			fi
			seen="$seen$f "
			echo "$f" >>"$T/reader-seen"
		done
		sleep 0.02
	done
}
reader &
PIDS+=($!)
RPID=$!

out=$("$SEND" -v 5 -c 1500 -p 10 -r 300 "127.0.0.1:$PORT")
echo "sent: $out"
nfiles() { find "$OUT" -name 'ft-*' | wc -l; }
before=$(nfiles)
[ "$before" -ge 2 ] || fail "only $before files after 5 s of -t 2"
# SIGHUP rotates now: a file appears without waiting for the boundary
# (unless a boundary comes first, which also publishes one).
kill -HUP "$CPID"
wait_for 5 sh -c "[ \$(find '$OUT' -name 'ft-*' | wc -l) -gt $before ]" ||
	fail "SIGHUP did not publish"
"$SEND" -v 5 -c 50 -p 10 "127.0.0.1:$PORT" >/dev/null
wait_packets 155
stop_collector
touch "$T/stop-reader"
wait "$RPID" || true
[ ! -s "$T/reader-errors" ] || fail "reader saw: $(cat "$T/reader-errors")"
[ -s "$T/reader-seen" ] || fail "reader saw nothing"

got=$(records "$OUT")
[ "$got" = 1550 ] || fail "files hold $got records, sent 1550"
# Every interval is 2 s long and aligned to 2 s; names are unique.
"$DUMP" --stats "$OUT" | awk '$1 == "interval" {
	n++; cmd = "date -u -d " $2 " +%s"; cmd | getline a; close(cmd)
	cmd = "date -u -d " $4 " +%s"; cmd | getline b; close(cmd)
	if (b - a != 2 || a % 2 != 0) { print "bad interval", $0; bad++ } }
	END { exit bad > 0 || n < 3 }' || fail "intervals not aligned 2 s"
# The post-rotate command saw exactly the published files.
wait_for 5 sh -c "[ \$(wc -l < '$T/published') -eq \$(find '$OUT' -name 'ft-*' | wc -l) ]" ||
	fail "post-rotate saw $(wc -l <"$T/published") files"
while read -r p; do
	[ -f "$p" ] || fail "post-rotate got $p, not a file"
done <"$T/published"
# compress = "zstd" took: first blocks are zstd sparse planes (codec 3;
# 0, rows, only where that was not smaller), never LZ4 (4).
codecs=$(while read -r p; do od -A n -t u1 -j 265 -N 1 "$p"; done <"$T/published" |
	tr -d ' ' | sort -u | tr '\n' ' ')
case " $codecs" in
*" 3 "*) ;;
*) fail "no zstd block in the published files (codecs: $codecs)" ;;
esac
case " $codecs" in
*" 4 "*) fail "LZ4 blocks with compress = zstd (codecs: $codecs)" ;;
esac

# --export-time: 10 packets with export times 1 s apart from 2023-11-14
# 22:13:20 (1700000000) land in 5 files of 2 s, 40 flows each.
rm -rf "$OUT" "$T/published"
start_collector "" -t 2 --export-time
"$SEND" -v 5 -c 200 -p 20 -T 1700000000 -I 1000 "127.0.0.1:$PORT" >/dev/null
wait_packets 10
stop_collector
"$DUMP" --stats "$OUT" >"$T/x.stats"
n=$(grep -c '^file .*/2023/2023-11/2023-11-14/ft-20231114-2213' "$T/x.stats" || true)
[ "$n" = 5 ] || fail "export-time binning made $n files: $(grep '^file' "$T/x.stats")"
awk '$1 == "header" && $3 != 40 { bad++ } END { exit bad > 0 }' "$T/x.stats" ||
	fail "export-time files do not hold 40 records each"
echo PASS
