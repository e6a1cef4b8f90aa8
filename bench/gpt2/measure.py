"""The GPT-2 decode measurements, run in the CPU venv (JAX, Flax, transformers, torch).

    <venv>/bin/python bench/gpt2/measure.py speed FOLDER REPEATS
    <venv>/bin/python bench/gpt2/measure.py compile FOLDER CACHE_DIR
    <venv>/bin/python bench/gpt2/measure.py profile FOLDER

speed: the machine's memory bandwidth, our cached decode (the demo's Generator, greedy, as the
demo calls it token by token) after prompts of 5, 100 and 400 tokens, and transformers' PyTorch
`generate(use_cache=True)` on the same weights and the same 5-token prompt (with torch's default
threads and with one), REPEATS times each, interleaved. compile: one compile of the prefill and
the decode step through the persistent compilation cache in CACHE_DIR (a fresh process each
time, as the demo is). profile: each weight group's matrix-vector products alone, with the
bandwidth they reach. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python_backend" / "tt_lessons" / "workloads"))

NEW_TOKENS = 64
PROMPTS = (5, 100, 400)
BANDWIDTH_BYTES = 1 << 30  # 1 GiB: far past every cache level


def bandwidth() -> dict[str, float]:
    """Bytes/s for reading a large fp32 array: numpy (one thread) and torch (all threads)."""
    import numpy as np
    import torch

    data = np.ones(BANDWIDTH_BYTES // 4, dtype=np.float32)
    tensor = torch.from_numpy(data)
    best = {"numpy_sum": 0.0, "torch_sum": 0.0}
    for _ in range(5):
        for name, reduce in (("numpy_sum", data.sum), ("torch_sum", tensor.sum)):
            started = time.perf_counter()
            reduce()
            best[name] = max(best[name], data.nbytes / (time.perf_counter() - started))
    return best


def prompt_ids(length: int, vocab: int) -> list[int]:
    import numpy as np

    return [int(i) for i in np.random.default_rng(length).integers(0, vocab - 1, length)]


def ours(generator: Any, ids: list[int]) -> dict[str, Any]:
    """64 greedy tokens the way the demo makes them: prefill, then one decode call per token."""
    from gpt2_generate import Sampling

    greedy = Sampling()
    started = time.perf_counter()
    token, _, _ = generator.prefill(ids, greedy)
    prefill_s = time.perf_counter() - started
    tokens = [token]
    for position in range(len(ids), len(ids) + NEW_TOKENS - 1):
        token, _, _ = generator.decode(token, position, greedy)
        tokens.append(token)
    total_s = time.perf_counter() - started
    return {
        "prefill_s": prefill_s,
        "decode_s": total_s - prefill_s,
        "total_s": total_s,
        "tokens": tokens,
    }


def torch_generate(model: Any, ids: list[int]) -> dict[str, Any]:
    import torch

    inputs = torch.tensor([ids])
    with torch.no_grad():
        started = time.perf_counter()
        out = model.generate(
            inputs,
            attention_mask=torch.ones_like(inputs),
            max_new_tokens=NEW_TOKENS,
            min_new_tokens=NEW_TOKENS,
            do_sample=False,
            use_cache=True,
            pad_token_id=model.config.eos_token_id,
        )
        total_s = time.perf_counter() - started
    return {"total_s": total_s, "tokens": out[0, len(ids) :].tolist()}


def speed(folder: Path, repeats: int) -> dict[str, Any]:
    import jax
    import torch
    from flax import nnx
    from gpt2_generate import Generator
    from gpt2_model import load_gpt2
    from transformers import GPT2LMHeadModel

    model = load_gpt2(folder)
    weight_bytes = sum(int(x.nbytes) for x in jax.tree.leaves(nnx.state(model)))
    vocab = model.config.vocab_size
    generators = {}
    for length in PROMPTS:
        generators[length] = Generator(model, length, NEW_TOKENS)
        generators[length].compile(decode=True)
        ours(generators[length], prompt_ids(length, vocab))  # warm-up
    reference = GPT2LMHeadModel.from_pretrained(str(folder)).eval()
    torch_generate(reference, prompt_ids(5, vocab))  # warm-up
    runs: dict[str, list[dict[str, Any]]] = {f"ours_{n}": [] for n in PROMPTS}
    runs["torch_5"], runs["torch_5_one_thread"] = [], []
    threads = torch.get_num_threads()
    for _ in range(repeats):  # interleaved, so drift in the machine hits both alike
        for length in PROMPTS:
            runs[f"ours_{length}"].append(ours(generators[length], prompt_ids(length, vocab)))
        runs["torch_5"].append(torch_generate(reference, prompt_ids(5, vocab)))
        # One thread too: on a busy 2-core machine torch's thread pool can lose more to waiting
        # than it gains, and the comparison should be against torch at its best.
        torch.set_num_threads(1)
        runs["torch_5_one_thread"].append(torch_generate(reference, prompt_ids(5, vocab)))
        torch.set_num_threads(threads)
    return {
        "weightBytes": weight_bytes,
        "bandwidth": bandwidth(),
        "torchThreads": torch.get_num_threads(),
        "cacheSizes": {str(n): generators[n].cache_size for n in PROMPTS},
        "runs": runs,
    }


def compile_once(folder: Path, cache_dir: str) -> dict[str, Any]:
    import jax
    from gpt2_demo import enable_compile_cache
    from gpt2_generate import Generator
    from gpt2_model import load_gpt2

    counts = enable_compile_cache(cache_dir)
    model = load_gpt2(folder)
    started = time.perf_counter()
    Generator(model, 5, NEW_TOKENS).compile(decode=True)
    return {"compile_s": time.perf_counter() - started, **counts, "jax": jax.__version__}


def profile(folder: Path) -> dict[str, Any]:
    """Each weight group's matrix-vector products alone: time, bytes and achieved bandwidth."""
    import jax
    import jax.numpy as jnp
    import numpy as np
    from gpt2_model import load_gpt2

    model = load_gpt2(folder)
    blocks = list(model.h)
    groups = {
        "attention c_attn (12 layers)": [b.attn.c_attn.kernel.value for b in blocks],
        "attention c_proj (12 layers)": [b.attn.c_proj.kernel.value for b in blocks],
        "mlp c_fc (12 layers)": [b.mlp.c_fc.kernel.value for b in blocks],
        "mlp c_proj (12 layers)": [b.mlp.c_proj.kernel.value for b in blocks],
    }
    parts: dict[str, dict[str, float]] = {}

    def timed(name: str, fn: Any, *args: Any) -> None:
        compiled = jax.jit(fn).lower(*args).compile()
        jax.block_until_ready(compiled(*args))
        samples = []
        for _ in range(20):
            started = time.perf_counter()
            jax.block_until_ready(compiled(*args))
            samples.append(time.perf_counter() - started)
        seconds = float(np.median(samples))
        nbytes = sum(int(a.nbytes) for a in jax.tree.leaves(args))
        parts[name] = {"ms": 1000 * seconds, "mb": nbytes / 1e6, "gbps": nbytes / seconds / 1e9}

    for name, kernels in groups.items():
        x = jnp.ones((1, kernels[0].shape[0]), jnp.float32)
        timed(name, lambda ws, x: [x @ w for w in ws], kernels, x)
    embedding = model.wte.embedding.value
    x = jnp.ones((1, embedding.shape[1]), jnp.float32)
    timed("output head (tied wte)", lambda e, x: x @ e.T, embedding, x)
    return {"parts": parts}


def main() -> None:
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "speed":
        out = speed(folder, int(sys.argv[3]))
    elif command == "profile":
        out = profile(folder)
    else:
        out = compile_once(folder, sys.argv[3])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
