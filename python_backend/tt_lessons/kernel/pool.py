"""One kernel per lesson, started ahead when asked (as standby.py does for workloads), replaced
when it died or the venv changed, and killed when the backend exits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from ..protocol.cells import KernelStateName, KernelStatus
from . import spec
from .session import KernelSession
from .target import KernelTarget


@dataclass
class _Entry:
    target: KernelTarget
    session: KernelSession
    ready: asyncio.Task[None]


class KernelPool:
    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir  # Jupyter data folder for the kernelspecs; None: the user's
        self._entries: dict[str, _Entry] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def _start(self, lesson_id: str, target: KernelTarget) -> _Entry:
        info = spec.register(target.python, target.env_path, self.data_dir)
        session = KernelSession(info, target)
        entry = _Entry(target, session, asyncio.ensure_future(session.start()))
        entry.ready.add_done_callback(_consume)  # a failed start ahead is reported by the run
        self._entries[lesson_id] = entry
        return entry

    def _current(self, lesson_id: str, target: KernelTarget) -> _Entry | None:
        """The lesson's kernel when usable; a dead one, a failed start or one started for
        another environment or other chips is discarded."""
        entry = self._entries.get(lesson_id)
        if entry is None:
            return None
        failed = entry.ready.done() and (entry.ready.cancelled() or entry.ready.exception())
        if entry.target == target and not failed and not entry.session.dead:
            return entry
        self._discard(lesson_id)
        return None

    def _discard(self, lesson_id: str) -> None:
        entry = self._entries.pop(lesson_id, None)
        if entry is not None:
            entry.ready.cancel()
            self._background(entry.session.shutdown())

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def session(self, lesson_id: str, target: KernelTarget) -> tuple[KernelSession, bool]:
        """The lesson's ready kernel, and whether this call had to start it (a cold start)."""
        entry = self._current(lesson_id, target)
        if entry is not None and entry.ready.done() and not await entry.session.alive():
            self._discard(lesson_id)  # it died while idle (killed, out of memory): start afresh
            entry = None
        cold = entry is None
        if entry is None:
            entry = self._start(lesson_id, target)
        await asyncio.shield(entry.ready)
        return entry.session, cold

    def state(self, lesson_id: str) -> KernelStateName:
        entry = self._entries.get(lesson_id)
        if entry is None:
            return "none"
        if entry.session.dead:
            return "dead"
        if not entry.ready.done():
            return "starting"
        return "busy" if entry.session.busy else "idle"

    def start_soon(self, lesson_id: str, target: KernelTarget) -> KernelStatus:
        """Start the lesson's kernel ahead of its first run; runs no code."""
        action: Literal["none", "starting"] = "none"
        if self._current(lesson_id, target) is None:
            self._start(lesson_id, target)
            action = "starting"
        return KernelStatus(lesson_id=lesson_id, state=self.state(lesson_id), action=action)

    def interrupt(self, lesson_id: str) -> KernelStatus:
        entry = self._entries.get(lesson_id)
        action = entry.session.request_interrupt() if entry is not None else "none"
        return KernelStatus(lesson_id=lesson_id, state=self.state(lesson_id), action=action)

    def restart_soon(self, lesson_id: str, target: KernelTarget) -> KernelStatus:
        """Stop the lesson's kernel (names defined so far are gone) and start a fresh one."""
        self._discard(lesson_id)
        self._start(lesson_id, target)
        return KernelStatus(lesson_id=lesson_id, state=self.state(lesson_id), action="restarting")

    async def shutdown(self) -> None:
        entries = list(self._entries.values())
        self._entries.clear()
        for entry in entries:
            entry.ready.cancel()
            await entry.session.shutdown()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task

    def kill_now(self) -> None:
        for entry in self._entries.values():
            entry.session.kill_now()
        self._entries.clear()


def _consume(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()
