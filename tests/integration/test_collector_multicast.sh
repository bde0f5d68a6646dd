#!/usr/bin/env bash
# Multicast listen addresses: in a network namespace of its own (lo with
# 224.0.0.0/4 routed to it, and a veth pair v0-v1), the collector listens on
# 239.1.2.3 (the routed interface), 239.1.2.4%v1 and [ff15::1234]%v1, joins
# the groups, and receives datagrams our encoder sends, relayed to the
# groups (out of v0 for the %v1 ones). Also: an interface with a unicast
# address and an unknown interface are refused, naming them. Skipped only
# when no network namespace can be made here.
set -euo pipefail
if [ -z "${FT_IN_NETNS:-}" ]; then
	if ! unshare -n true 2>/dev/null; then
		echo "SKIP: cannot create a network namespace (unshare -n needs root or CAP_SYS_ADMIN)"
		exit 0
	fi
	exec unshare -n env FT_IN_NETNS=1 bash "$0" "$@"
fi
# The namespace's interfaces first: the helpers probe the sender on lo.
ip link set lo up multicast on
ip route add 224.0.0.0/4 dev lo
if ! ip link add v0 type veth peer name v1; then
	echo "FAIL: cannot create a veth pair in the namespace" >&2
	exit 1
fi
ip link set v0 up multicast on
ip link set v1 up multicast on
ip addr add 10.99.0.1/24 dev v0
ip addr add 10.99.0.2/24 dev v1
ip -6 addr add fd99::1/64 dev v0 nodad
ip -6 addr add fd99::2/64 dev v1 nodad
. "$(dirname "$0")/collector_lib.sh"


# The syntax checks (-n): an interface needs a group; a bad one is named.
rc=0
"$COLLECTOR" -n -l '127.0.0.1:9995%v1' >"$T/n1" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'only with a multicast group' "$T/n1" ||
	fail "unicast with an interface accepted: $(cat "$T/n1")"
rc=0
"$COLLECTOR" -d -l '239.1.2.5:0%nosuch0' -w "$T/o3" -p "" >"$T/n2" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'no interface "nosuch0"' "$T/n2" ||
	fail "unknown interface not refused: $(cat "$T/n2")"

start_collector "" -l 239.1.2.3:0 -l '239.1.2.4:0%v1' -l '[ff15::1234]:0%v1'
grep -q "joined multicast group 239.1.2.3:[0-9]*$" "$T/log" ||
	fail "no join of 239.1.2.3"
grep -q "joined multicast group 239.1.2.4:[0-9]* on v1$" "$T/log" ||
	fail "no join of 239.1.2.4 on v1"
grep -qF "joined multicast group [ff15::1234]:" "$T/log" ||
	fail "no join of ff15::1234"
port_of() { stat_field listen port "addr=$1"; }
P1=$(port_of 239.1.2.3:)
P2=$(port_of 239.1.2.4:)
P3=$(port_of '[ff15::1234]:')
[ -n "$P1" ] && [ -n "$P2" ] && [ -n "$P3" ] || fail "ports: $P1 $P2 $P3"

# relay COUNT GROUP PORT [IFNAME]: take COUNT datagrams on 127.0.0.1 (port
# in $T/relay.port) and send each to GROUP:PORT (out of IFNAME).
relay() {
	rm -f "$T/relay.port"
	python3 - "$@" "$T/relay.port" <<'PY' &
import socket, struct, sys
n, group, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ifname = sys.argv[4] if len(sys.argv) > 5 else None
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", 0))
r.settimeout(10)
open(sys.argv[-1] + ".tmp", "w").write(str(r.getsockname()[1]))
import os; os.rename(sys.argv[-1] + ".tmp", sys.argv[-1])
if ":" in group:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    idx = socket.if_nametoindex(ifname) if ifname else 0
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if ifname:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     struct.pack("4s4si", bytes(4), bytes(4),
                                 socket.if_nametoindex(ifname)))
    else:
        s.bind(("127.0.0.1", 0))
for _ in range(n):
    d = r.recv(65536)
    s.sendto(d, (group, port))
PY
	RELAY=$!
	wait_for 10 test -s "$T/relay.port" || fail "relay did not start"
}

sent_fl=0
sent_pk=0
run() { # VERSION DOMAIN GROUP PORT [IFNAME]
	local v=$1 d=$2 g=$3 p=$4 out n
	shift 4
	# A dry run counts the datagrams the real one will send.
	n=$("$SEND" -n -v "$v" -c 200 -p 20 -D "$d" 127.0.0.1:9 |
	    sed 's/.* skipped_packets=\([0-9]*\).*/\1/')
	relay "$n" "$g" "$p" "$@"
	out=$("$SEND" -v "$v" -c 200 -p 20 -D "$d" -r 20000 \
	    "127.0.0.1:$(cat "$T/relay.port")")
	wait "$RELAY" || fail "relay to $g failed"
	sent_fl=$((sent_fl + 200))
	sent_pk=$((sent_pk + n))
}
run 5 1 239.1.2.3 "$P1"
run 9 2 239.1.2.4 "$P2" v1
run 10 3 ff15::1234 "$P3" v1
wait_packets "$sent_pk"
for a in 239.1.2.3: 239.1.2.4: '[ff15::1234]:'; do
	n=$(stat_field listen packets "addr=$a")
	[ "$n" -gt 0 ] || fail "nothing received on $a"
done
stop_collector
[ "$(records "$OUT")" = "$sent_fl" ] ||
	fail "$(records "$OUT") records stored, want $sent_fl"
echo PASS
