"""Every bundled lesson runs from its first cell to its last, as written, in one real kernel per
lesson (CPU, 8 host devices), on both jax stacks: the plugin's pin and the newest jax/flax.

This is the lessons' own test: a cell that raises, dies, times out or prints nothing fails it,
and the cell's index, line and output are in the message."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tt_lessons.kernel.cells import LESSONS_DIR, lesson_cells
from tt_lessons.kernel.pool import KernelPool
from tt_lessons.kernel.service import run_cell
from tt_lessons.protocol import EventNotification
from tt_lessons.protocol.cells import CellOutput, ErrorOutput, RunCellParams
from tt_lessons.run_sink import RunSink

pytestmark = pytest.mark.slow

LESSONS = sorted(p.stem for p in LESSONS_DIR.glob("*.md"))
# Each lesson's own result lines: a cell that "runs" but no longer computes what the prose says
# fails here rather than passing silently.
EXPECTED = {
    "tt-xla-jax": ["32.0", "held-out accuracy", "ResNet-18: 11,689,512 weights", "mesh 1x8"],
    "multichip-jax": ["[28.0, 28.0", "largest difference from one device"],
}
CELL_TIMEOUT_S = 600.0  # ResNet-18 compiles in seconds on a quiet machine; this is for a busy one


@pytest.fixture
async def pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[KernelPool]:
    # IPC socket paths are limited to ~100 bytes, so the runtime dir must be short.
    runtime = Path("/tmp") / f"ttl-lesson-{tmp_path.name[-20:]}"
    runtime.mkdir(exist_ok=True)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))  # never the user's own
    kernels = KernelPool(data_dir=str(tmp_path / "jupyter"))
    yield kernels
    await kernels.shutdown()


def test_every_lesson_is_covered() -> None:
    assert set(EXPECTED) == set(LESSONS), "add the new lesson's result lines to EXPECTED"


@pytest.mark.parametrize("lesson", LESSONS)
async def test_every_cell_runs_in_order_in_one_kernel(
    lesson: str, jax_venv: Path, pool: KernelPool
) -> None:
    cells = [c for c in lesson_cells(lesson) if c.runnable]
    assert cells, f"{lesson} has no runnable cells"
    transcript: list[str] = []
    started = time.perf_counter()
    for cell in cells:
        outputs: list[CellOutput] = []

        def listen(note: EventNotification, into: list[CellOutput] = outputs) -> None:
            if note.event.kind == "cell-output":
                into.append(note.event.output)

        params = RunCellParams(
            venv=str(jax_venv), lesson_id=lesson, cell=cell.index, timeout_s=CELL_TIMEOUT_S
        )
        result = await run_cell(params, RunSink("tenstorrent/runCell", listen), pool)
        text = "".join(getattr(o, "text", "") for o in outputs)
        errors = [o for o in outputs if isinstance(o, ErrorOutput)]
        where = f"{lesson} cell {cell.index} (line {cell.line})"
        detail = "\n".join(["", *(line for e in errors for line in e.traceback), text[-3000:]])
        assert result.status == "ok" and not errors, f"{where}: {result.status}{detail}"
        assert outputs, f"{where} printed nothing; every cell shows its result"
        assert not result.kernel_started or cell is cells[0], f"{where}: the kernel was replaced"
        transcript.append(text)
    took = time.perf_counter() - started
    print(f"{lesson}: {len(cells)} cells in {took:.1f} s ({jax_venv.name})")
    everything = "".join(transcript)
    for expected in EXPECTED[lesson]:
        assert expected in everything, f"{lesson}: no {expected!r} in its output"
