#!/usr/bin/env python3
"""e2e_check: compare the scanner's RRDs with pcapref's reference counts.

For every interval and every object pcapref counted (globally and per
router), fetch the RRD row stamped at the interval's end and require
rate x step == count exactly, for bytes and packets in both directions.
Objects the reference never saw must read zero or be absent. Exits 1 with a
list of differences.

Usage: e2e_check.py REF.json RRD_DIR STEP ROUTER...
"""
import json
import os
import subprocess
import sys


def fetch(path, start, end, step):
    out = subprocess.run(
        ["rrdtool", "fetch", path, "AVERAGE", "-r", str(step), "-s",
         str(start), "-e", str(end)],
        check=True, capture_output=True, text=True).stdout.splitlines()
    names = out[0].split()
    rows = {}
    for line in out[2:]:
        t, vals = line.split(":", 1)
        rows[int(t)] = {n: (None if "nan" in v.lower() else float(v))
                        for n, v in zip(names, vals.split())}
    return rows


def main():
    ref = json.load(open(sys.argv[1]))
    rrd_dir, step = sys.argv[2], int(sys.argv[3])
    routers = sys.argv[4:]
    buckets = sorted(int(b) for b in ref)
    first, last = buckets[0], buckets[-1] + step
    objects = set()
    for b in ref.values():
        for scope, objs in b.items():
            if scope == "_hosts":
                continue
            objects.update((scope, o) for o in objs)
    bad = []
    checked = 0
    cache = {}
    for scope, obj in sorted(objects):
        path = os.path.join(rrd_dir, "" if scope == "_all" else scope,
                            obj + ".rrd")
        if not os.path.exists(path):
            bad.append("missing %s" % path)
            continue
        rows = cache.setdefault(path, fetch(path, first, last, step))
        for b in buckets:
            want = ref[str(b)].get(scope, {}).get(obj, {})
            row = rows.get(b + step)
            if row is None:
                bad.append("%s: no row at %d" % (path, b + step))
                continue
            for ds in ("in_bytes", "out_bytes", "in_pkts", "out_pkts"):
                got = row.get(ds)
                got = 0 if got is None else int(round(got * step))
                checked += 1
                if got != want.get(ds, 0):
                    bad.append("%s %s interval %d: rrd %d, pcap %d" % (
                        path, ds, b, got, want.get(ds, 0)))
    # RRDs the reference has no counts for must hold nothing but zeros.
    for root, _dirs, files in os.walk(rrd_dir):
        for f in files:
            path = os.path.join(root, f)
            rel = os.path.relpath(path, rrd_dir)[:-4].split(os.sep)
            key = ("_all", rel[0]) if len(rel) == 1 else (rel[0], rel[1])
            if not f.endswith(".rrd") or key in objects:
                continue
            rows = cache.setdefault(path, fetch(path, first, last, step))
            for t, row in rows.items():
                for ds, v in row.items():
                    checked += 1
                    if v not in (None, 0.0):
                        bad.append("%s %s at %d: %g, pcap has none" % (path, ds, t, v))
    print("e2e_check: %d values compared over %d intervals, %d RRDs, %d differences"
          % (checked, len(buckets), len(cache), len(bad)))
    for line in bad[:40]:
        print("  " + line)
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
