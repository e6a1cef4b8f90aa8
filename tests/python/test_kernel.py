"""The kernel service with a real ipykernel in the CPU test venv: names persist across cells, the
lesson's Step 2 and Step 4 blocks run as written, faults (an endless loop, a kernel that kills
itself, ten million lines, script in HTML) end the way the person is told, the export holds the
outputs, and `tt-lessons run-cell` / `exec` speak --json."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import signal
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import nbformat
import psutil
import pytest
from pydantic import TypeAdapter
from tt_lessons import services
from tt_lessons.kernel.notebook import export_notebook
from tt_lessons.kernel.pool import KernelPool
from tt_lessons.kernel.service import (
    interrupt_kernel,
    restart_kernel,
    run_cell,
    start_kernel,
)
from tt_lessons.kernel.target import KernelTarget
from tt_lessons.protocol import EventNotification, RunStatus
from tt_lessons.protocol.cells import (
    MAX_CELL_OUTPUT_LINES,
    CellOutput,
    CellResult,
    ExportCell,
    ExportNotebookParams,
    KernelParams,
    RunCellParams,
    StoredOutput,
)
from tt_lessons.routes import route_for
from tt_lessons.run_sink import RunSink
from tt_lessons.venv.resolver import find_uv

from .conftest import CLI
from .rpc_client import RpcClient

pytestmark = pytest.mark.slow
LESSON = "tt-xla-jax"


@pytest.fixture(scope="session")
def venv(request: pytest.FixtureRequest) -> Path:
    """The CPU test venv with ipykernel (what the install now puts in). TT_LESSONS_TEST_KERNEL_VENV
    names a ready venv to use instead."""
    named = os.environ.get("TT_LESSONS_TEST_KERNEL_VENV")
    path: Path = Path(named) if named else request.getfixturevalue("cpu_venv")
    python = str(path / "bin" / "python")
    if subprocess.run([python, "-c", "import ipykernel"], capture_output=True).returncode != 0:
        uv = find_uv()
        assert uv is not None
        done = subprocess.run(
            [uv, "pip", "install", "--python", python, "ipykernel"],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    return path


@pytest.fixture(scope="session")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rt")  # short: IPC socket paths are limited to ~100 bytes


@pytest.fixture
async def pool(
    tmp_path: Path, runtime_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[KernelPool]:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime_dir))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))  # never the user's own
    kernels = KernelPool(data_dir=str(tmp_path / "jupyter"))
    yield kernels
    await kernels.shutdown()


class Cells:
    """Runs cells of one lesson in the pool and keeps each run's outputs."""

    def __init__(self, pool: KernelPool, venv: Path) -> None:
        self.pool, self.venv = pool, venv
        self.outputs: list[CellOutput] = []
        self.on_output: Callable[[CellOutput], None] = lambda _o: None

    def params(self, code: str | None = None, cell: int = 0, **extra: object) -> RunCellParams:
        return RunCellParams(venv=str(self.venv), lesson_id=LESSON, cell=cell, code=code, **extra)

    def kernel(self) -> KernelParams:
        return KernelParams(venv=str(self.venv), lesson_id=LESSON)

    def listen(self, note: EventNotification) -> None:
        if note.event.kind == "cell-output":
            self.outputs.append(note.event.output)
            self.on_output(note.event.output)

    async def run(self, code: str | None = None, cell: int = 0, **extra: object) -> CellResult:
        self.outputs = []
        sink = RunSink("tenstorrent/runCell", self.listen)
        return await run_cell(self.params(code, cell, **extra), sink, self.pool)

    def text(self) -> str:
        return "".join(getattr(o, "text", "") for o in self.outputs)


@pytest.fixture
def cells(pool: KernelPool, venv: Path) -> Cells:
    return Cells(pool, venv)


async def test_names_persist_across_cells_in_one_kernel(cells: Cells) -> None:
    first = await cells.run("x = 41")
    second = await cells.run("x + 1")
    assert (first.status, second.status) == ("succeeded", "succeeded")
    assert first.kernel_started and not second.kernel_started
    assert second.execution_count == first.execution_count + 1  # type: ignore[operator]
    assert cells.outputs[0].model_dump()["data"] == {"text/plain": "42"}


async def test_step_2_runs_as_written(cells: Cells) -> None:
    result = await cells.run(None, cell=0)
    assert result.status == "succeeded", cells.outputs
    lines = cells.text().splitlines()
    assert lines[0].startswith("[CpuDevice(id=0)") and "CpuDevice(id=7)" in lines[0]
    assert lines[1].startswith("32.0 {CpuDevice(id=0)}")


