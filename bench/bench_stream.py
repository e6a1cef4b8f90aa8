"""Stream throughput: 100,000 printed lines through the backend to a JSON-RPC client.

The child is bench/stream/flood_child.py, started exactly as the backend starts a workload
(`python -u script`). Three ways of reading it, timed in the same run:

* baseline: the child's stdout read line by line through a plain `subprocess` pipe;
* backend in-process: `services.execute` (runner + RunSink + pydantic events) with a listener
  that serialises each notification to JSON the way the server does, no transport;
* full server: the real `tt-lessons serve` process (bench/stream/serve_patched.py swaps only its
  workloads folder) and the tests' JSON-RPC client reading LSP frames off its stdout.

How the child is run through the backend without touching it: a throw-away "ready venv" (bin/python
a symlink to this interpreter, pyvenv.cfg, a ready manifest), as the reliability tests make, and
a workloads folder whose sanity.py is the flood child; the request is `testTtXlaInstall`. Every
line's number is checked in order at the client (nothing dropped, nothing reordered), and the
backend's peak RSS is sampled with psutil every 5 ms.

    .venv/bin/python bench/bench_stream.py [--quick]
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from benchlib import BenchResult, Metric, quick_flag
from tt_lessons import services
from tt_lessons.protocol import EventNotification, Manifest, TestParams
from tt_lessons.routes import Method
from tt_lessons.venv import manifest
from tt_lessons.venv.layout import VenvLayout

from tests.python.rpc_client import RpcClient

LINES = 100_000
HERE = Path(__file__).resolve().parent / "stream"


def fake_venv(root: Path) -> Path:
    """A venv the backend trusts, whose python is this interpreter (the child needs no JAX)."""
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "python").symlink_to(sys.executable)
    (root / "pyvenv.cfg").write_text("version = {}.{}.{}\n".format(*sys.version_info[:3]))
    manifest.write(VenvLayout(root), Manifest(state="ready", updated_at=manifest.now()))
    return root


def check_lines(lines: list[str]) -> None:
    """Every numbered line present exactly once, in order."""
    numbered = [line for line in lines if line.startswith("line ")]
    if len(numbered) != LINES:
        raise AssertionError(f"{len(numbered)} of {LINES} lines arrived")
    for expected, line in enumerate(numbered):
        if int(line[5:11]) != expected:
            raise AssertionError(f"line {expected} arrived as {line[:11]!r}: order broken")


def baseline(python: Path, script: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([str(python), "-u", str(script)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    lines = [raw.decode().rstrip("\n") for raw in proc.stdout]
    proc.wait()
    spent = time.perf_counter() - started
    check_lines(lines)
    return LINES / spent


def child_alone(python: Path, script: Path, env: dict[str, str]) -> float:
    """The child writing to /dev/null: the most any reader could get."""
    started = time.perf_counter()
    subprocess.run([str(python), "-u", str(script)], stdout=subprocess.DEVNULL, env=env, check=True)
    return LINES / (time.perf_counter() - started)


def log_lines(events: list[dict[str, Any]]) -> list[str]:
    seqs = [e["seq"] for e in events]
    if seqs != list(range(len(seqs))):
        raise AssertionError("event seq numbers have gaps or are out of order")
    return [line for e in events if e["event"]["kind"] == "log" for line in e["event"]["lines"]]


async def in_process(venv: Path) -> float:
    payloads: list[str] = []

    def listener(note: EventNotification) -> None:
        payloads.append(json.dumps(note.model_dump(by_alias=True, mode="json")))

    started = time.perf_counter()
    outcome = await services.execute(Method.TEST, TestParams(venv=str(venv)), listener)
    spent = time.perf_counter() - started
    assert outcome.status.value == "succeeded", outcome
    check_lines(log_lines([json.loads(p) for p in payloads]))
    return LINES / spent


class PeakRss:
    """Polls a process's resident set size from a thread; keeps the largest value seen."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak: int = self.process.memory_info().rss
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.stop.wait(0.005):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


async def server_run(client: RpcClient, venv: Path, run_id: str) -> dict[str, float]:
    """One flood through the server, with the server's RSS sampled while it runs."""
    assert client.proc.pid is not None
    idle = psutil.Process(client.proc.pid).memory_info().rss
    rss = PeakRss(client.proc.pid)
    started = time.perf_counter()
    reply = await client.request(Method.TEST.value, {"venv": str(venv), "runId": run_id})
    spent = time.perf_counter() - started
    peak = rss.close()
    assert reply["result"]["status"] == "succeeded", reply
    check_lines(log_lines(client.events(run_id)))
    notes = len(client.events(run_id))
    client.notifications.clear()
    return {"lps": LINES / spent, "peak": peak / 2**20, "idle": idle / 2**20, "notes": notes}


async def measure(
    venv: Path, folder: Path, env: dict[str, str], reps: int
) -> dict[str, list[float]]:
    """All four ways per repetition, interleaved, so load from other work hits each alike."""
    python, script = venv / "bin" / "python", folder / "sanity.py"
    launcher = [sys.executable, str(HERE / "serve_patched.py"), str(folder)]
    client = await RpcClient.start(env, launcher)
    found: dict[str, list[float]] = {}
    try:
        for rep in range(reps):
            found.setdefault("alone", []).append(child_alone(python, script, env))
            found.setdefault("base", []).append(baseline(python, script, env))
            found.setdefault("inproc", []).append(await in_process(venv))
            for key, value in (await server_run(client, venv, f"flood-{rep}")).items():
                found.setdefault(key, []).append(value)
    finally:
        await client.close()
    return found


def main() -> None:
    quick = quick_flag(sys.argv)
    reps = 2 if quick else 5
    result = BenchResult(
        "stream", f"Stream throughput: {LINES:,} lines to a JSON-RPC client", quick
    )
    work = Path(tempfile.mkdtemp(prefix="tt-bench-stream-"))
    try:
        venv = fake_venv(work / "venv")
        folder = work / "workloads"
        folder.mkdir()
        shutil.copy(HERE / "flood_child.py", folder / "sanity.py")
        env = {
            **os.environ,
            "TT_BENCH_FLOOD_LINES": str(LINES),
            "TT_LESSONS_HOME": str(work / "home"),
        }
        os.environ.update(env)  # the in-process backend passes its environment to the child
        # In-process only (the server gets it via its launcher); services re-exports the name.
        services.WORKLOADS_DIR = folder  # type: ignore[attr-defined]
        found = asyncio.run(measure(venv, folder, env, reps))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    full, base = found["lps"], found["base"]
    ratio = [f / b for f, b in zip(full, base, strict=True)]
    result.add(Metric("child alone, stdout to /dev/null", "lines/s", found["alone"]))
    result.add(Metric("baseline: plain subprocess pipe", "lines/s", base))
    result.add(Metric("backend in-process (runner + sink + JSON)", "lines/s", found["inproc"]))
    target = ">= 20,000 lines/s"
    full_metric = Metric("full server -> JSON-RPC client", "lines/s", full, target)
    result.add(full_metric, lambda x: x >= 20_000)
    result.add(Metric("full server / baseline", "x", ratio))
    result.add(Metric("backend peak RSS during the run", "MiB", found["peak"]))
    result.add(Metric("backend RSS before the run", "MiB", found["idle"]))
    result.add(Metric("notifications per run (batched log lines)", "count", found["notes"]))
    result.note("every run: all lines arrived, numbers checked in order, seq numbers gap-free")
    result.note("the baseline reads line by line (`for line in proc.stdout`), as a script would")
    result.note("child started with `python -u` as the backend starts workloads (a write per line)")
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
