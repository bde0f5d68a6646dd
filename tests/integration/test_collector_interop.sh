#!/usr/bin/env bash
# Interop with Debian's peers as oracles: softflowd reads a pcap and exports
# NetFlow v5, v9 and IPFIX once to flowtally-collector and once to nfcapd.
# The records must equal one for one (addresses, ports, protocol, TCP
# flags, packets, bytes, first and last times), and the packet totals equal
# the IP packets the pcap holds (IPv4 only for v5), counted by tshark.
# Bytes are compared with nfcapd only: softflowd counts Ethernet padding.
. "$(dirname "$0")/collector_lib.sh"

for tool in softflowd nfcapd nfdump tshark; do
	command -v $tool >/dev/null || fail "$tool is not installed (scripts/deps.sh)"
done

PY=/usr/bin/python3

# A UDP tee: one softflowd run feeds both collectors the same datagrams
# (softflowd takes a single -n; two runs would differ in their clocks).
cat >"$T/tee.py" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
outs = [("127.0.0.1", int(p)) for p in sys.argv[2:]]
s.settimeout(30)
while True:
    try:
        d, _ = s.recvfrom(65535)
    except socket.timeout:
        break
    for o in outs:
        s.sendto(d, o)
PYEOF

# softflowd_export PCAP VERSION PORT: export the whole pcap, wait for it.
softflowd_export() {
	softflowd -r "$1" -n "127.0.0.1:$3" -v "$2" -c none -p "$T/sf.pid" -d \
	    >"$T/sf.out" 2>&1 || fail "softflowd failed: $(cat "$T/sf.out")"
	grep -q 'Flows exported' "$T/sf.out" || fail "softflowd exported nothing"
}

# compare.py OURS.csv THEIRS.txt: the records as multisets of
# (src, dst, sport, dport, proto, tcp flags, packets, bytes, first, last).
# Times are compared modulo 2^32 ms: nfdump 1.7.1 puts v9/IPFIX
# sysUptime-relative stamps that lie after the header's uptime (softflowd -r
# makes them) 2^32 ms later; our v9/IPFIX times agree with the v5 export.
# nfdump 1.7.1 also swaps start and end of softflowd's IPFIX records, so
# the pair is compared as (earlier, later); ours always have first <= last
# (checked below). ICMPv6 type/code is not compared: nfdump 1.7.1 prints 0.0 for softflowd's
# icmpTypeCodeIPv6 while we keep type << 8 | code.
cat >"$T/compare.py" <<'PYEOF'
import csv, sys, collections, datetime
def ms(s):
    s = s.strip().replace("T", " ").replace("Z", "")
    d = datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S.%f")
    d = d.replace(tzinfo=datetime.timezone.utc)
    return round(d.timestamp() * 1000) % (1 << 32)
def flags(s):
    return sum(1 << (7 - i) for i, c in enumerate(s.strip()) if c != ".")
PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58}
def rec(src, dst, sp, dp, pr, fl, pk, by, first, last):
    pr = int(pr)
    if pr == 58:
        dp = 0
    a, b = ms(first), ms(last)
    return (src, dst, int(sp), int(dp), pr, fl, int(pk), int(by), min(a, b), max(a, b))
ours = collections.Counter()
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        ours[rec(r["src"], r["dst"], r["sport"], r["dport"], r["proto"],
                 int(r["tcp_flags"]), r["packets"], r["bytes"], r["first"], r["last"])] += 1
theirs = collections.Counter()
with open(sys.argv[2]) as f:
    for line in f:
        v = [x.strip() for x in line.split("|")]
        if len(v) < 10:
            continue
        dp = v[3]
        if "." in dp:
            t, c = dp.split(".")
            dp = int(t) * 256 + int(c)
        pr = PROTO.get(v[4], v[4])
        theirs[rec(v[0], v[1], v[2], dp, pr, flags(v[5]), v[6], v[7], v[8], v[9])] += 1
only_o, only_t = ours - theirs, theirs - ours
for r in sorted(only_t):
    print("nfcapd only:", r)
for r in sorted(only_o):
    print("ours only:  ", r)
backwards = 0
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        if r["first"] > r["last"]:
            print("ours: first after last:", r)
            backwards += 1
print("records", sum(ours.values()), "packets", sum(r[6] * n for r, n in ours.items()))
sys.exit(1 if only_o or only_t or backwards else 0)
PYEOF

for pcap in mixed http; do
	P=$S/tests/data/pcap/$pcap.pcap
	ip4=$(tshark -r "$P" -Y ip -T fields -e frame.number 2>/dev/null | wc -l)
	ip6=$(tshark -r "$P" -Y ipv6 -T fields -e frame.number 2>/dev/null | wc -l)
	for v in 5 9 10; do
		echo "== $pcap.pcap NetFlow v$v"
		rm -rf "$T/out" "$T/nf" "$T/teeport"
		mkdir -p "$T/nf"
		start_collector ""
		NPORT=$($PY -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		nfcapd -b 127.0.0.1 -p "$NPORT" -w "$T/nf" -t 60 \
		    -P "$T/nfcapd.pid" >"$T/nfcapd.log" 2>&1 &
		NPID=$!
		PIDS+=("$NPID")
		wait_for 10 grep -q "Startup" "$T/nfcapd.log" || fail "nfcapd did not start"
		$PY "$T/tee.py" "$T/teeport" "$PORT" "$NPORT" &
		TPID=$!
		PIDS+=("$TPID")
		wait_for 10 test -s "$T/teeport" || fail "tee did not start"
		softflowd_export "$P" "$v" "$(cat "$T/teeport")"
		npk=$(sed -n 's/.* in \([0-9]*\) packets.*/\1/p' "$T/sf.out")
		wait_packets "$npk"
		kill "$TPID"
		wait "$TPID" 2>/dev/null || true
		stop_collector
		# nfcapd has no stats to wait on: its flows are written at exit
		# (the tee sent to it before our collector counted them).
		kill -TERM "$NPID"
		wait "$NPID" || true

		"$DUMP" -o csv "$OUT" >"$T/ours.csv"
		nfdump -6 -R "$T/nf" -q \
		    -o 'fmt:%sa|%da|%sp|%dp|%pr|%flg|%pkt|%byt|%ts|%te' >"$T/theirs.txt"
		if ! $PY "$T/compare.py" "$T/ours.csv" "$T/theirs.txt" >"$T/cmp"; then
			cat "$T/cmp" >&2
			fail "$pcap v$v: records differ from nfcapd's"
		fi
		n=$(awk '$1 == "records" { print $2 }' "$T/cmp")
		got=$(awk '$1 == "records" { print $4 }' "$T/cmp")
		[ "$n" -gt 0 ] || fail "no records from v$v"
		want=$ip4
		[ "$v" = 5 ] || want=$((ip4 + ip6))
		[ "$got" = "$want" ] || fail "$pcap v$v: $got packets, pcap holds $want"
		"$DUMP" --stats "$OUT" | grep -q "lost_flows 0 malformed 0 sequence_resets 0" ||
			fail "$pcap v$v: loss or errors in the header: $("$DUMP" --stats "$OUT" | grep exporter)"
		echo "$n records, $got packets: equal"
	done
done
echo PASS
