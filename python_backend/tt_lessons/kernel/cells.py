"""A lesson's cells and the code a cell runs: the learner's, or the bundled lesson's own.

outline.py finds the cells (the N-th ```python fence, `python norun` ones included, numbered the
way the extension numbers them); this module reads the bundled lessons and picks a cell's code.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BackendError
from ..protocol import ErrorCode
from .outline import NORUN, LessonCell, parse_outline

__all__ = ["LESSONS_DIR", "NORUN", "LessonCell", "bundled_lesson", "cell_code", "parse_cells"]

# The repository and the .vsix share this layout: python_backend/tt_lessons/ next to lessons/.
LESSONS_DIR = Path(__file__).resolve().parents[3] / "lessons"


def parse_cells(markdown: str) -> list[LessonCell]:
    """Every python fence in document order, each with its check (outline.py parses both)."""
    return [item for item in parse_outline(markdown) if isinstance(item, LessonCell)]


def bundled_lesson(lesson_id: str, lessons_dir: Path = LESSONS_DIR) -> Path | None:
    """The lesson shipped with the extension, or None (the id is pattern-checked by the params)."""
    path = lessons_dir / f"{lesson_id}.md"
    return path if path.is_file() else None


def lesson_cells(lesson_id: str, lessons_dir: Path = LESSONS_DIR) -> list[LessonCell]:
    path = bundled_lesson(lesson_id, lessons_dir)
    if path is None:
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"No bundled lesson '{lesson_id}'.",
            ["Only the lessons shipped with the extension run without the cell's code."],
        )
    return parse_cells(path.read_text(encoding="utf-8"))


def cell_code(lesson_id: str, index: int, code: str | None, lessons_dir: Path = LESSONS_DIR) -> str:
    """What to run: the learner's `code` when given, else the bundled lesson's own cell.

    A lesson that is not bundled only runs with `code`: the extension sends that only from a
    trusted workspace, so an untrusted one can run nothing but the bundled lessons.
    """
    if code is not None:
        return code
    cells = lesson_cells(lesson_id, lessons_dir)
    if index >= len(cells):
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"Lesson '{lesson_id}' has {len(cells)} python cells; there is no cell {index}.",
        )
    cell = cells[index]
    if not cell.runnable:
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"Cell {index} of '{lesson_id}' (line {cell.line}) is marked `{NORUN}`.",
        )
    return cell.source
