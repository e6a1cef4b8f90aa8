"""A workload's event lines: one the protocol refuses is an error event with pydantic's words."""

from __future__ import annotations

import json
import sys

from tt_lessons.protocol import ErrorCode, EventNotification, LogEvent, ResultEvent
from tt_lessons.routes import Method
from tt_lessons.run_sink import RunSink
from tt_lessons.runner import follow, spawn


async def _events(*lines: str) -> list[EventNotification]:
    seen: list[EventNotification] = []
    sink = RunSink(Method.TEST, seen.append)
    script = "import sys\nfor line in sys.argv[1:]: print(line)\n"
    proc = await spawn([sys.executable, "-c", script, *lines])
    assert await follow(proc, sink, name="t") == 0
    return seen


async def test_an_event_with_a_bad_field_is_an_error_not_a_silent_log() -> None:
    bad = json.dumps({"kind": "progress", "step": "one", "total": 3, "label": "x"})
    seen = await _events("plain text", bad)
    errors = [n.event for n in seen if n.event.kind == "error"]
    assert len(errors) == 1
    error = errors[0].error  # type: ignore[union-attr]
    assert error.code is ErrorCode.WORKLOAD_FAILED
    assert "'progress' event the protocol refuses" in error.message
    assert "step" in error.message  # pydantic names the field
    assert any(isinstance(n.event, LogEvent) and "plain text" in n.event.lines for n in seen)


async def test_good_events_and_json_without_a_kind_pass_as_before() -> None:
    good = json.dumps({"kind": "result", "result": {"kind": "file", "path": "/x", "python": "/p"}})
    seen = await _events(good, json.dumps({"no": "kind"}))
    assert not [n for n in seen if n.event.kind == "error"]
    kinds = [type(n.event) for n in seen]
    assert ResultEvent in kinds and LogEvent in kinds  # the kind-less JSON is a log line
