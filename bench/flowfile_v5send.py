#!/usr/bin/env python3
"""Peer-comparison helper for bench/flowfile.sh: makes N traffic-like flow
records, writes them as flowtally-dump CSV (for --import) and sends the same
records as NetFlow v5 to a collector (nfcapd) on 127.0.0.1, paced so a
default-sized socket buffer does not overflow.

usage: flowfile_v5send.py N CSVFILE PORT BASE_SECONDS
"""
import random
import socket
import struct
import sys
import time

HDR = ("first,last,exporter,src,dst,sport,dport,proto,tos,tcp_flags,"
       "packets,bytes,in_if,out_if,src_as,dst_as,sampling,nexthop,src_mask,"
       "dst_mask,direction,vlan")


def iso(ms):
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return "%s.%03dZ" % (s, ms % 1000)


def ip(v):
    return "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)


def main():
    n, csvpath, port, base = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(42)
    ports = [443, 80, 53, 123, 22, 993, 8080]
    uptime = 100000000  # exporter uptime at export, ms
    export_ms = (base + 300) * 1000
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    recs = []
    seq = 0
    sent = 0
    with open(csvpath, "w") as out:
        out.write(HDR + "\n")
        for i in range(n):
            h = rnd.randrange(1 + rnd.randrange(65536))
            src = 0x0A000000 | h
            dst = 0x5D000000 + rnd.randrange(1 + rnd.randrange(1000000))
            dport = ports[rnd.randrange(7)]
            sport = 32768 + rnd.randrange(28000)
            proto = 17 if dport in (53, 123) else 6
            flags = 0x1B if proto == 6 else 0
            pk = 1 + rnd.randrange(1 + rnd.randrange(1000))
            by = pk * (40 + rnd.randrange(1460))
            first = base * 1000 + i * 300000 // n
            last = first + rnd.randrange(60000)
            nh = 0xC6336401 if i % 4 else 0
            in_if, out_if = 1 + i % 4, 5 + i % 3
            src_as, dst_as = 64512, 13335 + h % 50
            out.write("%s,%s,127.0.0.1,%s,%s,%d,%d,%d,0,%d,%d,%d,%d,%d,%d,%d,1,%s,24,16,0,0\n" % (
                iso(first), iso(last), ip(src), ip(dst), sport, dport, proto,
                flags, pk, by, in_if, out_if, src_as, dst_as,
                ip(nh) if nh else "-"))
            recs.append(struct.pack(
                "!IIIHHIIIIHHBBBBHHBBH", src, dst, nh, in_if, out_if, pk, by,
                uptime - (export_ms - first), uptime - (export_ms - last),
                sport, dport, 0, flags, proto, 0, src_as, dst_as, 24, 16, 0))
            if len(recs) == 30 or i == n - 1:
                hdr = struct.pack("!HHIIIIBBH", 5, len(recs), uptime,
                                  export_ms // 1000, (export_ms % 1000) * 1000000,
                                  seq, 0, 0, 0)
                sock.sendto(hdr + b"".join(recs), ("127.0.0.1", port))
                seq += len(recs)
                recs = []
                sent += 1
                if sent % 50 == 0:
                    time.sleep(0.002)
    print("sent %d records in %d packets" % (n, sent), file=sys.stderr)


main()
