"""`tenstorrent/testTtXlaInstall`: `jax.devices()` and a tiny dot product in the venv."""

from __future__ import annotations

from ..protocol import CommandId, TestParams
from ..workload_specs import JAX_PRELOAD, WorkloadSpec
from ._route import Command, Route


def _args(_params: TestParams) -> list[str]:
    return []


ROUTE = Route(
    method="tenstorrent/testTtXlaInstall",
    cli="test",
    help="run the JAX sanity check in the venv",
    params=TestParams,
    command=Command(CommandId.TEST_TT_XLA_INSTALL, "Test the TT-XLA Install", "beaker"),
    workload=WorkloadSpec("sanity.py", _args, preload=JAX_PRELOAD),
)
