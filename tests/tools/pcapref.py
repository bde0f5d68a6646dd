#!/usr/bin/env python3
"""pcapref: an independent, deliberately simple reference count of pcap files.

Reads classic pcap files (Ethernet, 802.1Q, Linux SLL, raw IP) with nothing
but the standard library, and sums IP packets and bytes (the IP header's
length, never the frame's) per interval, per direction, per local network,
per service and per protocol, the way flowtally's scanner classifies:

- direction: destination local -> in; source local -> out; both -> internal;
  neither -> transit (each counted on its own);
- networks: every network containing the local host counts the packet;
- services: a packet counts in service_<s>_src when its source port is in
  the service's port set for its protocol, and in service_<s>_dst when its
  destination port is; both may hold;
- protocols by number; ToS classes by the raw ToS byte;
- network x service: once when either port is in the service.

It is the oracle of the end-to-end test, so it shares no code with
flowtally. Usage:

  pcapref.py --interval 300 --spec spec.json ROUTER=FILE.pcap ...

spec.json: {"subnets": [...], "networks": {"label": [prefixes]},
            "services": {"label": [[proto, lo, hi], ...]},
            "protocols": {"label": number},
            "network_services": {"network": ["service", ...]},
            "tos": {"label": [lo, hi]}}
A network x service object counts a packet once when either port is in the
service (the scanner's rule); ToS classes match the raw ToS byte.
Prints JSON: {"<interval start>": {"<router or _all>": {"<object>":
{"in_bytes":..,"out_bytes":..,"in_pkts":..,"out_pkts":..}}}}; the scope
"_hosts" holds the same counters per local host address.
"""
import argparse
import ipaddress
import json
import struct
import sys
from collections import defaultdict


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        e = ">"
    else:
        raise SystemExit("%s: not a classic pcap file" % path)
    nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
    linktype = struct.unpack_from(e + "I", data, 20)[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _wire = struct.unpack_from(e + "IIII", data, off)
        off += 16
        frame = data[off:off + caplen]
        off += caplen
        ts = sec + frac / (1e9 if nano else 1e6)
        if linktype == 1:
            p, et = 14, struct.unpack_from("!H", frame, 12)[0]
            while et in (0x8100, 0x88A8) and len(frame) >= p + 4:
                et = struct.unpack_from("!H", frame, p + 2)[0]
                p += 4
        elif linktype == 113:
            p, et = 16, struct.unpack_from("!H", frame, 14)[0]
        elif linktype in (101, 12, 228, 229):
            p, et = 0, 0x0800 if frame[0] >> 4 == 4 else 0x86DD
        else:
            raise SystemExit("%s: link type %d not supported" % (path, linktype))
        if et == 0x0800 and len(frame) >= p + 20:
            ihl = (frame[p] & 15) * 4
            iplen = struct.unpack_from("!H", frame, p + 2)[0]
            proto = frame[p + 9]
            tos = frame[p + 1]
            fragoff = struct.unpack_from("!H", frame, p + 6)[0] & 0x1FFF
            src = ipaddress.IPv4Address(frame[p + 12:p + 16])
            dst = ipaddress.IPv4Address(frame[p + 16:p + 20])
            l4 = p + ihl
        elif et == 0x86DD and len(frame) >= p + 40:
            iplen = 40 + struct.unpack_from("!H", frame, p + 4)[0]
            proto = frame[p + 6]
            tos = (struct.unpack_from("!H", frame, p)[0] >> 4) & 0xFF
            fragoff = 0
            src = ipaddress.IPv6Address(frame[p + 8:p + 24])
            dst = ipaddress.IPv6Address(frame[p + 24:p + 40])
            l4 = p + 40
        else:
            continue
        sport = dport = 0
        if fragoff == 0 and proto in (6, 17, 132) and len(frame) >= l4 + 4:
            sport, dport = struct.unpack_from("!HH", frame, l4)
        elif fragoff == 0 and proto in (1, 58) and len(frame) >= l4 + 2:
            dport = frame[l4] << 8 | frame[l4 + 1]
        yield ts, src, dst, proto, tos, sport, dport, iplen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interval", type=int, default=300)
    ap.add_argument("--spec", required=True)
    ap.add_argument("inputs", nargs="+", help="ROUTER=FILE.pcap")
    a = ap.parse_args()
    spec = json.load(open(a.spec))
    subnets = [ipaddress.ip_network(s) for s in spec["subnets"]]
    networks = {k: [ipaddress.ip_network(p) for p in v]
                for k, v in spec.get("networks", {}).items()}
    services = spec.get("services", {})
    protocols = spec.get("protocols", {})
    netsvc = spec.get("network_services", {})
    tos_classes = spec.get("tos", {})

    def local(addr):
        return any(addr.version == n.version and addr in n for n in subnets)

    out = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    hosts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for item in a.inputs:
        router, path = item.split("=", 1)
        for ts, src, dst, proto, tos, sport, dport, iplen in packets(path):
            bucket = int(ts) - int(ts) % a.interval
            sl, dl = local(src), local(dst)
            if dl and sl:
                d, host, objs = "internal", None, ["internal"]
            elif dl:
                d, host = "in", dst
            elif sl:
                d, host = "out", src
            else:
                d, host, objs = "transit", None, ["transit"]
            if host is not None:
                objs = ["total"]
                for label, num in protocols.items():
                    if proto == num:
                        objs.append("protocol_" + label)
                for label, ports in services.items():
                    if any(proto == p and lo <= sport <= hi for p, lo, hi in ports):
                        objs.append("service_%s_src" % label)
                    if any(proto == p and lo <= dport <= hi for p, lo, hi in ports):
                        objs.append("service_%s_dst" % label)
                for label, (lo, hi) in tos_classes.items():
                    if lo <= tos <= hi:
                        objs.append("tos_" + label)
                for label, nets in networks.items():
                    if any(host.version == n.version and host in n for n in nets):
                        objs.append("network_" + label)
                        for svc in netsvc.get(label, []):
                            ports = services[svc]
                            if any(proto == p and (lo <= sport <= hi or lo <= dport <= hi)
                                   for p, lo, hi in ports):
                                objs.append("network_%s_service_%s" % (label, svc))
                pre = d
                h = hosts[bucket][str(host)]
                h[d + "_bytes"] += iplen
                h[d + "_pkts"] += 1
            else:
                pre = "in"  # internal/transit totals use the in_* counters
            for scope in ("_all", router):
                for o in objs:
                    # Networks are site-wide, as in CUFlow: no per-router
                    # network RRDs.
                    if scope != "_all" and o.startswith("network_"):
                        continue
                    c = out[bucket][scope][o]
                    c[pre + "_bytes"] += iplen
                    c[pre + "_pkts"] += 1
    for bucket, h in hosts.items():
        out[bucket]["_hosts"] = h
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
