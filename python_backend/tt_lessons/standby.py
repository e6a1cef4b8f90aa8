"""One workload interpreter kept ready, so the second click skips Python and JAX start-up.

After a workload run succeeds, the server starts `workloads/_standby.py` for the same workload:
it imports the workload's heavy modules and waits. A workload that can prepare more (the GPT-2
demo reads its weights and compiles its programs) is also handed the last run's arguments to do
that ahead (_standby.py --warm); its run then takes what still fits. The next run with the same
interpreter, script, environment and venv manifest adopts it instead of spawning a fresh
process; anything else (another workload, another mesh shape, a reinstalled venv) gets a fresh
one and the standby is dropped. Each run still has a process of its own, so cancel, timeout and
crash handling are exactly those of a fresh child (runner.follow).

At most one standby lives at a time (it holds a few hundred MB of imported modules), and it exits
after IDLE_S without a run. The CLI runs one command per process and never uses a standby.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .runner import kill_tree, spawn
from .venv.layout import VenvLayout
from .workload_specs import WORKLOADS_DIR

log = logging.getLogger(__name__)

STANDBY_SCRIPT = WORKLOADS_DIR / "_standby.py"
READY_LINE = b'{"kind": "standby-ready"}'
IDLE_S = 600.0


@dataclass(frozen=True)
class StandbyKey:
    """What a standby was started for; a run may adopt it only when all of it matches."""

    python: str
    script: str
    cwd: str
    env: tuple[tuple[str, str], ...]
    manifest: tuple[int, int, int] | None  # (inode, mtime_ns, size): a reinstall changes it

    @classmethod
    def of(
        cls, venv: str, python: str, script: str, env: Mapping[str, str], cwd: str
    ) -> StandbyKey:
        try:
            st = os.stat(VenvLayout.at(venv).manifest)
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        return cls(python, script, cwd, tuple(sorted(env.items())), stamp)


@dataclass(frozen=True)
class Waiting:
    """What the pool holds right now, read-only (for status and tests)."""

    pid: int
    key: StandbyKey
    ready: bool  # its imports are done and it printed the ready line


@dataclass
class _Waiting:
    key: StandbyKey
    proc: asyncio.subprocess.Process
    ready: asyncio.Task[bool]
    idle: asyncio.TimerHandle


async def _read_ready(proc: asyncio.subprocess.Process) -> bool:
    assert proc.stdout is not None
    try:
        line = await proc.stdout.readline()
    except (ValueError, asyncio.LimitOverrunError):
        return False
    return line.strip() == READY_LINE


class StandbyPool:
    def __init__(self, idle_s: float = IDLE_S) -> None:
        self.idle_s = idle_s
        self._waiting: _Waiting | None = None
        self._starting: set[asyncio.Task[None]] = set()

    @property
    def waiting(self) -> Waiting | None:
        """The standby waiting to be adopted, if any."""
        held = self._waiting
        if held is None:
            return None
        task = held.ready
        ready = task.done() and not task.cancelled() and not task.exception() and task.result()
        return Waiting(held.proc.pid, held.key, ready)

    async def prepare(
        self, key: StandbyKey, modules: Sequence[str], warm: Sequence[str] | None = None
    ) -> None:
        """Start a standby for key (replacing any other). Never raises: it is only a speed-up.

        `warm`: the last run's arguments, for the script's warm() to prepare the next run with."""
        self.clear()
        extra = ["--warm", json.dumps(list(warm))] if warm is not None else []
        argv = [key.python, "-u", str(STANDBY_SCRIPT), key.script, *extra, *modules]
        try:
            proc = await spawn(argv, env=dict(key.env), cwd=key.cwd, stdin_pipe=True)
        except OSError as exc:
            log.warning("could not start a standby interpreter: %s", exc)
            return
        self.clear()  # a run may have started another while this one was spawning
        loop = asyncio.get_running_loop()
        self._waiting = _Waiting(
            key,
            proc,
            asyncio.create_task(_read_ready(proc)),
            loop.call_later(self.idle_s, self.clear),
        )

    def prepare_soon(
        self, key: StandbyKey, modules: Sequence[str], warm: Sequence[str] | None = None
    ) -> None:
        """prepare() in the background, after the run that asked for it has answered."""
        task = asyncio.get_running_loop().create_task(self.prepare(key, modules, warm))
        self._starting.add(task)  # held until done, so the task is not garbage-collected
        task.add_done_callback(self._starting.discard)

    async def take(self, key: StandbyKey, args: Sequence[str]) -> asyncio.subprocess.Process | None:
        """Hand the waiting standby its arguments if it was started for key; else None."""
        waiting, self._waiting = self._waiting, None
        if waiting is None:
            return None
        waiting.idle.cancel()
        if waiting.key != key or waiting.proc.returncode is not None:
            _drop(waiting)
            return None
        try:
            # Imports still running: waiting for them is what a fresh process would do too.
            ready = await asyncio.shield(waiting.ready)
        except BaseException:
            _drop(waiting)
            raise
        if not ready:
            _drop(waiting)
            return None
        assert waiting.proc.stdin is not None
        try:
            waiting.proc.stdin.write(json.dumps(list(args)).encode() + b"\n")
            await waiting.proc.stdin.drain()
            waiting.proc.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            _drop(waiting)
            return None
        return waiting.proc

    def clear(self) -> None:
        """Drop the waiting standby (a reinstall makes its imports stale)."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            _drop(waiting)

    async def aclose(self) -> None:
        """Let standbys being started finish starting, then drop whatever waits."""
        if self._starting:
            await asyncio.gather(*self._starting, return_exceptions=True)
        self.clear()


def _drop(waiting: _Waiting) -> None:
    waiting.idle.cancel()
    waiting.ready.cancel()
    kill_tree(waiting.proc)
    # Reap it in the background so no zombie is left behind.
    asyncio.get_running_loop().create_task(waiting.proc.wait())
