"""Split one `tt-lessons install --json` run into its steps, and uv's own steps inside "install".

The installer's progress events mark its steps (prerequisites, create venv, install, verify);
uv prints one summary line per phase ("Resolved 57 packages in 1.47s", "Prepared ... in",
"Installed ... in"), which reach us as log lines. Together they say where an install's time goes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

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
    "verify (the venv's Python: where its packages are)": (4, 5),
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


async def _components(venv: Path, home: Path) -> dict[str, list[float]]:
    """Each step a warm install or a repair takes, timed in this process on a ready venv.

    A CPU-only install reads no index (the plugin's Python is the known range), so the index's
    requirement is not among them; uv's own phases are in the stamped runs.
    """
    import os
    import time

    from tt_lessons.protocol import InstallParams
    from tt_lessons.run_sink import RunSink
    from tt_lessons.venv import choose_python, sfpi, verify
    from tt_lessons.venv.layout import VenvLayout
    from tt_lessons.venv.resolver import find_uv, reported_packages, requested_packages

    layout = VenvLayout.at(str(venv))
    params = InstallParams(cpu_only=True, venv=str(venv))
    uv = find_uv()
    sink = RunSink("bench", lambda _: None)
    found: dict[str, list[float]] = {}

    async def timed(name: str, step: Callable[[], Awaitable[object]]) -> None:
        started = time.perf_counter()
        await step()
        found.setdefault(name, []).append(time.perf_counter() - started)

    os.environ["TT_LESSONS_HOME"] = str(home / "first")  # never the person's own probe cache
    choice = await choose_python.choose(params, uv, sink)
    wanted = reported_packages(requested_packages(params, choice.pin_jax))
    for rep in range(5):
        os.environ["TT_LESSONS_HOME"] = str(home / f"empty-{rep}")  # no probe kept yet
        await timed(
            "choose the interpreter, nothing kept", lambda: choose_python.choose(params, uv, sink)
        )
        await timed(
            "choose the interpreter, probes kept", lambda: choose_python.choose(params, uv, sink)
        )
        await timed(
            "verify (the venv's Python: where its packages are)",
            lambda: verify.verify(layout, wanted),
        )
        await timed(
            "SFPI check (plugin installs only)",
            lambda: sfpi.info(layout.site_packages(), layout.python.parent),
        )
    return found


def components(venv: Path, home: Path) -> dict[str, list[float]]:
    """Seconds per step, 5 samples each: where a warm install's fixed costs go, beside uv's."""
    import asyncio

    return asyncio.run(_components(venv, home))
