"""The things bench_gpt2.py times, each kept warm between repetitions.

`Worker`: bench/gpt2/worker.py in a CPU venv (our in-process Generator, or PyTorch), answering
one JSON request per line. `Product`: the backend server (`tt-lessons serve`, as the extension
starts it) answering `tenstorrent/runTtXlaDemo`; after its first run the server keeps an
interpreter started ahead (the standby), so every later request is the warm click a person
makes. Measured at the JSON-RPC client, as the extension would see it.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from benchlib import StampedList, clean_env

from tests.python.rpc_client import RpcClient

WORKER = Path(__file__).resolve().parent / "worker.py"
# Between two clicks, as a person reading the answer: the server starts the next run's
# interpreter after a run succeeds, and a request sent at once would find none yet. After the
# pause the click also waits (up to SETTLE_S) for that interpreter to finish preparing, so what
# is timed is the click, not the end of the last run's preparation.
PAUSE_S = 4.0
SETTLE_S = 60.0


class Worker:
    """`script` (another checkout's worker.py) and `env` (XLA_FLAGS...) serve bench/gpt2/ab.py."""

    def __init__(
        self, venv: Path, *args: str, script: Path = WORKER, env: dict[str, str] | None = None
    ) -> None:
        argv = [str(venv / "bin" / "python"), str(script), *args]
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env or clean_env()
        )
        self.ready: dict[str, Any] = self._read()["ready"]

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.proc.args!r} exited {self.proc.wait()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


class Product:
    """One backend server with its own TT_LESSONS_HOME (so its own compile cache).

    `env`: more for the server and so its workloads (bench/gpt2/ab.py: PYTHONPATH to another
    checkout's backend, XLA_FLAGS)."""

    def __init__(self, venv: Path, env: dict[str, str] | None = None) -> None:
        self.venv = venv
        self.home = tempfile.TemporaryDirectory(prefix="tt-bench-gpt2-")
        self.loop = asyncio.new_event_loop()
        env = {
            **os.environ,
            **clean_env(TT_LESSONS_HOME=self.home.name, HF_HUB_OFFLINE="1", **(env or {})),
        }
        self.client: RpcClient = self.loop.run_until_complete(RpcClient.start(env))
        self.client.notifications = StampedList()
        self.runs = 0

    def demo(self, folder: Path, prompt: str, new_tokens: int, weights: str) -> dict[str, Any]:
        """One click: request -> first and last token events, and the workload's own timings."""
        self.runs += 1
        run_id = f"bench-{self.runs}"
        params = {
            "venv": str(self.venv),
            "model": str(folder),
            "prompt": prompt,
            "generate": new_tokens,
            "stopAtEos": False,
            "weights": weights,
            "runId": run_id,
        }
        return self.loop.run_until_complete(self._demo(params, run_id))

    async def _demo(self, params: dict[str, Any], run_id: str) -> dict[str, Any]:
        if self.runs > 1:
            await asyncio.sleep(PAUSE_S)
            await self._settled()
        sent = time.perf_counter()
        _, reply = self.client.start_request("tenstorrent/runTtXlaDemo", params)
        answer = await asyncio.wait_for(reply, 900)
        if "error" in answer or answer["result"]["status"] != "succeeded":
            raise RuntimeError(f"demo run {run_id} failed: {json.dumps(answer)[-2000:]}")
        notes = [n for n in self.client.notifications if n["params"].get("runId") == run_id]
        tokens = [n for n in notes if n["params"]["event"]["kind"] == "token"]
        logs = [
            line
            for n in notes
            if n["params"]["event"]["kind"] == "log"
            for line in n["params"]["event"]["lines"]
        ]
        result = answer["result"]["result"]
        return {
            "tokensPerS": result["timings"]["tokensPerS"],
            "decodeTokensPerS": result["timings"]["decodeTokensPerS"],
            "prefillS": result["timings"]["prefillS"],
            "loadS": result["timings"]["loadS"],
            "compileS": result["timings"]["compileS"],
            "promptTokens": result["promptTokens"],
            "tokens": len(tokens),
            "firstTokenS": tokens[0]["_arrived"] - sent,
            "lastTokenS": tokens[-1]["_arrived"] - sent,
            "cacheHit": result["cacheHit"],
            "ahead": any("started ahead" in line for line in logs),
            "prepared": any("Programs were prepared ahead" in line for line in logs),
        }

    def settle(self) -> None:
        """Wait for the standby this server started after its last run to finish preparing:
        the other sides' measurements must not share the CPU with it."""
        self.loop.run_until_complete(self._settled())

    async def _settled(self) -> None:
        """Until the server's standby interpreter has stopped using the CPU (its imports and
        preparation done, it waits for a run), or SETTLE_S passed."""
        deadline = time.monotonic() + SETTLE_S
        while time.monotonic() < deadline:
            kids = psutil.Process(self.client.proc.pid).children(recursive=True)
            standbys = [k for k in kids if any("_standby.py" in a for a in _cmdline(k))]
            busy = [_cpu_s(k) for k in standbys]
            await asyncio.sleep(0.5)
            if standbys and busy == [_cpu_s(k) for k in standbys]:
                return

    def close(self) -> None:
        self.loop.run_until_complete(self.client.close())
        self.loop.close()
        self.home.cleanup()


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def _cpu_s(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return -1.0
    return float(times.user + times.system)
