"""A workload that prints N numbered lines, then a valid sanity result so its run succeeds.

Installed as `sanity.py` in a throw-away workloads folder; the number of lines comes from the
environment (TT_BENCH_FLOOD_LINES) because the backend starts `sanity.py` with no arguments.
"""

from __future__ import annotations

import os
import sys

RESULT = (
    '{"kind": "result", "result": {"kind": "sanity", "devices": [], "platform": "cpu", '
    '"resultDevice": "cpu:0", "value": 32.0, "expected": 32.0, "ok": true, "ttDevice": false, '
    '"jaxVersion": "0", "timings": {"importS": 0, "computeS": 0}}}'
)
PAD = "x" * 40  # ~60-byte lines, about the length of a pip or compiler log line


def main() -> None:
    lines = int(os.environ.get("TT_BENCH_FLOOD_LINES", "100000"))
    write = sys.stdout.write
    for number in range(lines):
        write(f"line {number:06d} {PAD}\n")
    write(RESULT + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
