"""Idle backend: what one VS Code window pays for `tt-lessons serve` while nobody clicks anything.

Starts the server the way the extension does (`python -m tt_lessons.cli serve` over stdio, the
backend's libraries on PYTHONPATH as bundled in the .vsix when bundled/ exists), sends what the
extension sends at start (initialize, initialized, one status request), then leaves it idle and
samples its process tree: resident memory (RSS), unique memory (USS: what closing the window
gives back) and CPU time. Baseline, same run: a bare `python -c` waiting on stdin, the floor any
Python process costs.

    .venv/bin/python bench/bench_idle.py [--quick]     (--quick: 10 s idle instead of 60 s)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
from benchlib import BACKEND_PYTHON, REPO, BenchResult, Metric, quick_flag

from tests.python.rpc_client import RpcClient

MIB = 1024 * 1024


def server_command() -> tuple[list[str], dict[str, str], str]:
    """argv, env and a description: the packaged layout when bundled/ is built, else .venv."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    python3 = shutil.which("python3")
    libs = REPO / "bundled" / "libs"
    if python3 and libs.is_dir():
        # The real interpreter behind any shim, and its version for the bundled ABI folder.
        code = "import sys; print(sys.executable); print('cp%d%d' % sys.version_info[:2])"
        python3, version = subprocess.check_output([python3, "-c", code], text=True).split()
        paths = [REPO / "bundled" / "abi" / version, libs, REPO / "python_backend"]
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
        return [python3, "-m", "tt_lessons.cli", "serve"], env, f"{python3} + bundled/libs"
    return [str(BACKEND_PYTHON), "-m", "tt_lessons.cli", "serve"], env, str(BACKEND_PYTHON)


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, USS) of the process and its children, MiB."""
    rss = uss = 0
    for proc in tree(pid):
        full = proc.memory_full_info()
        rss += full.rss
        uss += full.uss
    return rss / MIB, uss / MIB


def cpu_s(pid: int) -> float:
    total = 0.0
    for proc in tree(pid):
        times = proc.cpu_times()
        total += times.user + times.system
    return total


async def idle_cost(proc: asyncio.subprocess.Process, idle_s: float) -> dict[str, float]:
    rss0 = memory_mib(proc.pid)[0]
    cpu0, t0 = cpu_s(proc.pid), time.monotonic()
    peak_rss = rss0
    while time.monotonic() - t0 < idle_s:
        await asyncio.sleep(1.0)
        peak_rss = max(peak_rss, memory_mib(proc.pid)[0])
    spent_cpu, wall = cpu_s(proc.pid) - cpu0, time.monotonic() - t0
    rss1, uss1 = memory_mib(proc.pid)
    return {
        "rss": rss1,
        "uss": uss1,
        "peak_rss": peak_rss,
        "cpu_percent": 100.0 * spent_cpu / wall,
        "cpu_ms": 1000.0 * spent_cpu,
        "children": float(len(tree(proc.pid)) - 1),
    }


async def measure_server(idle_s: float) -> tuple[float, dict[str, float], str]:
    argv, env, how = server_command()
    env["TT_LESSONS_HOME"] = str(Path(os.environ.get("TMPDIR", "/tmp")) / "tt-bench-idle-home")
    started = time.perf_counter()
    client = await RpcClient.start(env, argv)
    proc = client.proc
    try:
        ready_s = time.perf_counter() - started
        await client.request("tenstorrent/status", {})  # what the status view asks at start
        return ready_s, await idle_cost(proc, idle_s), how
    finally:
        await client.close()


async def measure_bare_python(idle_s: float) -> dict[str, float]:
    proc = await asyncio.create_subprocess_exec(
        str(BACKEND_PYTHON), "-c", "import sys; sys.stdin.read()", stdin=asyncio.subprocess.PIPE
    )
    try:
        await asyncio.sleep(0.5)  # let it finish starting; its start is not what is measured
        return await idle_cost(proc, idle_s)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        await proc.wait()


def main() -> None:
    quick = quick_flag(sys.argv)
    idle_s = 10.0 if quick else 60.0
    result = BenchResult("idle", f"Idle backend per VS Code window ({idle_s:.0f} s idle)", quick)
    ready_s, server, how = asyncio.run(measure_server(idle_s))
    bare = asyncio.run(measure_bare_python(idle_s))
    result.note(f"server: {how}; {server['children']:.0f} child process(es) while idle")
    result.add(Metric("start to initialize answered", "s", [ready_s]))
    result.add(Metric("server RSS after idling", "MiB", [server["rss"]]))
    result.add(
        Metric("server USS after idling (freed when the window closes)", "MiB", [server["uss"]])
    )
    result.add(Metric("server peak RSS while idle", "MiB", [server["peak_rss"]]))
    result.add(Metric("server CPU while idle", "%", [server["cpu_percent"]]))
    result.add(Metric("server CPU time while idle", "ms", [server["cpu_ms"]]))
    result.add(Metric("baseline: bare python RSS", "MiB", [bare["rss"]]))
    result.add(Metric("baseline: bare python USS", "MiB", [bare["uss"]]))
    result.add(Metric("baseline: bare python CPU while idle", "%", [bare["cpu_percent"]]))
    result.add(Metric("server RSS / bare python RSS", "x", [server["rss"] / bare["rss"]]))
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
