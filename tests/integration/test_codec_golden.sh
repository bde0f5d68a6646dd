#!/bin/bash
# Golden decode of the Logstash vendor captures: every capture decodes where
# Logstash decodes it, with its event count and field values (see
# tests/tools/nf_golden_check.py for the fields compared and the documented
# differences).
set -eu
bin="$FT_BUILDDIR/tests/test_nf_golden"
[ -x "$bin" ] || { echo "missing $bin"; exit 1; }
python3 "$FT_SRCDIR/tests/tools/nf_golden_check.py" "$bin" \
    "$FT_SRCDIR/tests/data/netflow"
