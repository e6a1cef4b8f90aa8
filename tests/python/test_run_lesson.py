"""The lessons' own test: `tt-lessons run-lesson` runs every step and cell of each bundled lesson
in document order (cells in one kernel, CPU, 8 host devices; GPT-2 on the tiny checkpoint), on
both jax stacks, and every check must pass. It replaces running the cells on their own, so CI
runs each cell once per stack.

A cell that raises, dies, times out or whose check fails fails the run, and the report names it
with its line; the report's three files are read back here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tt_lessons.kernel.cells import LESSONS_DIR

from .conftest import json_lines, run_cli

pytestmark = pytest.mark.slow

LESSONS = sorted(p.stem for p in LESSONS_DIR.glob("*.md"))
# Result lines each lesson's output must hold, besides its checks.
EXPECTED = {
    "tt-xla-jax": ["32.0", "held-out accuracy", "ResNet-18: 11,689,512 weights", "mesh 1x8"],
    "multichip-jax": ["[28.0, 28.0", "largest difference from one device"],
}
STEP_TIMEOUT_S = "600"  # ResNet-18 compiles in seconds on a quiet machine; this is for a busy one


def test_every_lesson_is_covered() -> None:
    assert set(EXPECTED) == set(LESSONS), "add the new lesson's result lines to EXPECTED"


@pytest.mark.parametrize("lesson", LESSONS)
def test_run_lesson_passes_every_check_and_writes_the_report(
    lesson: str, jax_venv: Path, checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    # IPC socket paths are limited to ~100 bytes, so the runtime dir must be short.
    runtime = Path("/tmp") / f"ttl-run-{tmp_path.name[-20:]}"
    runtime.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"),  # never the user's own
    }
    report = tmp_path / "report"
    done = run_cli(
        "run-lesson", "--lesson", lesson, "--venv", str(jax_venv), "--cpu-only",
        "--model", str(checkpoints["prefixed"]), "--report", str(report),
        "--timeout", STEP_TIMEOUT_S, "--json", env=env, timeout=3600,
    )  # fmt: skip
    events = json_lines(done.stdout)
    data = json.loads((report / "report.json").read_text())
    failed = [i for i in data["items"] if i["status"] == "failed"]
    assert done.returncode == 0 and data["passed"], json.dumps(failed, indent=1)[-4000:]
    assert any(e.get("event", {}).get("kind") == "progress" for e in events), "no progress"
    cells = [i for i in data["items"] if i["kind"] == "cell"]
    assert cells and all(i["check"]["status"] == "passed" for i in cells), "a cell not checked"
    skipped = [i["command"] for i in data["items"] if i["status"] == "skipped"]
    assert skipped == (["tenstorrent.installTtXla"] if lesson == "tt-xla-jax" else [])
    everything = "\n".join(i["summary"] for i in data["items"])
    for expected in EXPECTED[lesson]:
        assert expected in everything, f"{lesson}: no {expected!r} in its output"
    assert data["packages"]["jax"] and data["machine"]["os"] and data["python"]["environment"]
    if lesson == "tt-xla-jax":
        assert data["devices"] and data["devices"][0]["platform"] == "cpu"
    page = (report / "report.html").read_text()
    assert "every check passed" in page and "<script" not in page
    notebook = json.loads((report / f"{lesson}.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) == len(cells) and all(c["outputs"] for c in code)
