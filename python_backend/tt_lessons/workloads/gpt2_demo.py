"""GPT-2 next-token prediction with JAX: which token comes after the prompt, and how sure it is.

Steps: resolve the checkpoint folder, load the tokenizer and the Flax NNX model, compile the
prompt's prefill (ahead of time, through JAX's persistent compilation cache so a second run skips
the compile), predict the next token and its top-k alternatives, then optionally keep generating,
one `token` event per new token; the one-token decode step is compiled (the same way) once the
first token is out.

Generation keeps a KV cache (gpt2_generate.py): the prompt runs once, then each new token costs
one small step over a fixed-size cache, so no step needs a new compile. --temperature 0 is
greedy; above 0 it samples (with --sample-top-k, --top-p and --seed). Generation stops after
--generate tokens, or earlier at the model's end-of-text token with --stop-at-eos.

Every flag is required: the defaults live in DemoParams (protocol/params.py) alone, and
routes/demo.py passes each one.

A click usually repeats the last one, so the interpreter the backend starts after a run (a
standby) calls `warm()` with that run's arguments: it reads the tokenizer and weights and, where
JAX can only use the CPU, loads them and compiles both programs for that prompt's sizes. `main()`
takes whatever still fits (the same files, the same weight type, the same sizes) and does the rest.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _warm
from _emit import Clock, emit, error, is_tt, progress, result

STEPS = 5
# A standby holds weights for the next click only up to this size: it may wait 10 minutes, and
# gpt2-large's 3.1 GB is as much as is worth keeping in memory for a maybe.
WARM_MAX_BYTES = 4 * 1024**3
Stamp = tuple[tuple[str, int, int], ...]


@dataclass
class Prepared:
    """What warm() made from the last run's arguments, for the next run in this interpreter."""

    stamp: Stamp  # the checkpoint folder's files as they were read
    weights: str  # float32 or bfloat16
    tokenizer: Any
    tensors: dict[str, Any] | None = None  # host arrays, where no backend may start ahead
    model: Any = None
    generator: Any = None  # compiled for the last run's prompt bucket and cache size
    counts: dict[str, int] | None = None  # compile-cache events since enable_compile_cache
    cache_hit: bool = False  # the generator's programs came from the compile cache

    def fits(self, folder: Path, weights: str) -> bool:
        return self.weights == weights and self.stamp == folder_stamp(folder)


def folder_stamp(folder: Path) -> Stamp:
    """(name, size, mtime) of each file in the checkpoint folder: edited files, another model."""
    found = []
    for path in folder.iterdir():
        if path.is_file():
            stat = path.stat()
            found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def fit_prompt(ids: list[int], n_positions: int, generate: int) -> tuple[list[int], int, list[str]]:
    """The prompt and generation cut to the context: (ids kept, new tokens, what was cut)."""
    said = []
    max_new = min(generate, n_positions - 1)
    if max_new < generate:
        said.append(f"The context holds {n_positions} positions; generating at most {max_new}.")
    # Keep the last tokens when the prompt plus generation would overflow the context.
    room = n_positions - max(max_new - 1, 0)
    if len(ids) > room:
        said.append(f"Prompt has {len(ids)} tokens; keeping the last {room}.")
        ids = ids[-room:]
    return ids, max_new, said


def warm(argv: list[str]) -> str:
    """Prepare the run argv describes and keep it (_warm.py); returns what was prepared.

    Called by a standby interpreter with the last run's arguments. Reads the hub's cache only,
    never the network; starts JAX's backend only where that can be the CPU alone."""
    from gpt2_model import read_tensors
    from gpt2_source import resolve
    from transformers import AutoTokenizer

    args = parse_args(argv)
    folder = resolve(args.model, local_only=True)
    size = (folder / "model.safetensors").stat().st_size
    if size > WARM_MAX_BYTES:
        return f"nothing ({size / 1e9:.1f} GB of weights is more than a waiting run should hold)"
    stamp = folder_stamp(folder)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    if not _warm.only_cpu():
        tensors = read_tensors(folder / "model.safetensors")
        _warm.keep("gpt2", Prepared(stamp, args.weights, tokenizer, tensors=tensors))
        return "the tokenizer and weights, in host memory (the run opens the device)"
    from gpt2_generate import Generator
    from gpt2_model import load_gpt2

    counts = enable_compile_cache(args.cache_dir)
    model = load_gpt2(folder, args.weights)
    ids = list(tokenizer(args.prompt)["input_ids"])
    prepared = Prepared(stamp, args.weights, tokenizer, model=model, counts=counts)
    if ids:
        ids, max_new, _ = fit_prompt(ids, model.config.n_positions, args.generate)
        generator = Generator(model, len(ids), max_new)
        hits, misses = counts["hits"], counts["misses"]
        generator.compile(decode=max_new > 0)
        prepared.generator = generator
        prepared.cache_hit = counts["misses"] == misses and counts["hits"] > hits
    _warm.keep("gpt2", prepared)
    if prepared.generator is None:
        return f"the tokenizer and {args.weights} weights"
    source = "from the compile cache" if prepared.cache_hit else "compiled"
    return (
        f"the tokenizer, {args.weights} weights and the programs for a "
        f"{prepared.generator.prompt_bucket}-position prompt ({source})"
    )


