"""No product code that only the tests use (issue 23.6): every top-level function, class and
constant of tt_lessons is named again somewhere in the product (the backend, bench/ or scripts/),
besides its own definition. Read line by line with whole-word matches, so it errs towards "used".
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "python_backend" / "tt_lessons"
# The real wheel's facts, kept together so one file changes when Tenstorrent does; the tests'
# stand-in wheel is built from the ones the backend itself has no use for (its docstring says so).
WHEEL_FACTS = PACKAGE / "plugin.py"


def product_files() -> list[Path]:
    """The repository's own files: what git tracks, so a benchmark's venv under bench/results
    (site-packages, any encoding) is not read as product code."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "python_backend/tt_lessons", "bench", "scripts"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    return [REPO / name for name in listed if name.endswith((".py", ".mjs"))]


# A definition at column 0: `def f`, `async def f`, `class C`, `NAME =` or `NAME: T =`. (Not ast:
# CPython 3.11's ast.parse can fail with "recursion depth mismatch" late in a long test session.)
_TOP_LEVEL = re.compile(
    r"^(?:(?:async\s+)?def\s+(\w+)|class\s+(\w+)|([A-Za-z_]\w*)\s*(?::[^=\n]+)?=(?!=))", re.M
)


def top_level_names(path: Path) -> list[str]:
    names = ["".join(m) for m in _TOP_LEVEL.findall(path.read_text(encoding="utf-8"))]
    return [n for n in names if n not in ("main", "ROUTE", "__all__")]


def used_only_by_tests(texts: dict[Path, str], defined_in: dict[Path, list[str]]) -> list[str]:
    """`file:name` for each name that appears nowhere in `texts` but its own definition."""
    words = Counter(w for text in texts.values() for w in re.findall(r"\w+", text))
    return [f"{p.name}:{n}" for p, names in defined_in.items() for n in names if words[n] <= 1]


def test_every_top_level_name_of_the_backend_is_used_by_the_product() -> None:
    files = product_files()
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    defined = {p: top_level_names(p) for p in PACKAGE.rglob("*.py") if p != WHEEL_FACTS}
    assert used_only_by_tests(texts, defined) == []


def test_the_check_finds_a_name_only_its_definition_mentions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def helper() -> int:\n    return 1\n\n\ndef used() -> int:\n    return 2\n")
    caller = tmp_path / "c.py"
    caller.write_text("from m import used\n")
    texts = {p: p.read_text() for p in (module, caller)}
    assert used_only_by_tests(texts, {module: top_level_names(module)}) == ["m.py:helper"]
