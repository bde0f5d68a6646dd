#!/usr/bin/env bash
# flowtally.cgi end to end: run the binary with a CGI environment over a
# generated scanner-like RRD directory; check the menu, real PNG and SVG
# output, dashboards, caching headers, hostile query strings (error page or
# error image with the right status), and the rrdcached flush.
set -euo pipefail

: "${FT_BUILDDIR:?}" "${FT_SRCDIR:?}"
CGI=$FT_BUILDDIR/cgi/flowtally.cgi
T=$(mktemp -d /tmp/test_cgi.XXXXXX)
RRDCACHED_PID=
cleanup() {
	if [ -n "$RRDCACHED_PID" ]; then kill "$RRDCACHED_PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

python3 "$FT_SRCDIR/tests/integration/cgi_fixture.py" "$T" 2
export FLOWTALLY_CONF=$T/flowtally.conf

# run METHOD QUERY [extra env...]: headers to $T/h, body to $T/b, status in $STATUS.
run() {
	local method=$1 qs=$2
	shift 2
	env REQUEST_METHOD="$method" QUERY_STRING="$qs" "$@" "$CGI" >"$T/out" 2>"$T/err" ||
		fail "cgi exited non-zero for '$qs'"
	local off
	off=$(grep -obUazP '\r\n\r\n' "$T/out" | head -1 | tr -d '\0' | cut -d: -f1)
	[ -n "$off" ] || fail "no header/body separator for '$qs'"
	head -c "$((off + 2))" "$T/out" >"$T/h"
	tail -c "+$((off + 5))" "$T/out" >"$T/b"
	STATUS=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$T/h")
	BYTES=$(stat -c %s "$T/b")
	if grep -qi '^Content-Length:' "$T/h"; then
		local cl
		cl=$(grep -i '^Content-Length:' "$T/h" | tr -dc '0-9')
		[ "$method" = HEAD ] || [ "$cl" = "$BYTES" ] ||
			fail "Content-Length $cl != body $BYTES for '$qs'"
	fi
}
header() { grep -i "^$1:" "$T/h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
is_png() { [ "$(head -c 8 "$T/b" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
png_size() { python3 -c "import struct,sys;d=open(sys.argv[1],'rb').read(24);print(*struct.unpack('>II',d[16:24]))" "$T/b"; }

# --- the menu ---
run GET ""
[ "$STATUS" = 200 ] || fail "menu status $STATUS"
grep -q 'text/html' "$T/h" || fail "menu content type"
for want in 'value="protocol_tcp"' 'value="service_https"' 'value="network_web_service_http"' \
	'value="interface_uplink_as_google"' 'value="gw1.protocol_tcp"' 'value="gw2.total"' \
	'name="all" value="gw1.protocol"' 'Dashboard: NOC wall' '/scoreboard/current.html' \
	'/scoreboard/history/index.html' 'name="period"' 'name="start"' 'name="format"'; do
	grep -qF "$want" "$T/b" || fail "menu lacks $want"
done
grep -q 'not-a-router' "$T/b" && fail "a directory not in the config shown as a router"
pass "menu lists the catalog"

# --- the show page (menu + graph) ---
run GET "page=show&report=bits&item=total&all=protocol&mode=each"
[ "$STATUS" = 200 ] || fail "show status $STATUS"
n=$(grep -o 'class="graph"' "$T/b" | wc -l)
[ "$n" = 4 ] || fail "mode=each: $n graphs, want 4"
grep -qF 'src="?page=graph&amp;report=bits' "$T/b" || fail "show: graph url"
pass "show page with one graph per item"

# The scoreboard links a host's networks as ?network=LABEL.
run GET "network=web"
[ "$STATUS" = 200 ] || fail "network=web status $STATUS"
grep -qF 'item=network_web"' "$T/b" || fail "network=web not drawn"
run GET "network=..%2Fx"
[ "$STATUS" = 400 ] || fail "network=../x status $STATUS"
pass "scoreboard network links"

# --- PNG ---
run GET "page=graph&report=bits&period=1d&width=500&height=200&item=total&all=protocol&all=service&item=network_web_service_http"
[ "$STATUS" = 200 ] || fail "png status $STATUS: $(cat "$T/err")"
[ "$(header Content-Type)" = image/png ] || fail "png type"
is_png || fail "not a PNG"
read -r w h < <(png_size)
[ "$w" -gt 500 ] && [ "$h" -gt 200 ] || fail "png size ${w}x$h"
[ "$BYTES" -gt 8000 ] || fail "png only $BYTES bytes"
[ -n "$(header Last-Modified)" ] || fail "no Last-Modified"
[ -n "$(header Expires)" ] || fail "no Expires"
header Cache-Control | grep -q 'max-age=[0-9]' || fail "no max-age"
pass "PNG ${w}x$h, $BYTES bytes, cache headers"

# Expires is the next interval boundary (+ refresh_delay 30 s).
python3 - "$(header Expires)" "$(header Last-Modified)" <<'PY' || fail "Expires not aligned"
import sys, email.utils, time
e = email.utils.parsedate_to_datetime(sys.argv[1]).timestamp()
assert (e - 30) % 300 == 0, e
assert 0 < e - time.time() <= 330, e - time.time()
PY
lm=$(header Last-Modified)
run GET "page=graph&report=bits&period=1d&width=500&height=200&item=total&all=protocol&all=service&item=network_web_service_http" \
	HTTP_IF_MODIFIED_SINCE="$lm"
[ "$STATUS" = 304 ] || fail "If-Modified-Since: status $STATUS"
[ "$BYTES" = 0 ] || fail "304 with a body"
pass "304 Not Modified"

run HEAD "page=graph&item=total"
[ "$STATUS" = 200 ] && [ "$BYTES" = 0 ] || fail "HEAD: $STATUS, $BYTES bytes"
pass "HEAD"

# --- SVG with the expected series ---
run GET "page=graph&format=svg&report=packets&units=iec&item=total&item=protocol_tcp&item=protocol_udp&item=service_https&item=gw1.total"
[ "$STATUS" = 200 ] || fail "svg status $STATUS: $(cat "$T/err")"
[ "$(header Content-Type)" = image/svg+xml ] || fail "svg type"
grep -q '<svg' "$T/b" || fail "not SVG"
for want in TOTAL TCP UDP 'HTTPS src' 'gw1 TOTAL' '95th percentile' 'Other Protocols' 'packets per second (IEC, 1024)' '%)'; do
	grep -qF "$want" "$T/b" || fail "SVG lacks '$want'"
done
pass "SVG has the series, shares, p95 and IEC units"

# legend off, p95 off
run GET "page=graph&format=svg&legend=0&p95=0&item=total"
grep -q '95th' "$T/b" && fail "p95=0 still draws p95"
grep -q 'TOTAL' "$T/b" && fail "legend=0 still has a legend"
pass "legend and p95 switches"

# --- dashboards ---
run GET "page=dash&dash=noc"
[ "$STATUS" = 200 ] || fail "dash status $STATUS"
n=$(grep -o 'class="graph"' "$T/b" | wc -l)
[ "$n" = 4 ] || fail "dashboard has $n graphs, want 4"
grep -q 'theme=dark' "$T/b" || fail "dashboard graphs not dark"
grep -q 'http-equiv="refresh" content="[0-9]' "$T/b" || fail "no refresh"
grep -q 'class="dark"' "$T/b" || fail "no dark theme"
grep -qF 'src="/scoreboard/current.html"' "$T/b" || fail "no scoreboard"
grep -q 'kiosk=1' "$T/b" || fail "no kiosk link"
run GET "page=dash&dash=noc&kiosk=1"
grep -q 'class="nav"' "$T/b" && fail "kiosk shows navigation"
run GET "page=dash&dash=nope"
[ "$STATUS" = 404 ] || fail "unknown dashboard: $STATUS"
pass "dashboard, kiosk, 404"

# --- hostile requests: HTML error pages ---
while IFS= read -r qs; do
	run GET "$qs"
	[ "$STATUS" = 400 ] || fail "'$qs' gave status $STATUS"
	grep -q 'text/html' "$T/h" || fail "'$qs' not an HTML error"
	grep -qi '<script' "$T/b" && fail "'$qs' echoed markup"
	grep -q 'etc/passwd' "$T/b" && fail "'$qs' echoed a path"
	[ -s "$T/err" ] && fail "'$qs' wrote to stderr: $(cat "$T/err")"
	true
done <<'EOF2'
item=../../etc/passwd
page=show&item=..%2F..%2Fetc%2Fpasswd
page=show&item=total%3AAVERAGE
page=show&item=total%0ADEF%3Ax%3D%2Fetc%2Fpasswd%3Ax%3AAVERAGE
page=show&item=%3Cscript%3Ealert(1)%3C%2Fscript%3E
page=show&item=total%00
page=show&report=bits&report=flows
page=show&width=100000
debug=1
page=show&item=protocol_nonexistent
page=show&item=not-a-router.total
page=show&all=../protocol
page=show&item=total.rrd
EOF2
pass "hostile queries give 400 HTML pages"

# The message names an unknown item only when it passed the name grammar.
run GET "page=show&item=protocol_nonexistent"
grep -q 'no such graph item: protocol_nonexistent' "$T/b" || fail "unknown item message"

# --- hostile requests: error images ---
for qs in 'page=graph&item=total%3AAVERAGE' 'page=graph&item=..%2Ftotal' \
	'page=graph&item=total&width=99999' 'page=graph&item=nope' \
	"page=graph&item=total&start=$(printf 'x%.0s' {1..5000})"; do
	run GET "$qs"
	[ "$STATUS" = 400 ] || fail "'${qs:0:60}' gave status $STATUS"
	is_png || fail "'${qs:0:60}' not an error PNG"
done
run GET 'page=graph&format=svg&item=nope'
[ "$STATUS" = 400 ] && grep -q '<svg' "$T/b" && grep -q 'graph failed' "$T/b" ||
	fail "SVG error image"
pass "hostile graph requests give 400 error images"

run POST "page=graph&item=total"
[ "$STATUS" = 405 ] || fail "POST gave $STATUS"
run GET "" FLOWTALLY_CONF=$T/missing.conf
[ "$STATUS" = 500 ] || fail "missing config gave $STATUS"
grep -q 'configuration error' "$T/b" || fail "config error page"
grep -q "$T" "$T/b" && fail "config error page leaks the path"
pass "405, 500 without details"

# A damaged RRD: an error image, not a crash.
echo garbage >"$T/rrd/protocol_icmp.rrd"
run GET "page=graph&item=protocol_icmp"
[ "$STATUS" = 500 ] && is_png || fail "damaged RRD: status $STATUS"
pass "damaged RRD gives a 500 error image"

# --- rrdcached: the CGI flushes what it draws ---
if command -v rrdcached >/dev/null; then
	sock=$T/rrdcached.sock
	mkdir -p "$T/journal"
	rrdcached -g -l "unix:$sock" -w 3600 -z 1 -j "$T/journal" -p "$T/rrdcached.pid" \
		>"$T/rrdcached.log" 2>&1 &
	RRDCACHED_PID=$!
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
	[ -S "$sock" ] || fail "rrdcached did not start"
	last=$(rrdtool lastupdate "$T/rrd/protocol_udp.rrd" | tail -1 | cut -d: -f1)
	next=$((last + 300))
	rrdtool update --daemon "unix:$sock" "$T/rrd/protocol_udp.rrd" "$next:1:1:1:1:1:1"
	now_last=$(rrdtool lastupdate "$T/rrd/protocol_udp.rrd" | tail -1 | cut -d: -f1)
	[ "$now_last" = "$last" ] || fail "rrdcached wrote through at once; cannot test flush"
	sed -i "s|^cgi {|cgi {\n\trrdcached = \"unix:$sock\"|" "$T/flowtally.conf"
	run GET "page=graph&item=protocol_udp"
	[ "$STATUS" = 200 ] || fail "graph via rrdcached: $STATUS $(cat "$T/err")"
	now_last=$(rrdtool lastupdate "$T/rrd/protocol_udp.rrd" | tail -1 | cut -d: -f1)
	[ "$now_last" = "$next" ] || fail "CGI did not flush rrdcached ($now_last != $next)"
	pass "rrdcached flushed before drawing"
fi
echo "all CGI checks passed"
