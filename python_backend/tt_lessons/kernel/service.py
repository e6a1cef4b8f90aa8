"""The kernel routes' services: run a lesson cell, and the kernel requests answered at once."""

from __future__ import annotations

import asyncio

from ..errors import BackendError
from ..protocol import ErrorCode, ResultEvent
from ..protocol.cells import (
    CellOutput,
    CellOutputEvent,
    CellResult,
    KernelParams,
    KernelStatus,
    RunCellParams,
)
from ..run_sink import RunSink
from .cells import cell_code
from .outputs import OutputBudget
from .pool import KernelPool
from .target import KernelTarget
from .verify import cell_check, output_text, run_check


async def run_cell(
    params: RunCellParams, sink: RunSink, pool: KernelPool, cpu_only: bool = False
) -> CellResult:
    """Run one cell in the lesson's kernel, streaming each output as a cell-output event."""
    code = cell_code(params.lesson_id, params.cell, params.code)
    sink.log(f"Running cell {params.cell} of {params.lesson_id}")
    session, cold = await pool.session(params.lesson_id, KernelTarget.of(params, cpu_only))
    budget = OutputBudget()
    sent = 0
    check = cell_check(params.lesson_id, params.cell)
    seen: list[CellOutput] = []  # kept only for a check's `output:` lines

    def emit(output: CellOutput) -> None:
        nonlocal sent
        if check is not None and check.outputs:
            seen.append(output)
        kept = budget.admit(output)
        if kept is not None:
            sent += 1
            sink.emit(CellOutputEvent(cell=params.cell, output=kept))

    done = await session.execute(code, emit, params.timeout_s)
    note = budget.note()
    if note is not None:
        sink.log(note, "stderr")
    verdict = await run_check(session, check, done.status, output_text(seen))
    if verdict.status == "failed":
        sink.log(f"Check of cell {params.cell} failed: {'; '.join(verdict.failures)}", "stderr")
    result = CellResult(
        lesson_id=params.lesson_id,
        cell=params.cell,
        status=done.status,
        execution_count=done.execution_count,
        duration_s=done.duration_s,
        outputs=sent,
        truncated=budget.truncated,
        dropped_chars=budget.dropped_chars,
        dropped_lines=budget.dropped_lines,
        kernel_started=cold,
        check=verdict,
    )
    if done.status == "timeout" or done.status == "died":
        sink.emit(ResultEvent(result=result))  # the outcome keeps it next to the error
        raise _stopped(done.status, session.dead, session.interrupts, params.timeout_s)
    return result


def _stopped(status: str, dead: bool, interrupts: int, limit: float | None) -> BackendError:
    fresh = "Names defined so far are gone; the next run starts a fresh kernel."
    if status == "timeout":
        what = f"The cell ran past its {limit or 0:g} s limit and was interrupted"
        return BackendError(
            ErrorCode.TIMEOUT,
            f"{what}; it did not stop, so the kernel was killed. {fresh}" if dead else f"{what}.",
            ["Raise the timeout setting, or make the cell do less."],
        )
    why = (
        "was stopped (Interrupt pressed twice)"
        if interrupts > 1
        else "died: its process ended (os._exit, a crash, or out of memory)"
    )
    return BackendError(
        ErrorCode.KERNEL_DIED,
        f"The kernel {why}. {fresh}",
        ["Run the cells this one needs again, from the top."],
    )


def _no_loop(lesson_id: str) -> KernelStatus | None:
    """From the CLI there is no server loop, so no kernel outlives the command: nothing to do."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return KernelStatus(lesson_id=lesson_id, state="none", action="none")
    return None


def start_kernel(params: KernelParams, pool: KernelPool) -> KernelStatus:
    """Asked when a lesson opens: a venv that is not ready yet is no error, just no kernel."""
    idle = _no_loop(params.lesson_id)
    if idle is not None:
        return idle
    try:
        target = KernelTarget.of(params)
    except BackendError:
        return KernelStatus(lesson_id=params.lesson_id, state="none", action="none")
    return pool.start_soon(params.lesson_id, target)


def interrupt_kernel(params: KernelParams, pool: KernelPool) -> KernelStatus:
    return _no_loop(params.lesson_id) or pool.interrupt(params.lesson_id)


def restart_kernel(params: KernelParams, pool: KernelPool) -> KernelStatus:
    return _no_loop(params.lesson_id) or pool.restart_soon(
        params.lesson_id, KernelTarget.of(params)
    )
