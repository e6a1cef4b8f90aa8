"""Child processes: spawn with an argv list, stream their lines as events, kill the whole tree.

A workload speaks in JSON lines on stdout (one event object per line); any other line, and every
stderr line, is passed on as a log line. Cancellation (asyncio) and timeouts kill the child's
whole process group, so a pip or JAX grandchild never outlives its run.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sys
from collections.abc import Mapping, Sequence

from pydantic import TypeAdapter, ValidationError

from .errors import BackendError
from .protocol import ErrorCode, ErrorEvent, ErrorInfo, LogEvent, WorkloadEvent
from .run_sink import RunSink

_LINE_LIMIT = 1 << 20  # longer lines are passed on in pieces, never dropped
_CHUNK = 1 << 16
_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
_KILL_GRACE_S = 2.0
_workload_event: TypeAdapter[WorkloadEvent] = TypeAdapter(WorkloadEvent)


def _parse_event(text: str) -> WorkloadEvent | None:
    """A workload's event line, or None for a plain line. A line with a `kind` that the protocol
    refuses is the workload and the backend disagreeing: an error event saying how, not a log."""
    if not text.startswith("{"):
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    if not isinstance(raw, dict) or "kind" not in raw:
        return None
    try:
        return _workload_event.validate_python(raw)
    except ValidationError as exc:
        message = f"A workload wrote a {raw['kind']!r} event the protocol refuses: {exc}"
        fixes = ["The workload script and the backend disagree: reinstall tt-lessons."]
        return ErrorEvent(
            error=ErrorInfo(code=ErrorCode.WORKLOAD_FAILED, message=message, fixes=fixes)
        )


def _emit_lines(sink: RunSink, name: str, raw_lines: list[bytes], parse_events: bool) -> None:
    """Plain lines go out batched; a JSON event line closes the batch so order is kept."""
    batch: list[str] = []
    for raw in raw_lines:
        text = raw.decode("utf-8", errors="replace").rstrip("\r")
        event = _parse_event(text) if parse_events else None
        if event is None:
            batch.append(text)
            continue
        if batch:
            sink.emit(LogEvent(stream=name, lines=batch))
            batch = []
        sink.emit(event)
    if batch:
        sink.emit(LogEvent(stream=name, lines=batch))


async def _pump(stream: asyncio.StreamReader, name: str, sink: RunSink, parse_events: bool) -> None:
    """Read whatever is there (no waiting for more), emit every complete line in it."""
    pending = bytearray()
    while True:
        chunk = await stream.read(_CHUNK)
        if not chunk:
            if pending:
                _emit_lines(sink, name, [bytes(pending)], parse_events)
            return
        pending += chunk
        if b"\n" not in chunk and len(pending) < _LINE_LIMIT:
            continue
        *complete, rest = bytes(pending).split(b"\n")
        pending = bytearray(rest)
        if len(pending) >= _LINE_LIMIT:  # an endless line is passed on in pieces, never dropped
            complete.append(bytes(pending))
            pending.clear()
        if complete:
            _emit_lines(sink, name, complete, parse_events)


def _die_with_parent() -> None:
    """Linux: the kernel SIGKILLs the child if the backend dies (even by SIGKILL), so an
    orphaned pip or JAX process never goes on writing into a venv nobody watches."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def kill_tree(proc: asyncio.subprocess.Process) -> None:
    """SIGKILL the child's process group (it leads its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


async def terminate(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), _KILL_GRACE_S)
    except asyncio.TimeoutError:
        pass
    kill_tree(proc)  # grandchildren that ignored SIGTERM, or outlived the leader
    await proc.wait()


async def spawn(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    stdin_pipe: bool = False,
) -> asyncio.subprocess.Process:
    """Start argv as the leader of its own session, output piped, dying with the backend."""
    return await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE if stdin_pipe else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


async def follow(
    proc: asyncio.subprocess.Process,
    sink: RunSink,
    *,
    name: str,
    timeout_s: float | None = None,
    parse_events: bool = True,
) -> int:
    """Stream a started child's output into sink until it exits; return its exit code.

    A timeout or a cancel kills the child's whole tree before this returns or raises.
    """
    assert proc.stdout is not None and proc.stderr is not None
    pumps = asyncio.gather(
        _pump(proc.stdout, "stdout", sink, parse_events),
        _pump(proc.stderr, "stderr", sink, False),
    )
    try:
        await asyncio.wait_for(asyncio.shield(pumps), timeout_s)
        sink.exit_code = await proc.wait()
        return sink.exit_code
    except asyncio.TimeoutError:
        await terminate(proc)
        pumps.cancel()
        raise BackendError(
            ErrorCode.TIMEOUT,
            f"{name} ran past its {timeout_s:g} s limit and was stopped.",
            ["Raise the timeout setting, or check the log above for where it hung."],
        ) from None
    except BaseException:  # cancelled: never leave the tree running
        await asyncio.shield(terminate(proc))
        pumps.cancel()
        raise


async def run_child(
    argv: Sequence[str],
    sink: RunSink,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout_s: float | None = None,
    parse_events: bool = True,
) -> int:
    """Run argv to completion, streaming its output into sink; return its exit code."""
    proc = await spawn(argv, env=env, cwd=cwd)
    return await follow(
        proc,
        sink,
        name=os.path.basename(argv[0]),
        timeout_s=timeout_s,
        parse_events=parse_events,
    )


async def capture(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout_s: float = 60.0
) -> tuple[int, str, str]:
    """Run a short helper command and collect its output (no streaming)."""
    proc = await spawn(argv, env=env)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout_s)
    except BaseException:
        await asyncio.shield(terminate(proc))
        raise
    return proc.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")
