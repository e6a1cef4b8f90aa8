"""`tenstorrent/buildWheelhouse`: every wheel an install needs, for a machine without the index."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId, RunResult, WheelhouseParams
from ..run_sink import RunSink
from ..venv import wheelhouse
from ._route import Command, Route


async def _build(params: WheelhouseParams, sink: RunSink, _pools: Pools) -> RunResult | None:
    return await wheelhouse.build(params, sink)


ROUTE = Route(
    method="tenstorrent/buildWheelhouse",
    cli="wheelhouse",
    help="download every wheel the install needs into a folder, for an offline TT machine",
    params=WheelhouseParams,
    # A wheelhouse without the jax pin offers "Rebuild the wheelhouse" for a CPU-only install
    # on that Python; the folder is the wheelhouse setting's (WheelhouseParams.dest).
    command=Command(
        CommandId.BUILD_WHEELHOUSE,
        "Download a Wheelhouse for an Offline Machine",
        "package",
        lesson_args=("cpu_only", "python_version"),
    ),
    service=_build,
)
