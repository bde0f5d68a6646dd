#!/usr/bin/env bash
# CGI benchmark: the menu page, and a one-day graph of ten series drawn by
# flowtally.cgi and by `rrdtool graph` with exactly the same arguments
# (printed by bench/cgi_graph_args), in the same run, interleaved, process
# start included. Prints medians (wall and CPU) and the ratio as Markdown
# for BENCHMARKS.md. RUNS=N changes the run count (default 41);
# FT_BUILDDIR uses an existing build instead of a Release one in build/bench.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${FT_BUILDDIR:-}" ]; then
	FT_BUILDDIR=$SRC/build/bench
	cmake -S "$SRC" -B "$FT_BUILDDIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$FT_BUILDDIR" -j2 --target flowtally.cgi cgi_graph_args >/dev/null
fi
RUNS=${RUNS:-41}
T=$(mktemp -d /tmp/cgi_bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 "$SRC/tests/integration/cgi_fixture.py" "$T" 2

python3 - "$FT_BUILDDIR" "$T" "$RUNS" <<'PY'
import os, resource, statistics, subprocess, sys, time

build, tmp, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cgi = os.path.join(build, "cgi", "flowtally.cgi")
conf = os.path.join(tmp, "flowtally.conf")
ten = ("protocol_tcp protocol_udp protocol_icmp tos_ef tos_default as_google "
       "as_cloudflare network_web network_staff interface_uplink").split()
graph_qs = "page=graph&period=1d&" + "&".join("item=" + i for i in ten)

def env(qs):
    e = dict(os.environ, REQUEST_METHOD="GET", QUERY_STRING=qs,
             FLOWTALLY_CONF=conf)
    return e

def timed(cmd, e, least=1000):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0 or len(p.stdout) < least:
        sys.exit("failed: %s: %s" % (cmd[0], p.stderr.decode()[:300]))
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return (t1 - t0) * 1000, cpu * 1000, p.stdout

args = subprocess.run([os.path.join(build, "bench", "cgi_graph_args"), conf,
                       graph_qs], check=True, stdout=subprocess.PIPE,
                      text=True).stdout.splitlines()
rrd_cmd = ["rrdtool", "graph"] + args

menu, cgi_g, rrd_g, true_ = [], [], [], []
for i in range(runs + 1):
    z = timed(["/bin/true"], os.environ, 0)
    m = timed([cgi], env(""))
    a = timed([cgi], env(graph_qs))
    b = timed(rrd_cmd, os.environ)
    if i == 0:
        assert b"<form" in m[2] and a[2].find(b"\x89PNG") >= 0, "bad output"
        continue  # warm-up
    menu.append(m[:2]); cgi_g.append(a[:2]); rrd_g.append(b[:2])
    true_.append(z[:2])

def med(xs, k):
    return statistics.median(x[k] for x in xs)

model = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
         if l.startswith("model name")][0]
load = open("/proc/loadavg").read().split()[0]
print("Machine: %s, %d CPUs, load average %s during the run; %d runs each, "
      "interleaved, medians; process start included." %
      (model, os.cpu_count(), load, runs))
print()
print("| what | wall ms | CPU ms (user+sys) |")
print("|---|---|---|")
print("| floor: an empty process (/bin/true) | %.1f | %.1f |" %
      (med(true_, 0), med(true_, 1)))
print("| menu page (flowtally.cgi, no query) | %.1f | %.1f |" %
      (med(menu, 0), med(menu, 1)))
print("| one-day graph, 10 series mirrored in/out: flowtally.cgi | %.1f | %.1f |"
      % (med(cgi_g, 0), med(cgi_g, 1)))
print("| same drawing: rrdtool graph | %.1f | %.1f |" %
      (med(rrd_g, 0), med(rrd_g, 1)))
print()
print("Ratio flowtally.cgi / rrdtool graph: %.2f (wall), %.2f (CPU); "
      "target <= 1.5. Menu target < 20 ms." %
      (med(cgi_g, 0) / med(rrd_g, 0), med(cgi_g, 1) / med(rrd_g, 1)))
PY
