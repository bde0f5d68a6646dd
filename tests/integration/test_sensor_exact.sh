#!/usr/bin/env bash
# Exactness and interop of flowtally-sensor: generated pcaps (IPv4, IPv6,
# VLAN, QinQ, MPLS, fragments, truncated frames, ICMP, odd link types) are
# read with -r and exported as NetFlow v5, v9 and IPFIX to our sink (our
# decoder) and to nfcapd at once. Checks: per 5-tuple the flows sum to
# exactly the IP packets and bytes an independent reader counts; nfdump's
# records equal ours one for one; tshark decodes every export datagram
# without a malformed-packet warning. The IPFIX run reads the mixed capture
# as pcapng.
. "$FT_SRCDIR/tests/integration/sensor_lib.sh"

VERSIONS=${SENSOR_TEST_VERSIONS:-5 9 10}

$GEN mixed "$TMP/mixed.pcap"
$GEN links "$TMP"
FILES=("$TMP/mixed.pcap" "$TMP"/link_*.pcap)
editcap -F pcapng "$TMP/mixed.pcap" "$TMP/mixed.pcapng"
$COUNT "${FILES[@]}" >"$TMP/oracle"
printf 'sensor {\n\tuser = ""\n}\n' >"$TMP/sensor.conf"
want_pk=$(awk '{s += $6} END {print s}' "$TMP/oracle")
want_by=$(awk '{s += $7} END {print s}' "$TMP/oracle")

for v in $VERSIONS; do
	d=$TMP/v$v
	start_sink "$d"
	start_nfcapd "$d"
	args=()
	for f in "${FILES[@]}"; do
		if [ "$v" = 10 ] && [ "$f" = "$TMP/mixed.pcap" ]; then
			f=$TMP/mixed.pcapng
		fi
		args+=(-r "$f")
	done
	# v9 exports from another loopback address (-S), as one of several
	# replayed routers would.
	if [ "$v" = 9 ]; then
		args+=(-S 127.0.0.2)
	fi
	"$SENSOR" -f "$TMP/sensor.conf" "${args[@]}" -v "$v" \
	    -n "127.0.0.1:$SINK_PORT,127.0.0.1:$NFC_PORT" 2>"$d/sensor.log" ||
	    fail "v$v: sensor exited $?: $(cat "$d/sensor.log")"
	n=$(stat_of "$d/sensor.log" datagrams)
	[ "$n" -gt 0 ] || fail "v$v: no datagrams"
	[ "$(stat_of "$d/sensor.log" send_errors)" = 0 ] ||
	    fail "v$v: send errors"
	[ "$(stat_of "$d/sensor.log" packets)" = "$want_pk" ] ||
	    fail "v$v: sensor counted $(stat_of "$d/sensor.log" packets) packets, want $want_pk"
	[ "$(stat_of "$d/sensor.log" bytes)" = "$want_by" ] ||
	    fail "v$v: sensor counted bytes $(stat_of "$d/sensor.log" bytes), want $want_by"
	[ "$(stat_of "$d/sensor.log" drop_short_transport)" -gt 0 ] ||
	    fail "v$v: truncated frames were not counted by reason"
	stop_after "$n" "$d"

	# Exactness against the independent count (v5 carries IPv4 only).
	opt=
	if [ "$v" = 5 ]; then
		opt=--v4only
		[ "$(stat_of "$d/sensor.log" flows_not_exportable)" -gt 0 ] ||
		    fail "v5: IPv6 flows not reported as not exportable"
	fi
	$CMP exact "$TMP/oracle" "$d/flows" $opt ||
	    fail "v$v: exported flows differ from the pcap"

	# nfdump's view, record for record.
	nfdump -R "$d/files" -o csv -q -N >"$d/nfdump.csv" 2>"$d/nfdump.err" ||
	    fail "v$v: nfdump: $(cat "$d/nfdump.err")"
	$CMP nfdump "$d/nfdump.csv" "$d/flows" ||
	    fail "v$v: nfdump's records differ from ours"
	want_ra=127.0.0.1
	if [ "$v" = 9 ]; then
		want_ra=127.0.0.2
	fi
	awk -F, -v ra="$want_ra" '$45 != ra {exit 1}' "$d/nfdump.csv" ||
	    fail "v$v: exporter address is not $want_ra"

	# tshark: every datagram a NetFlow/IPFIX packet, none malformed.
	tshark -r "$d/dgrams.pcap" -d "udp.port==$SINK_PORT,cflow" -V \
	    >"$d/tshark.txt" 2>&1 || fail "v$v: tshark failed"
	if grep -i malformed "$d/tshark.txt"; then
		fail "v$v: tshark reports malformed export packets"
	fi
	got=$(grep -c '^Cisco NetFlow/IPFIX' "$d/tshark.txt" || true)
	[ "$got" = "$n" ] || fail "v$v: tshark decoded $got of $n datagrams"
	echo "v$v: ok ($n datagrams)"
done
# A capture cut short mid-record: what was read is exported, the file is
# named, the exit status says so.
d=$TMP/cut
head -c 50000 "$TMP/mixed.pcap" >"$TMP/cut.pcap"
start_sink "$d"
rc=0
"$SENSOR" -f "$TMP/sensor.conf" -r "$TMP/cut.pcap" -r "$TMP/link_sll.pcap" \
    -n "127.0.0.1:$SINK_PORT" 2>"$d/sensor.log" || rc=$?
[ "$rc" = 1 ] || fail "cut capture: exit $rc"
grep -q "cut.pcap: " "$d/sensor.log" || fail "cut capture not named: $(cat "$d/sensor.log")"
n=$(stat_of "$d/sensor.log" datagrams)
NFC_PID=
stop_after "$n" "$d"
grep -q '^10\.9\.0\.1 ' "$d/flows" || fail "the file after the cut one was not read"
[ "$(awk '{p += $6} END {print p}' "$d/flows")" = \
    "$(stat_of "$d/sensor.log" packets)" ] || fail "cut capture: packets lost"
echo PASS
