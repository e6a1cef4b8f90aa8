"""GPT-2 demo: cold (empty JAX compile cache) vs warm (second run, same cache).

Each repetition makes a fresh TT_LESSONS_HOME (so the persistent compile cache under it is empty),
runs `tt-lessons demo --json` once (cold) and again (warm). Reported per run: the workload's own
timings (load, compile, first forward pass, tokens/s) and, measured here from the moment the CLI
is spawned, the wall time to the first generated token's event: what a person waits for.

bench/demo/compile_split.py then splits the compile step into tracing + lowering (every run)
and XLA compile or cache load (what the persistent cache saves), and one run under
`python -X importtime` shows where the load step's time goes.

The checkpoint is the tiny random GPT-2 the tests use (tests/fixtures/make_tiny_gpt2.py, written
with the CPU venv's torch + transformers). No real `gpt2` copy exists on this machine (no network
to the hub from here is assumed), so the base model is not measured.

    .venv/bin/python bench/bench_demo.py [--quick]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import import_profile
from benchlib import (
    CPU_VENV,
    REPO,
    RESULTS,
    TT_LESSONS,
    BenchResult,
    Metric,
    StampedRun,
    clean_env,
    lesson_venv,
    quick_flag,
    run_stamped,
)
from tt_lessons.workload_specs import WORKLOADS_DIR

CHECKPOINT = RESULTS / "work" / "tiny-gpt2"
GENERATE = 8


def tiny_checkpoint() -> Path:
    if not (CHECKPOINT / "model.safetensors").exists():
        script = REPO / "tests" / "fixtures" / "make_tiny_gpt2.py"
        subprocess.run([str(CPU_VENV / "bin" / "python"), str(script), str(CHECKPOINT)], check=True)
    return CHECKPOINT


def gpt2_base_on_disk() -> bool:
    """A hub-cache copy of the real gpt2 (the demo would otherwise download it)."""
    hub = Path.home() / ".cache" / "huggingface" / "hub"
    return any(hub.glob("models--*gpt2/snapshots/*/model.safetensors"))


def demo(venv: Path, home: Path) -> StampedRun:
    argv = [str(TT_LESSONS), "demo", "--venv", str(venv), "--model", str(CHECKPOINT)]
    argv += ["--generate", str(GENERATE), "--json"]
    return run_stamped(argv, clean_env(TT_LESSONS_HOME=str(home), HF_HUB_OFFLINE="1"))


def imports(venv: Path, home: Path) -> tuple[float, str]:
    """The demo script as the backend starts it, once, under -X importtime."""
    script = WORKLOADS_DIR / "gpt2_demo.py"
    argv = [str(venv / "bin" / "python"), "-u", str(script), "--model", str(CHECKPOINT)]
    argv += ["--generate", str(GENERATE), "--cache-dir", str(home / "jax-compile-cache")]
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


def figures(run: StampedRun) -> dict[str, Any]:
    result = run.outcome["result"]
    timings = result["timings"]
    return {
        "load": timings["loadS"],
        "compile": timings["compileS"],
        "forward": timings["firstTokenS"],
        "tps": timings["tokensPerS"],
        "ttft": run.first("token", index=0),
        "total": run.exit_s,
        "hit": result["cacheHit"],
    }


def main() -> None:
    quick = quick_flag(sys.argv)
    reps = 1 if quick else 3
    result = BenchResult(
        "demo", "GPT-2 demo: cold vs warm JAX compile cache (tiny checkpoint)", quick
    )
    tiny_checkpoint()
    venv = lesson_venv()
    # uv installs without byte-compiling, so a fresh venv's first run also writes .pyc files;
    # one uncounted run takes that (and a cold page cache) out of the cold/warm comparison.
    warm_up = Path(tempfile.mkdtemp(prefix="tt-bench-home-"))
    demo(venv, warm_up)
    shutil.rmtree(warm_up, ignore_errors=True)
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    for rep in range(reps):
        home = Path(tempfile.mkdtemp(prefix="tt-bench-home-"))
        try:
            cold.append(figures(demo(venv, home)))
            warm.append(figures(demo(venv, home)))
        finally:
            shutil.rmtree(home, ignore_errors=True)
        print(f"rep {rep + 1}/{reps}: cold {cold[-1]}\n           warm {warm[-1]}", flush=True)

    for label, runs in (("cold", cold), ("warm", warm)):
        result.add(Metric(f"{label}: spawn to first token event", "s", [r["ttft"] for r in runs]))
        result.add(Metric(f"{label}: load (imports + weights)", "s", [r["load"] for r in runs]))
        result.add(Metric(f"{label}: compile", "s", [r["compile"] for r in runs]))
        result.add(Metric(f"{label}: first forward pass", "s", [r["forward"] for r in runs]))
        result.add(
            Metric(f"{label}: tokens/s ({GENERATE} tokens)", "tokens/s", [r["tps"] for r in runs])
        )
        result.add(Metric(f"{label}: whole run", "s", [r["total"] for r in runs]))
    ratio = [c["ttft"] / w["ttft"] for c, w in zip(cold, warm, strict=True)]
    result.add(Metric("cold / warm, spawn to first token", "x", ratio, ">= 5x"), lambda x: x >= 5)
    result.add(
        Metric(
            "cold / warm, compile only",
            "x",
            [c["compile"] / w["compile"] for c, w in zip(cold, warm, strict=True)],
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
    hits = [(c["hit"], w["hit"]) for c, w in zip(cold, warm, strict=True)]
    result.note(f"cacheHit per repetition (cold, warm): {hits}")
    has_torch = any(venv.glob("lib/python3*/site-packages/torch"))
    result.note(f"venv: {venv} ({'with' if has_torch else 'without'} torch)")
    result.note(f"checkpoint: tiny random GPT-2 from make_tiny_gpt2.py at {CHECKPOINT}")
    if not gpt2_base_on_disk():
        result.note("gpt2 base: no local copy on this machine, so not measured")
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
