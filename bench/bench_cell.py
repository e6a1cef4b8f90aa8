"""Click to first output of a lesson cell: `tenstorrent/runCell` sent -> its first `cell-output`
event at the client, through the extension's own server (`tt-lessons serve`).

Warm: 20 sequential runs of `print(1)` in one lesson's kernel, after one uncounted run that
starts it. Cold: the same request for a lesson whose kernel is not running yet, so the time
includes starting ipykernel in the venv (what the first click costs when the kernel was not
started ahead). Baseline, same run: a bare `python -c "print(1)"` in the same venv, from spawn
to its first stdout line, the floor for running anything in a fresh process.

    .venv/bin/python bench/bench_cell.py [--quick]
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import BenchResult, Metric, StampedList, lesson_venv, quick_flag

from tests.python.rpc_client import RpcClient

RUNS = 20
METHOD = "tenstorrent/runCell"


def ensure_ipykernel(venv: Path) -> str | None:
    """Venvs installed before ipykernel was in the install's list lack it; add it (a note)."""
    python = str(venv / "bin" / "python")
    if subprocess.run([python, "-c", "import ipykernel"], capture_output=True).returncode == 0:
        return None
    from tt_lessons.venv.resolver import find_uv

    uv = find_uv()
    if uv is None:
        raise RuntimeError(f"{venv} has no ipykernel and uv is missing to add it")
    subprocess.run([uv, "pip", "install", "--python", python, "ipykernel"], check=True)
    return f"installed ipykernel into {venv} first (the venv predates it)"


async def first_output_ms(client: RpcClient, lesson: str, run_id: str) -> float:
    params: dict[str, Any] = {
        "venv": str(lesson_venv()),
        "lessonId": lesson,
        "cell": 0,
        "code": "print(1)",
        "runId": run_id,
    }
    sent = time.perf_counter()
    _, reply = client.start_request(METHOD, params)
    answer = await asyncio.wait_for(reply, 300)
    result = answer.get("result") or {}
    if result.get("status") != "succeeded":
        raise RuntimeError(f"run {run_id} failed: {answer}")
    first = next(
        n
        for n in client.notifications
        if n["params"].get("runId") == run_id and n["params"]["event"]["kind"] == "cell-output"
    )
    assert first["params"]["event"]["output"]["text"] == "1\n", first
    return float((first["_arrived"] - sent) * 1000)


async def measure(runs: int, cold_runs: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="tt-bench-jupyter-") as jupyter:
        env = {
            **os.environ,
            "JUPYTER_DATA_DIR": os.path.join(jupyter, "data"),
            "JUPYTER_RUNTIME_DIR": os.path.join(jupyter, "rt"),
        }
        client = await RpcClient.start(env)
        try:
            client.notifications = StampedList()
            cold = [
                await first_output_ms(client, f"cold-{i}", f"cold-{i}") for i in range(cold_runs)
            ]
            await first_output_ms(client, "warm", "warm-up")  # starts the lesson's kernel
            warm = [await first_output_ms(client, "warm", f"run-{i}") for i in range(runs)]
            return warm, cold
        finally:
            await client.close()


def bare_python_ms(venv: Path) -> float:
    """Spawn -> first stdout line of `python -c "print(1)"` in the venv."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(venv / "bin" / "python"), "-c", "print(1)"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    proc.wait()
    assert line == "1\n"
    return elapsed


def main() -> None:
    quick = quick_flag(sys.argv)
    runs, cold_runs = (5, 1) if quick else (RUNS, 3)
    result = BenchResult("cell", "Lesson cell: click to first output (Jupyter kernel)", quick)
    note = ensure_ipykernel(lesson_venv())
    warm, cold = asyncio.run(measure(runs, cold_runs))
    baseline = [bare_python_ms(lesson_venv()) for _ in range(runs)]
    result.add(
        Metric("warm kernel: runCell -> first output of print(1)", "ms", warm, "< 100 ms"),
        lambda ms: ms < 100,
    )
    result.add(Metric("cold kernel: runCell -> first output (kernel start included)", "ms", cold))
    result.add(Metric("baseline: bare `python -c print(1)` -> first line", "ms", baseline))
    ratio = result.metrics[-1].median / result.metrics[0].median
    result.note(f"the warm cell's first output comes {ratio:.1f}x sooner than a bare Python's")
    result.note(f"venv: {lesson_venv()}")
    result.note(f"{runs} sequential warm runs after one uncounted run that starts the kernel")
    if note:
        result.note(note)
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
