"""GPT-2 in Flax NNX, small enough to read in one sitting, and loading of Hugging Face checkpoints.

transformers 5 ships no Flax models, so the lesson's model lives here: token and position
embeddings, `n_layer` pre-norm blocks (causal self-attention, then a GELU MLP), a final LayerNorm
and an output head that reuses the token embedding (GPT-2 ties them).

Weights come from the checkpoint format the Hugging Face hub serves: `config.json` plus
`model.safetensors`, with GPT-2's own tensor names. GPT-2 stores its projections as `Conv1D`
weights laid out [in, out], which is exactly `nnx.Linear`'s kernel layout, so no tensor is
transposed. The whole name mapping is the one table `WEIGHT_TABLE`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx


class CheckpointError(Exception):
    """The folder is not a GPT-2 checkpoint we can load; the message says what is wrong."""


@dataclass(frozen=True)
class GPT2Config:
    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    n_inner: int | None = None  # MLP width; GPT-2 uses 4 * n_embd when absent
    layer_norm_epsilon: float = 1e-5

    @property
    def mlp_width(self) -> int:
        return self.n_inner or 4 * self.n_embd

    @classmethod
    def from_file(cls, path: Path) -> GPT2Config:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("model_type", "gpt2") != "gpt2":
            raise CheckpointError(f"{path} describes a {raw.get('model_type')!r} model, not gpt2.")
        activation = raw.get("activation_function", "gelu_new")
        if activation != "gelu_new":
            raise CheckpointError(f"{path}: activation {activation!r} is not GPT-2's gelu_new.")
        if raw.get("scale_attn_by_inverse_layer_idx") or raw.get("scale_attn_weights") is False:
            raise CheckpointError(f"{path}: this attention scaling variant is not supported.")
        return cls(
            vocab_size=int(raw["vocab_size"]),
            n_positions=int(raw.get("n_positions", raw.get("n_ctx", 1024))),
            n_embd=int(raw["n_embd"]),
            n_layer=int(raw["n_layer"]),
            n_head=int(raw["n_head"]),
            n_inner=raw.get("n_inner"),
            layer_norm_epsilon=float(raw.get("layer_norm_epsilon", 1e-5)),
        )


# How the weights may be stored. Activations, the KV cache and every sum stay float32 either way:
# bfloat16 (Tenstorrent's native format) halves the bytes each token reads, and each weight is
# widened to float32 right where it is used.
WEIGHT_DTYPES: dict[str, Any] = {"float32": jnp.float32, "bfloat16": jnp.bfloat16}


def _dtypes(param_dtype: Any) -> dict[str, Any]:
    """Keyword arguments for every NNX layer: stored as param_dtype, computed in float32."""
    return {"dtype": jnp.float32, "param_dtype": param_dtype}


class KVCache(NamedTuple):
    """One block's keys and values for every position so far, [B, H, S, C/H] each.

    S is fixed when generation starts, so each decode step has the same shapes and one compiled
    program serves every step. Slots past the current position hold stale values that the
    causal mask never lets a query see.
    """

    k: jax.Array
    v: jax.Array


class CausalSelfAttention(nnx.Module):
    def __init__(self, config: GPT2Config, rngs: nnx.Rngs, param_dtype: Any = jnp.float32) -> None:
        self.n_head = config.n_head
        kw = _dtypes(param_dtype)
        # One projection makes queries, keys and values side by side, as GPT-2's c_attn does.
        self.c_attn = nnx.Linear(config.n_embd, 3 * config.n_embd, rngs=rngs, **kw)
        self.c_proj = nnx.Linear(config.n_embd, config.n_embd, rngs=rngs, **kw)

    def __call__(
        self, x: jax.Array, cache: KVCache | None = None, start: jax.Array | int = 0
    ) -> tuple[jax.Array, KVCache | None]:
        """x holds positions start .. start+T-1. With a cache, this step's keys and values are
        written into it at `start` and the queries attend over the whole cache."""
        batch, length, width = x.shape
        head = width // self.n_head
        q, k, v = jnp.split(self.c_attn(x), 3, axis=-1)

        def heads(t: jax.Array) -> jax.Array:  # [B, T, C] -> [B, H, T, C/H]
            return t.reshape(batch, length, self.n_head, head).transpose(0, 2, 1, 3)

        q, k, v = heads(q), heads(k), heads(v)
        if cache is not None:
            # The KV cache: earlier positions' keys and values are kept, not recomputed.
            at = (0, 0, start, 0)
            k = jax.lax.dynamic_update_slice(cache.k, k.astype(cache.k.dtype), at)
            v = jax.lax.dynamic_update_slice(cache.v, v.astype(cache.v.dtype), at)
            cache = KVCache(k, v)
        scores = (q @ k.transpose(0, 1, 3, 2)) / math.sqrt(head)
        # Query i sits at position start + i and may look at key positions <= that only. This
        # is also what makes right padding and unwritten cache slots harmless.
        query_pos = start + jnp.arange(length)[:, None]
        causal = jnp.arange(k.shape[2])[None, :] <= query_pos
        scores = jnp.where(causal, scores, jnp.finfo(scores.dtype).min)
        mixed = jax.nn.softmax(scores, axis=-1) @ v
        out = self.c_proj(mixed.transpose(0, 2, 1, 3).reshape(batch, length, width))
        return out, cache


class Mlp(nnx.Module):
    def __init__(self, config: GPT2Config, rngs: nnx.Rngs, param_dtype: Any = jnp.float32) -> None:
        kw = _dtypes(param_dtype)
        self.c_fc = nnx.Linear(config.n_embd, config.mlp_width, rngs=rngs, **kw)
        self.c_proj = nnx.Linear(config.mlp_width, config.n_embd, rngs=rngs, **kw)

    def __call__(self, x: jax.Array) -> jax.Array:
        # GPT-2's "gelu_new" is the tanh approximation of GELU.
        return self.c_proj(jax.nn.gelu(self.c_fc(x), approximate=True))


class Block(nnx.Module):
    def __init__(self, config: GPT2Config, rngs: nnx.Rngs, param_dtype: Any = jnp.float32) -> None:
        eps, kw = config.layer_norm_epsilon, _dtypes(param_dtype)
        self.ln_1 = nnx.LayerNorm(config.n_embd, epsilon=eps, rngs=rngs, **kw)
        self.attn = CausalSelfAttention(config, rngs, param_dtype)
        self.ln_2 = nnx.LayerNorm(config.n_embd, epsilon=eps, rngs=rngs, **kw)
        self.mlp = Mlp(config, rngs, param_dtype)

    def __call__(
        self, x: jax.Array, cache: KVCache | None = None, start: jax.Array | int = 0
    ) -> tuple[jax.Array, KVCache | None]:
        attended, cache = self.attn(self.ln_1(x), cache, start)
        x = x + attended
        return x + self.mlp(self.ln_2(x)), cache


class GPT2(nnx.Module):
    def __init__(self, config: GPT2Config, rngs: nnx.Rngs, param_dtype: Any = jnp.float32) -> None:
        self.config = config
        kw = _dtypes(param_dtype)
        self.wte = nnx.Embed(config.vocab_size, config.n_embd, rngs=rngs, **kw)
        self.wpe = nnx.Embed(config.n_positions, config.n_embd, rngs=rngs, **kw)
        self.h = nnx.List([Block(config, rngs, param_dtype) for _ in range(config.n_layer)])
        eps = config.layer_norm_epsilon
        self.ln_f = nnx.LayerNorm(config.n_embd, epsilon=eps, rngs=rngs, **kw)

    def __call__(self, tokens: jax.Array) -> jax.Array:
        """Token ids [B, T] -> next-token logits [B, T, vocab], everything recomputed."""
        return self.head(self.hidden(tokens)[0])

    def hidden(
        self,
        tokens: jax.Array,
        caches: list[KVCache] | None = None,
        start: jax.Array | int = 0,
    ) -> tuple[jax.Array, list[KVCache] | None]:
        """Token ids [B, T] at positions start.. -> final hidden states [B, T, C].

        With `caches` (one per block, see `empty_caches`) the blocks read and extend them and
        the updated caches come back: prefill passes the prompt with start=0, each decode step
        one token at its position."""
        positions = start + jnp.arange(tokens.shape[1])[None, :]
        x = _rows(self.wte, tokens) + _rows(self.wpe, positions)
        updated: list[KVCache] = []
        for i, block in enumerate(self.h):
            x, cache = block(x, None if caches is None else caches[i], start)
            if cache is not None:
                updated.append(cache)
        return self.ln_f(x), (updated if caches is not None else None)

    def head(self, x: jax.Array) -> jax.Array:
        return tied_head(self.wte.embedding.value, x)


def tied_head(table: jax.Array, x: jax.Array) -> jax.Array:
    """GPT-2's output head: logits are scores against every token embedding [V, C].

    Written as the table's rows dotted with x, not x @ table.T (nnx.Embed.attend): for a single
    row XLA CPU copied the whole transposed [C, V] table (154 MB) on every call for the latter."""
    return jnp.einsum("vc,...c->...v", table.astype(jnp.float32), x)


def _rows(table: nnx.Embed, ids: jax.Array) -> jax.Array:
    """Embedding rows as float32: gathered first, then widened, so a bfloat16 table is never
    converted whole (nnx.Embed would widen all 50257 rows to look up one)."""
    return jnp.take(table.embedding.value, ids, axis=0).astype(jnp.float32)


def empty_caches(config: GPT2Config, size: int, batch: int = 1) -> list[KVCache]:
    """A zeroed KV cache of `size` positions for every block."""
    shape = (batch, config.n_head, size, config.n_embd // config.n_head)
    return [
        KVCache(jnp.zeros(shape, jnp.float32), jnp.zeros(shape, jnp.float32))
        for _ in range(config.n_layer)
    ]


# ------------------------------------------------------------------ checkpoint loading

# Checkpoint tensor name (after any `transformer.` prefix) -> attribute path in `GPT2`.
# `{i}` stands for the block number. Conv1D weights are [in, out] like nnx.Linear kernels.
WEIGHT_TABLE: dict[str, str] = {
    "wte.weight": "wte.embedding",
    "wpe.weight": "wpe.embedding",
    "h.{i}.ln_1.weight": "h.{i}.ln_1.scale",
    "h.{i}.ln_1.bias": "h.{i}.ln_1.bias",
    "h.{i}.attn.c_attn.weight": "h.{i}.attn.c_attn.kernel",
    "h.{i}.attn.c_attn.bias": "h.{i}.attn.c_attn.bias",
    "h.{i}.attn.c_proj.weight": "h.{i}.attn.c_proj.kernel",
    "h.{i}.attn.c_proj.bias": "h.{i}.attn.c_proj.bias",
    "h.{i}.ln_2.weight": "h.{i}.ln_2.scale",
    "h.{i}.ln_2.bias": "h.{i}.ln_2.bias",
    "h.{i}.mlp.c_fc.weight": "h.{i}.mlp.c_fc.kernel",
    "h.{i}.mlp.c_fc.bias": "h.{i}.mlp.c_fc.bias",
    "h.{i}.mlp.c_proj.weight": "h.{i}.mlp.c_proj.kernel",
    "h.{i}.mlp.c_proj.bias": "h.{i}.mlp.c_proj.bias",
    "ln_f.weight": "ln_f.scale",
    "ln_f.bias": "ln_f.bias",
}
# Stored but not weights we need: the causal-mask buffers older exports kept, and the output
# head, which is the token embedding again.
IGNORED_SUFFIXES = (".attn.bias", ".attn.masked_bias", "lm_head.weight")


def expand_table(n_layer: int) -> dict[str, str]:
    """The table with `{i}` filled in for every block."""
    table: dict[str, str] = {}
    for source, target in WEIGHT_TABLE.items():
        if "{i}" in source:
            for i in range(n_layer):
                table[source.format(i=i)] = target.format(i=i)
        else:
            table[source] = target
    return table


def _variable(model: GPT2, path: str) -> Any:
    node: Any = model
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def read_tensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor in a safetensors file, names stripped of the `transformer.` prefix."""
    from safetensors.numpy import load_file

    tensors = load_file(str(path))
    return {name.removeprefix("transformer."): value for name, value in tensors.items()}


