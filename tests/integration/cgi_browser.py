#!/usr/bin/env python3
"""Drive headless Chromium over the DevTools protocol (stdlib only).

Usage: cgi_browser.py PROFILE_DIR BASE_URL OUT_DIR
Chromium must already run with --remote-debugging-port=0 and
--user-data-dir=PROFILE_DIR. Loads the menu from BASE_URL, selects items,
submits, asserts every graph image loaded (naturalWidth > 0), then loads the
dashboard and asserts its graphs and scoreboard frame rendered. Screenshots
go to OUT_DIR/screenshot-menu.png and OUT_DIR/screenshot-dashboard.png.
"""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.request

DEADLINE = 60.0


def fail(msg):
    sys.exit("browser test: " + msg)


class WebSocket:
    """The client side of RFC 6455, enough for DevTools: text frames."""

    def __init__(self, url):
        assert url.startswith("ws://")
        hostport, path = url[5:].split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key))
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                fail("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            fail("websocket handshake: " + head.decode(errors="replace"))

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                fail("websocket closed")
            buf += chunk
        return buf

    def send(self, text):
        data = text.encode()
        head = bytes([0x81])
        if len(data) < 126:
            head += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(head + mask + body)

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                fail("websocket closed by the browser")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Page:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method,
                                 "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    fail("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})

    def js(self, expr):
        res = self.call("Runtime.evaluate", expression=expr,
                        returnByValue=True)
        if "exceptionDetails" in res:
            fail("javascript %r: %s" % (expr, res["exceptionDetails"]))
        return res["result"].get("value")

    def wait(self, expr, what):
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            try:
                if self.js(expr):
                    return
            except SystemExit:
                pass  # the page navigated away mid-evaluation
            time.sleep(0.1)
        fail("timed out waiting for " + what)

    def goto(self, url, expect=None):
        """Navigate and wait until the page whose URL holds expect loaded."""
        self.call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && "
                  "location.href.indexOf(%s) >= 0" %
                  json.dumps(expect or url), "load " + url)

    def screenshot(self, path, height):
        self.call("Emulation.setDeviceMetricsOverride", width=1100,
                  height=height, deviceScaleFactor=1, mobile=False)
        time.sleep(0.2)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


def devtools_url(profile):
    end = time.monotonic() + DEADLINE
    port_file = os.path.join(profile, "DevToolsActivePort")
    while time.monotonic() < end:
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 2:
                port = lines[0]
                try:
                    with urllib.request.urlopen(
                            "http://127.0.0.1:%s/json/list" % port) as r:
                        targets = json.load(r)
                except OSError:
                    targets = []
                for t in targets:
                    if t.get("type") == "page":
                        return t["webSocketDebuggerUrl"]
        time.sleep(0.1)
    fail("chromium did not open its DevTools port")


IMAGES_LOADED = ("(() => { const i = [...document.querySelectorAll("
                 "'img.graph')]; return i.length > 0 && i.every(x => "
                 "x.complete && x.naturalWidth > 0); })()")


def main():
    profile, base, out = sys.argv[1:4]
    page = Page(devtools_url(profile))
    page.call("Page.enable")
    page.call("Emulation.setDeviceMetricsOverride", width=1100, height=900,
              deviceScaleFactor=1, mobile=False)

    # The menu: pick items the way a user would, then submit.
    page.goto(base + "/", "/flowtally.cgi")  # "/" redirects
    page.wait("document.getElementById('menu') !== null", "the menu form")
    page.js("""(() => {
        const pick = v => { const o = document.querySelector(
            'option[value="' + v + '"]'); o.selected = true; };
        ['total', 'protocol_tcp', 'protocol_udp', 'service_https',
         'network_web_service_http'].forEach(pick);
        document.querySelector('input[name=all][value="gw1.protocol"]')
            .checked = true;
        document.querySelector('select[name=period]').value = '1d';
        document.querySelector('select[name=width]').value = '800';
        document.querySelector('select[name=height]').value = '200';
        document.getElementById('generate').click();
        return true; })()""")
    page.wait("location.search.indexOf('page=show') >= 0 && "
              "document.readyState === 'complete'", "the graph page")
    page.wait(IMAGES_LOADED, "the graph image")
    dims = page.js("(() => { const i = document.querySelector('img.graph');"
                   " return [i.naturalWidth, i.naturalHeight, "
                   "i.getAttribute('src')]; })()")
    if dims[0] < 800 or dims[1] < 200:
        fail("graph is %dx%d" % (dims[0], dims[1]))
    for want in ("item=protocol_tcp", "all=gw1.protocol", "period=1d"):
        if want not in dims[2]:
            fail("graph url %r lacks %s" % (dims[2], want))
    kept = page.js("document.querySelector('option[value=\"protocol_tcp\"]')"
                   ".selected")
    if not kept:
        fail("the menu forgot the selection")
    print("ok: menu submitted, graph %dx%d loaded" % (dims[0], dims[1]))
    page.screenshot(os.path.join(out, "screenshot-menu.png"), 1250)

    # A hostile item in the URL: the page says so, nothing is drawn.
    page.goto(base + "/flowtally.cgi?page=show&item=..%2Fetc")
    if page.js("document.querySelectorAll('img.graph').length") != 0:
        fail("a hostile item drew a graph")
    if "invalid" not in page.js("document.body.innerText"):
        fail("no error message for a hostile item")
    print("ok: hostile item refused in the browser")

    # The dashboard: every tile and the scoreboard frame render.
    page.call("Emulation.setDeviceMetricsOverride", width=1100, height=900,
              deviceScaleFactor=1, mobile=False)
    page.goto(base + "/flowtally.cgi?page=dash&dash=noc&kiosk=1")
    page.wait(IMAGES_LOADED, "the dashboard graphs")
    n = page.js("document.querySelectorAll('#dashboard img.graph').length")
    if n != 4:
        fail("dashboard shows %d graphs" % n)
    page.wait("(() => { const f = document.querySelector('iframe.board');"
              " return f && f.contentDocument && f.contentDocument.body && "
              "f.contentDocument.body.innerText.indexOf('Scoreboard') >= 0;"
              " })()", "the scoreboard frame")
    bg = page.js("getComputedStyle(document.body).backgroundColor")
    if bg != "rgb(17, 17, 17)":
        fail("dashboard background is %s, not dark" % bg)
    print("ok: dashboard with %d graphs, scoreboard, dark theme" % n)
    page.screenshot(os.path.join(out, "screenshot-dashboard.png"), 1000)


if __name__ == "__main__":
    main()
