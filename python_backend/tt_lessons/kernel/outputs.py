"""Kernel IOPub messages -> the protocol's cell outputs: sanitised, and capped per cell.

nbformat's `output_from_msg` reads the message (as nbclient does) into nbformat's output, which is
the protocol's own shape: it is validated as it is, once we keep only the mime types the lesson
renders (text/plain, text/html, image/png) and strip script from HTML (the webview sanitises again
and its CSP forbids inline script: this is the second lock). At most MAX_CELL_OUTPUT_CHARS /
MAX_CELL_OUTPUT_LINES per cell are passed on; the rest is counted, never kept, so a cell printing
ten million lines costs the backend no memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import nbformat.v4
from pydantic import TypeAdapter

from ..protocol.cells import (
    MAX_CELL_OUTPUT_CHARS,
    MAX_CELL_OUTPUT_LINES,
    CellOutput,
    ClearOutput,
    ErrorOutput,
    StreamOutput,
)

output_from_msg = cast(Callable[[dict[str, Any]], Any], nbformat.v4.output_from_msg)  # untyped
_OUTPUT: TypeAdapter[CellOutput] = TypeAdapter(CellOutput)
SHOWN_MIME_TYPES = ("text/plain", "text/html", "image/png")
OUTPUT_MSG_TYPES = {"stream", "execute_result", "display_data", "update_display_data", "error"}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?(</script\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_EMBED = re.compile(r"</?(iframe|object|embed|frame|frameset|base|meta)\b[^>]*>", re.IGNORECASE)
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_JS_URL = re.compile(
    r"""(href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*javascript:""", re.I
)


def strip_script(html: str) -> str:
    """Remove what could run code: script elements, frames, on* handlers, javascript: URLs."""
    html = _SCRIPT.sub("", html)
    html = _EMBED.sub("", html)
    html = _HANDLER.sub("", html)
    return _JS_URL.sub(r"\1=\2#", html)


def _text(value: object) -> str:
    # nbformat allows a mime value as a list of lines.
    return "".join(value) if isinstance(value, list) else str(value)


def _bundle(data: dict[str, Any]) -> dict[str, str]:
    bundle = {mime: _text(data[mime]) for mime in SHOWN_MIME_TYPES if mime in data}
    if "text/html" in bundle:
        bundle["text/html"] = strip_script(bundle["text/html"])
    return bundle


def to_output(msg: dict[str, Any]) -> CellOutput | None:
    """One IOPub message as an output, or None when it is not one (status, execute_input...)."""
    kind = msg["header"]["msg_type"]
    content = msg["content"]
    if kind == "clear_output":
        return ClearOutput(wait=bool(content.get("wait", False)))
    if kind not in OUTPUT_MSG_TYPES:
        return None
    if kind == "update_display_data":  # shown as a new display; display ids are not tracked
        msg = {**msg, "header": {**msg["header"], "msg_type": "display_data"}}
    node: dict[str, Any] = dict(output_from_msg(msg))
    if node["output_type"] == "stream" and node.get("name") != "stderr":
        node["name"] = "stdout"
    if "data" in node:
        node["data"] = _bundle(dict(node["data"]))
        if not node["data"]:
            return None
        # Only what is said of a kept mime type (an image's size), not arbitrary kernel metadata.
        node["metadata"] = {
            k: v for k, v in dict(node.get("metadata", {})).items() if k in node["data"]
        }
    return _OUTPUT.validate_python(node)


def _size(output: CellOutput) -> tuple[int, int]:
    """(characters, lines) an output costs against the cap."""
    if isinstance(output, StreamOutput):
        return len(output.text), output.text.count("\n")
    if isinstance(output, ErrorOutput):
        text = "\n".join(output.traceback)
        return len(text), len(output.traceback)
    if isinstance(output, ClearOutput):
        return 0, 0
    plain = output.data.get("text/plain", "")
    return sum(len(v) for v in output.data.values()), plain.count("\n") + 1


class OutputBudget:
    """What one cell may still send; counts what it drops."""

    def __init__(
        self, max_chars: int = MAX_CELL_OUTPUT_CHARS, max_lines: int = MAX_CELL_OUTPUT_LINES
    ) -> None:
        self.max_chars, self.max_lines = max_chars, max_lines
        self.chars_left, self.lines_left = max_chars, max_lines
        self.dropped_chars = 0
        self.dropped_lines = 0

    @property
    def truncated(self) -> bool:
        return self.dropped_chars > 0 or self.dropped_lines > 0

    def admit(self, output: CellOutput) -> CellOutput | None:
        """The output, cut to what fits, or None. Errors always pass: they say what happened."""
        size, lines = _size(output)
        if isinstance(output, ErrorOutput) or (
            size <= self.chars_left and lines <= self.lines_left
        ):
            self.chars_left = max(0, self.chars_left - size)
            self.lines_left = max(0, self.lines_left - lines)
            return output
        if isinstance(output, StreamOutput) and self.chars_left > 0 and self.lines_left > 0:
            kept = self._cut(output.text)
            self._drop(size - len(kept), lines - kept.count("\n"))
            self.chars_left -= len(kept)
            self.lines_left -= kept.count("\n")
            return StreamOutput(name=output.name, text=kept) if kept else None
        self._drop(size, lines)
        return None

    def _cut(self, text: str) -> str:
        """The longest prefix within both limits, ending at a line break when there is one."""
        head = text[: self.chars_left]
        end = count = 0
        while count < self.lines_left:
            found = head.find("\n", end)
            if found < 0:
                break
            end, count = found + 1, count + 1
        return head[:end] if end > 0 else head

    def _drop(self, size: int, lines: int) -> None:
        self.dropped_chars += size
        self.dropped_lines += lines

    def note(self) -> str | None:
        """What was left out, for the run's log once the cell is done. Not a cell output: the
        extension says it under the cell from the result's counts, and a line of ours among the
        cell's own would be counted as one of them."""
        if not self.truncated:
            return None
        return (
            f"[output capped at {self.max_lines:,} lines / {self.max_chars:,} characters per "
            f"cell: {self.dropped_lines:,} more lines ({self.dropped_chars:,} characters) were "
            "not shown]"
        )
