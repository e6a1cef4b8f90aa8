"""Click to first output: JSON-RPC request sent -> first `tenstorrent/event` at the client.

One warm backend (`tt-lessons serve`, the extension's own server) answers 20 sequential
`tenstorrent/testTtXlaInstall` requests on the ready CPU venv, the button the lesson's "Test"
step sends. Every notification is stamped the moment the client's reader parses it. Reported:
the first event (the backend's own log line), the first event the workload printed (its first
progress event, printed as soon as its Python runs), its next one (after `import jax`: Python +
JAX start), the result, and the reply.

    .venv/bin/python bench/bench_latency.py [--quick]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time

from benchlib import BenchResult, Metric, StampedList, lesson_venv, quick_flag

from tests.python.rpc_client import RpcClient

RUNS = 20
METHOD = "tenstorrent/testTtXlaInstall"


async def one_run(client: RpcClient, run_id: str) -> dict[str, float]:
    sent = time.perf_counter()
    _, reply = client.start_request(METHOD, {"venv": str(lesson_venv()), "runId": run_id})
    answer = await asyncio.wait_for(reply, 120)
    replied = time.perf_counter()
    if "error" in answer or answer["result"]["status"] != "succeeded":
        raise RuntimeError(f"run {run_id} failed: {answer}")
    notes = [n for n in client.notifications if n["params"].get("runId") == run_id]
    seqs = [n["params"]["seq"] for n in notes]
    assert seqs == list(range(len(seqs))), f"events out of order or missing: {seqs}"

    def first(kind: str, step: int | None = None) -> float:
        stamp: float = next(
            n["_arrived"]
            for n in notes
            if n["params"]["event"]["kind"] == kind
            and (step is None or n["params"]["event"]["step"] == step)
        )
        return (stamp - sent) * 1000

    return {
        "first": (notes[0]["_arrived"] - sent) * 1000,
        "workload": first("progress"),
        "jax": first("progress", step=2),
        "result": first("result"),
        "reply": (replied - sent) * 1000,
    }


async def measure(runs: int) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="tt-bench-home-") as home:
        client = await RpcClient.start({**os.environ, "TT_LESSONS_HOME": home})
        try:
            client.notifications = StampedList()
            await one_run(client, "warm-up")  # page cache and the server's first-call imports
            return [await one_run(client, f"run-{i}") for i in range(runs)]
        finally:
            await client.close()


def main() -> None:
    quick = quick_flag(sys.argv)
    runs = 5 if quick else RUNS
    result = BenchResult("latency", "Click to first output (warm backend, JSON-RPC)", quick)
    samples = asyncio.run(measure(runs))
    first = Metric("request -> first event", "ms", [s["first"] for s in samples], "< 300 ms")
    result.add(first, lambda ms: ms < 300)
    result.add(Metric("request -> first workload event", "ms", [s["workload"] for s in samples]))
    result.add(
        Metric("request -> workload event after `import jax`", "ms", [s["jax"] for s in samples])
    )
    result.add(Metric("request -> result event", "ms", [s["result"] for s in samples]))
    result.add(Metric("request -> reply", "ms", [s["reply"] for s in samples]))
    result.note(f"venv: {lesson_venv()}")
    result.note(f"{runs} sequential runs on one server after one uncounted warm-up run")
    result.note(
        "first workload event = sanity.py's first progress event, printed before `import jax` "
        "(so: Python start); its step-2 event follows `import jax` (Python + JAX start)"
    )
    result.note("result -> reply is the workload's interpreter exiting (JAX teardown)")
    result.note(
        "after each successful run the server starts the next run's interpreter ahead "
        "(standby.py), so each measured run adopts one: Python + JAX start shrinks to whatever "
        "of the standby's imports was still running when the request came"
    )
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
