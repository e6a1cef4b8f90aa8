"""Export a lesson as an .ipynb: its prose as Markdown cells, its python cells with the
learner's text and outputs, naming the venv's kernelspec. Written with nbformat and validated."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import nbformat
import nbformat.v4
from markdown_it import MarkdownIt

from ..errors import BackendError
from ..protocol import ErrorCode
from ..protocol.cells import ExportCell, ExportNotebookParams, ExportNotebookResult
from ..venv.environment import python_for
from . import spec
from .cells import LESSONS_DIR, bundled_lesson, parse_cells

# nbformat has no type hints: its builders, typed once here.
_Builder = Callable[..., Any]
from_dict = cast(_Builder, nbformat.from_dict)
new_code_cell = cast(_Builder, nbformat.v4.new_code_cell)
new_markdown_cell = cast(_Builder, nbformat.v4.new_markdown_cell)
new_notebook = cast(_Builder, nbformat.v4.new_notebook)
_write = cast(_Builder, nbformat.write)
_validate = cast(_Builder, nbformat.validate)


def _code_cell(cell: ExportCell) -> Any:
    # The protocol's cell and outputs are nbformat's own objects: taken as they are.
    return new_code_cell(**from_dict(cell.model_dump(mode="json")))


def _prose_and_fences(markdown: str) -> list[tuple[str, int | None]]:
    """The lesson as (markdown text, None) and ("", python cell index) pieces, in order."""
    lines = markdown.splitlines(keepends=True)
    pieces: list[tuple[str, int | None]] = []
    start, index = 0, 0
    body = "".join(lines)
    for token in MarkdownIt("commonmark").parse(body):
        words = token.info.split() if token.type == "fence" else []
        if not words or words[0] != "python" or token.map is None:
            continue
        first, last = token.map
        pieces.append(("".join(lines[start:first]), None))
        pieces.append(("", index))
        start, index = last, index + 1
    pieces.append(("".join(lines[start:]), None))
    return [(text, i) for text, i in pieces if i is not None or text.strip()]


def build_notebook(params: ExportNotebookParams, lessons_dir: Path = LESSONS_DIR) -> Any:
    lesson = bundled_lesson(params.lesson_id, lessons_dir)
    markdown = lesson.read_text(encoding="utf-8") if lesson else None
    cells = params.cells
    if cells is None:
        if markdown is None:
            raise BackendError(
                ErrorCode.BAD_INPUT,
                f"No bundled lesson '{params.lesson_id}': send its cells to export it.",
            )
        cells = [ExportCell(source=c.source) for c in parse_cells(markdown)]
    nb_cells: list[Any] = []
    if markdown is None:
        nb_cells = [_code_cell(c) for c in cells]
    else:
        body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
        for text, index in _prose_and_fences(body):
            if index is None:
                nb_cells.append(new_markdown_cell(text.strip("\n")))
            elif index < len(cells):
                nb_cells.append(_code_cell(cells[index]))
    kernelspec = {
        "name": spec.kernel_name(params.external_env or params.venv),
        "display_name": spec.display_name(params.external_env or params.venv),
        "language": "python",
    }
    nb = new_notebook(
        cells=nb_cells,
        metadata={
            "kernelspec": kernelspec,
            "language_info": {"name": "python"},
        },
    )
    _validate(nb)
    return nb


def export_notebook(params: ExportNotebookParams) -> ExportNotebookResult:
    path = Path(os.path.expanduser(params.path)).resolve()
    if path.suffix != ".ipynb":
        raise BackendError(ErrorCode.BAD_INPUT, f"{path} does not end in .ipynb.")
    nb = build_notebook(params)
    registered: spec.KernelSpecInfo | None = None
    with contextlib.suppress(BackendError):  # a venv not installed yet: the file still names it
        python = python_for(params.venv, params.external_env)
        registered = spec.register(python, params.external_env or params.venv)  # for Jupyter
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _write(nb, str(temp))
    temp.replace(path)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    return ExportNotebookResult(
        path=str(path),
        cells=code_cells,
        kernel_name=nb.metadata.kernelspec.name,
        kernelspec_folder=str(registered.folder) if registered else None,
    )
