"""`tenstorrent/runMeshExample`: a matmul sharded over a `jax.sharding.Mesh`."""

from __future__ import annotations

import os

from ..protocol import CommandId, MeshParams
from ..workload_specs import JAX_PRELOAD, WorkloadSpec
from ._route import Command, Route


def mesh_device_count(shape: str) -> int:
    rows, cols = (int(part) for part in shape.split("x"))
    return rows * cols


def _args(params: MeshParams) -> list[str]:
    return ["--shape", params.shape]


def _env(params: MeshParams) -> dict[str, str]:
    if not params.force_host_devices:
        return {}
    flag = f"--xla_force_host_platform_device_count={mesh_device_count(params.shape)}"
    return {"XLA_FLAGS": (os.environ.get("XLA_FLAGS", "") + " " + flag).strip()}


ROUTE = Route(
    method="tenstorrent/runMeshExample",
    cli="mesh",
    help="shard a matmul over a device mesh",
    params=MeshParams,
    command=Command(
        CommandId.RUN_MESH_EXAMPLE,
        "Run the Multi-Chip Mesh Example",
        "layout",
        lesson_args=("shape",),
    ),
    workload=WorkloadSpec("mesh.py", _args, _env, preload=JAX_PRELOAD),
)
