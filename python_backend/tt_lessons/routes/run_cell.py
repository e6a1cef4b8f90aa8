"""`tenstorrent/runCell`: one lesson cell in the lesson's Jupyter kernel, outputs streamed."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId
from ..protocol.cells import CellResult, RunCellParams
from ..run_sink import RunSink
from ._route import Command, Route


async def _service(params: RunCellParams, sink: RunSink, pools: Pools) -> CellResult:
    from ..kernel.service import run_cell  # jupyter_client loads on the first run, not at start

    return await run_cell(params, sink, pools.kernels)


ROUTE = Route(
    method="tenstorrent/runCell",
    cli="run-cell",
    help="run a lesson's python cell in its Jupyter kernel (in the venv)",
    params=RunCellParams,
    command=Command(CommandId.RUN_CELL, "Run a Lesson Cell", "play"),
    service=_service,
)
