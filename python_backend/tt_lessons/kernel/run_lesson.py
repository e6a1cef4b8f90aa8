"""`run-lesson`: every step and cell of a lesson in document order, cells in one kernel, each
judged by its check; the report is written by report.py."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import BackendError
from ..pools import Pools
from ..protocol import ErrorCode, EventNotification, LogEvent, ProgressEvent, RunStatus
from ..protocol.cells import (
    CellOutput,
    CellOutputEvent,
    CellResult,
    CheckResult,
    ErrorOutput,
    ExportCell,
    ItemStatus,
    LessonItemReport,
    LessonRunResult,
    RunCellParams,
    RunLessonParams,
    StoredOutput,
)
from ..run_sink import RunSink
from ..steps import StepRunner
from .cells import bundled_lesson
from .checks import output_failures, result_failures
from .outline import Item, LessonCell, LessonStep, parse_outline
from .service import run_cell
from .verify import as_result, output_text

SUMMARY_CHARS = 600


@dataclass
class LessonRun:
    """What the report needs beyond the result: each cell's outputs and each step's result."""

    result: LessonRunResult
    cells: dict[int, ExportCell] = field(default_factory=dict)  # by cell index
    step_results: dict[int, dict[str, Any]] = field(default_factory=dict)  # by item position


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SUMMARY_CHARS else "…" + text[-SUMMARY_CHARS:]


def _stored(outputs: list[CellOutput]) -> list[StoredOutput]:
    kept: list[StoredOutput] = []
    for output in outputs:
        if output.output_type == "clear_output":
            kept = []
        else:
            kept.append(output)
    return kept


async def _cell(
    params: RunLessonParams, cell: LessonCell, sink: RunSink, pools: Pools
) -> tuple[LessonItemReport, ExportCell]:
    outputs: list[CellOutput] = []

    def listen(note: EventNotification) -> None:
        event = note.event
        if isinstance(event, CellOutputEvent):
            outputs.append(event.output)
            sink.emit(event)
        elif isinstance(event, LogEvent):
            sink.emit(event)

    title = f"cell {cell.index}"
    cell_params = RunCellParams(
        venv=params.venv,
        external_env=params.external_env,
        visible_devices=params.visible_devices,
        timeout_s=params.timeout_s,
        lesson_id=params.lesson_id,
        cell=cell.index,
    )
    started = time.monotonic()
    error: BackendError | None = None
    result: CellResult | None = None
    try:
        cell_sink = RunSink(sink.method, listen)
        result = await run_cell(cell_params, cell_sink, pools.kernels, params.cpu_only)
    except BackendError as exc:
        error = exc
    kept = _stored(outputs)
    exported = ExportCell(
        source=cell.source,
        outputs=kept,
        execution_count=result.execution_count if result else None,
    )
    errors = [o for o in kept if isinstance(o, ErrorOutput)]
    failed_run = error is not None or (result is not None and result.status != "succeeded")
    check = result.check if result else as_result(cell.check, ["the cell did not run"])
    if failed_run and check.status == "not-checked":
        check = CheckResult(status="failed", failures=["the cell did not finish"])
    message = error.message if error else None
    if message is None and errors:
        message = "; ".join(f"{e.ename}: {e.evalue}" for e in errors)
    report = LessonItemReport(
        kind="cell",
        title=title,
        line=cell.line,
        cell=cell.index,
        status="passed" if not failed_run and check.status != "failed" else "failed",
        check=check,
        duration_s=round(time.monotonic() - started, 3),
        summary=_short(output_text(kept)),
        error=message,
        fixes=list(error.fixes) if error else [],
    )
    return report, exported


def _step_values(params: RunLessonParams, step: LessonStep) -> dict[str, Any]:
    """The run's settings, then the link's own arguments (a step's params take what fits)."""
    base: dict[str, Any] = {
        "venv": params.venv,
        "external_env": params.external_env,
        "visible_devices": params.visible_devices,
        "timeout_s": params.timeout_s,
        "model": params.model,
    }
    return {**base, **step.args}


async def _step(
    params: RunLessonParams, step: LessonStep, sink: RunSink, steps: StepRunner
) -> tuple[LessonItemReport, dict[str, Any] | None]:
    started = time.monotonic()

    def report(
        status: ItemStatus, check: CheckResult, summary: str, **more: Any
    ) -> LessonItemReport:
        return LessonItemReport(
            kind="step",
            title=step.title,
            line=step.line,
            command=step.command,
            status=status,
            check=check,
            duration_s=round(time.monotonic() - started, 3),
            summary=summary,
            **more,
        )

    if steps.changes_venv(step.command):
        why = (
            "a whole-lesson run uses the environment as it is; install or repair it with "
            "`tt-lessons install` (the Install TT-XLA button) before running the lesson"
        )
        return report("skipped", as_result(None, []), why), None
    lines: list[str] = []

    def listen(note: EventNotification) -> None:
        event = note.event
        if isinstance(event, LogEvent):
            lines.extend(event.lines)
            sink.emit(event)

    outcome = await steps.run(step.command, _step_values(params, step), listen)
    result = outcome.result.model_dump(mode="json") if outcome.result is not None else None
    if outcome.status is not RunStatus.SUCCEEDED or result is None:
        error = outcome.error
        message = error.message if error else f"the step ended {outcome.status.value}"
        if step.check is not None and step.check.optional:
            skipped = f"skipped (optional: {step.check.optional}): {message}"
            return report("skipped", as_result(None, []), skipped, error=message), result
        failed = CheckResult(status="failed", failures=[message], hint=_hint(step))
        fixes = list(error.fixes) if error else []
        summary = _short("\n".join(lines))
        return report("failed", failed, summary, error=message, fixes=fixes), result
    check = step.check
    failures = [] if check is None else output_failures(check, "\n".join(lines))
    if check is not None:
        failures += result_failures(check, result)
    verdict = as_result(check, failures)
    status: ItemStatus = "failed" if verdict.status == "failed" else "passed"
    return report(status, verdict, _short(_result_line(result))), result


def _hint(step: LessonStep) -> str | None:
    return step.check.hint or None if step.check is not None else None


def _result_line(result: dict[str, Any]) -> str:
    """The step's result in one line: the fields a reader looks at first."""
    keep = ("platform", "value", "next_token", "generated", "test_accuracy", "rows", "cols", "ok")
    shown = {k: result[k] for k in keep if k in result}
    timings = result.get("timings")
    if isinstance(timings, dict) and "tokens_per_s" in timings:
        shown["tokens_per_s"] = timings["tokens_per_s"]
    if result.get("kind") == "doctor":
        findings = result.get("findings", [])
        shown["findings"] = ", ".join(f"{f['id']}={f['status']}" for f in findings)
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or str(result.get("kind"))


def lesson_items(lesson_id: str, steps: StepRunner) -> list[Item]:
    """The bundled lesson's outline, UI-only links (Show Output) left out: they run nothing."""
    path = bundled_lesson(lesson_id)
    if path is None:
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"No bundled lesson '{lesson_id}'.",
            ["Run one of the lessons in the lessons/ folder (tt-xla-jax, multichip-jax)."],
        )
    return [
        item
        for item in parse_outline(path.read_text(encoding="utf-8"))
        if (isinstance(item, LessonStep) and steps.runs(item.command))
        or (isinstance(item, LessonCell) and item.runnable)
    ]


async def run_lesson(params: RunLessonParams, sink: RunSink, pools: Pools) -> LessonRun:
    if pools.steps is None:
        raise TypeError("run_lesson needs pools.steps (services.execute_route sets it)")
    items = lesson_items(params.lesson_id, pools.steps)
    run = LessonRun(LessonRunResult(lesson_id=params.lesson_id, passed=False, items=[]))
    for position, item in enumerate(items, start=1):
        name = f"cell {item.index}" if isinstance(item, LessonCell) else item.title
        sink.emit(
            ProgressEvent(
                step=position,
                total=len(items),
                label=name,
                percent=round(100.0 * (position - 1) / len(items), 1),
            )
        )
        if isinstance(item, LessonCell):
            report, exported = await _cell(params, item, sink, pools)
            run.cells[item.index] = exported
        else:
            report, result = await _step(params, item, sink, pools.steps)
            if result is not None:
                run.step_results[len(run.result.items)] = result
        run.result.items.append(report)
        sink.log(
            f"{report.status.upper():7} line {report.line}: {name}"
            + (f" ({'; '.join(report.check.failures)})" if report.check.failures else "")
        )
    run.result.passed = all(i.status != "failed" for i in run.result.items)
    return run
