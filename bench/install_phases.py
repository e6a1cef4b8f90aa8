"""Split one `tt-lessons install --json` run into its steps, and uv's own steps inside "install".

The installer's progress events mark its steps (prerequisites, create venv, install, verify);
uv prints one summary line per phase ("Resolved 57 packages in 1.47s", "Prepared ... in",
"Installed ... in"), which reach us as log lines. Together they say where an install's time goes.
"""

from __future__ import annotations

import re

from benchlib import StampedRun

UV_LINE = re.compile(r"^(Resolved|Prepared|Installed) \d+ packages? in ([\d.]+)(ms|s)$")
UV_PHASES = {
    "Resolved": "uv: resolve (index metadata)",
    "Prepared": "uv: prepare (download + unpack into the cache)",
    "Installed": "uv: link into the venv",
}
STEPS: dict[str, tuple[str | int, str | int]] = {
    "start to first event (CLI start)": ("spawn", 1),
    "check prerequisites": (1, 2),
    "create venv (uv venv)": (2, 3),
    "install packages (uv pip install)": (3, 4),
    "verify (venv Python reads metadata)": (4, 5),
    "finish, outcome, exit": (5, "exit"),
}


def phases(run: StampedRun) -> dict[str, float]:
    marks: dict[str | int, float] = {"spawn": 0.0, "exit": run.exit_s}
    marks.update({step: run.first("progress", step=step) for step in range(1, 6)})
    found = {name: marks[end] - marks[start] for name, (start, end) in STEPS.items()}
    for _, event in run.events():
        for line in event.get("lines", []) if event.get("kind") == "log" else []:
            match = UV_LINE.match(line.strip())
            if match:
                word, number, unit = match.groups()
                found[UV_PHASES[word]] = float(number) / (1000 if unit == "ms" else 1)
    return found


def table(label: str, runs: list[dict[str, float]]) -> str:
    """Median of each phase over the runs, as aligned text for the report's profile block."""
    import statistics

    names = list(STEPS) + list(UV_PHASES.values())
    lines = [f"{label} (median of {len(runs)} run(s), seconds):"]
    for name in names:
        values = [run[name] for run in runs if name in run]
        if values:
            indent = "    " if name.startswith("uv:") else "  "
            lines.append(f"{indent}{statistics.median(values):7.2f}  {name}")
    return "\n".join(lines)
