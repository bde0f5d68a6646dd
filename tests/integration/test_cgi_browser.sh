#!/usr/bin/env bash
# A real browser against flowtally.cgi: lighttpd (etc/lighttpd/flowtally.conf)
# serves the CGI and a scoreboard directory on 127.0.0.1 at an ephemeral
# port; headless Chromium, driven over its DevTools protocol, loads the
# menu, selects items, submits, and checks the graph image loaded and the
# dashboard rendered. FT_SCREENSHOTS=DIR keeps the screenshots there.
set -euo pipefail

: "${FT_BUILDDIR:?}" "${FT_SRCDIR:?}"
FT_BUILDDIR=$(realpath "$FT_BUILDDIR")
FT_SRCDIR=$(realpath "$FT_SRCDIR")
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "FAIL: chromium is not installed (scripts/deps.sh)" >&2; exit 1; }
command -v lighttpd >/dev/null || { echo "FAIL: lighttpd is not installed" >&2; exit 1; }

T=$(mktemp -d /tmp/test_cgi_browser.XXXXXX)
LPID= CPID=
cleanup() {
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null || true
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null || true
	[ -n "$CPID" ] && wait "$CPID" 2>/dev/null || true
	[ -n "$LPID" ] && wait "$LPID" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

python3 "$FT_SRCDIR/tests/integration/cgi_fixture.py" "$T" 2
mkdir -p "$T/www" "$T/scoreboard" "$T/profile"
cat >"$T/scoreboard/current.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>Scoreboard</title></head>
<body><h2>Scoreboard: top talkers</h2><table border="1"><tr><th>rank</th><th>host</th>
<th>bits/s in</th><th>bits/s out</th></tr><tr><td>#1</td><td>198.51.100.7</td>
<td>12.3 M (24.1%)</td><td>2.1 M (3.0%)</td></tr></table></body></html>
HTML

# lighttpd on an ephemeral port: pick a free one, retry if it was taken.
started=
for _ in 1 2 3 4 5; do
	port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
	FT_PORT=$port FT_CGI="$FT_BUILDDIR/cgi/flowtally.cgi" FT_CONF="$T/flowtally.conf" \
		FT_SCOREBOARD_DIR="$T/scoreboard" FT_DOCROOT="$T/www" \
		lighttpd -D -f "$FT_SRCDIR/etc/lighttpd/flowtally.conf" >"$T/lighttpd.log" 2>&1 &
	LPID=$!
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			started=1
			break
		fi
		kill -0 "$LPID" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$started" ] && break
	kill "$LPID" 2>/dev/null || true
	wait "$LPID" 2>/dev/null || true
	LPID=
done
[ -n "$started" ] || { echo "FAIL: lighttpd did not start"; cat "$T/lighttpd.log"; exit 1; }
echo "ok: lighttpd on 127.0.0.1:$port"

"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$T/profile" \
	--remote-debugging-port=0 --remote-allow-origins='*' about:blank \
	>"$T/chromium.log" 2>&1 &
CPID=$!

out=${FT_SCREENSHOTS:-$T}
mkdir -p "$out"
if ! python3 "$FT_SRCDIR/tests/integration/cgi_browser.py" "$T/profile" \
	"http://127.0.0.1:$port" "$out"; then
	echo "--- lighttpd log"; cat "$T/lighttpd.log"
	echo "--- chromium log"; tail -20 "$T/chromium.log"
	exit 1
fi
for f in screenshot-menu.png screenshot-dashboard.png; do
	[ "$(head -c 4 "$out/$f" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] ||
		{ echo "FAIL: $f is not a PNG"; exit 1; }
done
echo "all browser checks passed"
