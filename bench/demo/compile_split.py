"""Split the demo's "compile" step into tracing + lowering and XLA compile (or cache load).

Run inside the lesson venv with the workloads folder as argv[1]; it reuses the demo's own model
loader and cache setup, so the program is the one the demo compiles. The persistent cache can
only skip the second half: tracing the Flax model to a jaxpr and lowering it happen every run.

    python compile_split.py WORKLOADS_DIR CHECKPOINT CACHE_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    workloads, checkpoint, cache_dir = sys.argv[1:4]
    sys.path.insert(0, workloads)
    started = time.perf_counter()
    import jax
    import numpy as np
    from flax import nnx
    from gpt2_demo import buffer_length, enable_compile_cache
    from gpt2_model import load_gpt2

    imported = time.perf_counter()
    counts = enable_compile_cache(cache_dir)
    model = load_gpt2(Path(checkpoint))
    loaded = time.perf_counter()
    graphdef, state = nnx.split(model)

    def next_token_probs(state: object, tokens: object, last: object) -> object:
        logits = nnx.merge(graphdef, state)(tokens)[0]
        row = jax.lax.dynamic_index_in_dim(logits, last, axis=0, keepdims=False)
        return jax.nn.softmax(row)

    tokens = np.zeros((1, buffer_length(6, model.config.n_positions)), dtype=np.int32)
    last = np.int32(5)
    t0 = time.perf_counter()
    lowered = jax.jit(next_token_probs).lower(state, tokens, last)
    t1 = time.perf_counter()
    lowered.compile()
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "importS": imported - started,
                "weightsS": loaded - imported,
                "traceLowerS": t1 - t0,
                "compileS": t2 - t1,
                "hits": counts["hits"],
                "misses": counts["misses"],
            }
        )
    )


if __name__ == "__main__":
    main()
