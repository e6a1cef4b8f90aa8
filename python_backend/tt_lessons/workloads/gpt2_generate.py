"""GPT-2 generation with a KV cache: one compiled prefill, one compiled decode program, sampling.

Prefill runs the whole prompt once (padded on the right to a power-of-two bucket, so prompts of
similar length share a program) and fills a fixed-size KV cache. Each decode step then feeds one
token at its position, writes that position's keys and values into the cache and attends over
it, so a step costs about the same after a 5-token prompt as after a 400-token one. The decode
program runs up to CHUNK such steps in a `lax.while_loop`, each step's token fed to the next on
the device, so the host waits, passes arguments and copies results once per chunk, not per token.

Both programs take the weights as an argument (nnx.split's state), not as constants baked into
the program, and every sampling setting as data: the compiled programs are the same for every
prompt in a bucket and every setting, which is what lets JAX's persistent compilation cache serve
them to the next run. Shapes never change between steps, which also suits TT's compiler.

Sampling follows the usual recipe: temperature 0 is greedy (argmax, deterministic); otherwise the
logits are divided by the temperature, cut to the top-k and then to the top-p nucleus, and one
token is drawn with a key derived from the seed and the position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from gpt2_model import GPT2, KVCache, empty_caches

MIN_BUFFER = 16
# Most tokens one decode call makes, each fed back on the device: one host round trip (argument
# passing, a wait, a transfer) per CHUNK tokens instead of per token. Streaming starts with
# FIRST_CHUNK tokens per call so the second token is not held back; see Generator.stream.
CHUNK = 16
FIRST_CHUNK = 2


def bucket(needed: int, limit: int) -> int:
    """Smallest power of two >= needed (at least MIN_BUFFER, at most the model's context).

    Rounding up means prompts of similar length share one compiled program (and cache entry).
    """
    length = MIN_BUFFER
    while length < needed:
        length *= 2
    return min(length, limit)


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.0  # 0: greedy
    top_k: int = 0  # 0: no top-k cut
    top_p: float = 1.0  # 1: no nucleus cut
    seed: int = 0

    def as_args(self) -> tuple[np.float32, np.int32, np.float32, np.uint32]:
        """The settings as scalar arrays: data to the compiled program, never part of its shape."""
        return (
            np.float32(self.temperature),
            np.int32(self.top_k),
            np.float32(self.top_p),
            np.uint32(self.seed),
        )


def top_k_filter(logits: jax.Array, k: jax.Array | int) -> jax.Array:
    """Keep the k highest logits (ties with the k-th are kept too); the rest become -inf.

    k <= 0 or k >= vocabulary size keeps everything."""
    size = logits.shape[-1]
    ordered = jnp.sort(logits)[::-1]
    kth = ordered[jnp.clip(k, 1, size) - 1]
    keep = (k <= 0) | (logits >= kth)
    return jnp.where(keep, logits, -jnp.inf)


def top_p_filter(logits: jax.Array, p: jax.Array | float) -> jax.Array:
    """Keep the smallest set of most likely tokens whose probabilities add up to at least p.

    A token is kept when the tokens ranked above it hold less than p of the mass, so the most
    likely token always stays; p >= 1 keeps everything."""
    order = jnp.argsort(-logits)
    probs = jax.nn.softmax(logits)[order]
    mass_above = jnp.cumsum(probs) - probs
    keep_sorted = (mass_above < p) | (p >= 1.0)
    keep = jnp.zeros_like(keep_sorted).at[order].set(keep_sorted)
    return jnp.where(keep, logits, -jnp.inf)


def choose(
    logits: jax.Array,
    position: jax.Array | int,
    temperature: jax.Array,
    top_k: jax.Array,
    top_p: jax.Array,
    seed: jax.Array,
) -> jax.Array:
    """The next token id from one row of logits [vocab]: greedy, or sampled with the settings."""

    def sample(row: jax.Array) -> jax.Array:
        # One key per position: the same seed gives the same tokens, whatever ran before.
        key = jax.random.fold_in(jax.random.key(seed), position)
        kept = top_p_filter(top_k_filter(row / temperature, top_k), top_p)
        return jax.random.categorical(key, kept).astype(jnp.int32)

    def greedy(row: jax.Array) -> jax.Array:
        return jnp.argmax(row).astype(jnp.int32)

    # Real control flow: greedy runs never pay for the sort the filters need.
    return jax.lax.cond(temperature > 0, sample, greedy, logits)


class Generator:
    """Compiled prefill + decode for one model, one prompt bucket and one cache size.

    `prefill(ids)` returns the first token, the probabilities after the prompt and the cache;
    `decode(token, position)` feeds a token back and returns the next one with its probability;
    `decode_chunk` makes several that way in one call, and `stream` yields tokens made so.
    """

    def __init__(self, model: GPT2, prompt_length: int, max_new_tokens: int) -> None:
        self.config = model.config
        limit = self.config.n_positions
        self.prompt_bucket = bucket(prompt_length, limit)
        # The last new token is never fed back, so it needs no cache slot.
        self.cache_size = bucket(prompt_length + max(max_new_tokens - 1, 0), limit)
        self.graphdef, self.state = nnx.split(model)
        self._prefill: Any = None
        self._decode: Any = None
        self.caches: list[KVCache] | None = None
        self.decode_calls = 0  # calls of the decode program so far

    def _prefill_fn(
        self, state: Any, tokens: jax.Array, length: jax.Array, *sampling: jax.Array
    ) -> tuple[jax.Array, jax.Array, jax.Array, list[KVCache]]:
        model = nnx.merge(self.graphdef, state)
        caches = empty_caches(self.config, self.cache_size)
        hidden, filled = model.hidden(tokens, caches, 0)
        assert filled is not None
        last = jax.lax.dynamic_index_in_dim(hidden[0], length - 1, axis=0, keepdims=False)
        logits = model.head(last)  # the head only for the one row we need
        token = choose(logits, length - 1, *sampling)
        return token, jax.nn.softmax(logits), logits, filled

    def _step(
        self,
        model: GPT2,
        caches: list[KVCache],
        token: jax.Array,
        position: jax.Array,
        sampling: Any,
    ) -> tuple[jax.Array, jax.Array, jax.Array, list[KVCache]]:
        """One token through the model at `position`: (next token, its probability, logits)."""
        hidden, updated = model.hidden(token.reshape(1, 1), caches, position)
        assert updated is not None
        logits = model.head(hidden[0, 0])
        chosen = choose(logits, position, *sampling)
        probability = jax.nn.softmax(logits)[chosen]
        return chosen, probability, logits, updated

    def _decode_fn(
        self,
        state: Any,
        caches: list[KVCache],
        token: jax.Array,
        position: jax.Array,
        count: jax.Array,
        eos: jax.Array,
        *sampling: jax.Array,
    ) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, list[KVCache]]:
        """Up to `count` (<= CHUNK) tokens in one call, each fed back on the device.

        Stops early after making `eos`. Returns the tokens and their probabilities (CHUNK
        slots, the first `made` filled), `made`, the last step's logits and the caches."""
        model = nnx.merge(self.graphdef, state)
        size = self.config.vocab_size

        def running(carry: tuple[Any, ...]) -> jax.Array:
            made, last = carry[0], carry[1]
            # `last` is never end-of-text on entry: the caller stops before feeding it back.
            return (made < count) & (last != eos)

        def step(carry: tuple[Any, ...]) -> tuple[Any, ...]:
            made, last, tokens, probs, _, caches = carry
            chosen, probability, logits, caches = self._step(
                model, caches, last, position + made, sampling
            )
            tokens, probs = tokens.at[made].set(chosen), probs.at[made].set(probability)
            return made + 1, chosen, tokens, probs, logits, caches

        start = (
            jnp.int32(0),
            token,
            jnp.zeros(CHUNK, jnp.int32),
            jnp.zeros(CHUNK, jnp.float32),
            jnp.zeros(size, jnp.float32),
            caches,
        )
        made, _, tokens, probs, logits, caches = jax.lax.while_loop(running, step, start)
        return tokens, probs, made, logits, caches

    def compile(self, decode: bool) -> None:
        """Compile prefill, and the decode step when `decode` (ahead of time, no weights run)."""
        self.compile_prefill()
        if decode:
            self.compile_decode()

    def lower_prefill(self) -> Any:
        """The prefill program traced and lowered, not yet compiled (bench/demo/compile_split.py
        times the two halves apart: the compile cache can only skip the second)."""
        tokens = np.zeros((1, self.prompt_bucket), np.int32)
        prefill = jax.jit(self._prefill_fn)
        sampling = Sampling().as_args()
        return prefill.lower(self.state, tokens, np.int32(1), *sampling)

    def compile_prefill(self) -> None:
        self._prefill = self.lower_prefill().compile()

    def compile_decode(self) -> None:
        """The decode program alone: the demo compiles it after the first token is out, so
        tracing it (a second or so, even when the compile cache serves the program) never
        delays that token."""
        caches = jax.eval_shape(lambda: empty_caches(self.config, self.cache_size))  # shapes only
        # Donating the cache lets each step write its slot in place instead of copying it.
        step = jax.jit(self._decode_fn, donate_argnums=(1,))
        sampling = Sampling().as_args()
        scalars = (np.int32(0), np.int32(0), np.int32(1), np.int32(-1))
        self._decode = step.lower(self.state, caches, *scalars, *sampling).compile()

    @property
    def sizes(self) -> tuple[int, int]:
        """(prompt bucket, cache size): two generators of one model with equal sizes compile to
        the same programs."""
        return self.prompt_bucket, self.cache_size

    @property
    def decode_ready(self) -> bool:
        return self._decode is not None

    def prefill(self, ids: list[int], sampling: Sampling) -> tuple[int, np.ndarray, np.ndarray]:
        """Run the prompt: (first new token, its probabilities [vocab], logits [vocab])."""
        if not 0 < len(ids) <= self.prompt_bucket:
            raise ValueError(f"prompt of {len(ids)} tokens for a {self.prompt_bucket} bucket")
        tokens = np.zeros((1, self.prompt_bucket), np.int32)
        tokens[0, : len(ids)] = ids
        token, probs, logits, self.caches = self._prefill(
            self.state, tokens, np.int32(len(ids)), *sampling.as_args()
        )
        return int(token), np.asarray(probs), np.asarray(logits)

    def decode(self, token: int, position: int, sampling: Sampling) -> tuple[int, float, jax.Array]:
        """Feed `token` at `position`: (next token, its probability, logits [vocab]).

        The logits stay on the device unless the caller reads them."""
        tokens, probs, logits = self.decode_chunk(token, position, 1, sampling)
        return tokens[0], probs[0], logits

    def decode_chunk(
        self, token: int, position: int, count: int, sampling: Sampling, eos: int | None = None
    ) -> tuple[list[int], list[float], jax.Array]:
        """Feed `token` at `position` and the next count-1 tokens after it, in one call:
        (the `count` new tokens, their probabilities, the last step's logits [vocab]).

        Fewer come back when `eos` is among them: it is the last one."""
        if self._decode is None or self.caches is None:
            raise RuntimeError("compile(decode=True) and prefill() come first")
        if not 0 < count <= CHUNK:
            raise ValueError(f"{count} tokens in one call; 1 to {CHUNK} can be")
        if position + count > self.cache_size:
            raise ValueError(
                f"position {position + count - 1} is past the {self.cache_size}-slot cache"
            )
        end = np.int32(-1 if eos is None else eos)
        scalars = (np.int32(token), np.int32(position), np.int32(count), end)
        tokens, probs, made, logits, self.caches = self._decode(
            self.state, self.caches, *scalars, *sampling.as_args()
        )
        self.decode_calls += 1
        # One transfer for what the host needs; the logits stay on the device.
        tokens, probs, made = jax.device_get((tokens, probs, made))
        return tokens[:made].tolist(), probs[:made].tolist(), logits

    def stream(
        self,
        token: int,
        position: int,
        count: int,
        sampling: Sampling,
        eos: int | None = None,
        first: int = FIRST_CHUNK,
    ) -> Iterator[tuple[int, float]]:
        """The `count` tokens after `token` (fed at `position`), with their probabilities, made
        in calls of `first`, then twice as many each time up to CHUNK tokens: the next token
        soon, then fewer calls (and host round trips) per token. Ends early after `eos`."""
        size = first
        while count > 0:
            tokens, probs, _ = self.decode_chunk(token, position, min(size, count), sampling, eos)
            yield from zip(tokens, probs, strict=True)
            if not tokens or tokens[-1] == eos:
                return
            token, position, count = tokens[-1], position + len(tokens), count - len(tokens)
            size = min(2 * size, CHUNK)
