"""GPT-2 demo: cold (empty JAX compile cache) vs warm (second run, same cache).

What a person clicks goes through the backend server (`tt-lessons serve`, as the extension runs
it): each repetition starts a server with a fresh TT_LESSONS_HOME (so the persistent compile
cache under it is empty), sends `runTtXlaDemo` once (cold: a fresh interpreter, nothing
compiled), waits PAUSE_S as a person reading the answer would, and sends it again (warm: the
compile cache, and the interpreter the server started ahead after the first run, standby.py).
Measured at the JSON-RPC client: request sent -> first generated token's event.

The same pair through the CLI (`tt-lessons demo --json`, one fresh process per run, so warm means
the compile cache alone) shows what the persistent cache saves by itself. Reported per run: the
workload's own timings (load, compile, first forward pass, tokens/s) and the wall time to the
first token event.

bench/demo/compile_split.py then splits the compile step into tracing + lowering (every run)
and XLA compile or cache load (what the persistent cache saves), and one run under
`python -X importtime` shows where the load step's time goes.

The checkpoint is the tiny random GPT-2 the tests use (tests/fixtures/make_tiny_gpt2.py, written
in the tests' PyTorch venv, tests/fixtures/torch_venv.py). No real `gpt2` copy exists on this
machine (no network to the hub from here is assumed), so the base model is not measured.

    .venv/bin/python bench/bench_demo.py [--quick]
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import import_profile
from benchlib import (
    BACKEND_PYTHON,
    REPO,
    RESULTS,
    TT_LESSONS,
    BenchResult,
    Metric,
    StampedList,
    StampedRun,
    clean_env,
    lesson_venv,
    quick_flag,
    run_stamped,
)
from tt_lessons.protocol import DemoParams
from tt_lessons.routes import demo as demo_route
from tt_lessons.workload_specs import WORKLOADS_DIR

from tests.python.rpc_client import RpcClient

CHECKPOINT = RESULTS / "work" / "tiny-gpt2"
GENERATE = 8
PAUSE_S = 10.0  # between the two clicks: a person reading the first answer


def tiny_checkpoint() -> Path:
    if not (CHECKPOINT / "model.safetensors").exists():
        script = REPO / "tests" / "fixtures" / "make_tiny_gpt2.py"
        subprocess.run([str(torch_python()), str(script), str(CHECKPOINT)], check=True)
    return CHECKPOINT


def torch_python() -> Path:
    """The tests' PyTorch venv's interpreter (tests/fixtures/torch_venv.py builds it if missing)."""
    script = REPO / "tests" / "fixtures" / "torch_venv.py"
    made = subprocess.run([str(BACKEND_PYTHON), str(script)], check=True, capture_output=True)
    return Path(made.stdout.decode().strip().splitlines()[-1]) / "bin" / "python"


def gpt2_base_on_disk() -> bool:
    """A hub-cache copy of the real gpt2 (the demo would otherwise download it)."""
    hub = Path.home() / ".cache" / "huggingface" / "hub"
    return any(hub.glob("models--*gpt2/snapshots/*/model.safetensors"))


def demo(venv: Path, home: Path) -> StampedRun:
    argv = [str(TT_LESSONS), "demo", "--venv", str(venv), "--model", str(CHECKPOINT)]
    argv += ["--generate", str(GENERATE), "--json"]
    return run_stamped(argv, clean_env(TT_LESSONS_HOME=str(home), HF_HUB_OFFLINE="1"))


async def server_demo(client: RpcClient, venv: Path, run_id: str) -> dict[str, Any]:
    """One runTtXlaDemo request: the workload's timings and request -> first token event."""
    params = {"venv": str(venv), "model": str(CHECKPOINT), "generate": GENERATE, "runId": run_id}
    sent = time.perf_counter()
    _, reply = client.start_request("tenstorrent/runTtXlaDemo", params)
    answer = await asyncio.wait_for(reply, 900)
    if "error" in answer or answer["result"]["status"] != "succeeded":
        raise RuntimeError(f"demo run {run_id} failed: {json.dumps(answer)[-2000:]}")
    notes = [n for n in client.notifications if n["params"].get("runId") == run_id]
    token = next(n for n in notes if n["params"]["event"]["kind"] == "token")
    logs = [
        line
        for n in notes
        if n["params"]["event"]["kind"] == "log"
        for line in n["params"]["event"]["lines"]
    ]
    return {
        **workload_figures(answer["result"]["result"]),
        "ttft": token["_arrived"] - sent,
        "ahead": any("started ahead" in line for line in logs),
    }