def enable_compile_cache(cache_dir: str) -> dict[str, int]:
    """Persist every compiled program in `cache_dir`; count cache hits and misses as they occur."""
    import jax
    import jax.monitoring

    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", cache_dir)
    # The defaults skip programs that compile in under a second; the demo wants all of them.
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    counts = {"hits": 0, "misses": 0}

    def listen(event: str, **_kwargs: Any) -> None:
        if event == "/jax/compilation_cache/cache_hits":
            counts["hits"] += 1
        elif event == "/jax/compilation_cache/cache_misses":
            counts["misses"] += 1

    jax.monitoring.register_event_listener(listen)
    return counts


def token_text(tokenizer: Any, token_id: int) -> str:
    return str(tokenizer.decode([token_id]))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="gpt2[-medium|-large|-xl] or a folder")
    parser.add_argument("--prompt", required=True)
    parser.add_argument(
        "--top-k", type=int, required=True, help="alternatives shown for the prompt"
    )
    parser.add_argument("--generate", type=int, required=True, help="most new tokens to generate")
    parser.add_argument("--temperature", type=float, required=True, help="0: greedy")
    parser.add_argument(
        "--sample-top-k", type=int, required=True, help="sample from the k best; 0: all"
    )
    parser.add_argument("--top-p", type=float, required=True, help="nucleus mass; 1: no cut")
    parser.add_argument("--seed", type=int, required=True, help="sampling seed")
    parser.add_argument(
        "--stop-at-eos",
        action=argparse.BooleanOptionalAction,
        required=True,
        help="stop at the model's end-of-text token",
    )
    parser.add_argument(
        "--weights",
        choices=("float32", "bfloat16"),
        required=True,
        help="how the weights are kept: bfloat16 reads half the bytes per token",
    )
    parser.add_argument("--cache-dir", required=True, help="JAX persistent compilation cache")
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.temperature < 0 or args.sample_top_k < 0 or not 0 < args.top_p <= 1:
        parser.error("need --temperature >= 0, --sample-top-k >= 0 and 0 < --top-p <= 1")
    if not 0 <= args.seed < 2**32:
        parser.error("--seed must fit in 32 bits")
    return args


