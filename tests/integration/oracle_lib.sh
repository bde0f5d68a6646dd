# Sourced by the scanner's oracle and crash tests (not a test itself):
# the oracle's generated traffic as flow files, a scanner directory fed
# with them, and an rrdcached of its own. Needs B, S, T and PY
# (python3 tests/integration/scanner_oracle.py) set by the caller.
. "$S/scripts/wait_for.sh"

# oracle_flows GEN OUT: generate the oracle's traffic into GEN (CSV and the
# reference sums) and import each interval as a flow file into OUT.
oracle_flows() {
	local st
	$PY gen "$1"
	mkdir -p "$2"
	for st in $($PY starts); do
		"$B/tools/flowtally-dump" --import "$1/csv/$st.csv" \
		    --start "@$st" --end "@$((st + 300))" "$2" >/dev/null
	done
}

# oracle_dir DIR SRC: DIR/flows holding copies of SRC's flow files, and
# DIR/ft.conf for them (RRDs in DIR/rrd), its scanner section left open.
oracle_dir() {
	mkdir -p "$1/rrd" "$1/flows"
	cp "$2"/ft-* "$1/flows/"
	$PY conf "$1/ft.conf" "$1/rrd" "$1/flows" "$1/state" "$1/board"
}

# oracle_rrdcached SOCK BASE LOG: start rrdcached on unix:SOCK writing
# under BASE, set RCPID, and wait up to 30 s for its socket.
oracle_rrdcached() {
	rrdcached -g -l "unix:$1" -b "$2" -B -p "$2/rc.pid" \
	    -w 3600 -f 7200 >"$3" 2>&1 &
	RCPID=$!
	wait_for 30 test -S "$1" || { echo "rrdcached did not start"; cat "$3"; exit 1; }
}
