"""GPT-2 decode speed as a user gets it, against transformers' PyTorch generate, same run.

The headline rows are demo runs started the way the lesson starts them: a `runTtXlaDemo` request
to the backend server, warm (the compile cache filled and the interpreter started ahead, the
standby), on both CPU stacks the product installs: the plugin's jax pin (Python 3.12) and the
newest jax (`--latest-jax`). Beside them, interleaved over the repetitions:

* transformers' `generate(use_cache=True)` on torch's CPU build, same weights and prompt, on two
  threads and on one (the faster per repetition is PyTorch's figure);
* our `Generator` inside one process (bench/gpt2/worker.py), a second row that shows what the
  request, the fresh interpreter, token events and the tokenizer add on top;
* the same demo request with bfloat16 weights, and after a 400-token prompt (step growth).

Then: the memory-bandwidth bound (the best 1 GiB read, measured at the start and the end, over
the weight bytes each token reads), bfloat16's top-5 agreement and largest probability
difference against float32, gpt2-medium (355M) through the product with its own bound, and a
profile of one decode step per stack (bench/gpt2/profile_step.py) written into the report.

Checkpoints: full-size random-weight GPT-2 and gpt2-medium written offline by
bench/gpt2/make_checkpoint.py into .cache/bench-gpt2; the two venvs are the tests' own
(.cache/test-venv-pinned, .cache/test-venv), built by `tt-lessons install --cpu-only` when absent.
The run marks itself UNRELIABLE when the machine was visibly busy or its host lent our CPU time
to other machines (bench/gpt2/machine.py).

    .venv/bin/python bench/bench_gpt2.py [--quick] [--smoke TINY_FOLDER]

--quick: 2 repetitions instead of 5. --smoke: a check of the whole path on a tiny checkpoint
(8 tokens, 1 repetition, the pinned stack only, no gpt2-medium), for the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchlib import BACKEND_PYTHON, REPO, TT_LESSONS, BenchResult, Metric, clean_env, quick_flag
from gpt2 import machine
from gpt2.report_rows import add_product_rows, add_torch_rows, medium_rows, profile_text
from gpt2.sides import Product, Worker

HERE = Path(__file__).resolve().parent / "gpt2"
CHECKPOINTS = REPO / ".cache" / "bench-gpt2"
TORCH = "torch==2.13.0"  # the CPU build the tests use
STACKS = {
    "pinned": (Path(os.environ.get("TT_LESSONS_TEST_VENV", REPO / ".cache/test-venv-pinned")), ()),
    "latest": (
        Path(os.environ.get("TT_LESSONS_TEST_VENV_LATEST", REPO / ".cache/test-venv")),
        ("--latest-jax",),
    ),
}


# PyTorch's side (and the checkpoint writer) in a venv of its own, when set: the tests point it at
# their CPU-torch venv (tests/fixtures/torch_venv.py). Unset, torch goes into the pinned stack's
# venv, as in the runs bench/REPORT.md quotes.
_TORCH_VENV = os.environ.get("TT_BENCH_TORCH_VENV")
TORCH_VENV = Path(_TORCH_VENV) if _TORCH_VENV else None


def ready_venv(path: Path, flags: tuple[str, ...]) -> Path:
    """The stack the product installs, built by the product's own installer when missing."""
    status = subprocess.run(
        [str(TT_LESSONS), "status", "--venv", str(path), "--json"], capture_output=True, text=True
    )
    state = json.loads(status.stdout) if status.returncode == 0 else {}
    pinned = state.get("packages", {}).get("jax") == "0.7.1"
    if state.get("state") != "ready" or pinned != (not flags):
        install = [str(TT_LESSONS), "install", "--cpu-only", *flags, "--venv", str(path), "--force"]
        subprocess.run(install, check=True)
    if TORCH_VENV is not None or flags:  # PyTorch runs in the pinned stack's venv only
        return path
    probe = subprocess.run(
        [str(path / "bin" / "python"), "-c", "import torch"], capture_output=True
    )
    if probe.returncode != 0:
        pip = [str(BACKEND_PYTHON), "-m", "pip", "--python", str(path / "bin" / "python")]
        subprocess.run([*pip, "install", TORCH], check=True)
    return path


def checkpoint(name: str, venv: Path) -> Path:
    folder = CHECKPOINTS / name
    if not (folder / "model.safetensors").exists():
        shutil.rmtree(folder, ignore_errors=True)
        argv = [str(venv / "bin" / "python"), str(HERE / "make_checkpoint.py"), str(folder)]
        if name == "medium":
            argv += ["--size", "medium", "--tokenizer-from", str(checkpoint("checkpoint", venv))]
        subprocess.run(argv, check=True, env=clean_env())
    return folder


def weight_bytes(folder: Path) -> int:
    """Bytes of the tensors a token reads, from the safetensors header (the head reuses wte)."""
    with (folder / "model.safetensors").open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
    return sum(
        end - start
        for name, entry in header.items()
        if name != "__metadata__" and not name.endswith(("lm_head.weight", ".attn.bias"))
        for start, end in [entry["data_offsets"]]
    )


