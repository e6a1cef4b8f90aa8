"""A lesson's checks: what a cell or a step must show before its tick means "done".

The syntax (README "Checks in a lesson" says it for authors): a fence whose info string is
`check`, placed right after a ```python fence (the cell's check) or right after a paragraph that
is a step's command link (the step's check). Each line of it is one of

    output: TEXT      the cell's text output (or the step's log) must contain TEXT
    hint: TEXT        shown when the check fails (several lines join into one hint)
    optional: WHY     a step that cannot run here is skipped with WHY, not failed
    # a comment
    EXPRESSION        a Python expression that must be true: for a cell it is evaluated in the
                      same kernel right after the cell (`z == 32.0`); for a step, with `result`
                      bound to the step's result as a dict (`result["value"] == 32.0`)

Python alone parses this (markdown-it-py); the extension gets the parsed structure from the
backend (the lesson outline), so there is one definition of the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import BackendError
from ..protocol import ErrorCode

CHECK_INFO = "check"
_PREFIXES = ("output:", "hint:", "optional:")

CheckStatus = Literal["passed", "failed", "not-checked"]


@dataclass(frozen=True)
class Check:
    expressions: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    hint: str = ""
    optional: str = ""  # why the step may be skipped; empty: it must run
    line: int = 0  # 1-based line of the check fence

    @property
    def empty(self) -> bool:
        return not self.expressions and not self.outputs


@dataclass(frozen=True)
class CheckOutcome:
    status: CheckStatus
    failures: tuple[str, ...] = field(default_factory=tuple)
    hint: str = ""


def parse_check(text: str, line: int) -> Check:
    """One check fence's text; a bad line is named with its line number."""
    expressions: list[str] = []
    outputs: list[str] = []
    hints: list[str] = []
    optional = ""
    for offset, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        head, _, rest = stripped.partition(":")
        value = rest.strip()
        if f"{head}:" in _PREFIXES and not value:
            raise BackendError(
                ErrorCode.BAD_INPUT,
                f"The check at line {line} has an empty `{head}:` on line {line + offset}.",
                ["Write the text after the colon, or remove the line."],
            )
        if head == "output":
            outputs.append(value)
        elif head == "hint":
            hints.append(value)
        elif head == "optional":
            optional = value
        else:
            try:
                compile(stripped, f"check line {line + offset}", "eval")
            except SyntaxError as exc:
                raise BackendError(
                    ErrorCode.BAD_INPUT,
                    f"Line {line + offset} of the check at line {line} is not a Python "
                    f"expression: {stripped!r} ({exc.msg}).",
                    ["Write one expression per line, or begin it with output:, hint: or optional:"],
                ) from exc
            expressions.append(stripped)
    return Check(tuple(expressions), tuple(outputs), " ".join(hints), optional, line)


def kernel_code(check: Check) -> str:
    """Code run in the kernel after the cell: prints one JSON list of the failed expressions.

    A function evaluates them against the kernel's globals and is deleted after, so the
    learner's namespace is left as the cell left it.
    """
    return "\n".join(
        [
            "def _ttl_check(expressions):",
            "    import json",
            "    failed = []",
            "    for expr in expressions:",
            "        try:",
            "            if not eval(expr, globals()):",
            "                failed.append(f'{expr} is false')",
            "        except Exception as exc:",
            "            failed.append(f'{expr} raised {type(exc).__name__}: {exc}')",
            "    print(json.dumps(failed))",
            f"_ttl_check({list(check.expressions)!r})",
            "del _ttl_check",
        ]
    )


def parse_kernel_reply(text: str) -> list[str]:
    """The failures `kernel_code` printed, or one failure saying the check itself broke."""
    last = text.strip().splitlines()[-1] if text.strip() else ""
    try:
        failed = json.loads(last)
    except json.JSONDecodeError:
        return [f"the check did not run: {text.strip()[-300:] or 'no output'}"]
    if not isinstance(failed, list):
        return [f"the check did not run: {last[-300:]}"]
    return [str(f) for f in failed]


def output_failures(check: Check, text: str) -> list[str]:
    return [f"no {want!r} in the output" for want in check.outputs if want not in text]


def result_failures(check: Check, result: dict[str, Any]) -> list[str]:
    """A step's expressions, with `result` bound to its result (the lesson's own text)."""
    failures: list[str] = []
    for expr in check.expressions:
        try:
            if not eval(expr, {"__builtins__": __builtins__}, {"result": result}):
                failures.append(f"{expr} is false")
        except Exception as exc:  # the lesson's expression is at fault: say which
            failures.append(f"{expr} raised {type(exc).__name__}: {exc}")
    return failures


def outcome(check: Check | None, failures: list[str]) -> CheckOutcome:
    if check is None or check.empty:
        return CheckOutcome("not-checked")
    if failures:
        return CheckOutcome("failed", tuple(failures), check.hint)
    return CheckOutcome("passed")
