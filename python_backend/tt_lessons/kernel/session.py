"""One Jupyter kernel in the venv: start it, run a cell streaming its outputs, interrupt, stop.

The execute loop follows nbclient's (`NotebookClient.async_execute_cell`): send `execute`, read
IOPub until the kernel reports `idle` for that message, turning each output message into an
output; then read the shell reply for the status and execution count. While no message comes the
loop asks whether the kernel process is still alive, so a kernel that dies (os._exit, a
segfault) ends the run as "died" instead of hanging it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir

from ..errors import BackendError
from ..protocol import ErrorCode
from ..protocol.cells import CellOutput, CellRunStatus, ErrorOutput
from .outputs import to_output
from .spec import KernelSpecInfo
from .target import KernelTarget

POLL_S = 0.25  # how often a silent kernel is checked for being alive
READY_TIMEOUT_S = 120.0
REPLY_TIMEOUT_S = 10.0
KILL_GRACE_S = 5.0  # after a timeout's interrupt, how long before the kernel is killed


@dataclass
class Execution:
    status: CellRunStatus
    execution_count: int | None
    duration_s: float


class KernelSession:
    """A started kernel and its client. One cell runs at a time; others wait their turn."""

    def __init__(self, spec: KernelSpecInfo, target: KernelTarget) -> None:
        self.spec = spec
        self.target = target
        manager = KernelSpecManager(kernel_dirs=[str(spec.folder.parent)])
        # IPC sockets (files only this user can open), not TCP on localhost. An absolute path:
        # the default ("kernel-ipc") is relative, and the kernel's cwd is not ours.
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        name = f"tt-kernel-{uuid.uuid4().hex[:12]}"
        self.km = AsyncKernelManager(
            kernel_name=spec.name,
            kernel_spec_manager=manager,
            transport="ipc",
            ip=str(runtime / name),
            connection_file=str(runtime / f"{name}.json"),  # Jupyter's place, not /tmp
        )
        self.kc: Any = None
        self.dead = False
        self.busy = False
        self.interrupts = 0  # during the current execution
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await self.km.start_kernel(env=self.target.env(), cwd=os.path.expanduser("~"))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            await self.kc.wait_for_ready(timeout=READY_TIMEOUT_S)
        except (RuntimeError, TimeoutError) as exc:
            await self.shutdown()
            raise BackendError(
                ErrorCode.VENV_MODULE_MISSING,
                f"The Jupyter kernel in {self.target.env_path} did not start: {exc}",
                [
                    "Run 'Install TT-XLA' again: it installs ipykernel into the venv.",
                    "Read the backend log for the kernel's own error.",
                ],
            ) from exc

    @property
    def pid(self) -> int | None:
        provisioner = self.km.provisioner
        return getattr(provisioner, "pid", None) if provisioner is not None else None

    async def alive(self) -> bool:
        if self.dead:
            return False
        if not self.km.has_kernel or not await self.km.is_alive():
            self.dead = True
        return not self.dead

    async def execute(
        self,
        code: str,
        on_output: Callable[[CellOutput], None],
        timeout_s: float | None = None,
        store_history: bool = True,
    ) -> Execution:
        """Run code; `store_history=False` (a lesson's check) leaves the execution count and
        In/Out history as the learner's own cells made them."""
        async with self._lock:
            if not await self.alive():
                return Execution("died", None, 0.0)
            self.busy, self.interrupts = True, 0
            started = time.monotonic()
            try:
                return await self._run(code, on_output, timeout_s, started, store_history)
            except asyncio.CancelledError:
                self.request_interrupt()  # the run was cancelled: stop the code too
                raise
            finally:
                self.busy = False

    async def _run(
        self,
        code: str,
        on_output: Callable[[CellOutput], None],
        timeout_s: float | None,
        started: float,
        store_history: bool,
    ) -> Execution:
        msg_id = self.kc.execute(
            code, store_history=store_history, allow_stdin=False, stop_on_error=False
        )
        count: int | None = None
        deadline = None if timeout_s is None else started + timeout_s
        timed_out, error_name = False, None
        while True:
            now = time.monotonic()
            if deadline is not None and now > deadline:
                if not timed_out:
                    timed_out, deadline = True, now + KILL_GRACE_S
                    await self.km.interrupt_kernel()
                elif not self.dead:
                    await self.kill()
            try:
                msg = await self.kc.get_iopub_msg(timeout=POLL_S)
            except queue.Empty:
                if not await self.alive():
                    return Execution("timeout" if timed_out else "died", count, _since(started))
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            if kind == "execute_input":
                count = content.get("execution_count", count)
                continue
            output = to_output(msg)
            if isinstance(output, ErrorOutput):
                error_name = output.ename
            if output is not None:
                on_output(output)
        duration = _since(started)
        reply = await self._reply(msg_id)
        if reply is not None:
            count = reply.get("execution_count", count)
            error_name = reply.get("ename", error_name) if reply.get("status") != "ok" else None
        if timed_out:
            return Execution("timeout", count, duration)
        if error_name is None:
            return Execution("succeeded", count, duration)
        interrupted = self.interrupts > 0 and error_name == "KeyboardInterrupt"
        return Execution("interrupted" if interrupted else "failed", count, duration)

    async def _reply(self, msg_id: str) -> dict[str, Any] | None:
        end = time.monotonic() + REPLY_TIMEOUT_S
        while time.monotonic() < end:
            try:
                msg = await self.kc.get_shell_msg(timeout=end - time.monotonic())
            except queue.Empty:
                return None
            if msg["parent_header"].get("msg_id") == msg_id:
                content: dict[str, Any] = msg["content"]
                return content
        return None

    def request_interrupt(self) -> Literal["none", "interrupted", "killed"]:
        """First press: a kernel interrupt (KeyboardInterrupt in the cell). A second one while
        the same cell still runs kills the kernel; the next run starts a fresh one."""
        if not self.busy:
            return "none"
        self.interrupts += 1
        action = self.km.interrupt_kernel() if self.interrupts == 1 else self.kill()
        task = asyncio.ensure_future(action)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return "interrupted" if self.interrupts == 1 else "killed"

    async def kill(self) -> None:
        self.dead = True
        with contextlib.suppress(Exception):
            await self.km.shutdown_kernel(now=True)

    async def shutdown(self) -> None:
        self.dead = True
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km.has_kernel:
            with contextlib.suppress(Exception):
                await self.km.shutdown_kernel(now=True)
        self._remove_files()

    def _remove_files(self) -> None:
        with contextlib.suppress(Exception):
            self.km.cleanup_connection_file()
            self.km.cleanup_ipc_files()

    def kill_now(self) -> None:
        """At interpreter exit, without a loop: kill the kernel's process group, drop its files."""
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        pid = None if self.dead else self.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
        self._remove_files()
        self.dead = True


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)
