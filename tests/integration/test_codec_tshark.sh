#!/bin/bash
# Our v5/v9/IPFIX encoders with tshark as the oracle: every datagram
# decodes cleanly, with the records, IPv6 records, counter sums and the
# announced sampling interval we encoded (tests/tools/nf_tshark_check.py).
set -eu
command -v tshark >/dev/null || { echo "SKIP: no tshark"; exit 0; }
bin="$FT_BUILDDIR/tests/test_nf_golden"
[ -x "$bin" ] || { echo "missing $bin"; exit 1; }
python3 "$FT_SRCDIR/tests/tools/nf_tshark_check.py" "$bin"
