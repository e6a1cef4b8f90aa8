"""A long-lived measuring process for bench_gpt2.py, run in a CPU venv (JAX or torch side).

    <venv>/bin/python bench/gpt2/worker.py jax FOLDER WEIGHTS NEW_TOKENS
    <venv>/bin/python bench/gpt2/worker.py torch FOLDER NEW_TOKENS

It loads the model once, prints one ready line, then answers one JSON request per stdin line
with one JSON line on stdout, so the benchmark can interleave the two sides over repetitions
without paying for imports, weights or compiles each time.

jax side: {"op": "prompts", "lengths": [5, 400]} gives texts that tokenize to exactly those
lengths (with their ids); {"op": "ours", "ids": [...]} makes NEW_TOKENS greedy tokens the way
the demo does (gpt2_generate.Generator: prefill, then Generator.stream), timed ("perToken":
true: one decode call per token instead);
{"op": "bf16", "ids": [...], "steps": N} feeds the float32 model's greedy tokens to a bfloat16
copy too and compares their next-token distributions at each step.
torch side: {"op": "torch", "ids": [...], "threads": N} times transformers' `generate` with its
KV cache on N threads; {"op": "bandwidth"} reads a 1 GiB array (numpy: one core, torch: all).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python_backend/tt_lessons/workloads"))

BANDWIDTH_BYTES = 1 << 30  # 1 GiB: far past every cache level
FILLER = "The quick brown fox jumps over the lazy dog while the band plays on. "


def exact_prompt(tokenizer: Any, length: int) -> dict[str, Any]:
    """A text whose encoding is exactly `length` tokens (the demo tokenizes the text itself)."""
    ids = tokenizer(FILLER * (length // 4 + 4))["input_ids"]
    for cut in range(length, length + 8):  # byte-level BPE may merge across the cut: try on
        text = tokenizer.decode(ids[:cut])
        again = tokenizer(text)["input_ids"]
        if len(again) == length:
            return {"text": text, "ids": again}
    raise SystemExit(f"no text of exactly {length} tokens found")


class JaxSide:
    def __init__(self, folder: Path, weights: str, new_tokens: int) -> None:
        import jax
        from flax import nnx
        from gpt2_model import load_gpt2
        from transformers import AutoTokenizer

        self.folder = folder
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.model = load_gpt2(folder, weights)
        self.new_tokens = new_tokens
        self.weight_bytes = sum(int(x.nbytes) for x in jax.tree.leaves(nnx.state(self.model)))
        self.generators: dict[int, Any] = {}
        self.jax = jax.__version__

    def generator(self, length: int) -> Any:
        from gpt2_generate import Generator

        if length not in self.generators:
            made = Generator(self.model, length, self.new_tokens)
            made.compile(decode=True)
            self.generators[length] = made
        return self.generators[length]

    def ours(self, ids: list[int], per_token: bool = False) -> dict[str, Any]:
        """NEW_TOKENS greedy tokens as the demo makes them (Generator.stream: prefill, then
        growing chunks of tokens per call), or with `per_token` one decode call per token."""
        from gpt2_generate import Sampling

        generator, greedy, count = self.generator(len(ids)), Sampling(), self.new_tokens - 1
        started = time.perf_counter()
        token, _, _ = generator.prefill(ids, greedy)
        prefill_s = time.perf_counter() - started
        tokens = [token]
        if per_token:
            for position in range(len(ids), len(ids) + count):
                tokens.append(generator.decode(tokens[-1], position, greedy)[0])
        else:
            tokens += [made for made, _ in generator.stream(token, len(ids), count, greedy)]
        total_s = time.perf_counter() - started
        decode_s = total_s - prefill_s
        return {"prefill_s": prefill_s, "decode_s": decode_s, "total_s": total_s, "tokens": tokens}

    def bf16_agreement(self, folder: Path, ids: list[int], steps: int) -> dict[str, float]:
        """Share of steps whose top 5 tokens are the same set, and the largest probability
        difference, bfloat16 weights against float32 on the same token sequence."""
        import numpy as np
        from gpt2_generate import Generator, Sampling
        from gpt2_model import load_gpt2

        greedy = Sampling()
        exact = self.generator(len(ids))
        rounded = Generator(load_gpt2(folder, "bfloat16"), len(ids), self.new_tokens)
        rounded.compile(decode=True)
        token, _, logits_a = exact.prefill(ids, greedy)
        _, _, logits_b = rounded.prefill(ids, greedy)
        same, worst = 0, 0.0
        for step in range(steps):
            a, b = softmax(np.asarray(logits_a)), softmax(np.asarray(logits_b))
            same += set(np.argsort(-a)[:5]) == set(np.argsort(-b)[:5])
            worst = max(worst, float(np.abs(a - b).max()))
            if step + 1 < steps:
                position = len(ids) + step
                next_token, _, logits_a = exact.decode(token, position, greedy)
                _, _, logits_b = rounded.decode(token, position, greedy)
                token = next_token
        return {"top5": 100 * same / steps, "maxProbDiff": worst}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        if request["op"] == "bf16":
            return self.bf16_agreement(self.folder, request["ids"], int(request["steps"]))
        if request["op"] == "prompts":
            return {str(n): exact_prompt(self.tokenizer, n) for n in request["lengths"]}
        if request["op"] == "ours":
            return self.ours(request["ids"], bool(request.get("perToken")))
        raise ValueError(f"unknown op {request['op']!r}")


class TorchSide:
    def __init__(self, folder: Path, new_tokens: int) -> None:
        import torch
        from transformers import GPT2LMHeadModel

        self.model = GPT2LMHeadModel.from_pretrained(str(folder)).eval()
        self.new_tokens = new_tokens
        self.default_threads = torch.get_num_threads()

    def generate(self, ids: list[int], threads: int) -> dict[str, Any]:
        import torch

        torch.set_num_threads(threads)
        inputs = torch.tensor([ids])
        try:
            with torch.no_grad():
                started = time.perf_counter()
                out = self.model.generate(
                    inputs,
                    attention_mask=torch.ones_like(inputs),
                    max_new_tokens=self.new_tokens,
                    min_new_tokens=self.new_tokens,
                    do_sample=False,
                    use_cache=True,
                    pad_token_id=self.model.config.eos_token_id,
                )
                total_s = time.perf_counter() - started
        finally:
            torch.set_num_threads(self.default_threads)
        return {"total_s": total_s, "tokens": out[0, len(ids) :].tolist()}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        if request["op"] == "torch":
            return self.generate(request["ids"], int(request["threads"]))
        if request["op"] == "bandwidth":
            return bandwidth()
        raise ValueError(f"unknown op {request['op']!r}")


def softmax(logits: Any) -> Any:
    import numpy as np

    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def bandwidth() -> dict[str, float]:
    """Best bytes/s of five reads of a 1 GiB fp32 array: numpy (one core), torch (all cores)."""
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


def main() -> None:
    side: JaxSide | TorchSide
    if sys.argv[1] == "jax":
        side = JaxSide(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        ready: dict[str, Any] = {"jax": side.jax, "weightBytes": side.weight_bytes}
    else:
        side = TorchSide(Path(sys.argv[2]), int(sys.argv[3]))
        ready = {"threads": side.default_threads}
    print(json.dumps({"ready": ready}), flush=True)
    for line in sys.stdin:
        print(json.dumps(side.handle(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
