#!/usr/bin/env bash
# The control socket: created with mode 0660 (a stale socket replaced, a
# live one refused), "stats" and "stats json" answer per-exporter counters
# (packets, flows, malformed by reason, lost flows, resets, templates,
# sampling, skew) and daemon totals at any time, "rotate" publishes the
# open file, an unknown command fails. A client that connects and never
# sends its line, and one that never reads its answer, hold up neither
# other clients nor packet reception. The socket is removed at exit.
. "$(dirname "$0")/collector_lib.sh"

SOCK=$T/run/ctl.sock
ctl() { "$COLLECTOR" --ctl "$SOCK" "$@"; }
field() { echo "$1" | sed "s/.* $2=\\([0-9]*\\).*/\\1/"; }

# A stale socket left by a dead process is replaced.
mkdir -p "$T/run"
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
test -S "$SOCK" || fail "no stale socket made"

# A day's interval: no rotation of its own during the test.
start_collector "control = \"$SOCK\"" -t 1d
wait_for 10 test -S "$SOCK" || fail "no control socket"
[ "$(stat -c %a "$SOCK")" = 660 ] || fail "socket mode $(stat -c %a "$SOCK")"
grep -q "control socket $SOCK" "$T/log" || fail "control socket not logged"

# A second collector on the same socket is refused, naming it.
rc=0
"$COLLECTOR" -d -f "$T/c.conf" -l 127.0.0.1:0 -w "$T/out2" >"$T/log2" 2>&1 ||
	rc=$?
[ $rc != 0 ] || fail "second collector started on a live socket"
grep -q "$SOCK: another process is listening" "$T/log2" ||
	fail "refusal does not name the socket: $(cat "$T/log2")"

ctl help | grep -q '^rotate' || fail "help does not list rotate"
rc=0
out=$(ctl frobnicate) || rc=$?
[ $rc = 1 ] || fail "unknown command: exit $rc"
echo "$out" | grep -q 'error: unknown command "frobnicate"' || fail "$out"

# Traffic: every version, with gaps in v5, sampling in IPFIX, and a
# malformed datagram (a v5 header whose count exceeds the datagram).
sent_pk=0
sent_fl=0
for v in $VERSIONS; do
	x=""
	[ "$v" = 5 ] && x="-x 2"
	s=""
	[ "$v" = 10 ] && s="-S 4"
	# shellcheck disable=SC2086
	out=$("$SEND" -v "$v" -c 300 -p 20 -D "$v" $x $s "127.0.0.1:$PORT")
	sent_pk=$((sent_pk + $(field "$out" packets)))
	sent_fl=$((sent_fl + $(field "$out" flows)))
done
python3 -c 'import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(struct.pack("!HH", 5, 30) + bytes(20), ("127.0.0.1", int(sys.argv[1])))' "$PORT"

# Hold a silent client and a client that never reads its answer while
# asking for stats: answered at once, and datagrams keep being taken.
python3 - "$SOCK" "$T/held" <<'PY' &
import socket, sys, time
a = socket.socket(socket.AF_UNIX); a.connect(sys.argv[1])
b = socket.socket(socket.AF_UNIX); b.connect(sys.argv[1])
b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
b.sendall(b"stats json\n")
open(sys.argv[2], "w").close()
time.sleep(8)
PY
HOLD=$!
PIDS+=("$HOLD")
wait_for 10 test -f "$T/held" || fail "holding client did not start"

all_taken() {
	local n
	n=$(ctl stats | awk '$1 == "exporter" { for (i = 2; i <= NF; i++) {
		split($i, kv, "="); if (kv[1] == "packets") s += kv[2] } }
		END { print s + 0 }')
	[ "$n" -ge "$sent_pk" ]
}
t0=$SECONDS
wait_for 20 all_taken || fail "stats never showed $sent_pk packets"
[ $((SECONDS - t0)) -lt 5 ] ||
	fail "stats waited on the held clients ($((SECONDS - t0)) s)"

ctl stats >"$T/stats.txt"
ctl stats json >"$T/stats.json"
python3 - "$T/stats.json" "$sent_fl" "$VERSIONS" <<'PY' || fail "stats json"
import json, sys
d = json.load(open(sys.argv[1]))
want_flows = int(sys.argv[2])
versions = [int(v) for v in sys.argv[3].split()]
ex = d["exporters"]
flows = sum(e["flows"] for e in ex)
# IPFIX flows are scaled by sampling, never the flow count.
assert flows == want_flows, (flows, want_flows)
for key in ("packets", "flows", "lost_flows", "resets", "templates",
            "malformed", "malformed_by", "sampling", "clock_skew_ms"):
    assert all(key in e for e in ex), key
by = {e["version"]: e for e in ex if e["domain"] == e["version"]}
bad = [e for e in ex if e["malformed"] > 0]
assert len(bad) == 1 and bad[0]["malformed_by"]["length"] == 1, bad
if 5 in versions:
    assert by[5]["lost_flows"] == 20, by[5]["lost_flows"]
if 10 in versions:
    assert by[10]["sampling"] == 4, by[10]["sampling"]
    assert by[10]["lost_flows"] == 0, by[10]
    assert by[10]["templates"] >= 2, by[10]
for v in versions:
    assert abs(by[v]["clock_skew_ms"]) < 5000, by[v]
c = d["collector"]
for key in ("kernel_drops", "ring_drops", "open_file", "files", "flows"):
    assert key in c, key
assert c["ring_drops"] == 0 and c["kernel_drops"] == 0, c
print("json ok: %d exporters, %d flows" % (len(ex), flows))
PY
grep -q '^collector .* kernel_drops=0 ring_drops=0 open_file=/' "$T/stats.txt" ||
	fail "no daemon totals: $(head -1 "$T/stats.txt")"
grep -q '^exporter .* malformed_length=' "$T/stats.txt" ||
	fail "no malformed reasons in stats"

# rotate: the open file is published now, under its final name.
out=$(ctl rotate)
path=${out#published }
[ "$path" != "$out" ] || fail "rotate: $out"
test -f "$path" || fail "rotate: $path not there"
# (At midnight UTC the collector may have published one on its own.)
[ "$(records "$OUT")" = "$sent_fl" ] ||
	fail "rotate: $(records "$OUT") records published, want $sent_fl"
files=$(ctl stats | awk '$1 == "collector"' | sed 's/.* files=\([0-9]*\).*/\1/')
[ "$files" -ge 1 ] || fail "files count $files after rotate"

kill "$HOLD" 2>/dev/null || true
stop_collector
[ ! -e "$SOCK" ] || fail "socket left behind at exit"
echo PASS