async def test_step_4_runs_as_written_and_shows_its_sharding(cells: Cells) -> None:
    result = await cells.run(None, cell=1)
    assert result.status == "succeeded", cells.outputs
    assert "NamedSharding" in cells.text() and "'model'" in cells.text()
    (drawn,) = [o.data for o in cells.outputs if o.output_type == "display_data"]
    # jax.debug.visualize_array_sharding: a box per device, drawn by rich as text and HTML.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", drawn["text/plain"])
    assert "CPU 0" in plain and "CPU 1" in plain
    assert drawn["text/html"].startswith("<pre")


async def test_an_error_carries_its_traceback(cells: Cells) -> None:
    result = await cells.run("def f():\n    return 1 / 0\nf()")
    assert result.status == "failed"
    (error,) = [o for o in cells.outputs if o.output_type == "error"]
    assert error.ename == "ZeroDivisionError"
    assert any("\x1b[" in line for line in error.traceback)  # ANSI colours kept for the webview


async def test_an_endless_loop_is_interrupted_and_the_kernel_lives_on(cells: Cells) -> None:
    await cells.run("kept = 'still here'")
    started = asyncio.Event()
    cells.on_output = lambda _o: started.set()
    task = asyncio.ensure_future(cells.run("print('looping', flush=True)\nwhile True:\n    pass"))
    await asyncio.wait_for(started.wait(), 120)
    assert interrupt_kernel(cells.kernel(), cells.pool).action == "interrupted"
    result = await asyncio.wait_for(task, 120)
    assert result.status == "interrupted"
    assert any(o.output_type == "error" and o.ename == "KeyboardInterrupt" for o in cells.outputs)
    cells.on_output = lambda _o: None
    await cells.run("print(kept)")
    assert cells.text() == "still here\n"


async def test_a_second_interrupt_kills_a_cell_that_ignores_the_first(cells: Cells) -> None:
    stubborn = (
        "import time\nprint('go', flush=True)\nwhile True:\n    try:\n        time.sleep(0.1)\n"
        "    except KeyboardInterrupt:\n        print('ignored', flush=True)"
    )
    seen: list[str] = []
    cells.on_output = lambda o: seen.append(getattr(o, "text", ""))
    task = asyncio.ensure_future(cells.run(stubborn))
    while "go" not in "".join(seen):
        await asyncio.sleep(0.05)
    assert interrupt_kernel(cells.kernel(), cells.pool).action == "interrupted"
    while "ignored" not in "".join(seen):
        await asyncio.sleep(0.05)
    assert interrupt_kernel(cells.kernel(), cells.pool).action == "killed"
    with pytest.raises(Exception, match="Interrupt pressed twice"):
        await asyncio.wait_for(task, 120)


@pytest.mark.parametrize(
    "suicide",
    ["import os\nos._exit(3)", "import ctypes\nctypes.string_at(0)"],
    ids=["os._exit", "segfault"],
)
async def test_a_kernel_that_dies_is_reported_and_the_next_run_gets_a_fresh_one(
    cells: Cells, suicide: str
) -> None:
    await cells.run("before = 1")
    route = route_for("tenstorrent/runCell")
    notes: list[EventNotification] = []
    params = cells.params(suicide)
    # Through the route, as the server runs it, with the pool the test owns.
    outcome = await services.execute_route(
        dataclasses.replace(route, service=lambda p, s, _pools: run_cell(p, s, cells.pool)),
        params,
        notes.append,
    )
    assert outcome.status is RunStatus.FAILED
    assert outcome.error is not None and outcome.error.code.value == "kernel-died"
    assert "the next run starts a fresh kernel" in outcome.error.message
    assert isinstance(outcome.result, CellResult) and outcome.result.status == "died"
    assert notes[-1].event.kind == "end"
    after = await cells.run("print('before' in globals())")
    assert after.kernel_started and after.execution_count == 1
    assert cells.text() == "False\n"


async def test_ten_million_lines_are_capped_and_memory_stays_bounded(cells: Cells) -> None:
    await cells.run("1")  # the kernel and the client's imports are in place before measuring
    me = psutil.Process()
    before = me.memory_info().rss
    flood = "import sys\nfor _ in range(1000):\n    sys.stdout.write('line\\n' * 10_000)"
    result = await cells.run(flood)
    grown = me.memory_info().rss - before
    assert result.status == "succeeded" and result.truncated
    assert result.dropped_lines == 10_000_000 - MAX_CELL_OUTPUT_LINES
    shown = cells.text()
    # Only the cell's own lines: the cap's note is the run's log and the result's counts.
    assert shown == "line\n" * MAX_CELL_OUTPUT_LINES
    assert result.dropped_chars == 5 * (10_000_000 - MAX_CELL_OUTPUT_LINES)
    assert len(cells.outputs) < 100  # a few batches, not a message per line
    assert grown < 20 * 2**20, f"RSS grew {grown / 2**20:.1f} MiB for 50 MB of output"


