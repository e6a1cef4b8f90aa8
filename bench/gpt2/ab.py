"""A/B of GPT-2 decode variants in one run: ratios measured back to back, never absolute figures.

    .venv/bin/python bench/gpt2/ab.py VENV FOLDER [--product] [--base REV] [--reps N]
        [--new N] [--flags NAME=XLA_FLAGS ...] [--only NAME,NAME]

--only picks among base, per-token, stream and bf16 (in that order); --flags variants follow.
Each variant makes NEW greedy tokens after a 5-token prompt, prefill included. By default in a
warm bench/gpt2/worker.py (jax side), the Generator the way the demo drives it; with --product,
through the product: a warm demo request to a backend server (bench/gpt2/sides.Product, its
own tokens/s figure). The variants:

* base: the checkout at REV (default HEAD), extracted with `git archive`, so the code before a
  change runs beside the code after it (its worker; with --product, its backend and workloads
  through PYTHONPATH);
* per-token (worker only): this tree, one decode call per token (Generator.decode);
* stream: this tree as the demo runs it (Generator.stream: growing chunks of tokens per call);
* bf16: stream with bfloat16 weights;
* one per --flags NAME=XLA_FLAGS: stream with those XLA_FLAGS in the environment.

The repetitions interleave the variants (the order rotates each time), so a neighbour's load
hits every variant alike, and each variant's time per token is divided by the first variant's
in the same repetition. A shared machine moves absolute numbers by tens of percent; such ratios
hold much better. With the worker, every float32 variant must make the first one's tokens.
Prints one JSON object: per variant the median, min and max of that ratio and its median time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import REPO, clean_env
from gpt2.sides import WORKER, Product, Worker

PROMPT_IDS = [464, 3139, 286, 4881, 318]  # any 5 ids: random weights make every text alike
PROMPT = "The capital of France is"  # 5 tokens with GPT-2's tokenizer, near enough elsewhere


def extract(rev: str, into: Path) -> Path:
    """REV's bench/gpt2 and backend (with its workloads) under `into`."""
    paths = ["bench/gpt2", "python_backend"]
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, *paths],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


class Side:
    """One variant, warm: a worker, or a backend server (--product)."""

    def __init__(self, args: argparse.Namespace, spec: dict[str, Any]) -> None:
        self.weights = spec.get("weights", "float32")
        self.request = spec.get("request", {})
        env = dict(spec.get("env", {}))
        tree = spec.get("tree")
        self.product: Product | None = None
        self.worker: Worker | None = None
        if args.product:
            if tree is not None:
                env["PYTHONPATH"] = str(tree / "python_backend")
            self.product = Product(args.venv, env)
        else:
            script = WORKER if tree is None else tree / "bench" / "gpt2" / "worker.py"
            argv = ("jax", str(args.folder), self.weights, str(args.new))
            self.worker = Worker(args.venv, *argv, script=script, env=clean_env(**env))
        self.folder, self.new = args.folder, args.new

    def run(self) -> tuple[float, list[int] | None]:
        """(seconds per token, the tokens when known)."""
        if self.product is not None:
            done = self.product.demo(self.folder, PROMPT, self.new, self.weights)
            return 1 / done["tokensPerS"], None
        assert self.worker is not None
        made = self.worker.ask(op="ours", ids=PROMPT_IDS, **self.request)
        return made["total_s"] / self.new, made["tokens"]

    def close(self) -> None:
        if self.product is not None:
            self.product.close()
        if self.worker is not None:
            self.worker.close()


def variants(args: argparse.Namespace, base: Path) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {
        "base": {"tree": base},
        "per-token": {"request": {"perToken": True}},
        "stream": {},
        "bf16": {"weights": "bfloat16"},
    }
    if args.product:
        del table["per-token"]
    if args.only:
        table = {name: table[name] for name in args.only.split(",")}
    for spec in args.flags:
        name, _, flags = spec.partition("=")
        table[name] = {"env": {"XLA_FLAGS": flags}}
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("venv", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--product", action="store_true")
    parser.add_argument("--base", default="HEAD")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--new", type=int, default=64)
    parser.add_argument("--flags", action="append", default=[])
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gpt2-ab-") as scratch:
        table = variants(args, extract(args.base, Path(scratch)))
        sides = {name: Side(args, spec) for name, spec in table.items()}
        names = list(table)
        for side in sides.values():  # compile, fill the compile cache, start the standby
            side.run()
        per_token: dict[str, list[float]] = {name: [] for name in names}
        tokens: dict[str, list[int] | None] = {}
        for rep in range(args.reps):
            shift = rep % len(names)
            for name in names[shift:] + names[:shift]:
                seconds, tokens[name] = sides[name].run()
                per_token[name].append(seconds)
            print(f"repetition {rep + 1}/{args.reps}", file=sys.stderr, flush=True)
        for side in sides.values():
            side.close()
    first = names[0]
    out: dict[str, Any] = {"side": "product" if args.product else "worker", "reps": args.reps}
    for name in names:
        ratios = [a / b for a, b in zip(per_token[name], per_token[first], strict=True)]
        out[name] = {
            "time/first": [
                round(x, 3) for x in (statistics.median(ratios), min(ratios), max(ratios))
            ],
            "medianMsPerToken": round(1000 * statistics.median(per_token[name]), 2),
        }
        float32 = table[name].get("weights", "float32") == "float32"
        if float32 and tokens[name] is not None and tokens[name] != tokens[first]:
            raise SystemExit(f"{name} made other tokens than {first}: {tokens[name]}")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
