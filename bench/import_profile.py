"""Where a workload's start-up goes: run it once under `python -X importtime`, sum by module.

`-X importtime` prints, per imported module, its own and its cumulative import time; a line at
nesting depth 0 is an import the script itself triggered, so those lines add up to the whole
import cost. A few heavy leaves (torch, say) are shown with the depth they were pulled in at.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \|( .*)$")
WATCH = ("jax", "jaxlib.xla_client", "flax", "flax.nnx", "transformers", "torch", "tokenizers")


@dataclass(frozen=True)
class ImportRow:
    depth: int
    cumulative_s: float
    name: str


def parse(stderr: str) -> list[ImportRow]:
    rows: list[ImportRow] = []
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)  # other stderr output (warnings) is skipped
        if match:
            cumulative, name = match.groups()
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            rows.append(ImportRow(depth, int(cumulative) / 1e6, name.strip()))
    return rows


def profile(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """(seconds spent importing, a text summary); argv[0] is the Python, argv[1:] its script."""
    timed = [argv[0], "-X", "importtime", *argv[1:]]
    done = subprocess.run(timed, env=env, capture_output=True, text=True, check=True)
    rows = parse(done.stderr)
    top = sorted((r for r in rows if r.depth == 0), key=lambda r: -r.cumulative_s)
    total = sum(r.cumulative_s for r in top)
    lines = [f"python -X importtime, one run: {total:.2f} s importing in all", "top-level imports:"]
    lines += [f"  {r.cumulative_s:6.2f} s  {r.name}" for r in top[:8]]
    lines.append("watched modules (depth = how deep in the import tree it was first pulled in):")
    for name in WATCH:
        row = next((r for r in rows if r.name == name), None)
        if row is not None:
            lines.append(f"  {row.cumulative_s:6.2f} s  {name} (depth {row.depth})")
    return total, "\n".join(lines)
