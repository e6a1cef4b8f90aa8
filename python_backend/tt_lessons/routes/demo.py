"""`tenstorrent/runTtXlaDemo`: GPT-2 next-token prediction in Flax NNX."""

from __future__ import annotations

import os
from pathlib import Path

from ..protocol import CommandId, DemoParams
from ..workload_specs import JAX_PRELOAD, WorkloadSpec, compile_cache_dir
from ._route import Command, Route


def _args(params: DemoParams) -> list[str]:
    model = params.model
    if os.sep in model or model.startswith((".", "~")):
        model = str(Path(model).expanduser().absolute())  # the child runs in another cwd
    # `--name=value` in one item: argparse would take a value starting with "-" as an option.
    return [
        f"--model={model}",
        f"--prompt={params.prompt}",
        "--top-k",
        str(params.top_k),
        "--generate",
        str(params.generate),
        "--temperature",
        str(params.temperature),
        "--sample-top-k",
        str(params.sample_top_k),
        "--top-p",
        str(params.top_p),
        "--seed",
        str(params.seed),
        "--stop-at-eos" if params.stop_at_eos else "--no-stop-at-eos",
        "--weights",
        params.weights,
        "--cache-dir",
        str(compile_cache_dir()),
    ]


def _env(_params: DemoParams) -> dict[str, str]:
    # transformers announces at import that PyTorch is missing; the demo runs on JAX and needs
    # only its tokenizer, so that advisory notice would only alarm. Real warnings still print.
    return {"TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}


_PRELOAD = (
    *JAX_PRELOAD,
    "flax.nnx",
    "transformers:AutoTokenizer",
    "gpt2_source",
    "gpt2_model",
    "gpt2_generate",
)

ROUTE = Route(
    method="tenstorrent/runTtXlaDemo",
    cli="demo",
    help="GPT-2 next-token prediction in the venv",
    params=DemoParams,
    command=Command(
        CommandId.RUN_TT_XLA_DEMO,
        "Run the GPT-2 Demo",
        "play",
        lesson_args=("prompt", "generate", "top_k", "temperature", "seed", "weights"),
    ),
    workload=WorkloadSpec("gpt2_demo.py", _args, env=_env, preload=_PRELOAD, warm=True),
)
