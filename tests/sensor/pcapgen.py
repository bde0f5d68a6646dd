#!/usr/bin/env python3
"""Deterministic pcap generator for the sensor's tests and benchmarks.

  pcapgen.py mixed OUT.pcap        IPv4+IPv6, VLAN, QinQ, MPLS, fragments,
                                   truncated frames, ICMP, GRE, ESP, SCTP,
                                   ARP, Ethernet padding
  pcapgen.py links OUTDIR          one small file per odd link type
                                   (SLL, SLL2, raw, null, loop, ipv4, ipv6)
  pcapgen.py bench OUT.pcap N F    N packets over F flows (Ethernet,
                                   captured with a 96-byte snaplen)
  pcapgen.py flood OUT.pcap N      N packets, every one a new flow

Only struct and a fixed LCG: the same arguments give the same bytes.
"""
import struct
import sys

T0 = 1767225600  # 2026-01-01T00:00:00Z


class Lcg:
    def __init__(self, seed):
        self.s = seed & 0xffffffff

    def next(self, n):
        self.s = (self.s * 1103515245 + 12345) & 0x7fffffff
        return (self.s >> 8) % n


class Writer:
    def __init__(self, path, linktype, snaplen=65535):
        self.f = open(path, 'wb')
        self.f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0,
                                 snaplen, linktype))

    def frame(self, t_us, data, caplen=None):
        wire = len(data)
        if caplen is None:
            caplen = wire
        self.f.write(struct.pack('<IIII', t_us // 1000000, t_us % 1000000,
                                 caplen, wire))
        self.f.write(data[:caplen])

    def close(self):
        self.f.close()


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload, tos=0, frag=0, ident=1, opts=b''):
    ihl = 5 + len(opts) // 4
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, tos, ihl * 4 + len(payload),
                    ident, frag, 64, proto, 0, bytes(src), bytes(dst)) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nxt, payload, tc=0):
    return struct.pack('!IHBB16s16s', 6 << 28 | tc << 20, len(payload), nxt,
                       64, bytes(src), bytes(dst)) + payload


def tcp(sport, dport, flags, data=b''):
    return struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, flags,
                       65535, 0, 0) + data


def udp(sport, dport, data=b''):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data


def icmp(t, c, data=b''):
    return struct.pack('!BBHHH', t, c, 0, 1, 1) + data


def eth(payload, etype=0x0800, tags=()):
    h = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01'
    for tpid, vid in tags:
        h += struct.pack('!HH', tpid, vid)
    f = h + struct.pack('!H', etype) + payload
    if len(f) < 60:
        f += b'\0' * (60 - len(f))  # Ethernet padding: not IP bytes
    return f


def v4(a, b, c, d):
    return [a, b, c, d]


def v6(last, net=0x20010db8):
    return list(struct.pack('!I', net)) + [0] * 11 + [last]


