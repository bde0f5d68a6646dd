#!/usr/bin/env bash
# The flowtally demo: install what is missing, build, generate 24 hours of
# realistic traffic for two routers, run it through the real chain
#   flowtally-sensor -r (one per router) -> flowtally-collector (binning by
#   export time) -> flowtally-scanner (catching up on every interval)
#   -> RRDs and scoreboards
# and serve the graphs, a dashboard and the scoreboards with lighttpd on
# 127.0.0.1:$PORT (default 8080). Ctrl-C stops everything it started.
# Re-running starts from a clean work directory ($DEMO_DIR, default
# demo-work/). Environment: PORT, DEMO_DIR, HOURS (default 24),
# DEMO_NO_SERVE=1 (build the data and exit: used by the tests).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PORT=${PORT:-8080}
W=${DEMO_DIR:-$top/demo-work}
HOURS=${HOURS:-24}
# Replay pace (x real time): both routers replay in step, so the collector
# files every flow in its interval by export time.
SPEED=${SPEED:-1000}

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

bash scripts/deps.sh
say "building"
B=$(bash scripts/build.sh "$top/build/release")

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'say "stopping"; exit 0' INT TERM

# A previous demo may still be serving.
if [ -f "$W/run/lighttpd.pid" ]; then
	kill "$(cat "$W/run/lighttpd.pid")" 2>/dev/null || true
fi
rm -rf "$W"
mkdir -p "$W"/{pcap,flows,rrd,state,scoreboard,run,www}

. "$top/scripts/free_port.sh"
. "$top/scripts/wait_for.sh"

CPORT=$(free_port)
sed -e "s|@W@|$W|g" -e "s|@CPORT@|$CPORT|g" etc/demo/flowtally.conf.in \
	>"$W/flowtally.conf"

say "generating $HOURS hours of traffic for routers edge1 and edge2"
python3 tools/flowtally-trafgen --out "$W/pcap" --hours "$HOURS"

say "starting flowtally-collector on 127.0.0.1:$CPORT"
"$B/collector/flowtally-collector" -f "$W/flowtally.conf" -d \
	>"$W/collector.log" 2>&1 &
cpid=$!
pids+=("$cpid")
wait_for 30 grep -q "listening on" "$W/collector.log" ||
	{ cat "$W/collector.log"; exit 1; }

# Each router's sensor exports from its own loopback address, so the
# collector and scanner see two exporters, as with two real routers.
say "replaying edge1 (NetFlow v9 from 127.0.0.2) and edge2 (IPFIX from 127.0.0.3)"
"$B/sensor/flowtally-sensor" -f "$W/flowtally.conf" -d -r "$W/pcap/edge1.pcap" \
	-n "127.0.0.1:$CPORT" -v 9 -S 127.0.0.2 --speed "$SPEED" -t udp=20 -t tcp=20 \
	-t tcp.rst=5 -t icmp=20 -t general=20 >"$W/sensor-edge1.log" 2>&1 &
s1=$!
"$B/sensor/flowtally-sensor" -f "$W/flowtally.conf" -d -r "$W/pcap/edge2.pcap" \
	-n "127.0.0.1:$CPORT" -v 10 -S 127.0.0.3 --speed "$SPEED" -t udp=20 -t tcp=20 \
	-t tcp.rst=5 -t icmp=20 -t general=20 >"$W/sensor-edge2.log" 2>&1 &
s2=$!
wait "$s1" || { cat "$W/sensor-edge1.log"; exit 1; }
wait "$s2" || { cat "$W/sensor-edge2.log"; exit 1; }

say "closing the collector's last file"
kill -TERM "$cpid"
wait "$cpid" || true
grep -E "exporter .*packets" "$W/collector.log" | tail -2 || true

say "scanning $(find "$W/flows" -name 'ft-*' | wc -l) flow files into RRDs and scoreboards"
"$B/scanner/flowtally-scanner" -f "$W/flowtally.conf" --once -d \
	>"$W/scanner.log" 2>&1 || { tail -20 "$W/scanner.log"; exit 1; }
tail -1 "$W/scanner.log"
say "$(find "$W/rrd" -name '*.rrd' | wc -l) RRDs written"

if [ "${DEMO_NO_SERVE:-0}" = 1 ]; then
	exit 0
fi

say "serving on http://127.0.0.1:$PORT/"
FT_PORT=$PORT FT_CGI="$B/cgi/flowtally.cgi" FT_CONF="$W/flowtally.conf" \
	FT_SCOREBOARD_DIR="$W/scoreboard" FT_DOCROOT="$W/www" \
	lighttpd -D -f etc/lighttpd/flowtally.conf >"$W/lighttpd.log" 2>&1 &
lpid=$!
pids+=("$lpid")
echo "$lpid" >"$W/run/lighttpd.pid"
wait_for 20 curl -fsS -o /dev/null "http://127.0.0.1:$PORT/flowtally.cgi" ||
	{ cat "$W/lighttpd.log"; exit 1; }

cat <<EOT

  Graph menu:   http://127.0.0.1:$PORT/flowtally.cgi
  Dashboard:    http://127.0.0.1:$PORT/flowtally.cgi?page=dash&dash=noc
  Wall (kiosk): http://127.0.0.1:$PORT/flowtally.cgi?page=dash&dash=noc&kiosk=1
  Scoreboard:   http://127.0.0.1:$PORT/scoreboard/current.html
  History:      http://127.0.0.1:$PORT/scoreboard/history/index.html
  Aggregate:    http://127.0.0.1:$PORT/scoreboard/overall.html

  Work directory: $W   (Ctrl-C stops the web server)
EOT
wait "$lpid"
