"""Run any .py file in the venv's Python: a plain child process, streamed, cancellable."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import BackendError
from .kernel.target import KernelTarget
from .protocol import ErrorCode, RunFileParams, RunFileResult
from .run_sink import RunSink
from .runner import follow, spawn


async def run_file(params: RunFileParams, sink: RunSink) -> RunFileResult:
    path = Path(os.path.expanduser(params.path)).resolve()
    if not path.is_file():
        raise BackendError(ErrorCode.BAD_INPUT, f"No such file: {path}")
    target = KernelTarget.of(params)
    sink.log(f"Running {path} with {target.python}")
    # The file's folder as cwd, as `python file.py` from there; the same devices as the kernel.
    proc = await spawn([target.python, "-u", str(path)], env=target.env(), cwd=str(path.parent))
    code = await follow(proc, sink, name=path.name, timeout_s=params.timeout_s, parse_events=False)
    if code != 0:
        last = next((line for line in reversed(sink.tail) if line.strip()), "no output")
        raise BackendError(
            ErrorCode.WORKLOAD_FAILED, f"{path.name} exited with code {code}: {last.strip()}"
        )
    return RunFileResult(path=str(path), python=target.python)
