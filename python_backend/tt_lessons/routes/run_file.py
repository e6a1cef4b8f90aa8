"""`tenstorrent/runFile`: any .py file run with the venv's Python, output streamed."""

from __future__ import annotations

from ..kernel.run_file import run_file
from ..protocol import CommandId
from ..protocol.cells import RunFileParams
from ._route import Command, Route

ROUTE = Route(
    method="tenstorrent/runFile",
    cli="exec",
    help="run a Python file in the venv",
    params=RunFileParams,
    command=Command(CommandId.RUN_PYTHON_FILE, "Run Python File in the TT-XLA Environment", "run"),
    service=run_file,
)
