"""Where one GPT-2 decode step's time goes, run in a CPU venv; prints one JSON object.

    <venv>/bin/python bench/gpt2/profile_step.py FOLDER

* stepMs: one decode call making one token; chunkStepMs: per token, one call making CHUNK.
* ops: a jax.profiler trace of STEPS decode steps (the demo's Generator), its XLA CPU op events
  summed by name per step, the largest first. Recent XLA names each op it runs (dot.77,
  copy_dot_fusion...); where the XLA build emits no per-op events, `ops` is empty and `parts`
  below still answers.
* parts: each weight group's matrix-vector products timed alone, with the bytes they read, the
  bandwidth reached and the cores busy meanwhile (process CPU time over wall time: about 1 means
  XLA's dot used one core for the single row, about 2 both).
* host: what the demo does per token besides the compiled step: the token event's JSON line,
  the tokenizer's decode of one token, copying logits (or the top 5) to the host, and a
  sampling key derived from the seed and the position.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python_backend/tt_lessons/workloads"))

STEPS = 5
TOP_OPS = 12


def timed(fn: Callable[[], Any], repeat: int = 20) -> tuple[float, float]:
    """(median seconds, cores busy) over `repeat` calls after one warm-up."""
    fn()
    samples = []
    cpu0, wall0 = os.times(), time.perf_counter()
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    cpu1, wall1 = os.times(), time.perf_counter()
    busy = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / (wall1 - wall0)
    return sorted(samples)[len(samples) // 2], busy


def trace_ops(generator: Any, sampling: Any) -> dict[str, float]:
    """ms per decode step for each XLA op event in a jax.profiler trace, largest first."""
    import jax

    token, _, _ = generator.prefill([1, 2, 3, 4, 5], sampling)
    token, _, _ = generator.decode(token, 5, sampling)
    with tempfile.TemporaryDirectory() as folder:
        jax.profiler.start_trace(folder, create_perfetto_trace=True)
        for position in range(6, 6 + STEPS):
            token, _, _ = generator.decode(token, position, sampling)
        jax.profiler.stop_trace()
        (trace,) = Path(folder).rglob("*.trace.json.gz")
        data = json.loads(gzip.decompress(trace.read_bytes()))
    events = data["traceEvents"] if isinstance(data, dict) else data
    total: Counter[str] = Counter()
    for event in events:
        name = str(event.get("name", ""))
        # XLA's op events carry the HLO name (dot.77, copy_dot_fusion, ynn_fusion.3...);
        # Python frames start with "$", runtime spans have spaces or "::".
        if event.get("ph") == "X" and not name.startswith("$") and " " not in name:
            if "::" not in name and not name.startswith(("PjitFunction", "np.")):
                total[name] += float(event.get("dur", 0))
    return {name: us / STEPS / 1000 for name, us in total.most_common(TOP_OPS)}


def parts(model: Any) -> dict[str, dict[str, float]]:
    import jax
    import jax.numpy as jnp
    from gpt2_model import tied_head

    blocks = list(model.h)
    groups = {
        "attention c_attn (all layers)": [b.attn.c_attn.kernel.value for b in blocks],
        "attention c_proj (all layers)": [b.attn.c_proj.kernel.value for b in blocks],
        "mlp c_fc (all layers)": [b.mlp.c_fc.kernel.value for b in blocks],
        "mlp c_proj (all layers)": [b.mlp.c_proj.kernel.value for b in blocks],
    }
    out: dict[str, dict[str, float]] = {}

    def one(name: str, fn: Any, *args: Any) -> None:
        compiled = jax.jit(fn).lower(*args).compile()
        seconds, busy = timed(lambda: jax.block_until_ready(compiled(*args)))
        nbytes = sum(int(a.nbytes) for a in jax.tree.leaves(args))
        out[name] = {
            "ms": 1000 * seconds,
            "mb": nbytes / 1e6,
            "gbps": nbytes / seconds / 1e9,
            "cores": busy,
        }

    for name, kernels in groups.items():
        x = jnp.ones((1, kernels[0].shape[0]), jnp.float32)
        one(name, lambda ws, x: [x @ w.astype(jnp.float32) for w in ws], kernels, x)
    embedding = model.wte.embedding.value
    x = jnp.ones((1, embedding.shape[1]), jnp.float32)
    # The model's own head function: x @ E.T would time a transposed copy the model never makes.
    one("LM head (tied wte, V x C)", tied_head, embedding, x)
    return out


def host(folder: Path, generator: Any, sampling: Any) -> dict[str, float]:
    """ms per token of the demo's host-side work, each timed alone."""
    import io

    import jax
    import numpy as np
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    token, _, _ = generator.prefill([1, 2, 3, 4, 5], sampling)
    _, _, logits = generator.decode(token, 5, sampling)
    sink = io.StringIO()
    event = {"kind": "token", "index": 7, "token": " the", "tokenId": 262, "probability": 0.25}
    key = jax.random.key(0)
    work = {
        "token event JSON line": lambda: sink.write(json.dumps(event) + "\n"),
        "tokenizer decode of one token": lambda: tokenizer.decode([262]),
        "logits to the host (50257 floats)": lambda: np.asarray(logits + 0),
        "top 5 on the host from copied logits": lambda: np.argsort(-np.asarray(logits + 0))[:5],
        "sampling key (fold_in seed, position)": lambda: jax.random.fold_in(
            key, 9
        ).block_until_ready(),
    }
    return {name: 1000 * timed(fn, 50)[0] for name, fn in work.items()}


def main() -> None:
    import jax
    from gpt2_generate import CHUNK, Generator, Sampling
    from gpt2_model import load_gpt2

    folder = Path(sys.argv[1])
    model = load_gpt2(folder)
    generator = Generator(model, 5, 64)
    generator.compile(decode=True)
    greedy = Sampling()
    token, _, _ = generator.prefill([1, 2, 3, 4, 5], greedy)
    step_s, busy = timed(lambda: generator.decode(token, 5, greedy))
    # The same program making CHUNK tokens in one call: per token, what is left once the
    # host's round trip (arguments, wait, transfer) is paid once per CHUNK tokens.
    chunk_s, _ = timed(lambda: generator.decode_chunk(token, 5, CHUNK, greedy), repeat=5)
    out = {
        "jax": jax.__version__,
        "stepMs": 1000 * step_s,
        "stepCores": busy,
        "chunk": CHUNK,
        "chunkStepMs": 1000 * chunk_s / CHUNK,
        "ops": trace_ops(generator, greedy),
        "parts": parts(model),
        "host": host(folder, generator, greedy),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
