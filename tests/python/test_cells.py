"""Lesson cells and cell outputs without a kernel: fence numbering, which code runs, HTML
stripping, the per-cell output cap and the notebook export's layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from tt_lessons.errors import BackendError
from tt_lessons.kernel.cells import LESSONS_DIR, NORUN, cell_code, lesson_cells, parse_cells
from tt_lessons.kernel.notebook import build_notebook
from tt_lessons.kernel.outputs import OutputBudget, strip_script, to_output
from tt_lessons.kernel.spec import display_name, kernel_name, register
from tt_lessons.protocol.cells import (
    MAX_CELL_OUTPUT_LINES,
    DisplayDataOutput,
    ErrorOutput,
    ExecuteResultOutput,
    ExportCell,
    ExportNotebookParams,
    StreamOutput,
)

LESSON = """---
id: demo
title: "A lesson"
---

# Title

```python
a = 1
```

```
a diagram, not a cell
```

- a list item with code:

  ```python norun
  rm_everything()
  ```

```python3
print("not python: the first word is python3")
```

```python
print(a)
```
"""


def test_cells_are_the_python_fences_in_order_norun_included() -> None:
    cells = parse_cells(LESSON)
    assert [c.source for c in cells] == ["a = 1", "rm_everything()", "print(a)"]
    assert [c.runnable for c in cells] == [True, False, True]
    assert [c.index for c in cells] == [0, 1, 2]
    # Front matter is blanked, not cut: line numbers are the file's own.
    assert cells[0].line == LESSON.splitlines().index("```python") + 1


def test_the_bundled_lesson_has_step_2_and_step_4_as_its_runnable_cells() -> None:
    cells = lesson_cells("tt-xla-jax")
    runnable = [c.source for c in cells if c.runnable]
    assert "jnp.dot(x, y)" in runnable[0]
    assert "NamedSharding" in runnable[1]


def test_what_runs_is_the_learners_code_or_the_bundled_lessons_own(tmp_path: Path) -> None:
    (tmp_path / "demo.md").write_text(LESSON, encoding="utf-8")
    assert cell_code("demo", 2, None, tmp_path) == "print(a)"
    assert cell_code("demo", 2, "print(2 * a)", tmp_path) == "print(2 * a)"
    with pytest.raises(BackendError, match="norun"):
        cell_code("demo", 1, None, tmp_path)
    with pytest.raises(BackendError, match="3 python cells"):
        cell_code("demo", 3, None, tmp_path)
    # A lesson that is not bundled runs only with the code the (trusted) extension sends.
    with pytest.raises(BackendError, match="No bundled lesson 'elsewhere'"):
        cell_code("elsewhere", 0, None, tmp_path)
    assert cell_code("elsewhere", 0, "1 + 1", tmp_path) == "1 + 1"
    assert (LESSONS_DIR / "tt-xla-jax.md").is_file()


def _msg(kind: str, **content: object) -> dict[str, object]:
    return {"header": {"msg_type": kind}, "parent_header": {}, "content": content}


def test_html_output_loses_anything_that_could_run() -> None:
    html = (
        '<b onclick="steal()">bold</b><script>alert(1)</script><SCRIPT src=x.js></SCRIPT>'
        '<img src=x onerror=alert(2)><a href="javascript:alert(3)">a</a><iframe src="//x">'
        "<script>unclosed"
    )
    clean = strip_script(html)
    for bad in ("<script", "<SCRIPT", "onclick", "onerror", "javascript:", "<iframe", "alert(1"):
        assert bad not in clean, (bad, clean)
    assert "<b>bold</b>" in clean and "<a href=" in clean
    out = to_output(_msg("display_data", data={"text/html": html, "text/plain": "x"}, metadata={}))
    assert isinstance(out, DisplayDataOutput)
    assert "<script" not in out.data["text/html"] and out.data["text/plain"] == "x"


def test_kernel_messages_become_nbformat_like_outputs() -> None:
    stream = to_output(_msg("stream", name="stderr", text="warn\n"))
    assert stream == StreamOutput(name="stderr", text="warn\n")
    result = to_output(
        _msg(
            "execute_result",
            execution_count=3,
            data={"text/plain": "4", "application/x-unknown": "?"},
            metadata={},
        )
    )
    assert result == ExecuteResultOutput(execution_count=3, data={"text/plain": "4"})
    # nbformat's own shape on the wire: snake_case, every field (also those with a default).
    assert result.model_dump(mode="json", by_alias=True) == {
        "output_type": "execute_result",
        "execution_count": 3,
        "data": {"text/plain": "4"},
        "metadata": {},
    }
    image = to_output(
        _msg(
            "display_data",
            data={"image/png": "iVBO", "text/plain": "<Figure>"},
            metadata={"image/png": {"width": 4}, "application/x-other": {"a": 1}},
        )
    )
    assert isinstance(image, DisplayDataOutput) and image.metadata == {"image/png": {"width": 4}}
    error = to_output(_msg("error", ename="ZeroDivisionError", evalue="boom", traceback=["t"]))
    assert isinstance(error, ErrorOutput) and error.ename == "ZeroDivisionError"
    assert to_output(_msg("status", execution_state="busy")) is None
    assert to_output(_msg("display_data", data={"application/json": {}}, metadata={})) is None


def test_the_budget_keeps_whole_lines_up_to_the_cap_and_counts_the_rest() -> None:
    budget = OutputBudget(max_chars=1000, max_lines=3)
    first = budget.admit(StreamOutput(name="stdout", text="a\nb\n"))
    assert first == StreamOutput(name="stdout", text="a\nb\n")
    cut = budget.admit(StreamOutput(name="stdout", text="c\nd\ne\n"))
    assert cut == StreamOutput(name="stdout", text="c\n")
    assert budget.admit(StreamOutput(name="stdout", text="f\n")) is None
    assert (budget.dropped_lines, budget.dropped_chars) == (3, 6)
    # An error still gets through: it says why the cell stopped.
    assert budget.admit(ErrorOutput(ename="E", evalue="", traceback=["x"])) is not None
    note = budget.note()
    assert note is not None and "3 more lines (6 characters)" in note


def test_a_known_flood_is_counted_exactly_in_characters_and_lines() -> None:
    """Kept plus dropped is the whole flood, chunked as a kernel sends it (issue 21: the note
    said 195,001 more lines), in characters, the unit the extension counts in too."""
    budget = OutputBudget()
    lines = [f"é{i}\n" for i in range(200_000)]
    chunks = ["".join(lines[i : i + 997]) for i in range(0, len(lines), 997)]
    kept = [k for c in chunks if (k := budget.admit(StreamOutput(name="stdout", text=c)))]
    text = "".join(k.text for k in kept if isinstance(k, StreamOutput))
    assert text.count("\n") == MAX_CELL_OUTPUT_LINES and text.endswith("\n")
    assert budget.dropped_lines == 200_000 - MAX_CELL_OUTPUT_LINES
    assert len(text) + budget.dropped_chars == sum(len(c) for c in chunks)


def test_the_character_cap_cuts_at_a_line_break() -> None:
    budget = OutputBudget(max_chars=10, max_lines=100)
    kept = budget.admit(StreamOutput(name="stdout", text="12345\n67890\nabc\n"))
    assert kept == StreamOutput(name="stdout", text="12345\n")
    assert budget.truncated and OutputBudget().note() is None


def test_the_kernelspec_names_the_venv(tmp_path: Path) -> None:
    info = register("/v/bin/python", "/v", str(tmp_path))
    spec = (tmp_path / "kernels" / kernel_name("/v") / "kernel.json").read_text()
    assert info.display_name == display_name("/v") == "TT-XLA (/v)"
    assert '"/v/bin/python"' in spec and "xla_force_host_platform_device_count=8" in spec
    assert kernel_name("/v") != kernel_name("/w")


def test_an_export_interleaves_the_lessons_prose_with_its_cells() -> None:
    output = StreamOutput(name="stdout", text="64.0\n")
    cells = [ExportCell(source="print(64.0)", outputs=[output], execution_count=2)]
    nb = build_notebook(ExportNotebookParams(lesson_id="tt-xla-jax", path="x.ipynb", cells=cells))
    nbformat.validate(nb)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds.count("code") == 1  # the learner sent one cell; the second has no entry
    code = next(c for c in nb.cells if c.cell_type == "code")
    assert code.source == "print(64.0)" and code.outputs[0].text == "64.0\n"
    prose = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert prose[0].startswith("# JAX inference with TT-XLA")  # no front matter
    assert any("## Step 2" in p for p in prose)
    assert nb.metadata.kernelspec.display_name.startswith("TT-XLA (")


def test_the_lesson_says_how_its_cells_are_marked() -> None:
    """The marker the code skips is the one the lesson's front matter tells authors to write."""
    text = (LESSONS_DIR / "tt-xla-jax.md").read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    assert f'"python {NORUN}"' in front


def test_the_server_starts_without_loading_jupyter() -> None:
    """jupyter_client, zmq and nbformat load on the first cell, not with every VS Code window."""
    code = (
        "import sys, tt_lessons.server, tt_lessons.cli\n"
        "print(sorted(m for m in ('jupyter_client', 'zmq', 'nbformat') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