async def test_html_output_arrives_without_script(cells: Cells) -> None:
    await cells.run(
        "from IPython.display import HTML, display\n"
        "display(HTML('<b onmouseover=\"x()\">hi</b><script>alert(1)</script>'))"
    )
    (shown,) = [o for o in cells.outputs if o.output_type == "display_data"]
    assert shown.data["text/html"] == "<b>hi</b>"


async def test_a_timeout_interrupts_the_cell(cells: Cells) -> None:
    route = route_for("tenstorrent/runCell")
    service = dataclasses.replace(route, service=lambda p, s, _pools: run_cell(p, s, cells.pool))
    outcome = await services.execute_route(
        service, cells.params("import time\ntime.sleep(120)", timeout_s=1.5), lambda _n: None
    )
    assert outcome.error is not None and outcome.error.code.value == "timeout"
    assert isinstance(outcome.result, CellResult) and outcome.result.status == "timeout"
    assert (await cells.run("1 + 1")).status == "succeeded"  # interrupted, not killed


async def test_restart_forgets_every_name(cells: Cells) -> None:
    await cells.run("gone = 1")
    assert restart_kernel(cells.kernel(), cells.pool).action == "restarting"
    result = await cells.run("'gone' in globals()")
    assert (
        result.execution_count == 1
        and cells.outputs[0].model_dump()["data"]["text/plain"] == "False"
    )


async def test_the_chips_reach_the_kernel_and_other_chips_get_another_kernel(
    cells: Cells,
) -> None:
    code = "import os\nprint(os.environ.get('TT_VISIBLE_DEVICES'))"
    assert (await cells.run(code, visible_devices="0,1")).kernel_started
    assert cells.text() == "0,1\n"
    assert not (await cells.run(code, visible_devices="0,1")).kernel_started
    assert (await cells.run(code)).kernel_started
    assert cells.text() == "None\n"


async def test_nothing_starts_ahead_for_a_venv_that_is_not_installed(
    pool: KernelPool, tmp_path: Path
) -> None:
    params = KernelParams(venv=str(tmp_path / "missing"), lesson_id=LESSON)
    status = start_kernel(params, pool)
    assert (status.state, status.action) == ("none", "none")


async def test_started_ahead_the_first_run_is_warm(cells: Cells) -> None:
    status = start_kernel(cells.kernel(), cells.pool)
    assert (status.action, status.state) == ("starting", "starting")
    assert start_kernel(cells.kernel(), cells.pool).action == "none"
    first = await cells.run("2")
    assert not first.kernel_started
    assert first.execution_count == 1  # starting ahead ran no code


async def test_a_kernel_that_died_while_idle_is_replaced_by_the_next_run(cells: Cells) -> None:
    await cells.run("x = 1")
    session, _ = await cells.pool.session(LESSON, KernelTarget.of(cells.params()))
    assert session.pid is not None
    os.kill(session.pid, signal.SIGKILL)  # as the OOM killer would
    await asyncio.sleep(0.5)
    result = await cells.run("print('x' in globals())")
    assert (result.status, result.kernel_started) == ("succeeded", True)
    assert cells.text() == "False\n"


async def test_an_exported_notebook_validates_and_holds_the_outputs(
    cells: Cells, tmp_path: Path
) -> None:
    await cells.run(None, cell=0)
    stored = TypeAdapter(list[StoredOutput]).validate_python(
        [o.model_dump() for o in cells.outputs]
    )
    path = tmp_path / "out" / "lesson.ipynb"
    exported = export_notebook(
        ExportNotebookParams(
            venv=str(cells.venv),
            lesson_id=LESSON,
            path=str(path),
            cells=[ExportCell(source="print(32.0)", outputs=stored, execution_count=1)],
        )
    )
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    (code,) = [c for c in nb.cells if c.cell_type == "code"]
    assert "32.0" in "".join(o.text for o in code.outputs)
    assert nb.metadata.kernelspec.name == exported.kernel_name
    # Registered, so Jupyter (and VS Code's Jupyter extension) can open it with this venv.
    spec = tmp_path / "jupyter" / "kernels" / exported.kernel_name / "kernel.json"
    assert json.loads(spec.read_text())["display_name"] == f"TT-XLA ({cells.venv.resolve()})"
    # ... and the answer says where, so the person is told about the file outside the workspace.
    assert exported.kernelspec_folder == str(spec.parent)


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=600)