def main() -> None:
    args = parse_args()
    clock = Clock()
    progress(1, STEPS, f"Find the {args.model} checkpoint")
    from gpt2_source import SourceError, resolve

    try:
        folder = resolve(args.model)
    except SourceError as exc:
        error(exc.code, exc.message, exc.fixes)
        raise SystemExit(1) from None
    print(f"Checkpoint folder: {folder}")

    progress(2, STEPS, "Load the tokenizer and weights")
    import jax
    import numpy as np
    from gpt2_generate import Generator, Sampling
    from gpt2_model import CheckpointError, load_gpt2
    from transformers import AutoTokenizer

    prepared: Prepared | None = _warm.take("gpt2")
    if prepared is not None and not prepared.fits(folder, args.weights):
        prepared = None  # another model, or its files changed since: load afresh
    counts = prepared.counts if prepared and prepared.counts else None
    counts = counts or enable_compile_cache(args.cache_dir)
    try:
        if prepared is not None:
            tokenizer = prepared.tokenizer
            model = prepared.model or load_gpt2(folder, args.weights, prepared.tensors)
            print("Tokenizer and weights were loaded ahead, after the last run")
        else:
            tokenizer = AutoTokenizer.from_pretrained(str(folder))
            model = load_gpt2(folder, args.weights)
    except (CheckpointError, OSError, ValueError) as exc:
        error(
            "bad-input",
            f"Could not load GPT-2 from {folder}: {exc}",
            [
                "Point the demo at a Hugging Face GPT-2 folder with config.json, model.safetensors "
                "and tokenizer files (tenstorrent.ttXla.modelPath, or --model /path/to/folder).",
            ],
        )
        raise SystemExit(1) from None
    config = model.config
    load_s = clock.lap()
    print(f"Weights kept as {args.weights}")

    prompt_ids = list(tokenizer(args.prompt)["input_ids"])
    if not prompt_ids:
        error("bad-input", "The prompt produced no tokens.", ["Type a longer prompt."])
        raise SystemExit(1)
    prompt_ids, max_new, said = fit_prompt(prompt_ids, config.n_positions, args.generate)
    for line in said:
        print(line)
    generator = Generator(model, len(prompt_ids), max_new)
    ahead = prepared.generator if prepared else None
    if ahead is not None and ahead.sizes == generator.sizes:
        generator = ahead  # its programs are compiled already
    print(
        f"Prompt is {len(prompt_ids)} token(s): a {generator.prompt_bucket}-position prefill, "
        f"a KV cache of {generator.cache_size} positions"
    )
    sampling = Sampling(args.temperature, args.sample_top_k, args.top_p, args.seed)

    # The decode step is compiled after the first token is out (below), so the first token
    # waits for the prefill's program only.
    progress(3, STEPS, "Compile the prefill")
    misses_before, hits_before = counts["misses"], counts["hits"]
    compiled_here = 0  # programs this run compiled (or loaded from the compile cache) itself
    if generator is ahead:
        assert prepared is not None
        source = "from the compile cache" if prepared.cache_hit else "compiled"
        print(f"Programs were prepared ahead, after the last run ({source})")
    else:
        generator.compile_prefill()
        compiled_here += 1
    compile_s = clock.lap()
    print(f"Compiled the prefill in {compile_s:.2f}s")

    progress(4, STEPS, "Predict the next token")
    started = time.perf_counter()
    token_id, probs, _ = generator.prefill(prompt_ids, sampling)
    prefill_s = round(time.perf_counter() - started, 4)
    top = np.argsort(-probs)[: args.top_k]
    top_k = [
        {
            "token": token_text(tokenizer, int(i)),
            "tokenId": int(i),
            "probability": float(probs[i]),
        }
        for i in top
    ]
    first_token_s = clock.lap()
    best = top_k[0]
    print(f"{args.prompt!r} -> {best['token']!r} (p={best['probability']:.3f})")

    generated_ids: list[int] = []
    stop_reason = None
    tokens_per_s = decode_tokens_per_s = None
    if max_new:
        progress(5, STEPS, f"Generate up to {max_new} token(s)")
        eos = tokenizer.eos_token_id if args.stop_at_eos else None
        probability = float(probs[token_id])
        upcoming: Iterator[tuple[int, float]] | None = None
        decode_started = time.perf_counter()
        decode_compile_s = 0.0
        while True:
            if token_id == eos:
                stop_reason = "end-of-text"
                break
            generated_ids.append(token_id)
            emit(
                "token",
                index=len(generated_ids) - 1,
                token=token_text(tokenizer, token_id),
                tokenId=token_id,
                probability=probability,
            )
            if len(generated_ids) == max_new:
                stop_reason = "length"
                break
            if upcoming is None:
                if not generator.decode_ready:
                    compile_started = time.perf_counter()
                    generator.compile_decode()
                    compiled_here += 1
                    decode_compile_s = time.perf_counter() - compile_started
                    print(f"Compiled the decode step in {decode_compile_s:.2f}s")
                # Tokens come in growing chunks, each made in one call (Generator.stream).
                upcoming = generator.stream(token_id, len(prompt_ids), max_new - 1, sampling, eos)
            token_id, probability = next(upcoming)
        decode_s = time.perf_counter() - decode_started - decode_compile_s
        calls = generator.decode_calls
        if calls:
            print(f"{len(generated_ids) - 1} token(s) after the first in {calls} decode call(s)")
        compile_s = round(compile_s + decode_compile_s, 4)
        # The first token came out of the prefill; the rest each took one decode step.
        if generated_ids:
            tokens_per_s = round(len(generated_ids) / max(prefill_s + decode_s, 1e-9), 2)
        if len(generated_ids) > 1:
            decode_tokens_per_s = round((len(generated_ids) - 1) / max(decode_s, 1e-9), 2)
    # Programs prepared ahead count as the standby found them.
    cache_hit = (
        counts["hits"] - hits_before >= compiled_here
        and counts["misses"] == misses_before
        and (generator is not ahead or (prepared is not None and prepared.cache_hit))
    )
    print(f"Programs {'from the cache' if cache_hit else 'compiled (cache miss)'}")
    generated = str(tokenizer.decode(generated_ids)) if generated_ids else ""
    if generated:
        print(f"Generated: {args.prompt}{generated}")
    if stop_reason == "end-of-text":
        print("Stopped at the end-of-text token.")

    platform = jax.devices()[0].platform
    result(
        {
            "kind": "gpt2",
            "model": args.model,
            "modelSource": str(folder),
            "prompt": args.prompt,
            "promptTokens": len(prompt_ids),
            "nextToken": best["token"],
            "probability": best["probability"],
            "topK": top_k,
            "generated": generated,
            "stopReason": stop_reason,
            # How the tokens were drawn, so a sampled run can be told from (and repeated as) it was.
            "sampling": (
                {
                    "temperature": args.temperature,
                    "topK": args.sample_top_k,
                    "topP": args.top_p,
                    "seed": args.seed,
                }
                if args.temperature > 0
                else None
            ),
            "platform": platform,
            "ttDevice": is_tt(platform),
            "cacheHit": cache_hit,
            "preparedAhead": (
                None
                if prepared is None
                else "weights-and-programs"
                if generator is ahead
                else "weights"
            ),
            "timings": {
                "loadS": load_s,
                "compileS": compile_s,
                "firstTokenS": first_token_s,
                "prefillS": prefill_s,
                "tokensPerS": tokens_per_s,
                "decodeTokensPerS": decode_tokens_per_s,
            },
        }
    )


if __name__ == "__main__":
    main()
