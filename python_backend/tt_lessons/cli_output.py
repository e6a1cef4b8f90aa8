"""Terminal output for the CLI: a rich progress bar and log for people, JSON lines for programs."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

from .download_text import download_percent, download_text
from .protocol import (
    DoctorResult,
    DownloadEvent,
    EndEvent,
    ErrorEvent,
    EventNotification,
    LogEvent,
    ProgressEvent,
    RunOutcome,
    RunStatus,
    StatusResult,
)

if TYPE_CHECKING:
    from rich.progress import TaskID


def problems(outcome: RunOutcome) -> int:
    """How many of a doctor run's findings FAIL (0 for any other run): a check that ran but found
    problems did not pass, as `brew doctor` says by its exit code."""
    result = outcome.result
    if not isinstance(result, DoctorResult):
        return 0
    return sum(1 for finding in result.findings if finding.status == "fail")


def exit_code(outcome: RunOutcome) -> int:
    """0 only for a run that succeeded and found no problem."""
    return 0 if outcome.status is RunStatus.SUCCEEDED and not problems(outcome) else 1


def outcome_line(outcome: RunOutcome) -> str:
    """The last line a person reads: "succeeded in 1.2 s", or "2 problems found in 1.2 s"."""
    found = problems(outcome)
    if outcome.status is RunStatus.SUCCEEDED and found:
        noun = "problem" if found == 1 else "problems"
        return f"[red]{found} {noun} found[/] in {outcome.duration_s:.1f} s"
    colour = {RunStatus.SUCCEEDED: "green", RunStatus.CANCELLED: "yellow"}.get(
        outcome.status, "red"
    )
    return f"[{colour}]{outcome.status.value}[/] in {outcome.duration_s:.1f} s"


class Reporter(Protocol):
    def event(self, note: EventNotification) -> None: ...
    def outcome(self, outcome: RunOutcome) -> None: ...
    def bad_input(self, message: str) -> None: ...


class JsonReporter:
    def event(self, note: EventNotification) -> None:
        sys.stdout.write(note.model_dump_json(by_alias=True) + "\n")
        sys.stdout.flush()

    def outcome(self, outcome: RunOutcome) -> None:
        sys.stdout.write(outcome.model_dump_json(by_alias=True) + "\n")
        sys.stdout.flush()

    def bad_input(self, message: str) -> None:
        sys.stdout.write(json.dumps({"kind": "bad-input", "message": message}) + "\n")


class HumanReporter:
    def __init__(self) -> None:
        # Imported here: rich is a tenth of the CLI's start, and --json output never needs it.
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=False, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task: TaskID | None = None

    def event(self, note: EventNotification) -> None:
        event = note.event
        if isinstance(event, LogEvent):
            style = "dim" if event.stream == "stderr" else None
            for line in event.lines:
                self.console.print(line, style=style, markup=False, soft_wrap=True)
        elif isinstance(event, ProgressEvent):
            label = f"[{event.step}/{event.total}] {event.label}"
            if self.task is None:
                self.progress.start()
                self.task = self.progress.add_task(label, total=100)
            self.progress.update(self.task, description=label, completed=event.percent or 0)
        elif isinstance(event, DownloadEvent):
            label = "Downloading " + download_text(event)
            if self.task is None:
                self.progress.start()
                self.task = self.progress.add_task(label, total=100)
            self.progress.update(self.task, description=label, completed=download_percent(event))
        elif isinstance(event, ErrorEvent):
            self.console.print(f"[bold red]Error:[/] {event.error.message}")
            for fix in event.error.fixes:
                self.console.print(f"  - {fix}", markup=False)
        elif isinstance(event, EndEvent):
            self.progress.stop()

    def outcome(self, outcome: RunOutcome) -> None:
        if outcome.result is not None:
            self.console.print_json(outcome.result.model_dump_json(by_alias=True))
        self.console.print(outcome_line(outcome))

    def bad_input(self, message: str) -> None:
        self.console.print(f"[bold red]Bad input:[/] {message}", markup=True)

    def show(self, result: BaseModel) -> None:
        """A query's answer: status as a table, anything else as JSON."""
        if isinstance(result, StatusResult):
            self.status(result)
        else:
            self.console.print_json(result.model_dump_json(by_alias=True))

    def status(self, result: StatusResult) -> None:
        from rich.table import Table

        table = Table(show_header=False, box=None)
        table.add_row("venv", f"{result.venv} ({result.state.value})")
        if result.note:
            table.add_row("note", result.note)
        table.add_row("python", result.python_version or "-")
        for name, version in result.packages.items():
            table.add_row(name, version or "not installed")
        table.add_row("TT devices", ", ".join(result.tt_devices) or "none (CPU fallback)")
        table.add_row("tt-smi", result.tt_smi or "not on PATH")
        self.console.print(table)
