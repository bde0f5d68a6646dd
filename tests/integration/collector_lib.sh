# Helpers for the collector's integration tests (sourced, not a test):
# a temp dir, starting flowtally-collector on 127.0.0.1 with an ephemeral
# port read back from its stats file, waiting on conditions with deadlines,
# and cleanup of every process started. Files are written with the
# collector's default codec, LZ4, unless FT_COMPRESS names another.
set -euo pipefail

B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
COLLECTOR=$B/collector/flowtally-collector
DUMP=$B/tools/flowtally-dump
SEND=$B/bench/ft-nfsend
T=$(mktemp -d /tmp/ft-coll-test.XXXXXX)
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ "${KEEP:-0}" = 0 ]; then rm -rf "$T"; fi
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	[ -f "$T/log" ] && tail -20 "$T/log" >&2
	exit 1
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
# shellcheck source=../../scripts/wait_for.sh
. "$S/scripts/wait_for.sh"

# stat_field KEYWORD FIELD [MATCH]: a field of the first stats line that
# starts with KEYWORD (and contains MATCH).
stat_field() {
	awk -v k="$1" -v f="$2" -v m="${3:-}" '
		$1 == k && index($0, m) {
			for (i = 2; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] == f) { print kv[2]; exit }
			}
		}' "$STATE/stats"
}

# start_collector CONF_EXTRA [ARGS...]: collector section lines, then flags.
start_collector() {
	local extra=$1
	shift
	STATE=$T/state
	OUT=$T/out
	mkdir -p "$STATE"
	cat >"$T/c.conf" <<CONF
collector {
	state_dir = "$STATE"
	pidfile = "$T/pid"
	compress = "${FT_COMPRESS:-lz4}"
	$extra
}
CONF
	rm -f "$STATE/stats"
	"$COLLECTOR" -d -f "$T/c.conf" -l 127.0.0.1:0 -w "$OUT" "$@" \
	    >>"$T/log" 2>&1 &
	CPID=$!
	PIDS+=("$CPID")
	wait_for 10 test -s "$STATE/stats" || fail "collector did not start"
	PORT=$(stat_field listen port)
	[ -n "$PORT" ] && [ "$PORT" != 0 ] || fail "no port in stats"
}

# stop_collector: SIGTERM and wait for the exit status (must be 0).
stop_collector() {
	kill -TERM "$CPID"
	local rc=0
	wait "$CPID" || rc=$?
	[ $rc = 0 ] || fail "collector exited $rc"
}

# refresh_stats: SIGUSR1 and wait until the stats file is rewritten.
refresh_stats() {
	rm -f "$STATE/stats"
	kill -USR1 "$CPID"
	wait_for 10 test -s "$STATE/stats" || fail "no stats after SIGUSR1"
}

# records DIR: the number of records in every complete file under DIR.
records() {
	"$DUMP" --stats "$1" | awk '$1 == "totals" { print $5 }'
}

# wait until the collector has taken N datagrams from exporters
wait_packets() {
	local want=$1
	got_packets() {
		refresh_stats
		local n
		n=$(awk '$1 == "exporter" { for (i = 2; i <= NF; i++) {
			split($i, kv, "="); if (kv[1] == "packets") s += kv[2] } }
			END { print s + 0 }' "$STATE/stats")
		[ "$n" -ge "$want" ]
	}
	wait_for 20 got_packets || fail "collector did not get $want packets"
}

# VERSIONS: the export versions the encoder supports (all three once the
# codec is complete; a missing one is reported, not hidden).
VERSIONS=""
for v in 5 9 10; do
	if "$SEND" -n -v "$v" -c 1 127.0.0.1:9 >/dev/null 2>&1; then
		VERSIONS="$VERSIONS $v"
	else
		echo "NOTE: ft-nfsend cannot encode v$v yet: not tested" >&2
	fi
done
has_version() { case " $VERSIONS " in *" $1 "*) return 0 ;; esac; return 1; }
