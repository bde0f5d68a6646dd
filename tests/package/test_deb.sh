#!/usr/bin/env bash
# The .deb installs and starts cleanly: install it with dpkg, check the
# user, directories and files it sets up, start the collector and the
# scanner the way their systemd units do (ExecStartPre check, then
# ExecStart as the unit's user; this machine has no systemd as PID 1),
# wait for them to come up, stop them, and purge the package.
# Runs as root on a disposable machine (CI); it changes the system.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 0; }
deb=$(bash "$top/scripts/package.sh")
T=$(mktemp -d /tmp/ft-deb.XXXXXX)
pids=()
names=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	dpkg --purge flowtally >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT

dpkg -i "$deb" >"$T/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$T/dpkg.log")"
getent passwd flowtally >/dev/null || fail "no flowtally user"
for f in /usr/sbin/flowtally-collector /usr/sbin/flowtally-scanner \
    /usr/sbin/flowtally-sensor /usr/bin/flowtally-dump \
    /usr/lib/cgi-bin/flowtally.cgi /etc/flowtally/flowtally.conf \
    /usr/share/man/man5/flowtally.conf.5; do
	[ -e "$f" ] || fail "missing $f"
done
for d in flows collector rrd scanner; do
	[ "$(stat -c %U "/var/lib/flowtally/$d")" = flowtally ] ||
		fail "/var/lib/flowtally/$d not owned by flowtally"
done
dpkg-query -W -f='${Conffiles}\n' flowtally | grep -q /etc/flowtally/flowtally.conf ||
	fail "config is not a conffile"

unit_cmd() { # unit_cmd UNIT KEY: the command line of ExecStart or ExecStartPre
	sed -n "s/^$2=//p" "/usr/lib/systemd/system/$1.service" | head -1
}
. "$top/scripts/wait_for.sh"
for u in flowtally-collector flowtally-scanner; do
	pre=$(unit_cmd "$u" ExecStartPre)
	eval "$pre" || fail "$u: ExecStartPre failed: $pre"
	user=$(sed -n 's/^User=//p' "/usr/lib/systemd/system/$u.service" | head -1)
	cmd=$(unit_cmd "$u" ExecStart)
	# setpriv execs the daemon itself, so signals reach it directly.
	eval "exec setpriv --reuid=${user:-root} --regid=${user:-root} --init-groups $cmd" \
		>"$T/$u.log" 2>&1 &
	pids+=($!)
	names+=("$u")
done
wait_for 30 grep -q "listening on" "$T/flowtally-collector.log" ||
	fail "collector did not start: $(cat "$T/flowtally-collector.log")"
wait_for 30 grep -q "started" "$T/flowtally-scanner.log" ||
	fail "scanner did not start: $(cat "$T/flowtally-scanner.log")"
for i in "${!pids[@]}"; do
	kill -TERM "${pids[$i]}"
	wait "${pids[$i]}" ||
		fail "${names[$i]} exited non-zero on SIGTERM: $(cat "$T/${names[$i]}.log")"
done
pids=()
grep -q exiting "$T/flowtally-collector.log" || fail "collector did not exit cleanly"
dpkg --purge flowtally >"$T/purge.log" 2>&1 || fail "purge: $(cat "$T/purge.log")"
[ ! -e /usr/sbin/flowtally-collector ] || fail "purge left the programs"
echo "1 passed, 0 failed: package installs, starts and purges cleanly"
