#!/usr/bin/env python3
"""Correctness oracle for flowtally-scanner.

gen DIR: write a deterministic vocabulary (DIR/vocab.conf), and one CSV of
generated flows per interval (DIR/csv/<start>.csv).
check DIR RRDDIR [DAEMON]: recompute every RRD's counts from the CSVs with a
deliberately simple reference (plain loops over the vocabulary, Python's
ipaddress module) and compare them with `rrdtool fetch` of the 1-step
AVERAGE archive: rate * step must equal the count. fetch prints 11
significant digits (relative error <= 5e-11), so with every count below
4e9 a tolerance of count * 1e-10 + 1e-6 stays under 0.5: it tells apart
any two integers, i.e. the comparison is exact.
"""
import ipaddress
import os
import random
import subprocess
import sys

STEP = 300
T0 = 1700000100  # a multiple of 300
# Intervals with a file; by default interval 2 is missing and its row must
# stay unknown. ORACLE_FILES="0 1 2 ..." overrides (the crash test).
FILES = [int(x) for x in os.environ.get("ORACLE_FILES", "0 1 3 4").split()]
NSTEPS = max(FILES) + 1

SUBNETS = ["10.0.0.0/8", "2001:db8::/32"]
NETWORKS = {
    "campus": (["10.1.0.0/16", "2001:db8:1::/48"], ["http", "https"]),
    "web": (["10.1.2.0/24"], ["http", "https", "ssh"]),
    "dorms": (["10.2.0.0/16"], []),
}
SERVICES = {
    "http": ["80/tcp", "8080-8089/tcp"],
    "https": ["443/tcp", "443/udp"],
    "ssh": ["22/tcp"],
    "dns": ["53/udp", "53/tcp"],
    "real": ["7070/tcp", "554/tcp", "6970-7170/udp"],
}
PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1, "gre": 47}
ROUTERS = {"r1": ("192.0.2.1", 0), "r2": ("192.0.2.2", 10)}
INTERFACES = {"up1": ("r1", 1, ["peers", "cust"]), "down1": ("r1", 2, [])}
TOS = {"normal": [(0, 0)], "ef": [(184, 184)], "other": [(1, 183), (185, 255)]}
AS_GROUPS = {"peers": [(65001, 65010)], "cust": [(64512, 64520), (65005, 65005)]}


def write_conf(path, rrd, flows, state, board):
    q = lambda xs: ", ".join('"%s"' % x for x in xs)
    with open(path, "w") as f:
        f.write("subnets = { %s }\nmulticast = true\n" % q(SUBNETS))
        for k, v in SERVICES.items():
            f.write('service "%s" { ports = { %s } }\n' % (k, q(v)))
        for k, (p, s) in NETWORKS.items():
            f.write('network "%s" { prefixes = { %s } services = { %s } }\n'
                    % (k, q(p), q(s)))
        for k, v in PROTOCOLS.items():
            f.write('protocol "%s" { number = "%d" }\n' % (k, v))
        for k, (a, r) in ROUTERS.items():
            f.write('router "%s" { address = "%s" sample_rate = %d }\n'
                    % (k, a, r))
        for k, v in TOS.items():
            f.write('tos "%s" { values = { %s } }\n'
                    % (k, q("%d-%d" % r for r in v)))
        for k, v in AS_GROUPS.items():
            f.write('as_group "%s" { asns = { %s } }\n'
                    % (k, q("%d-%d" % r for r in v)))
        for k, (r, i, g) in INTERFACES.items():
            f.write('interface "%s" { router = "%s" ifindex = %d '
                    'as_groups = { %s } }\n' % (k, r, i, q(g)))
        f.write('scanner {\n flow_dir = "%s"\n rrd_dir = "%s"\n'
                ' state_dir = "%s"\n interval = %d\n' % (flows, rrd, state, STEP))
        f.write(' scoreboard { top = 3 dir = "%s" rdns = false }\n' % board)


