"""Run a cell's check in its kernel, right after the cell: the verdict behind the tick."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..protocol.cells import CellOutput, CheckResult, StoredOutput, StreamOutput
from .cells import LESSONS_DIR, bundled_lesson, parse_cells
from .checks import Check, kernel_code, outcome, output_failures, parse_kernel_reply
from .session import KernelSession

CHECK_TIMEOUT_S = 60.0  # an expression that takes longer is itself the fault


def cell_check(lesson_id: str, index: int, lessons_dir: Path = LESSONS_DIR) -> Check | None:
    """The bundled lesson's check of cell `index`, or None (a lesson sent by the page has none)."""
    path = bundled_lesson(lesson_id, lessons_dir)
    if path is None:
        return None
    cells = parse_cells(path.read_text(encoding="utf-8"))
    return cells[index].check if index < len(cells) else None


def output_text(outputs: Sequence[CellOutput | StoredOutput]) -> str:
    """What the learner reads: streams, and the text form of results and displays."""
    parts: list[str] = []
    for output in outputs:
        if isinstance(output, StreamOutput):
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def as_result(check: Check | None, failures: list[str]) -> CheckResult:
    verdict = outcome(check, failures)
    return CheckResult(
        status=verdict.status, failures=list(verdict.failures), hint=verdict.hint or None
    )


async def run_check(
    session: KernelSession, check: Check | None, status: str, text: str
) -> CheckResult:
    """Not checked without a check; failed when the cell did not finish; else the verdict."""
    if check is None or check.empty:
        return as_result(None, [])
    if status != "succeeded":
        return as_result(check, [f"the cell did not finish ({status})"])
    failures = output_failures(check, text)
    if check.expressions:
        replies: list[CellOutput] = []
        done = await session.execute(
            kernel_code(check), replies.append, CHECK_TIMEOUT_S, store_history=False
        )
        if done.status != "succeeded":
            failures.append(f"the check's expressions did not finish ({done.status})")
        else:
            failures += parse_kernel_reply(output_text(replies))
    return as_result(check, failures)
