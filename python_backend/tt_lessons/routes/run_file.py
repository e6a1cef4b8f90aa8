"""`tenstorrent/runFile`: any .py file run with the venv's Python, output streamed."""

from __future__ import annotations

from ..pools import Pools
from ..protocol import CommandId, RunFileParams, RunFileResult
from ..run_file import run_file
from ..run_sink import RunSink
from ._route import Command, Route


async def _run(params: RunFileParams, sink: RunSink, _pools: Pools) -> RunFileResult:
    return await run_file(params, sink)


ROUTE = Route(
    method="tenstorrent/runFile",
    cli="exec",
    help="run a Python file in the venv",
    params=RunFileParams,
    command=Command(CommandId.RUN_PYTHON_FILE, "Run Python File in the TT-XLA Environment", "run"),
    service=_run,
)
