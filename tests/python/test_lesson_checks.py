"""The check syntax (kernel/checks.py), the lesson outline (cells and steps, each with its check)
and the verdicts; the kernel's half runs here through exec, the way the kernel runs it."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from tt_lessons.errors import BackendError
from tt_lessons.kernel.cells import LESSONS_DIR, parse_cells
from tt_lessons.kernel.checks import (
    kernel_code,
    outcome,
    output_failures,
    parse_check,
    parse_kernel_reply,
    result_failures,
)
from tt_lessons.kernel.outline import LessonCell, LessonStep, parse_outline
from tt_lessons.kernel.run_lesson import lesson_items
from tt_lessons.pools import Pools
from tt_lessons.services import RouteSteps

LESSON = """---
id: demo
---

# A lesson

```python
z = 2 + 2
print(z)
```

```check
# the sum
z == 4
output: 4
hint: Two and two make four.
```

[Test the install](command:tenstorrent.testTtXlaInstall)

```check
result["value"] == 32.0
optional: needs the venv
```

[Try a 2x4 mesh](command:tenstorrent.runMeshExample?%7B%22shape%22%3A%222x4%22%7D)

```python norun
print("shown only")
```
"""


def test_the_outline_has_cells_and_steps_in_order_with_their_checks() -> None:
    items = parse_outline(LESSON)
    assert [type(i).__name__ for i in items] == [
        "LessonCell",
        "LessonStep",
        "LessonStep",
        "LessonCell",
    ]
    cell, test, mesh, norun = items
    assert isinstance(cell, LessonCell) and cell.check is not None
    assert cell.check.expressions == ("z == 4",) and cell.check.outputs == ("4",)
    assert cell.check.hint == "Two and two make four." and cell.line == 7
    assert isinstance(test, LessonStep) and test.command == "tenstorrent.testTtXlaInstall"
    assert test.check is not None and test.check.optional == "needs the venv"
    assert isinstance(mesh, LessonStep) and mesh.args == {"shape": "2x4"} and mesh.check is None
    assert isinstance(norun, LessonCell) and not norun.runnable and norun.index == 1
    # cell numbering is unchanged by check fences: the extension counts python fences only
    assert [c.index for c in parse_cells(LESSON)] == [0, 1]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("z ==\n", "not a Python expression"),
        ("output:\n", "empty `output:`"),
        ("hint:   \n", "empty `hint:`"),
    ],
)
def test_a_bad_check_line_is_named(text: str, says: str) -> None:
    with pytest.raises(BackendError, match=says):
        parse_check(text, 10)


def test_a_check_that_follows_nothing_is_refused() -> None:
    with pytest.raises(BackendError, match="follows no cell or step"):
        parse_outline("# Title\n\n```check\nx == 1\n```\n")
    with pytest.raises(BackendError, match="follows no cell or step"):  # two checks for one cell
        parse_outline("```python\nx = 1\n```\n\n```check\nx == 1\n```\n\n```check\nx\n```\n")


def test_a_summary_fence_is_neither_a_cell_nor_a_step_and_takes_no_check() -> None:
    # The webview fills a ```summary fence with the reader's results; the run has nothing to do.
    items = parse_outline("```python\nx = 1\n```\n\n```summary\n```\n\n```python\ny = 2\n```\n")
    cells = [(type(i), getattr(i, "index", None)) for i in items]
    assert cells == [(LessonCell, 0), (LessonCell, 1)]
    with pytest.raises(BackendError, match="follows no cell or step"):
        parse_outline("```python\nx = 1\n```\n\n```summary\n```\n\n```check\nx == 1\n```\n")


def _in_kernel(code: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, namespace)  # what the kernel does with a cell's code
    return out.getvalue()


def test_kernel_code_reports_false_and_raising_expressions_and_leaves_no_names() -> None:
    check = parse_check("z == 4\nz == 5\nmissing > 1\n", 1)
    namespace: dict[str, Any] = {"z": 4}
    failures = parse_kernel_reply(_in_kernel(kernel_code(check), namespace))
    assert failures == [
        "z == 5 is false",
        "missing > 1 raised NameError: name 'missing' is not defined",
    ]
    assert not [name for name in namespace if name.startswith("_ttl")]
    assert parse_kernel_reply(_in_kernel(kernel_code(parse_check("z == 4", 1)), namespace)) == []


def test_a_broken_reply_fails_the_check_rather_than_passing_it() -> None:
    assert parse_kernel_reply("") == ["the check did not run: no output"]
    assert parse_kernel_reply("Traceback ...")[0].startswith("the check did not run")


def test_verdicts() -> None:
    check = parse_check('output: 32.0\nresult["value"] == 32.0\nhint: Run the doctor.', 1)
    assert output_failures(check, "value 32.0") == []
    assert output_failures(check, "value 31.0") == ["no '32.0' in the output"]
    assert result_failures(check, {"value": 32.0}) == []
    assert result_failures(check, {"value": 1.0}) == ['result["value"] == 32.0 is false']
    assert outcome(check, []).status == "passed"
    failed = outcome(check, ["x"])
    assert failed.status == "failed" and failed.hint == "Run the doctor."
    assert outcome(None, []).status == "not-checked"
    assert outcome(parse_check("hint: only a hint", 1), []).status == "not-checked"


@pytest.mark.parametrize("lesson", sorted(p.stem for p in LESSONS_DIR.glob("*.md")))
def test_every_runnable_cell_of_the_bundled_lessons_has_a_check(lesson: str) -> None:
    cells = [c for c in parse_cells((LESSONS_DIR / f"{lesson}.md").read_text()) if c.runnable]
    unchecked = [c.line for c in cells if c.check is None or c.check.empty]
    assert cells and not unchecked, f"{lesson}: cells at lines {unchecked} have no check"


def test_run_lesson_runs_the_steps_that_are_routes_and_drops_ui_links() -> None:
    steps = RouteSteps(Pools())
    items = lesson_items("tt-xla-jax", steps)
    commands = [i.command for i in items if isinstance(i, LessonStep)]
    assert commands[:3] == [
        "tenstorrent.runDoctor",
        "tenstorrent.installTtXla",
        "tenstorrent.testTtXlaInstall",
    ]
    assert "tenstorrent.showOutput" not in commands
    with pytest.raises(BackendError, match="No bundled lesson 'nope'"):
        lesson_items("nope", steps)
    assert steps.changes_venv("tenstorrent.installTtXla") and not steps.runs(
        "tenstorrent.showOutput"
    )


async def test_a_step_link_s_camel_case_arguments_reach_the_run(tmp_path: Path) -> None:
    """`sampleTopK` from a link is the params' `sample_top_k`; unknown keys are dropped."""
    seen: list[Any] = []
    steps = RouteSteps(Pools())

    async def record(route: Any, params: Any, listener: Any, pools: Any) -> Any:
        seen.append(params)

    values = {"venv": str(tmp_path), "sampleTopK": 3, "model": "gpt2", "lessonId": "x"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tt_lessons.services.execute_route", record)
        await steps.run("tenstorrent.runTtXlaDemo", values, lambda _note: None)
    assert seen[0].sample_top_k == 3 and seen[0].venv == str(tmp_path)