def profile(venv: Path, folder: Path) -> dict[str, Any]:
    argv = [str(venv / "bin" / "python"), str(HERE / "profile_step.py"), str(folder)]
    done = subprocess.run(argv, capture_output=True, text=True, env=clean_env(), timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(f"profile_step.py failed:\n{done.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    smoke = Path(sys.argv[sys.argv.index("--smoke") + 1]) if "--smoke" in sys.argv else None
    reps = 1 if smoke else 2 if quick_flag(sys.argv) else 5
    new = 8 if smoke else 64
    bench = BenchResult("gpt2", "GPT-2 decode through the product vs PyTorch generate", reps < 5)
    before = machine.facts()
    # The smoke check runs one stack: the path is the same code on both.
    stacks = {k: v for k, v in STACKS.items() if not smoke or k == "pinned"}
    venvs = {name: ready_venv(path, flags) for name, (path, flags) in stacks.items()}
    torch_venv = TORCH_VENV or venvs["pinned"]
    folder = smoke or checkpoint("checkpoint", torch_venv)
    config = json.loads((folder / "config.json").read_text())
    long = min(400, config["n_positions"] - new - 8)

    torch = Worker(torch_venv, "torch", str(folder), str(new))
    counters_start = machine.cpu_counters()
    bandwidth_start = torch.ask(op="bandwidth")
    ours = {
        name: Worker(venv, "jax", str(folder), "float32", str(new)) for name, venv in venvs.items()
    }
    labels = {name: f"jax {w.ready['jax']}" for name, w in ours.items()}
    prompts = ours["pinned"].ask(op="prompts", lengths=[5, long])
    short_text, short_ids = prompts["5"]["text"], prompts["5"]["ids"]
    long_text = prompts[str(long)]["text"]
    products = {name: Product(venv) for name, venv in venvs.items()}
    runs: dict[str, list[dict[str, Any]]] = {}

    def record(key: str, value: dict[str, Any]) -> None:
        runs.setdefault(key, []).append(value)

    # Clicked in this order each repetition, so each case follows the one before it as a person's
    # clicks would: "5" after "long" (the standby prepared the same weights for another prompt
    # size) and "again", the same click repeated (it prepared exactly this one).
    product_cases = {
        "bf16": (short_text, "bfloat16"),
        "long": (long_text, "float32"),
        "5": (short_text, "float32"),
        "again": (short_text, "float32"),
    }
    for name, product in products.items():  # the first click compiles and starts the standby
        for text, weights in product_cases.values():
            product.demo(folder, text, new, weights)
        ours[name].ask(op="ours", ids=short_ids)
    for product in products.values():
        product.settle()
    torch.ask(op="torch", ids=short_ids, threads=2)
    for rep in range(reps):  # interleaved, so drift in the machine hits every row alike
        for name, product in products.items():
            for case, (text, weights) in product_cases.items():
                for other in products.values():
                    other.settle()  # the other stack's standby may still be preparing
                record(f"product_{name}_{case}", product.demo(folder, text, new, weights))
        for product in products.values():
            product.settle()  # its standby prepares the next click: not while others are timed
        for threads in (2, 1):
            record(f"torch_{threads}", torch.ask(op="torch", ids=short_ids, threads=threads))
        for name, worker in ours.items():
            record(f"inproc_{name}", worker.ask(op="ours", ids=short_ids))
        print(f"repetition {rep + 1}/{reps} done", flush=True)
    for product in products.values():
        product.settle()
    bandwidth_end = torch.ask(op="bandwidth")
    steal = machine.steal_share(counters_start, machine.cpu_counters())
    agreement = ours["pinned"].ask(op="bf16", ids=short_ids, steps=new)
    for worker in [torch, *ours.values()]:
        worker.close()

    best_start, best_end = max(bandwidth_start.values()), max(bandwidth_end.values())
    bound = (best_start + best_end) / 2 / ours["pinned"].ready["weightBytes"]
    loadavg = before.pop("loadavg")
    bench.facts = {**before, "loadavg before": loadavg}
    torch_best = add_torch_rows(bench, runs, new, bound)
    for name in products:
        add_product_rows(bench, runs, name, labels[name], new, long, bound, torch_best)
    bench.add(Metric("bfloat16 vs float32: steps with the same top 5", "%", [agreement["top5"]]))
    bench.add(
        Metric(
            "bfloat16 vs float32: largest probability difference", "p", [agreement["maxProbDiff"]]
        )
    )
    bench.facts["CPU time taken by other machines"] = f"{100 * steal:.1f}% (steal)"
    bench.facts["memory bandwidth at the start"] = _gbps(bandwidth_start)
    bench.facts["memory bandwidth at the end"] = _gbps(bandwidth_end)
    bench.facts["bound"] = (
        f"{ours['pinned'].ready['weightBytes'] / 1e6:.0f} MB of float32 weights per token at "
        f"{(best_start + best_end) / 2e9:.1f} GB/s: {bound:.1f} tokens/s"
    )
    if smoke is None:
        medium = checkpoint("medium", torch_venv)
        medium_rows(
            bench,
            products,
            medium,
            weight_bytes(medium),
            (best_start + best_end) / 2,
            labels,
            reps=max(1, reps // 2 + 1),
            new=new,
        )
    for product in products.values():
        product.close()
    bench.profile = "\n\n".join(
        profile_text(labels[name], profile(venv, folder)) for name, venv in venvs.items()
    )
    bench.facts["loadavg after"] = machine.facts()["loadavg"]
    bench.unreliable = machine.reliability(
        [new / r["total_s"] for r in runs["torch_2"]],
        [new / r["total_s"] for r in runs["torch_1"]],
        best_start,
        best_end,
        steal,
    )
    for reason in bench.unreliable:
        print(f"UNRELIABLE: {reason}", flush=True)
    print(f"wrote {bench.write()}")


def _gbps(measured: dict[str, float]) -> str:
    return ", ".join(f"{name} {value / 1e9:.1f} GB/s" for name, value in measured.items())


if __name__ == "__main__":
    main()
