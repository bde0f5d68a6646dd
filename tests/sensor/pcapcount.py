#!/usr/bin/env python3
"""Independent per-5-tuple count of the IP packets in pcap files.

  pcapcount.py FILE...   prints "src dst proto sport dport packets bytes"
                         lines, sorted, summed over all files

The oracle of the sensor's exactness tests, written apart from the C
parser. Rules: bytes are the IP header's length (IPv4 total length, IPv6
40 + payload length), never the frame's; a packet counts only when the
headers its key needs are captured whole; non-first fragments have ports
0; ICMP/ICMPv6 have sport 0 and dport type*256+code.
"""
import ipaddress
import struct
import sys
from collections import defaultdict

PORTS = {6: 14, 17: 4, 33: 4, 132: 4, 136: 4, 1: 2, 58: 2}
EXT = {0, 43, 60, 135, 139, 140}


def l4(proto, b):
    need = PORTS.get(proto)
    if need is None:
        return (0, 0)
    if len(b) < need:
        return None
    if proto in (1, 58):
        return (0, b[0] * 256 + b[1])
    return struct.unpack('!HH', b[:4])


def parse_ip4(b, wire):
    if len(b) < 20:
        return None
    vihl, tos, total, _, frag, _, proto = struct.unpack('!BBHHHBB', b[:10])
    hl = (vihl & 15) * 4
    if vihl >> 4 != 4 or hl < 20:
        return None
    if total == 0:
        total = wire
    if total < hl or total > wire or len(b) < hl:
        return None
    src = str(ipaddress.IPv4Address(b[12:16]))
    dst = str(ipaddress.IPv4Address(b[16:20]))
    if frag & 0x1fff:
        return (src, dst, proto, 0, 0, total)
    p = l4(proto, b[hl:total])
    if p is None:
        return None
    return (src, dst, proto, p[0], p[1], total)


def parse_ip6(b, wire):
    if len(b) < 40 or b[0] >> 4 != 6:
        return None
    plen, nxt = struct.unpack('!HB', b[4:7])
    total = plen + 40 if plen else wire
    if total > wire:
        return None
    src = str(ipaddress.IPv6Address(b[8:24]))
    dst = str(ipaddress.IPv6Address(b[24:40]))
    b = b[40:total]
    for _ in range(16):
        if nxt in EXT or nxt == 51:
            if len(b) < 2:
                return None
            n = (b[1] + 2) * 4 if nxt == 51 else (b[1] + 1) * 8
            if len(b) < n:
                return None
            nxt, b = b[0], b[n:]
        elif nxt == 44:
            if len(b) < 8:
                return None
            off = struct.unpack('!H', b[2:4])[0] & 0xfff8
            nxt, b = b[0], b[8:]
            if off:
                return (src, dst, nxt, 0, 0, total)
        else:
            p = l4(nxt, b)
            if p is None:
                return None
            return (src, dst, nxt, p[0], p[1], total)
    return None


def by_type(t, b, wire):
    for _ in range(8):
        if t == 0x0800:
            return parse_ip4(b, wire)
        if t == 0x86dd:
            return parse_ip6(b, wire)
        if t in (0x8100, 0x88a8, 0x9100):
            if len(b) < 4:
                return None
            t, b, wire = struct.unpack('!H', b[2:4])[0], b[4:], wire - 4
        elif t in (0x8847, 0x8848):
            if len(b) < 4:
                return None
            bos = b[2] & 1
            b, wire = b[4:], wire - 4
            if bos:
                if not b:
                    return None
                t = {4: 0x0800, 6: 0x86dd}.get(b[0] >> 4)
                if t is None:
                    return None
        else:
            return None
    return None


def frame(lt, b, wire):
    if lt == 1:
        if len(b) < 14:
            return None
        return by_type(struct.unpack('!H', b[12:14])[0], b[14:], wire - 14)
    if lt == 113:
        if len(b) < 16:
            return None
        return by_type(struct.unpack('!H', b[14:16])[0], b[16:], wire - 16)
    if lt == 276:
        if len(b) < 20:
            return None
        return by_type(struct.unpack('!H', b[0:2])[0], b[20:], wire - 20)
    if lt in (101, 12, 14):
        if not b:
            return None
        return (parse_ip4 if b[0] >> 4 == 4 else parse_ip6)(b, wire)
    if lt == 228:
        return parse_ip4(b, wire)
    if lt == 229:
        return parse_ip6(b, wire)
    if lt in (0, 108):
        if len(b) < 4:
            return None
        af = struct.unpack('<I' if lt == 0 else '!I', b[:4])[0]
        if af > 0xffff:
            af = struct.unpack('>I' if lt == 0 else '<I', b[:4])[0]
        if af == 2:
            return parse_ip4(b[4:], wire - 4)
        if af in (10, 24, 28, 30):
            return parse_ip6(b[4:], wire - 4)
    return None


def main():
    acc = defaultdict(lambda: [0, 0])
    for path in sys.argv[1:]:
        with open(path, 'rb') as f:
            data = f.read()
        magic = struct.unpack('<I', data[:4])[0]
        e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        lt = struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff
        off = 24
        while off + 16 <= len(data):
            _, _, cap, wire = struct.unpack(e + 'IIII', data[off:off + 16])
            b = data[off + 16:off + 16 + cap]
            off += 16 + cap
            k = frame(lt, b, wire)
            if k is None:
                continue
            a = acc[k[:5]]
            a[0] += 1
            a[1] += k[5]
    for k in sorted(acc):
        print('%s %s %d %d %d %d %d' % (k + tuple(acc[k])))


if __name__ == '__main__':
    main()
