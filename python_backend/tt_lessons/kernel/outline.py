"""A lesson in document order: its cells (```python fences) and its steps (command links), each
with the check fence that follows it (checks.py has the syntax).

Cell N is the N-th python fence, counted the way the extension counts them. A step is a
paragraph made of one `command:tenstorrent.X` link (with its `?{json}` arguments).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import BackendError
from ..protocol import ErrorCode
from .checks import CHECK_INFO, Check, parse_check

NORUN = "norun"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_COMMAND = re.compile(r"^command:(tenstorrent\.[A-Za-z]+)(?:\?(.*))?$")


@dataclass(frozen=True)
class LessonCell:
    index: int
    source: str  # without the newline before the closing fence
    runnable: bool
    line: int  # 1-based line of the opening fence, for messages
    check: Check | None = None


@dataclass(frozen=True)
class LessonStep:
    command: str  # a CommandId value
    args: dict[str, Any]
    title: str
    line: int
    check: Check | None = None


Item = LessonCell | LessonStep


def _step(token: Token, line: int) -> LessonStep | None:
    """A paragraph that is exactly one command link, else None."""
    links = [c for c in token.children or [] if c.type == "link_open"]
    texts = [c.content for c in token.children or [] if c.type == "text" and c.content.strip()]
    if len(links) != 1:
        return None
    match = _COMMAND.match(str(links[0].attrGet("href") or ""))
    if match is None:
        return None
    args: dict[str, Any] = {}
    if match.group(2):
        try:
            args = json.loads(unquote(match.group(2)))
        except json.JSONDecodeError as exc:
            raise BackendError(
                ErrorCode.BAD_INPUT,
                f"The command link at line {line} has arguments that are not JSON: {exc.msg}.",
            ) from exc
    return LessonStep(match.group(1), args, " ".join(texts), line)


def parse_outline(markdown: str) -> list[Item]:
    """Front matter is blanked, not cut, so line numbers agree with the file."""
    body = _FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), markdown, count=1)
    tokens = MarkdownIt("commonmark").parse(body)
    items: list[Item] = []
    cells = 0
    last: Item | None = None  # the item a check fence right after it belongs to
    for i, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        words = token.info.split() if token.type == "fence" else []
        if words and words[0] == CHECK_INFO:
            if last is None or last.check is not None:
                raise BackendError(
                    ErrorCode.BAD_INPUT,
                    f"The check at line {line} follows no cell or step.",
                    ["Put a ```check fence right after the ```python fence or the step link."],
                )
            checked = _with_check(last, parse_check(token.content, line))
            items[-1] = checked
            last = checked
            continue
        if words and words[0] == "python":
            source = token.content[:-1] if token.content.endswith("\n") else token.content
            last = LessonCell(cells, source, NORUN not in words[1:], line)
            cells += 1
            items.append(last)
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            step = _step(token, line)
            if step is not None:
                items.append(step)
            last = step
        elif token.type.endswith("_open") or token.type == "fence":
            if token.type != "paragraph_open":
                last = None
    return items


def _with_check(item: Item, check: Check) -> Item:
    if isinstance(item, LessonCell):
        return LessonCell(item.index, item.source, item.runnable, item.line, check)
    return LessonStep(item.command, item.args, item.title, item.line, check)
