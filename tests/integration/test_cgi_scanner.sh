#!/usr/bin/env bash
# flowtally.cgi over RRDs written by the real scanner: generated flows ->
# flow files (flowtally-dump --import) -> flowtally-scanner --once -> the
# CGI's menu offers what the scanner wrote (global and per router, network
# x service, interface x AS group, internal/transit) and draws it.
set -euo pipefail
B=${FT_BUILDDIR:?}
S=${FT_SRCDIR:?}
[ -x "$B/scanner/flowtally-scanner" ] && [ -x "$B/tools/flowtally-dump" ] || {
	echo "FAIL: needs flowtally-scanner and flowtally-dump"; exit 1; }
T=$(mktemp -d /tmp/test_cgi_scanner.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$T/flows" "$T/rrd" "$T/state" "$T/csv"
cat >"$T/ft.conf" <<CONF
subnets = { "192.0.2.0/24", "2001:db8::/32" }
network "web" { prefixes = { "192.0.2.0/28" } services = { "http", "https" } }
network "staff" { prefixes = { "192.0.2.128/25" } }
service "http" { ports = { "80/tcp" } }
service "https" { ports = { "443/tcp" } }
service "dns" { ports = { "53/udp" } }
protocol "tcp" { number = "6" }
protocol "udp" { number = "17" }
protocol "icmp" { number = "1" }
router "edge1" { address = "203.0.113.1" }
interface "transit1" { router = "edge1" ifindex = 2 as_groups = { "peers" } }
tos "normal" { values = { "0" } }
as_group "peers" { asns = { "64496-64511" } }
scanner {
	flow_dir = "$T/flows"
	rrd_dir = "$T/rrd"
	state_dir = "$T/state"
	interval = 300
	scoreboard { top = 0 aggregate = 0 }
}
cgi { title = "Scanner E2E" }
CONF

# Twelve intervals ending at the last boundary: web traffic in and out.
end=$(( $(date +%s) / 300 * 300 ))
for i in $(seq 12 -1 1); do
	en=$((end - (i - 1) * 300)) st=$((end - i * 300))
	{
		echo "exporter,src,dst,sport,dport,proto,tos,packets,bytes,in_if,out_if,src_as,dst_as,sampling"
		echo "203.0.113.1,198.51.100.7,192.0.2.5,40000,80,6,0,$((100 + i)),$((150000 + i * 1000)),2,3,64500,0,1"
		echo "203.0.113.1,192.0.2.5,198.51.100.7,443,40001,6,0,80,90000,3,2,0,64500,1"
		echo "203.0.113.1,198.51.100.9,192.0.2.130,5353,53,17,0,4,400,2,3,64501,0,1"
		echo "203.0.113.1,192.0.2.130,198.51.100.9,0,0,1,0,2,168,3,2,0,64501,1"
		echo "203.0.113.1,192.0.2.3,192.0.2.130,1000,80,6,0,5,5000,3,3,0,0,1"
	} >"$T/csv/$st.csv"
	"$B/tools/flowtally-dump" --import "$T/csv/$st.csv" --start "@$st" --end "@$en" \
		"$T/flows" >/dev/null
done
"$B/scanner/flowtally-scanner" -f "$T/ft.conf" --once 2>"$T/scan.log" || {
	cat "$T/scan.log"; fail "scanner failed"; }

cgi() {
	env REQUEST_METHOD=GET QUERY_STRING="$1" FLOWTALLY_CONF="$T/ft.conf" \
		"$B/cgi/flowtally.cgi" >"$T/out" 2>"$T/err" || fail "cgi exited non-zero"
	sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$T/out"
}

[ "$(cgi "")" = 200 ] || fail "menu"
for id in total protocol_tcp protocol_udp service_http service_https network_web \
	network_web_service_http network_web_service_https network_staff \
	interface_transit1 interface_transit1_as_peers edge1.total edge1.protocol_tcp \
	edge1.service_http internal; do
	grep -qF "value=\"$id\"" "$T/out" || {
		ls -R "$T/rrd" >&2; fail "menu lacks $id"; }
done
echo "ok: the menu offers what the scanner wrote"

qs="page=graph&format=svg&period=1h&item=total&all=protocol&item=network_web_service_http&item=edge1.total&item=interface_transit1_as_peers"
[ "$(cgi "$qs")" = 200 ] || fail "graph: $(cat "$T/err")"
for want in TOTAL TCP UDP WEB/HTTP 'edge1 TOTAL' TRANSIT1/PEERS '95th percentile'; do
	grep -qF "$want" "$T/out" || fail "graph lacks $want"
done
# Traffic was drawn: the TOTAL legend line has a non-zero average out.
grep -A1 'all routers TOTAL' "$T/out" | grep -qE '^out +[0-9.]+ [kMG]?b/s' ||
	fail "no TOTAL figure: $(grep -A1 'all routers TOTAL' "$T/out")"
grep -A1 'all routers TOTAL' "$T/out" | grep -qE '^out +0\.00 ' &&
	fail "TOTAL is zero: $(grep -A1 'all routers TOTAL' "$T/out")"
echo "ok: the CGI draws the scanner's RRDs"
