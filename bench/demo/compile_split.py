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
    from gpt2_demo import enable_compile_cache
    from gpt2_generate import Generator
    from gpt2_model import load_gpt2

    imported = time.perf_counter()
    counts = enable_compile_cache(cache_dir)
    model = load_gpt2(Path(checkpoint))
    loaded = time.perf_counter()
    # The demo's own prefill program for a short prompt (the bench's prompt is a few tokens).
    generator = Generator(model, prompt_length=6, max_new_tokens=1)
    t0 = time.perf_counter()
    lowered = generator.lower_prefill()
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