def cli_env(tmp_path: Path, runtime_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(runtime_dir),
    }


def kernels_using(runtime_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(runtime_dir) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found


def test_run_cell_from_the_cli_streams_json_and_leaves_no_kernel(
    venv: Path, tmp_path: Path, runtime_dir: Path
) -> None:
    env = cli_env(tmp_path, runtime_dir)
    done = cli(
        "run-cell", "--lesson", LESSON, "--cell", "0", "--venv", str(venv), "--json", env=env
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    shown = "".join(
        line["event"]["output"].get("text", "")
        for line in lines
        if line.get("event", {}).get("kind") == "cell-output"
    )
    assert "32.0" in shown
    outcome = lines[-1]
    assert outcome["status"] == "succeeded" and outcome["result"]["kind"] == "cell"
    assert outcome["result"]["kernelStarted"] is True
    assert (tmp_path / "jupyter" / "kernels").is_dir()  # the venv is a registered kernelspec
    assert kernels_using(runtime_dir) == []  # the kernel went with the command


def test_exec_runs_a_file_in_the_venv(venv: Path, tmp_path: Path, runtime_dir: Path) -> None:
    script = tmp_path / "hello.py"
    script.write_text("import sys, jax\nprint(sys.prefix)\nprint(len(jax.devices()))\n")
    done = cli(
        "exec", str(script), "--venv", str(venv), "--json", env=cli_env(tmp_path, runtime_dir)
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    printed = [x for line in lines for x in line.get("event", {}).get("lines", [])]
    assert os.path.realpath(str(venv)) in [os.path.realpath(p) for p in printed]
    assert "8" in printed  # the same host devices as the kernel
    assert lines[-1]["status"] == "succeeded" and lines[-1]["result"]["kind"] == "file"
    failing = tmp_path / "fail.py"
    failing.write_text("raise SystemExit(4)\n")
    done = cli("exec", str(failing), "--venv", str(venv), "--json", env=os.environ.copy())
    assert done.returncode == 1
    assert json.loads(done.stdout.splitlines()[-1])["exitCode"] == 4
    endless = tmp_path / "endless.py"
    endless.write_text("print('spinning', flush=True)\nwhile True:\n    pass\n")
    args = ["exec", str(endless), "--venv", str(venv), "--timeout", "2", "--json"]
    done = cli(*args, env=os.environ.copy())
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert done.returncode == 1 and outcome["error"]["code"] == "timeout"


def test_an_untrusted_caller_cannot_run_a_lesson_that_is_not_bundled(venv: Path) -> None:
    done = subprocess.run(
        [*CLI, "run-cell", "--lesson", "not-bundled", "--cell", "0", "--venv", str(venv), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "No bundled lesson 'not-bundled'" in done.stdout


async def test_the_server_starts_interrupts_and_on_exit_stops_its_kernels(
    venv: Path, tmp_path: Path, runtime_dir: Path
) -> None:
    """Through `tt-lessons serve` as the extension talks to it: start ahead, run, interrupt
    (answered at once while the run goes on), and no kernel left once the server exits."""
    client = await RpcClient.start(cli_env(tmp_path, runtime_dir))
    kernel = {"venv": str(venv), "lessonId": "server-test"}
    try:
        started = await client.request("tenstorrent/startKernel", kernel)
        assert started["result"]["action"] == "starting", started
        loop = "print('go', flush=True)\nwhile True:\n    pass"
        _, reply = client.start_request(
            "tenstorrent/runCell", {**kernel, "cell": 0, "code": loop, "runId": "loop"}
        )
        await client.wait_for_event("loop", lambda e: e["kind"] == "cell-output")
        interrupted = await client.request("tenstorrent/interruptKernel", kernel)
        assert interrupted["result"] == {
            "lessonId": "server-test",
            "state": "busy",
            "action": "interrupted",
        }
        done = await asyncio.wait_for(reply, 120)
        assert done["result"]["status"] == "succeeded"
        assert done["result"]["result"]["status"] == "interrupted"
        assert not done["result"]["result"]["kernelStarted"]  # it was started ahead
        assert kernels_using(runtime_dir)  # the kernel lives as long as the server
    finally:
        await client.close()
    assert kernels_using(runtime_dir) == []
