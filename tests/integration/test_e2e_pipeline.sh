#!/usr/bin/env bash
# End to end: pcap -> flowtally-sensor (two routers, v9 and IPFIX, replayed in
# step) -> flowtally-collector (binning by export time) -> flowtally-scanner
# -> RRDs and scoreboards, checked against an independent count of the pcap
# (tests/tools/pcapref.py): per network, service, protocol, ToS, router,
# direction and interval, bytes and packets exact. Run twice: RRDs written
# directly and through an rrdcached the test starts.
set -euo pipefail
B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
T=$(mktemp -d /tmp/ft-e2e.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${FT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$S/scripts/wait_for.sh"

END=1764000000 # fixed: the test is deterministic
python3 "$S/tools/flowtally-trafgen" --out "$T" --hours 2 --end $END \
	--flows 25 --seed 7 >/dev/null
python3 "$S/tests/tools/pcapref.py" --interval 300 \
	--spec "$S/tests/data/e2e_spec.json" edge1="$T/edge1.pcap" \
	edge2="$T/edge2.pcap" >"$T/ref.json"

run() { # run NAME RRDCACHED_ADDRESS
	local W=$T/$1
	mkdir -p "$W"/{flows,rrd,state,scoreboard,run}
	local port
	port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	sed -e "s|@W@|$W|g" -e "s|@CPORT@|$port|g" \
		"$S/etc/demo/flowtally.conf.in" >"$W/flowtally.conf"
	if [ -n "$2" ]; then
		sed -i "s|^scanner {|scanner {\n\trrdcached = \"$2\"|" "$W/flowtally.conf"
	fi
	"$B/collector/flowtally-collector" -f "$W/flowtally.conf" -d \
		>"$W/collector.log" 2>&1 &
	local cpid=$!
	pids+=("$cpid")
	wait_for 20 grep -q "listening on" "$W/collector.log" ||
		fail "collector did not start: $(cat "$W/collector.log")"
	local s1 s2
	"$B/sensor/flowtally-sensor" -d -r "$T/edge1.pcap" -n "127.0.0.1:$port" \
		-v 9 -S 127.0.0.2 --speed 500 -t udp=20 -t tcp=20 -t tcp.rst=5 \
		-t icmp=20 -t general=20 >"$W/s1.log" 2>&1 &
	s1=$!
	"$B/sensor/flowtally-sensor" -d -r "$T/edge2.pcap" -n "127.0.0.1:$port" \
		-v 10 -S 127.0.0.3 --speed 500 -t udp=20 -t tcp=20 -t tcp.rst=5 \
		-t icmp=20 -t general=20 >"$W/s2.log" 2>&1 &
	s2=$!
	wait $s1 || fail "sensor edge1: $(cat "$W/s1.log")"
	wait $s2 || fail "sensor edge2: $(cat "$W/s2.log")"
	kill -TERM "$cpid"
	wait "$cpid" || fail "collector exit status: $(cat "$W/collector.log")"
	grep -q "lost 0 malformed 0" "$W/collector.log" ||
		fail "collector saw loss: $(grep exporter "$W/collector.log")"
	"$B/scanner/flowtally-scanner" -f "$W/flowtally.conf" --once -d \
		>"$W/scanner.log" 2>&1 || fail "scanner: $(tail "$W/scanner.log")"
	# With rrdcached, rrdtool fetch flushes each file through the daemon.
	RRDCACHED_ADDRESS=$2 python3 "$S/tests/tools/e2e_check.py" \
		"$T/ref.json" "$W/rrd" 300 edge1 edge2 ||
		fail "$1: RRDs differ from the pcap"
	# The last interval's scoreboard ranks the hosts the pcap says.
	python3 - "$T/ref.json" "$W/scoreboard/current.json" <<'PY' || fail "$1: scoreboard"
import json, sys
ref = json.load(open(sys.argv[1]))
last = max(ref, key=int)
hosts = ref[last]["_hosts"]
want = max(hosts, key=lambda h: (hosts[h].get("in_bytes", 0), h))
page = json.dumps(json.load(open(sys.argv[2])))
assert want in page, "top inbound host %s not on the scoreboard" % want
print("scoreboard: top inbound host %s present" % want)
PY
}

run direct ""

mkdir -p "$T/journal"
rrdcached -g -l "unix:$T/rrdcached.sock" -b "$T" -B -p "$T/rrdcached.pid" \
	-j "$T/journal" -F >"$T/rrdcached.log" 2>&1 &
pids+=($!)
wait_for 20 test -S "$T/rrdcached.sock" || fail "rrdcached did not start"
run cached "unix:$T/rrdcached.sock"
echo "PASS: pipeline RRDs equal the pcap reference, direct and through rrdcached"
