"""Repair of a ready venv (nothing to change): total wall time and where it goes, step by step.

Runs `tt-lessons install --cpu-only --json` on the venv bench_install.py left behind and stamps
every JSON line as it arrives, so the gap between two progress events is one installer step:
prerequisites (base-Python probe), create (manifest only: the venv exists), install (uv no-op),
verify (the venv's Python says where its packages are). A cProfile of one run in-process follows,
for the time spent in the backend's own Python rather than in its children.

    .venv/bin/python bench/bench_repair.py [--quick]
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys

import install_phases
from benchlib import (
    KEPT_CACHE,
    KEPT_VENV,
    RESULTS,
    TT_LESSONS,
    BenchResult,
    Metric,
    clean_env,
    quick_flag,
    run_stamped,
)
from machine_load import QUIET_BUSY, LoadWatch

PHASES = (
    ("start: interpreter + imports, to the first event", "spawn", 1),
    ("check prerequisites (base-Python probe, disk)", 1, 2),
    ("create venv (exists: manifest write only)", 2, 3),
    ("install packages (uv pip install, a no-op)", 3, 4),
    ("verify (the venv's Python: where its packages are)", 4, 5),
    ("finish (manifest) to the end event", 5, "end"),
    ("outcome line + interpreter exit", "end", "exit"),
)


def env() -> dict[str, str]:
    return clean_env(UV_CACHE_DIR=str(KEPT_CACHE), TT_LESSONS_HOME=str(RESULTS / "work" / "home"))


def argv() -> list[str]:
    return [str(TT_LESSONS), "install", "--cpu-only", "--venv", str(KEPT_VENV), "--json"]


def stamped_run(watch: LoadWatch | None = None) -> dict[str | int, float]:
    """Seconds from spawn to the first event, each progress step, the end event, process exit."""
    if watch is not None:
        watch.sample(0.5)
    run = run_stamped(argv(), env())
    marks: dict[str | int, float] = {"first": run.lines[0][0], "end": run.first("end")}
    marks.update({step: run.first("progress", step=step) for step in range(1, 6)})
    marks["exit"] = run.exit_s
    return marks


def profile_in_process() -> str:
    """cProfile of one repair inside this interpreter; children show up as waiting in select."""
    import os

    from tt_lessons.cli import main as cli_main

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env())
    profiler = cProfile.Profile()
    stdout = sys.stdout
    sys.stdout = io.StringIO()  # the JSON lines; not needed here
    try:
        profiler.runcall(cli_main, argv()[1:])
    finally:
        sys.stdout = stdout
        os.environ.clear()
        os.environ.update(saved)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("cumulative")
    stats.print_stats(18)
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    header = [line for line in lines[:start] if "function calls" in line]
    return "\n".join(header + lines[start:]).strip()


def main() -> None:
    quick = quick_flag(sys.argv)
    result = BenchResult("repair", "Repair of a ready venv (nothing to change)", quick)
    if not (KEPT_VENV / "tt-lessons-manifest.json").exists():
        raise SystemExit(f"run bench_install.py first: no ready venv at {KEPT_VENV}")
    stamped_run()  # warm the page cache and uv's metadata once; not counted
    watch = LoadWatch()
    runs = [stamped_run(watch) for _ in range(5 if quick else 10)]
    totals = [r["exit"] for r in runs]
    result.add(Metric("repair, total wall time", "s", totals, "<= 0.4 s"), lambda s: s <= 0.4)
    for label, start, end in PHASES:
        if start == "spawn":
            samples = [r["first"] for r in runs]
        else:
            samples = [r[end] - r[start] for r in runs]
        result.add(Metric(label, "s", samples))
    home = RESULTS / "work" / "components-home"
    for name, samples in install_phases.components(KEPT_VENV, home).items():
        result.add(Metric(f"step: {name}", "ms", [1000 * s for s in samples]))
    busy = Metric(
        "others' CPU use while the benchmark waited (max)", "%", [100 * x for x in watch.samples]
    )
    busy.target = f"< {QUIET_BUSY:.0%} (a quiet machine)"
    result.add(busy, lambda _: not watch.disturbed)
    result.note(watch.summary())
    result.profile = profile_in_process()
    print(result.profile)
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