def gen(d):
    rnd = random.Random(20261125)
    os.makedirs(os.path.join(d, "csv"), exist_ok=True)
    inside = ["10.1.2.%d" % i for i in range(1, 6)] + \
        ["10.1.7.%d" % i for i in range(1, 4)] + \
        ["10.2.0.9", "10.9.9.9", "2001:db8:1::5", "2001:db8:2::7"]
    outside = ["198.51.100.%d" % i for i in range(1, 8)] + \
        ["203.0.113.4", "2001:db9::1"]
    mcast = ["239.1.1.1", "224.0.0.5", "ff02::1"]
    exporters = ["192.0.2.1", "192.0.2.2", "192.0.2.99"]
    ports = [80, 443, 22, 53, 7000, 8085, 554, 7070, 12345, 40000, 6970,
             7170, 7171]
    for idx in FILES:
        start = T0 + idx * STEP
        rows = []
        for _ in range(1500):
            kind = rnd.random()
            if kind < 0.4:
                src, dst = rnd.choice(outside), rnd.choice(inside)
            elif kind < 0.8:
                src, dst = rnd.choice(inside), rnd.choice(outside)
            elif kind < 0.87:
                src, dst = rnd.choice(inside), rnd.choice(inside)
            elif kind < 0.94:
                src, dst = rnd.choice(outside), rnd.choice(outside)
            else:
                src, dst = rnd.choice(inside + outside), rnd.choice(mcast)
            if (":" in src) != (":" in dst):
                continue
            proto = rnd.choice([6, 6, 6, 17, 17, 1, 47])
            sport = rnd.choice(ports) if proto in (6, 17) else 0
            dport = rnd.choice(ports) if proto in (6, 17) else \
                (rnd.choice([0x0800, 0x0000, 0x0303]) if proto == 1 else 0)
            sampling = rnd.choice([1, 1, 1, 4, 0])
            pk = rnd.randint(1, 200)
            by = pk * rnd.randint(40, 1500)
            if sampling == 4:
                pk, by = pk * 4, by * 4
            rows.append([rnd.choice(exporters), src, dst, sport, dport, proto,
                         rnd.choice([0, 0, 184, 1, 255, 32]), pk, by,
                         rnd.choice([0, 1, 2, 3]), rnd.choice([0, 1, 2, 3]),
                         rnd.choice([0, 65001, 65005, 64515, 3320, 65010]),
                         rnd.choice([0, 65002, 65005, 64512, 174]),
                         sampling])
        with open(os.path.join(d, "csv", "%d.csv" % start), "w") as f:
            f.write("exporter,src,dst,sport,dport,proto,tos,packets,bytes,"
                    "in_if,out_if,src_as,dst_as,sampling\n")
            for r in rows:
                f.write(",".join(str(x) for x in r) + "\n")


def port_in(spec, proto, port):
    p, pr = spec.split("/")
    if {"tcp": 6, "udp": 17}[pr] != proto:
        return False
    lo, _, hi = p.partition("-")
    return int(lo) <= port <= int(hi or lo)


def reference(d):
    """{rrd rel path: {interval end: [6 counts]}}"""
    exp = {}

    def add(rel, end, dirn, b, p, n):
        v = exp.setdefault(rel, {}).setdefault(end, [0] * 6)
        v[dirn] += b
        v[2 + dirn] += p
        v[4 + dirn] += n

    nets = {k: [ipaddress.ip_network(x) for x in v[0]]
            for k, v in NETWORKS.items()}
    subs = [ipaddress.ip_network(x) for x in SUBNETS]
    for idx in FILES:
        start = T0 + idx * STEP
        end = start + STEP
        with open(os.path.join(d, "csv", "%d.csv" % start)) as f:
            lines = f.read().split("\n")[1:]
        for line in lines:
            if not line:
                continue
            (exporter, src, dst, sport, dport, proto, tos, pk, by, iif, oif,
             sas, das, smp) = line.split(",")
            sport, dport, proto, tos = int(sport), int(dport), int(proto), int(tos)
            pk, by, iif, oif = int(pk), int(by), int(iif), int(oif)
            sas, das, smp = int(sas), int(das), int(smp)
            src, dst = ipaddress.ip_address(src), ipaddress.ip_address(dst)
            router = None
            for k, (a, r) in ROUTERS.items():
                if a == exporter:
                    router = k
            rate = ROUTERS[router][1] if router else 0
            if rate:
                had = smp if smp > 1 else 1
                b, p, n = by // had * rate, pk // had * rate, rate
            else:
                b, p, n = by, pk, (smp if smp > 1 else 1)
            scopes = [""] + (["%s/" % router] if router else [])
            # interfaces: every flow of the router
            for k, (r, ifx, groups) in INTERFACES.items():
                if r != router:
                    continue
                for dirn, i, asn in ((0, iif, sas), (1, oif, das)):
                    if i != ifx:
                        continue
                    add("interface_%s.rrd" % k, end, dirn, b, p, n)
                    for g in groups:
                        if any(lo <= asn <= hi for lo, hi in AS_GROUPS[g]):
                            add("interface_%s_as_%s.rrd" % (k, g), end, dirn, b, p, n)
            s_in = any(src in s for s in subs)
            d_in = any(dst in s for s in subs)
            tos_l = [k for k, v in TOS.items() if any(lo <= tos <= hi for lo, hi in v)]
            if dst.is_multicast:
                dirn = 1 if s_in else 0
                asn = das if dirn == 1 else sas
                as_l = [k for k, v in AS_GROUPS.items() if any(lo <= asn <= hi for lo, hi in v)]
                for sc in scopes:
                    add(sc + "total.rrd", end, dirn, b, p, n)
                    add(sc + "protocol_multicast.rrd", end, dirn, b, p, n)
                    for t in tos_l:
                        add(sc + "tos_%s.rrd" % t, end, dirn, b, p, n)
                    for a in as_l:
                        add(sc + "as_%s.rrd" % a, end, dirn, b, p, n)
                continue
            if s_in and d_in:
                for sc in scopes:
                    add(sc + "internal.rrd", end, 0, b, p, n)
                continue
            if not s_in and not d_in:
                for sc in scopes:
                    add(sc + "transit.rrd", end, 0, b, p, n)
                continue
            dirn = 0 if d_in else 1
            host = dst if d_in else src
            asn = das if dirn == 1 else sas
            as_l = [k for k, v in AS_GROUPS.items() if any(lo <= asn <= hi for lo, hi in v)]
            svc_src = [k for k, v in SERVICES.items() if any(port_in(x, proto, sport) for x in v)]
            svc_dst = [k for k, v in SERVICES.items() if any(port_in(x, proto, dport) for x in v)]
            for sc in scopes:
                add(sc + "total.rrd", end, dirn, b, p, n)
                for k, v in PROTOCOLS.items():
                    if v == proto:
                        add(sc + "protocol_%s.rrd" % k, end, dirn, b, p, n)
                for s in svc_src:
                    add(sc + "service_%s_src.rrd" % s, end, dirn, b, p, n)
                for s in svc_dst:
                    add(sc + "service_%s_dst.rrd" % s, end, dirn, b, p, n)
                for t in tos_l:
                    add(sc + "tos_%s.rrd" % t, end, dirn, b, p, n)
                for a in as_l:
                    add(sc + "as_%s.rrd" % a, end, dirn, b, p, n)
            for k, pref in nets.items():
                if any(host in x for x in pref):
                    add("network_%s.rrd" % k, end, dirn, b, p, n)
                    for s in NETWORKS[k][1]:
                        if s in svc_src or s in svc_dst:
                            add("network_%s_service_%s.rrd" % (k, s), end, dirn, b, p, n)
    return exp


