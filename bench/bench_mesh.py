"""Mesh scaling: one fixed-size sharded matmul over 1, 2 and 8 forced CPU devices.

Two figures per device count:

* bench/mesh/scaling.py in the CPU venv: a 1024x1024 @ 1024x1024 float32 matmul with the
  weight's columns split over a 1xN mesh, steady-state time per call (compile excluded) and the
  speedup against N=1. Forced host devices share this machine's cores, so on 2 cores more
  devices cannot make the arithmetic faster; the table shows what the split costs or saves.
* the lesson's own `tt-lessons mesh --shape 1xN` (mesh.py, tiny blocks): its sharded-step time
  (compile included) and the whole run's wall time, what the "Run mesh example" button costs.

    .venv/bin/python bench/bench_mesh.py [--quick]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchlib import (
    TT_LESSONS,
    BenchResult,
    Metric,
    clean_env,
    lesson_venv,
    quick_flag,
    run_stamped,
)

COUNTS = (1, 2, 8)
SCRIPT = Path(__file__).resolve().parent / "mesh" / "scaling.py"


def device_env(count: int) -> dict[str, str]:
    return clean_env(XLA_FLAGS=f"--xla_force_host_platform_device_count={count}")


def scaling_run(count: int, repeats: int) -> dict[str, object]:
    argv = [str(lesson_venv() / "bin" / "python"), str(SCRIPT), "--devices", str(count)]
    argv += ["--repeats", str(repeats)]
    done = subprocess.run(argv, env=device_env(count), capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def lesson_run(count: int, home: str) -> tuple[float, float]:
    """(sharded step incl. compile, whole run wall) for `tt-lessons mesh --shape 1xN`."""
    argv = [str(TT_LESSONS), "mesh", "--venv", str(lesson_venv()), "--shape", f"1x{count}"]
    argv.append("--json")
    run = run_stamped(argv, clean_env(TT_LESSONS_HOME=home))
    return float(run.outcome["result"]["timings"]["shardedS"]), run.exit_s


def main() -> None:
    quick = quick_flag(sys.argv)
    processes, repeats = (1, 5) if quick else (3, 10)
    result = BenchResult("mesh", "Mesh scaling: sharded matmul over forced CPU devices", quick)
    steady: dict[int, list[float]] = {}
    first: dict[int, list[float]] = {}
    scaling_run(1, 1)  # uncounted: .pyc files and page cache for a fresh venv
    # Interleave device counts so load changes on the shared machine spread over all of them.
    for _ in range(processes):
        for count in COUNTS:
            data = scaling_run(count, repeats)
            times = data["times"]
            assert isinstance(times, list)
            steady.setdefault(count, []).append(statistics.median(times) * 1000)
            first.setdefault(count, []).append(float(str(data["firstS"])) * 1000)
    for count in COUNTS:
        result.add(Metric(f"{count} device(s): matmul, steady state", "ms", steady[count]))
    for count in COUNTS[1:]:
        ratio = [one / many for one, many in zip(steady[1], steady[count], strict=True)]
        result.add(Metric(f"{count} devices: speedup vs 1 device", "x", ratio))
    for count in COUNTS:
        result.add(Metric(f"{count} device(s): first call (compile + run)", "ms", first[count]))

    lesson: dict[int, list[tuple[float, float]]] = {}
    home = str(Path(__file__).resolve().parent / "results" / "work" / "mesh-home")
    for _ in range(1 if quick else 3):
        for count in COUNTS:
            lesson.setdefault(count, []).append(lesson_run(count, home))
    for count in COUNTS:
        sharded = [s * 1000 for s, _ in lesson[count]]
        result.add(Metric(f"tt-lessons mesh 1x{count}: sharded step", "ms", sharded))
        result.add(
            Metric(f"tt-lessons mesh 1x{count}: whole run", "s", [w for _, w in lesson[count]])
        )
    result.note(f"venv: {lesson_venv()}")
    result.note(
        f"steady state = median of {repeats} calls per process, {processes} process(es) per count; "
        f"{os.cpu_count()} CPUs shared with other work"
    )
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
