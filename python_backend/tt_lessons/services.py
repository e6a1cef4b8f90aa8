"""The service layer both front ends call: one route per request, events into a RunSink.

`execute_route` turns whatever happens (a result, a BackendError, a crash, a cancel) into the
run's closing events and its RunOutcome, so the server and the CLI report runs identically.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, TypeVar

from .chips import with_board
from .errors import BackendError
from .pools import Pools
from .protocol import (
    CommandId,
    ErrorCode,
    ErrorEvent,
    ResultEvent,
    RunOutcome,
    RunParams,
    RunResult,
    RunStatus,
)
from .routes import ROUTES, Route, route_for
from .run_sink import Listener, RunSink
from .runner import follow, spawn
from .standby import StandbyKey, StandbyPool
from .venv.environment import child_env, chip_env, python_for
from .workload_specs import WORKLOADS_DIR, WorkloadSpec

log = logging.getLogger(__name__)
P = TypeVar("P", bound=RunParams)


async def _run_spec(
    spec: WorkloadSpec[P], params: P, sink: RunSink, standby: StandbyPool | None
) -> RunResult:
    """Start a workload in the venv's own Python and stream what it prints.

    With a standby pool (the server), a ready interpreter started after the last such run is
    adopted when it matches, and a new one is prepared after a run that succeeds.
    """
    python = python_for(params.venv, params.external_env)
    script, args = str(WORKLOADS_DIR / spec.script), spec.args(params)
    env, cwd = {**child_env(), **spec.env(params), **chip_env(params)}, os.path.expanduser("~")
    key = StandbyKey.of(params.venv, python, script, env, cwd)
    sink.amend = with_board
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
        standby.prepare_soon(key, spec.preload, args if spec.warm else None)
    return sink.result


class RouteSteps:
    """The StepRunner (steps.py) a whole-lesson run uses: a lesson's command links as runs."""

    def __init__(self, pools: Pools) -> None:
        self._pools = pools
        self._by_command = {route.command.id.value: route for route in ROUTES}

    def runs(self, command: str) -> bool:
        # A lesson's own "run the whole lesson" link is not one of its steps (it would recurse).
        return command in self._by_command and command != CommandId.RUN_LESSON.value

    def changes_venv(self, command: str) -> bool:
        return self._by_command[command].changes_venv

    async def run(self, command: str, values: dict[str, Any], listener: Listener) -> RunOutcome:
        route = self._by_command[command]
        # A lesson link's arguments are camelCase (the wire's), the run's own settings snake_case.
        names = {f.alias or n: n for n, f in route.params.model_fields.items()}
        names.update({n: n for n in route.params.model_fields})
        params = route.params.model_validate({names[k]: v for k, v in values.items() if k in names})
        return await execute_route(route, params, listener, self._pools)


async def _work(route: Route[P], params: P, sink: RunSink, pools: Pools) -> RunResult | None:
    if route.workload is not None:
        return await _run_spec(route.workload, params, sink, pools.standby)
    if route.service is not None:
        return await route.service(params, sink, pools)
    raise TypeError(f"{route.method} has neither a service nor a workload")


async def execute_route(
    route: Route[P], params: P, listener: Listener, pools: Pools | None = None
) -> RunOutcome:
    """Run one request to its end; a cancel still emits `end` before it propagates.

    `pools`: the caller's (the server's, for its life); without them the run gets its own,
    closed when it ends.
    """
    if pools is None:
        own = Pools()
        try:
            return await execute_route(route, params, listener, own)
        finally:
            await own.aclose()
    if pools.steps is None:
        pools.steps = RouteSteps(pools)
    sink = RunSink(route.method, listener, params.run_id)
    if pools.standby and route.changes_venv:
        pools.standby.clear()  # its imports would be stale after the venv changes
    try:
        result = await _work(route, params, sink, pools)
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


async def execute(
    method: str, params: RunParams, listener: Listener, pools: Pools | None = None
) -> RunOutcome:
    """`execute_route` by wire name, for callers that hold one (tests, benchmarks)."""
    route = route_for(method)
    return await execute_route(route, route.params.model_validate(params), listener, pools)