def all_rrds():
    names = []
    for sc in [""] + ["%s/" % r for r in ROUTERS]:
        names += [sc + "total.rrd", sc + "internal.rrd", sc + "transit.rrd",
                  sc + "protocol_multicast.rrd"]
        names += [sc + "protocol_%s.rrd" % k for k in PROTOCOLS]
        for k in SERVICES:
            names += [sc + "service_%s_src.rrd" % k, sc + "service_%s_dst.rrd" % k]
        names += [sc + "tos_%s.rrd" % k for k in TOS]
        names += [sc + "as_%s.rrd" % k for k in AS_GROUPS]
    for k, (_, s) in NETWORKS.items():
        names += ["network_%s.rrd" % k] + ["network_%s_service_%s.rrd" % (k, x) for x in s]
    for k, (_, _, g) in INTERFACES.items():
        names += ["interface_%s.rrd" % k] + ["interface_%s_as_%s.rrd" % (k, x) for x in g]
    return names


def fetch_all(paths, daemon):
    """Fetch every path through one `rrdtool -` process (pipe mode)."""
    cmds = []
    for path in paths:
        c = "fetch %s AVERAGE -r %d -s %d -e %d" % (path, STEP, T0, T0 + NSTEPS * STEP)
        if daemon:
            c += " --daemon %s" % daemon
        cmds.append(c)
    out = subprocess.run(["rrdtool", "-"], input="\n".join(cmds) + "\n",
                         check=True, capture_output=True, text=True).stdout
    result, rows = [], {}
    for line in out.splitlines():
        if line.startswith("OK "):
            result.append(rows)
            rows = {}
        elif line.startswith("ERROR"):
            result.append(None)
            rows = {}
        elif ":" in line and line.split(":")[0].strip().isdigit():
            t, vals = line.split(":", 1)
            rows[int(t)] = [float(x) for x in vals.split()]
    return result


def check(d, rrddir, daemon):
    exp = reference(d)
    bad = 0
    checked = 0
    names = all_rrds()
    extra = set(exp) - set(names)
    if extra:
        print("reference produced unexpected RRDs: %s" % sorted(extra))
        return 1
    present = [rel for rel in names if os.path.exists(os.path.join(rrddir, rel))]
    for rel in set(names) - set(present):
        print("missing %s" % rel)
        bad += 1
    fetched = fetch_all([os.path.join(rrddir, rel) for rel in present], daemon)
    for rel, rows in zip(present, fetched):
        if rows is None:
            print("%s: fetch failed" % rel)
            bad += 1
            continue
        for idx in range(NSTEPS):
            end = T0 + (idx + 1) * STEP
            got = rows.get(end)
            if got is None:
                print("%s: no row at %d" % (rel, end))
                bad += 1
                continue
            if idx not in FILES:
                if not all(x != x for x in got):
                    print("%s: row %d should be unknown: %s" % (rel, end, got))
                    bad += 1
                continue
            want = exp.get(rel, {}).get(end, [0] * 6)
            for k in range(6):
                g = got[k] * STEP
                checked += 1
                if want[k] >= 4e9:
                    print("%s: count %d too large for an exact check" % (rel, want[k]))
                    bad += 1
                if not abs(g - want[k]) <= want[k] * 1e-10 + 1e-6:
                    print("%s @%d DS %d: got %.6f want %d" % (rel, end, k, g, want[k]))
                    bad += 1
    print("oracle: %d RRDs, %d values checked, %d mismatches" % (len(names), checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif sys.argv[1] == "conf":
        write_conf(*sys.argv[2:7])
    elif sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3],
                       sys.argv[4] if len(sys.argv) > 4 else None))
    elif sys.argv[1] == "starts":
        print(" ".join(str(T0 + i * STEP) for i in FILES))
