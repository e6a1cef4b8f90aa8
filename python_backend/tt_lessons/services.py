"""The service layer both front ends call: one function per request, events into a RunSink.

`execute` turns whatever happens (a result, a BackendError, a crash, a cancel) into the run's
closing events and its RunOutcome, so the server and the CLI report runs identically.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from . import doctor
from .errors import BackendError
from .protocol import (
    ErrorCode,
    ErrorEvent,
    InstallParams,
    Method,
    ResultEvent,
    RunOutcome,
    RunParams,
    RunResult,
    RunStatus,
)
from .run_sink import Listener, RunSink
from .runner import follow, spawn
from .standby import StandbyKey, StandbyPool
from .venv.install import child_env, install, python_for
from .workload_specs import SPECS, WORKLOADS_DIR

log = logging.getLogger(__name__)

Service = Callable[[RunParams, RunSink], Awaitable[RunResult | None]]


async def run_workload(
    method: Method, params: RunParams, sink: RunSink, standby: StandbyPool | None = None
) -> RunResult | None:
    """Start the method's workload in the venv's own Python and stream what it prints.

    With a standby pool (the server), a ready interpreter started after the last such run is
    adopted when it matches, and a new one is prepared after a run that succeeds.
    """
    _, spec = SPECS[method]
    python = python_for(params.venv)
    script, args = str(WORKLOADS_DIR / spec.script), spec.args(params)
    env, cwd = {**child_env(), **spec.env(params)}, os.path.expanduser("~")
    key = StandbyKey.of(params.venv, python, script, env, cwd)
    # Said first: adopting a standby may wait for its imports, and the click must show at once.
    sink.log(f"Running {spec.script} with {python}")
    proc = await standby.take(key, args) if standby and spec.preload else None
    if proc is None:
        proc = await spawn([python, "-u", script, *args], env=env, cwd=cwd)
    else:
        sink.log("Using the interpreter started ahead after the last run (imports already done)")
    code = await follow(proc, sink, name=spec.script, timeout_s=params.timeout_s)
    if sink.error is not None:
        raise BackendError(sink.error.code, sink.error.message, sink.error.fixes)
    if code != 0:
        last = next((line for line in reversed(sink.tail) if line.strip()), "no output")
        raise BackendError(
            ErrorCode.WORKLOAD_FAILED,
            f"{spec.script} exited with code {code}: {last.strip()}",
            ["Read the log above.", "Run the doctor to check the install."],
        )
    if sink.result is None:
        raise BackendError(
            ErrorCode.WORKLOAD_FAILED,
            f"{spec.script} finished without reporting a result.",
            ["Read the log above.", "Run the doctor to check the install."],
        )
    if standby and spec.preload:
        standby.prepare_soon(key, spec.preload)
    return sink.result


async def _install(params: RunParams, sink: RunSink) -> RunResult | None:
    assert isinstance(params, InstallParams)
    return await install(params, sink)


async def _doctor(params: RunParams, sink: RunSink) -> RunResult | None:
    return await doctor.run(params, sink)


def service_for(method: Method, standby: StandbyPool | None = None) -> Service:
    if method is Method.INSTALL:
        return _install
    if method is Method.DOCTOR:
        return _doctor
    if method in SPECS:
        return lambda params, sink: run_workload(method, params, sink, standby)
    raise KeyError(method)


async def execute(
    method: Method, params: RunParams, listener: Listener, standby: StandbyPool | None = None
) -> RunOutcome:
    """Run one request to its end; a cancel still emits `end` before it propagates."""
    sink = RunSink(method, listener, params.run_id)
    if standby and method is Method.INSTALL:
        standby.clear()  # its imports would be stale after the venv changes
    try:
        result = await service_for(method, standby)(params, sink)
        if result is not None and sink.result is None:
            sink.emit(ResultEvent(result=result))
        status, error = RunStatus.SUCCEEDED, None
    except asyncio.CancelledError:
        sink.end(RunStatus.CANCELLED, sink.exit_code)
        raise
    except BackendError as exc:
        status, error = RunStatus.FAILED, exc.info()
        if sink.error is None:
            sink.emit(ErrorEvent(error=error))
        else:
            error = sink.error
    except Exception as exc:  # a bug here must still end the run visibly
        log.exception("run %s failed", sink.run_id)
        status = RunStatus.FAILED
        error = BackendError(
            ErrorCode.INTERNAL,
            f"Internal error: {exc!r}",
            ["Report this with the Tenstorrent output log."],
        ).info()
        sink.emit(ErrorEvent(error=error))
    exit_code = sink.exit_code if sink.exit_code is not None else (0 if error is None else 1)
    duration = sink.end(status, exit_code)
    return RunOutcome(
        run_id=sink.run_id,
        status=status,
        exit_code=exit_code,
        duration_s=duration,
        result=sink.result,
        error=error,
    )
