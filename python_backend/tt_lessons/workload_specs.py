"""How each workload request becomes a child command line: script, argv list, environment.

Settings travel as separate argv items, never through a shell, so spaces, quotes, `;` or `$()`
in a prompt or a path reach the workload literally.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .protocol import CnnParams, DemoParams, MeshParams, Method, RunParams, TestParams
from .venv.layout import state_home

WORKLOADS_DIR = Path(__file__).parent / "workloads"


def compile_cache_dir() -> Path:
    return state_home() / "jax-compile-cache"


def mesh_device_count(shape: str) -> int:
    rows, cols = (int(part) for part in shape.split("x"))
    return rows * cols


@dataclass(frozen=True)
class WorkloadSpec:
    script: str
    args: Callable[[RunParams], list[str]]
    env: Callable[[RunParams], dict[str, str]] = lambda _params: {}
    # Modules a standby interpreter imports ahead of the next run (see standby.py): the slow
    # imports only; none of them may start a JAX backend (that would hold the device).
    preload: tuple[str, ...] = ()


def _demo_args(params: RunParams) -> list[str]:
    assert isinstance(params, DemoParams)
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
        "--cache-dir",
        str(compile_cache_dir()),
    ]


def _mesh_args(params: RunParams) -> list[str]:
    assert isinstance(params, MeshParams)
    return ["--shape", params.shape]


def _mesh_env(params: RunParams) -> dict[str, str]:
    assert isinstance(params, MeshParams)
    if not params.force_host_devices:
        return {}
    flag = f"--xla_force_host_platform_device_count={mesh_device_count(params.shape)}"
    return {"XLA_FLAGS": (os.environ.get("XLA_FLAGS", "") + " " + flag).strip()}


def _cnn_args(params: RunParams) -> list[str]:
    assert isinstance(params, CnnParams)
    return ["--epochs", str(params.epochs), "--seed", str(params.seed)]


_JAX = ("jax", "jax.numpy", "numpy")
_GPT2 = (*_JAX, "flax.nnx", "transformers:AutoTokenizer", "gpt2_source", "gpt2_model")
_CNN = (*_JAX, "flax.nnx", "optax", "sklearn.datasets")

SPECS: dict[Method, tuple[type[RunParams], WorkloadSpec]] = {
    Method.TEST: (TestParams, WorkloadSpec("sanity.py", lambda _params: [], preload=_JAX)),
    Method.DEMO: (DemoParams, WorkloadSpec("gpt2_demo.py", _demo_args, preload=_GPT2)),
    Method.MESH: (MeshParams, WorkloadSpec("mesh.py", _mesh_args, _mesh_env, preload=_JAX)),
    Method.CNN: (CnnParams, WorkloadSpec("cnn.py", _cnn_args, preload=_CNN)),
}
