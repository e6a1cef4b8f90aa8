"""Numbers a run's events and hands them to whoever listens (JSON-RPC client or terminal)."""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable

from .errors import workload_error_actions
from .protocol import (
    EndEvent,
    ErrorEvent,
    ErrorInfo,
    Event,
    EventNotification,
    LogEvent,
    ProgressEvent,
    ResultEvent,
    RunResult,
    RunStatus,
)

Listener = Callable[[EventNotification], None]


class RunSink:
    """One run: a run id, consecutive sequence numbers from 0, and a clock."""

    def __init__(self, method: str, listener: Listener, run_id: str | None = None) -> None:
        self.method = method
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self._listener = listener
        self._seq = 0
        self.started = time.monotonic()
        self.result: RunResult | None = None
        self.error: ErrorInfo | None = None
        self.exit_code: int | None = None  # of the last child process
        self.tail: deque[str] = deque(maxlen=40)  # recent log lines, to explain failures
        # Adds what only the backend knows (the board) to a result before anyone sees it.
        self.amend: Callable[[RunResult], RunResult] | None = None

    def emit(self, event: Event) -> None:
        if isinstance(event, ResultEvent) and self.amend is not None:
            event = ResultEvent(result=self.amend(event.result))
        note = EventNotification(run_id=self.run_id, seq=self._seq, method=self.method, event=event)
        self._seq += 1
        if isinstance(event, LogEvent):
            self.tail.extend(event.lines)
        elif isinstance(event, ResultEvent):
            self.result = event.result
        elif isinstance(event, ErrorEvent):
            if not event.error.actions:  # a workload prints text fixes only; add its buttons
                actions = workload_error_actions(event.error.code)
                event = ErrorEvent(error=event.error.model_copy(update={"actions": actions}))
                note = note.model_copy(update={"event": event})
            self.error = event.error
        self._listener(note)

    def log(self, line: str, stream: str = "info") -> None:
        self.emit(LogEvent(stream=stream, lines=[line]))

    def progress(self, step: int, total: int, label: str, percent: float | None = None) -> None:
        if percent is None:
            percent = round(100.0 * (step - 1) / total, 1)
        self.emit(ProgressEvent(step=step, total=total, label=label, percent=percent))

    def end(self, status: RunStatus, exit_code: int | None) -> float:
        duration = round(time.monotonic() - self.started, 3)
        self.emit(EndEvent(status=status, exit_code=exit_code, duration_s=duration))
        return duration
