"""`tenstorrent/runMeshExample`: a matmul sharded over a `jax.sharding.Mesh`."""

from __future__ import annotations

import os

from ..boards import default_mesh_shape, describe
from ..chips import chip_count, host_arch, host_board, read_nodes, visible_nodes
from ..protocol import CommandId, MeshParams
from ..workload_specs import JAX_PRELOAD, WorkloadSpec
from ._route import Command, Route


def mesh_device_count(shape: str) -> int:
    rows, cols = (int(part) for part in shape.split("x"))
    return rows * cols


def chosen_shape(params: MeshParams) -> tuple[str, str]:
    """The shape asked for, else the usual one for the chips this run may use; and why."""
    if params.shape:
        return params.shape, f"Mesh {params.shape}, as asked."
    nodes = visible_nodes(read_nodes(), params.visible_devices)
    chips = chip_count(nodes)
    shape = default_mesh_shape(chips)
    if not chips:
        return shape, f"Mesh {shape}: no Tenstorrent chip here, so the CPU stands in."
    board = host_board(nodes) if not params.visible_devices else None
    presets = f" Presets for this board: {', '.join(board.meshes)}." if board else ""
    seen = describe(host_arch(nodes), chips, board)
    return shape, f"Mesh {shape}: every chip seen ({seen}).{presets}"


def _args(params: MeshParams) -> list[str]:
    shape, why = chosen_shape(params)
    return ["--shape", shape, "--why", why]


def _env(params: MeshParams) -> dict[str, str]:
    if not params.force_host_devices:
        return {}
    flag = f"--xla_force_host_platform_device_count={mesh_device_count(chosen_shape(params)[0])}"
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