def load_gpt2(
    folder: Path, weights: str = "float32", tensors: dict[str, np.ndarray] | None = None
) -> GPT2:
    """Build GPT-2 from `folder` (config.json + model.safetensors); every weight must be there.

    `weights` ("float32" or "bfloat16", WEIGHT_DTYPES) is how they are kept in memory.
    `tensors`: the file's tensors as read_tensors returned them, when read ahead."""
    if weights not in WEIGHT_DTYPES:
        raise CheckpointError(f"weights {weights!r}: choose one of {', '.join(WEIGHT_DTYPES)}.")
    param_dtype = WEIGHT_DTYPES[weights]
    config_path, weights_path = folder / "config.json", folder / "model.safetensors"
    for needed in (config_path, weights_path):
        if not needed.is_file():
            raise CheckpointError(
                f"{needed} is missing: a GPT-2 folder needs config.json and model.safetensors."
            )
    config = GPT2Config.from_file(config_path)
    # Shapes only, no random numbers: any weight the checkpoint does not supply stays abstract
    # and is reported below instead of silently running with random values.
    model = nnx.eval_shape(lambda: GPT2(config, rngs=nnx.Rngs(0), param_dtype=param_dtype))
    tensors = read_tensors(weights_path) if tensors is None else tensors
    table = expand_table(config.n_layer)
    missing = sorted(name for name in table if name not in tensors)
    if missing:
        raise CheckpointError(
            f"{weights_path} lacks {len(missing)} GPT-2 tensor(s): " + ", ".join(missing[:5])
        )
    for source, target in table.items():
        variable = _variable(model, target)
        value = tensors[source]
        if tuple(value.shape) != tuple(variable.value.shape):
            raise CheckpointError(
                f"{source} has shape {value.shape}, config.json implies {variable.value.shape}."
            )
        variable.value = jnp.asarray(value, dtype=param_dtype)
    unused = [n for n in tensors if n not in table and not n.endswith(IGNORED_SUFFIXES)]
    if unused:
        print(f"Ignoring {len(unused)} unexpected tensor(s): {', '.join(sorted(unused)[:5])}")
    leftover = [
        path
        for path, leaf in nnx.to_flat_state(nnx.state(model))
        if isinstance(leaf.value if hasattr(leaf, "value") else leaf, jax.ShapeDtypeStruct)
    ]
    if leftover:
        raise CheckpointError(f"No checkpoint tensor fills {leftover[:5]}.")
    return model
