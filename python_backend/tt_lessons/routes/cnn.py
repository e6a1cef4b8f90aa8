"""`tenstorrent/runCnnExample`: a small CNN trained on scikit-learn's 8x8 digits."""

from __future__ import annotations

from ..protocol import CnnParams, CommandId
from ..workload_specs import JAX_PRELOAD, WorkloadSpec
from ._route import Command, Route


def _args(params: CnnParams) -> list[str]:
    return ["--epochs", str(params.epochs), "--seed", str(params.seed)]


ROUTE = Route(
    method="tenstorrent/runCnnExample",
    cli="cnn",
    help="train a small CNN on the 8x8 digits",
    params=CnnParams,
    command=Command(
        CommandId.RUN_CNN_EXAMPLE,
        "Train the CNN Example",
        "graph-line",
        lesson_args=("epochs", "seed"),
    ),
    workload=WorkloadSpec(
        "cnn.py", _args, preload=(*JAX_PRELOAD, "flax.nnx", "optax", "sklearn.datasets")
    ),
)