async def server_pair(venv: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cold then warm on one server with an empty compile cache, PAUSE_S apart."""
    with tempfile.TemporaryDirectory(prefix="tt-bench-home-") as home:
        env = clean_env(TT_LESSONS_HOME=home, HF_HUB_OFFLINE="1")
        client = await RpcClient.start({**os.environ, **env})
        try:
            client.notifications = StampedList()
            cold = await server_demo(client, venv, "cold")
            await asyncio.sleep(PAUSE_S)
            warm = await server_demo(client, venv, "warm")
            return cold, warm
        finally:
            await client.close()


def imports(venv: Path, home: Path) -> tuple[float, str]:
    """The demo script as the backend starts it, once, under -X importtime."""
    script = WORKLOADS_DIR / "gpt2_demo.py"
    args = demo_route._args(DemoParams(model=str(CHECKPOINT), generate=GENERATE))
    args[args.index("--cache-dir") + 1] = str(home / "jax-compile-cache")
    argv = [str(venv / "bin" / "python"), "-u", str(script), *args]
    try:
        return import_profile.profile(argv, clean_env(HF_HUB_OFFLINE="1"))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def compile_split(venv: Path, home: Path) -> dict[str, float]:
    """One run of bench/demo/compile_split.py: the demo's compile, traced apart from compiled."""
    script = Path(__file__).resolve().parent / "demo" / "compile_split.py"
    argv = [str(venv / "bin" / "python"), str(script), str(WORKLOADS_DIR), str(CHECKPOINT)]
    argv.append(str(home / "jax-compile-cache"))
    done = subprocess.run(argv, env=clean_env(), capture_output=True, text=True, check=True)
    split: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return split


def workload_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The demo's own timings from its result, and whether the compile came from the cache."""
    timings = result["timings"]
    return {
        "load": timings["loadS"],
        "compile": timings["compileS"],
        "forward": timings["firstTokenS"],
        "tps": timings["tokensPerS"],
        "hit": result["cacheHit"],
    }


def figures(run: StampedRun) -> dict[str, Any]:
    return {
        **workload_figures(run.outcome["result"]),
        "ttft": run.first("token", index=0),
        "total": run.exit_s,
    }


def add_runs(
    result: BenchResult, via: str, cold: list[dict[str, Any]], warm: list[dict[str, Any]]
) -> None:
    start = "request" if via == "server" else "spawn"
    for label, runs in (("cold", cold), ("warm", warm)):
        name = f"{via}, {label}"
        result.add(Metric(f"{name}: {start} to first token event", "s", [r["ttft"] for r in runs]))
        result.add(Metric(f"{name}: load (imports + weights)", "s", [r["load"] for r in runs]))
        result.add(Metric(f"{name}: compile", "s", [r["compile"] for r in runs]))
        result.add(Metric(f"{name}: first forward pass", "s", [r["forward"] for r in runs]))
        result.add(
            Metric(f"{name}: tokens/s ({GENERATE} tokens)", "tokens/s", [r["tps"] for r in runs])
        )


def main() -> None:
    quick = quick_flag(sys.argv)
    reps = 1 if quick else 3
    result = BenchResult(
        "demo", "GPT-2 demo: cold vs warm (compile cache, interpreter started ahead)", quick
    )
    tiny_checkpoint()
    venv = lesson_venv()
    # uv installs without byte-compiling, so a fresh venv's first run also writes .pyc files;
    # one uncounted run takes that (and a cold page cache) out of the cold/warm comparison.
    warm_up = Path(tempfile.mkdtemp(prefix="tt-bench-home-"))
    demo(venv, warm_up)
    shutil.rmtree(warm_up, ignore_errors=True)
    served: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for rep in range(reps):
        served.append(asyncio.run(server_pair(venv)))
        print(f"server rep {rep + 1}/{reps}: cold {served[-1][0]}\n  warm {served[-1][1]}")
    cold = [c for c, _ in served]
    warm = [w for _, w in served]
    add_runs(result, "server", cold, warm)
    ratio = [c["ttft"] / w["ttft"] for c, w in served]
    result.add(
        Metric("server: cold / warm, request to first token", "x", ratio, ">= 5x"),
        lambda x: x >= 5,
    )
    result.note(
        f"server, warm run adopted the interpreter started ahead: {[w['ahead'] for w in warm]}"
    )

    cli_cold: list[dict[str, Any]] = []
    cli_warm: list[dict[str, Any]] = []
    for rep in range(reps):
        home = Path(tempfile.mkdtemp(prefix="tt-bench-home-"))
        try:
            cli_cold.append(figures(demo(venv, home)))
            cli_warm.append(figures(demo(venv, home)))
        finally:
            shutil.rmtree(home, ignore_errors=True)
        print(f"cli rep {rep + 1}/{reps}: cold {cli_cold[-1]}\n  warm {cli_warm[-1]}", flush=True)
    add_runs(result, "cli", cli_cold, cli_warm)
    cli_ratio = [c["ttft"] / w["ttft"] for c, w in zip(cli_cold, cli_warm, strict=True)]
    result.add(
        Metric("cli: cold / warm (compile cache only), spawn to first token", "x", cli_ratio)
    )
    result.add(
        Metric(
            "cli: cold / warm, compile only",
            "x",
            [c["compile"] / w["compile"] for c, w in zip(cli_cold, cli_warm, strict=True)],
        )
    )
    splits: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    for _ in range(reps):
        home = Path(tempfile.mkdtemp(prefix="tt-bench-home-"))
        try:
            for label in ("cold", "warm"):
                splits[label].append(compile_split(venv, home))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    for label, step in (("cold", "XLA compile"), ("warm", "load from the compile cache")):
        runs = splits[label]
        traced, compiled = [r["traceLowerS"] for r in runs], [r["compileS"] for r in runs]
        result.add(Metric(f"{label}: compile = trace + lower", "s", traced))
        result.add(Metric(f"{label}: compile = {step}", "s", compiled))
    imports_s, result.profile = imports(venv, Path(tempfile.mkdtemp(prefix="tt-bench-home-")))
    print(result.profile)
    result.add(Metric("one run: time spent importing modules", "s", [imports_s]))
    hits = [(c["hit"], w["hit"]) for c, w in [*served, *zip(cli_cold, cli_warm, strict=True)]]
    result.note(f"cacheHit per repetition (cold, warm): {hits}")
    has_torch = any(venv.glob("lib/python3*/site-packages/torch"))
    result.note(f"venv: {venv} ({'with' if has_torch else 'without'} torch)")
    result.note(f"checkpoint: tiny random GPT-2 from make_tiny_gpt2.py at {CHECKPOINT}")
    if not gpt2_base_on_disk():
        result.note("gpt2 base: no local copy on this machine, so not measured")
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
