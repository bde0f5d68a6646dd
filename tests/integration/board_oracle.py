#!/usr/bin/env python3
"""Reference for the scoreboard end-to-end test (test_board_e2e.sh).

gen DIR: two intervals of generated flows (DIR/<start>-<end>.csv), one of
300 s and one of 900 s, with inside, internal and transit traffic, IPv4 and
IPv6, and deliberate ties.
check DIR BOARD: recompute each interval's six top-3 tables from the CSVs
(plain loops, Python's ipaddress) and compare them, with rates over the
real interval length and shares of the direction's total, with the JSON
history pages the scanner wrote; check the aggregate JSON after both.
"""
import glob
import ipaddress
import json
import os
import random
import sys
import time

SUBNETS = [ipaddress.ip_network(x) for x in ("10.0.0.0/8", "2001:db8::/32")]
INTERVALS = [(1700000100, 1700000400), (1700000400, 1700001300)]
TOP = 3


def inside(a):
    a = ipaddress.ip_address(a)
    return any(a.version == n.version and a in n for n in SUBNETS)


def gen(d):
    rnd = random.Random(6)
    ins = ["10.1.0.%d" % i for i in range(1, 9)] + ["2001:db8::%x" % i
                                                    for i in range(1, 4)]
    outs = ["198.51.100.%d" % i for i in range(1, 5)] + ["2001:db9::1"]
    for start, end in INTERVALS:
        with open(os.path.join(d, "%d-%d.csv" % (start, end)), "w") as f:
            f.write("exporter,src,dst,sport,dport,proto,tos,packets,bytes,"
                    "in_if,out_if,src_as,dst_as,sampling\n")
            n = 0
            while n < 400:
                k = rnd.random()
                a, b = rnd.choice(ins + outs), rnd.choice(ins + outs)
                if (":" in a) != (":" in b):
                    continue
                pk = rnd.randint(1, 50)
                by = pk * rnd.choice([100, 500, 1000])  # ties likely
                f.write("192.0.2.1,%s,%s,1000,80,6,0,%d,%d,1,2,0,0,1\n"
                        % (a, b, pk, by))
                n += 1


def key(addr):
    a = ipaddress.ip_address(addr)
    return (a.version, int(a))


def expect(csv):
    hosts, tot = {}, {"in": [0, 0, 0], "out": [0, 0, 0]}
    with open(csv) as f:
        next(f)
        for line in f:
            r = line.strip().split(",")
            src, dst, pk, by = r[1], r[2], int(r[7]), int(r[8])
            si, di = inside(src), inside(dst)
            if si == di:
                continue  # internal or transit: not counted
            d, h = ("in", dst) if di else ("out", src)
            c = hosts.setdefault(h, {"in": [0, 0, 0], "out": [0, 0, 0]})
            for i, v in enumerate((by, pk, 1)):
                c[d][i] += v
                tot[d][i] += v
    return hosts, tot


def check(d, board):
    mets = ["bytes", "packets", "flows"]
    bad = 0
    for start, end in INTERVALS:
        hosts, tot = expect(os.path.join(d, "%d-%d.csv" % (start, end)))
        secs = end - start
        name = time.strftime("history/%Y/%Y-%m-%d/%H%M%SZ.json",
                             time.gmtime(start))
        with open(os.path.join(board, name)) as f:
            page = json.load(f)
        assert page["seconds"] == secs, (page["seconds"], secs)
        for dr in ("in", "out"):
            for i, m in enumerate(mets):
                assert page["totals"][dr][m] == tot[dr][i]
        tables = page["tables"]
        assert len(tables) == 6
        for t in tables:
            dr, m = t["direction"], t["metric"]
            i = mets.index(m)
            want = sorted((h for h in hosts if hosts[h][dr][i] > 0),
                          key=lambda h: (-hosts[h][dr][i], key(h)))[:TOP]
            got = [r["address"] for r in t["rows"]]
            want = [str(ipaddress.ip_address(h)) for h in want]
            if got != want:
                print("%s %s %s: got %s want %s" % (start, dr, m, got, want))
                bad += 1
                continue
            for r in t["rows"]:
                c = hosts[r["address"]]
                for d2 in ("in", "out"):
                    for j, m2 in enumerate(mets):
                        v = c[d2][j]
                        rate = v * (8 if j == 0 else 1) / secs
                        unit = "bits" if j == 0 else m2
                        pct = 100.0 * v / tot[d2][j] if tot[d2][j] else 0
                        g = r[d2]
                        if (g[m2] != v or
                                abs(g[unit + "_per_s"] - rate) > 0.0005 or
                                abs(g[m2 + "_pct"] - pct) > 0.0005):
                            print("%s %s: %s %s %s != %s" %
                                  (start, r["address"], d2, m2, g, v))
                            bad += 1
    with open(os.path.join(board, "overall.json")) as f:
        agg = json.load(f)
    assert agg["samples"] == 2, agg["samples"]
    if bad:
        sys.exit(1)
    print("scoreboard oracle: %d intervals match" % len(INTERVALS))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "intervals":
        print(" ".join("%d:%d" % x for x in INTERVALS))