def mixed(path):
    w = Writer(path, 1)
    r = Lcg(7)
    t = T0 * 1000000
    pl = lambda n: bytes((i * 7) & 0xff for i in range(n))
    frames = []
    # TCP conversations with handshake, data and FIN, IPv4 and IPv6.
    for i in range(20):
        cli, srv = v4(10, 0, 0, 1 + i), v4(192, 0, 2, 80)
        sp = 40000 + i
        seq = [(0x02, 0), (0x10, 0), (0x18, 100 + i), (0x18, 1200),
               (0x11, 0)]
        for fl, n in seq:
            frames.append(eth(ip4(cli, srv, 6, tcp(sp, 80, fl, pl(n)),
                                  tos=(i % 3) * 32)))
            frames.append(eth(ip4(srv, cli, 6, tcp(80, sp, fl | 0x10,
                                                   pl(n // 2)))))
    for i in range(10):
        a, b = v6(1 + i), v6(0x80)
        for n in (0, 50, 1300, 0):
            frames.append(eth(ip6(a, b, 6, tcp(50000 + i, 443, 0x18,
                                                 pl(n)), tc=i), 0x86dd))
    # UDP DNS-like, on VLANs and QinQ.
    for i in range(15):
        q = ip4(v4(10, 1, 0, i), v4(10, 1, 255, 53), 17,
                udp(5353 + i, 53, pl(30 + i)))
        frames.append(eth(q, tags=[(0x8100, 10 + i % 3)]))
        frames.append(eth(q, tags=[(0x88a8, 100), (0x8100, 20 + i % 2)]))
    # ICMP echo and unreachable, ICMPv6 echo and neighbour solicitation.
    for i in range(5):
        frames.append(eth(ip4(v4(10, 2, 0, 1), v4(8, 8, 8, 8), 1,
                              icmp(8, 0, pl(56)))))
        frames.append(eth(ip4(v4(8, 8, 8, 8), v4(10, 2, 0, 1), 1,
                              icmp(0, 0, pl(56)))))
        frames.append(eth(ip4(v4(10, 2, 0, 9), v4(10, 2, 0, 1), 1,
                              icmp(3, 3, pl(28)))))
        frames.append(eth(ip6(v6(5), v6(6), 58, icmp(128, 0, pl(16))),
                          0x86dd))
        frames.append(eth(ip6(v6(5), v6(7), 58, icmp(135, 0, pl(24))),
                          0x86dd))
    # GRE, ESP, SCTP, an unknown protocol, OSPF.
    for i in range(4):
        frames.append(eth(ip4(v4(172, 16, 0, 1), v4(172, 16, 0, 2), 47,
                              b'\0\0\x08\x00' + pl(40))))
        frames.append(eth(ip4(v4(172, 16, 1, 1), v4(172, 16, 1, 2), 50,
                              pl(80))))
        frames.append(eth(ip4(v4(172, 16, 2, 1), v4(172, 16, 2, 2), 132,
                              struct.pack('!HHII', 3868, 3868, 0, 0) +
                              pl(20))))
        frames.append(eth(ip4(v4(172, 16, 3, 1), v4(172, 16, 3, 2), 253,
                              pl(7))))
        frames.append(eth(ip6(v6(9), v6(10), 50, pl(64)), 0x86dd))
    # IPv4 fragments: first (ports), middle and last (no ports).
    for i in range(3):
        u = udp(7000 + i, 7001, pl(1600))
        fr = [u[0:800], u[800:1600], u[1600:]]
        frames.append(eth(ip4(v4(10, 3, 0, 1), v4(10, 3, 0, 2), 17, fr[0],
                              frag=0x2000, ident=100 + i)))
        frames.append(eth(ip4(v4(10, 3, 0, 1), v4(10, 3, 0, 2), 17, fr[1],
                              frag=0x2000 | 100, ident=100 + i)))
        frames.append(eth(ip4(v4(10, 3, 0, 1), v4(10, 3, 0, 2), 17, fr[2],
                              frag=200, ident=100 + i)))
    # IPv6 with hop-by-hop and destination options, and IPv6 fragments.
    for i in range(3):
        body = udp(9000 + i, 9001, pl(20 + i))
        hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
        dst = bytes([17, 0, 1, 4, 0, 0, 0, 0])
        frames.append(eth(ip6(v6(11), v6(12), 0, hbh + dst + body), 0x86dd))
        u = udp(9100 + i, 9101, pl(1500))
        f1 = struct.pack('!BBHI', 17, 0, 0x0001, 77 + i) + u[:1000]
        f2 = struct.pack('!BBHI', 17, 0, (1000 // 8) << 3, 77 + i) + u[1000:]
        frames.append(eth(ip6(v6(13), v6(14), 44, f1), 0x86dd))
        frames.append(eth(ip6(v6(13), v6(14), 44, f2), 0x86dd))
    # MPLS (two labels) carrying IPv4.
    for i in range(3):
        lbl = struct.pack('!II', (16 << 12) | 64, (17 << 12) | 0x100 | 64)
        frames.append(eth(lbl + ip4(v4(10, 4, 0, 1), v4(10, 4, 0, 2), 17,
                                    udp(4000, 4001, pl(10))), 0x8847))
    # Not IP: ARP and LLDP.
    for i in range(3):
        frames.append(eth(pl(28), 0x0806))
        frames.append(eth(pl(40), 0x88cc))
    r_order = list(range(len(frames)))
    # Deterministic shuffle so flows interleave.
    for i in range(len(r_order) - 1, 0, -1):
        j = r.next(i + 1)
        r_order[i], r_order[j] = r_order[j], r_order[i]
    for k in r_order:
        t += 1000 + r.next(50000)
        w.frame(t, frames[k])
    # Truncated frames: caplen < len but headers whole (counted) ...
    big = eth(ip4(v4(10, 5, 0, 1), v4(10, 5, 0, 2), 6,
                  tcp(1111, 2222, 0x18, pl(1000))))
    for i in range(3):
        t += 1000
        w.frame(t, big, caplen=14 + 20 + 20 + 10)
        t += 1000
        w.frame(t, big, caplen=14 + 20 + 14)
    # ... and cut inside the headers (dropped, counted by reason).
    for cut in (10, 14 + 10, 14 + 20 + 3, 14 + 20 + 13):
        t += 1000
        w.frame(t, big, caplen=cut)
    v6big = eth(ip6(v6(20), v6(21), 0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) +
                    udp(1, 2, pl(100))), 0x86dd)
    t += 1000
    w.frame(t, v6big, caplen=14 + 40 + 4)
    # A long-lived flow crossing the 300 s active timeout (every 20 s).
    for i in range(40):
        t += 20 * 1000000
        w.frame(t, eth(ip4(v4(10, 6, 0, 1), v4(10, 6, 0, 2), 17,
                           udp(123, 123, pl(48)))))
    w.close()


def links(outdir):
    pl = bytes(range(40))
    pkts = [
        ip4(v4(10, 9, 0, 1), v4(10, 9, 0, 2), 6, tcp(1000, 22, 0x18, pl)),
        ip4(v4(10, 9, 0, 2), v4(10, 9, 0, 1), 6, tcp(22, 1000, 0x10)),
        ip6(v6(1), v6(2), 17, udp(5000, 6000, pl)),
        ip4(v4(10, 9, 0, 3), v4(10, 9, 0, 4), 1, icmp(8, 0, pl)),
    ]

    def fam(p):
        return 6 if p[0] >> 4 == 6 else 4

    def sll(p):
        return struct.pack('!HHH8sH', 0, 1, 6, b'\x02' * 8,
                           0x86dd if fam(p) == 6 else 0x0800) + p

    def sll2(p):
        return struct.pack('!HHIHBB8s', 0x86dd if fam(p) == 6 else 0x0800,
                           0, 2, 1, 0, 6, b'\x02' * 8) + p

    def null_le(p):
        return struct.pack('<I', 30 if fam(p) == 6 else 2) + p

    def loop_be(p):
        return struct.pack('!I', 24 if fam(p) == 6 else 2) + p

    kinds = [('sll', 113, sll, pkts), ('sll2', 276, sll2, pkts),
             ('raw', 101, lambda p: p, pkts), ('null', 0, null_le, pkts),
             ('loop', 108, loop_be, pkts),
             ('ipv4', 228, lambda p: p, [p for p in pkts if fam(p) == 4]),
             ('ipv6', 229, lambda p: p, [p for p in pkts if fam(p) == 6])]
    for name, lt, wrap, ps in kinds:
        w = Writer('%s/link_%s.pcap' % (outdir, name), lt)
        t = T0 * 1000000
        for rep in range(3):
            for p in ps:
                t += 1000
                w.frame(t, wrap(p))
        w.close()


def bench(path, n, nflows, flood=False, snaplen=96):
    w = Writer(path, 1, snaplen)
    r = Lcg(42)
    t = T0 * 1000000
    hdr = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
    for i in range(n):
        f = i if flood else r.next(nflows)
        size = 40 + (f * 37 + i) % 1200 if not flood else 40
        if f % 11 == 0:
            size = 40 + (i % 6)  # small: Ethernet padding
        proto = 17 if f % 4 == 0 else 6
        src = bytes([10, (f >> 16) & 0xff, (f >> 8) & 0xff, f & 0xff])
        dst = bytes([192, 168, (f >> 8) & 0x3f, (f * 7) & 0xff])
        pay = size - 20
        if proto == 6:
            l4 = struct.pack('!HHIIBBHHH', 1024 + f % 50000, 80 + f % 3, i,
                             0, 0x50, 0x18, 65535, 0, 0)
        else:
            l4 = struct.pack('!HHHH', 1024 + f % 50000, 53, pay, 0)
        l4 += b'\0' * (pay - len(l4))
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, size, i & 0xffff, 0, 64,
                         proto, 0, src, dst)
        fr = hdr + ip + l4
        if len(fr) < 60:
            fr += b'\0' * (60 - len(fr))
        t += 1 + r.next(20)
        w.frame(t, fr, min(len(fr), snaplen))
    w.close()


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'mixed':
        mixed(sys.argv[2])
    elif cmd == 'links':
        links(sys.argv[2])
    elif cmd == 'bench':
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == 'flood':
        bench(sys.argv[2], int(sys.argv[3]), 0, flood=True)
    else:
        sys.exit('unknown kind ' + cmd)
