"""GPT-2 next-token prediction with JAX: which token comes after the prompt, and how sure it is.

Steps: resolve the checkpoint folder, load the tokenizer and the Flax NNX model, compile the
forward pass once (ahead of time, through JAX's persistent compilation cache so a second run
skips the compile), predict the next token and its top-k alternatives, then optionally keep
generating greedily, one `token` event per new token.

Generation reuses the one compiled program: the token ids live in a fixed-length buffer padded
on the right, and the program reads the logits at a position passed in as data. Causal attention
keeps the padding from influencing earlier positions, so no step needs a new compile.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from _emit import Clock, emit, error, is_tt, progress, result

STEPS = 5
MIN_BUFFER = 16


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


def buffer_length(needed: int, limit: int) -> int:
    """Smallest power of two >= needed (at least MIN_BUFFER, at most the model's context).

    Rounding up means prompts of similar length share one compiled program (and cache entry).
    """
    length = MIN_BUFFER
    while length < needed:
        length *= 2
    return min(length, limit)


def token_text(tokenizer: Any, token_id: int) -> str:
    return str(tokenizer.decode([token_id]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="gpt2", help="gpt2[-medium|-large|-xl] or a folder")
    parser.add_argument("--prompt", default="The capital of France is")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--generate", type=int, default=0)
    parser.add_argument("--cache-dir", required=True, help="JAX persistent compilation cache")
    args = parser.parse_args()

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
    from flax import nnx
    from gpt2_model import CheckpointError, load_gpt2
    from transformers import AutoTokenizer

    counts = enable_compile_cache(args.cache_dir)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        model = load_gpt2(folder)
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

    prompt_ids = list(tokenizer(args.prompt)["input_ids"])
    if not prompt_ids:
        error("bad-input", "The prompt produced no tokens.", ["Type a longer prompt."])
        raise SystemExit(1)
    # Keep the last tokens when the prompt plus generation would overflow the context.
    room = config.n_positions - max(args.generate - 1, 0)
    if len(prompt_ids) > room:
        print(f"Prompt has {len(prompt_ids)} tokens; keeping the last {room}.")
        prompt_ids = prompt_ids[-room:]
    length = buffer_length(len(prompt_ids) + max(args.generate - 1, 0), config.n_positions)
    print(f"Prompt is {len(prompt_ids)} token(s); buffer of {length} positions")

    progress(3, STEPS, "Compile the forward pass")
    graphdef, state = nnx.split(model)

    def next_token_probs(state: Any, tokens: Any, last: Any) -> Any:
        """Probabilities of every vocabulary entry following position `last` of `tokens`."""
        logits = nnx.merge(graphdef, state)(tokens)[0]
        row = jax.lax.dynamic_index_in_dim(logits, last, axis=0, keepdims=False)
        return jax.nn.softmax(row)

    tokens = np.zeros((1, length), dtype=np.int32)
    tokens[0, : len(prompt_ids)] = prompt_ids
    last = np.int32(len(prompt_ids) - 1)
    misses_before, hits_before = counts["misses"], counts["hits"]
    compiled = jax.jit(next_token_probs).lower(state, tokens, last).compile()
    cache_hit = counts["hits"] > hits_before and counts["misses"] == misses_before
    compile_s = clock.lap()
    print(f"Compiled in {compile_s:.2f}s ({'from the cache' if cache_hit else 'cache miss'})")

    progress(4, STEPS, "Predict the next token")
    probs = np.asarray(compiled(state, tokens, last))
    first_token_s = clock.lap()
    top = np.argsort(-probs)[: args.top_k]
    top_k = [
        {
            "token": token_text(tokenizer, int(i)),
            "tokenId": int(i),
            "probability": float(probs[i]),
        }
        for i in top
    ]
    best = top_k[0]
    print(f"{args.prompt!r} -> {best['token']!r} (p={best['probability']:.3f})")

    generated_ids: list[int] = []
    tokens_per_s = None
    if args.generate:
        progress(5, STEPS, f"Generate {args.generate} token(s)")
        started = time.perf_counter()
        step_probs, position = probs, int(last)
        for index in range(args.generate):
            if index:  # the first token came out of the prediction step above
                position += 1
                tokens[0, position] = generated_ids[-1]
                step_probs = np.asarray(compiled(state, tokens, np.int32(position)))
            token_id = int(np.argmax(step_probs))
            generated_ids.append(token_id)
            emit(
                "token",
                index=index,
                token=token_text(tokenizer, token_id),
                tokenId=token_id,
                probability=float(step_probs[token_id]),
            )
        # N tokens took N forward passes: the prediction step's plus the ones in this loop.
        spent = time.perf_counter() - started
        tokens_per_s = round(args.generate / max(spent + first_token_s, 1e-9), 2)
    generated = str(tokenizer.decode(generated_ids)) if generated_ids else ""
    if generated:
        print(f"Generated: {args.prompt}{generated}")

    platform = jax.devices()[0].platform
    result(
        {
            "kind": "gpt2",
            "model": args.model,
            "modelSource": str(folder),
            "prompt": args.prompt,
            "nextToken": best["token"],
            "probability": best["probability"],
            "topK": top_k,
            "generated": generated,
            "platform": platform,
            "ttDevice": is_tt(platform),
            "cacheHit": cache_hit,
            "timings": {
                "loadS": load_s,
                "compileS": compile_s,
                "firstTokenS": first_token_s,
                "tokensPerS": tokens_per_s,
            },
        }
    )


if __name__ == "__main__":
    main()
