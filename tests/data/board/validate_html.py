#!/usr/bin/python3
"""Validate HTML5 files with html5lib in strict mode (any parse error fails)
and .json files with the json module. Used by tests/unit/test_board_pages.c.
Prints the first error per file."""
import json
import sys

import html5lib

bad = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        try:
            json.loads(data.decode("utf-8"))
        except ValueError as e:
            print("%s: invalid JSON: %s" % (path, e))
            bad += 1
        continue
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(data)
    except Exception as e:  # html5lib raises ParseError
        print("%s: invalid HTML5: %s" % (path, e))
        bad += 1
sys.exit(1 if bad else 0)
