"""The standby interpreter: started ahead, adopted by a matching run, dropped otherwise."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from functools import partial
from pathlib import Path

import psutil
import pytest
from tt_lessons.protocol import EventNotification
from tt_lessons.routes import Method
from tt_lessons.run_sink import RunSink
from tt_lessons.runner import follow
from tt_lessons.standby import StandbyKey, StandbyPool

from .rpc_client import RpcClient
from .waiting import gone, until_async

pytestmark = pytest.mark.timeout(120)

# Prints its pid, its argv and whether the slow module was already imported when it started (no
# `kind`: a line with one must be a protocol event, so this one stays a log line).
SCRIPT = """
import json, os, sys
print(json.dumps({"probe": "log-probe", "pid": os.getpid(), "argv": sys.argv[1:],
                  "preloaded": "slow_module" in sys.modules}))
"""


@pytest.fixture
def workload(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    script = tmp_path / "probe_workload.py"
    script.write_text(SCRIPT)
    lib = tmp_path / "lib"
    lib.mkdir()
    # Importing it blocks while $TT_TEST_IMPORT_GATE names a file that does not exist yet, so a
    # test decides when the imports end (no gate: it imports at once).
    (lib / "slow_module.py").write_text(
        "import os, time\n"
        "gate = os.environ.get('TT_TEST_IMPORT_GATE')\n"
        "while gate and not os.path.exists(gate):\n"
        "    time.sleep(0.01)\n"
        "VALUE = 1\n"
    )
    env = {**os.environ, "PYTHONPATH": str(lib)}
    return script, env


@pytest.fixture
async def pool() -> AsyncIterator[StandbyPool]:
    made = StandbyPool()
    yield made
    await made.aclose()


def key_for(tmp_path: Path, script: Path, env: dict[str, str]) -> StandbyKey:
    return StandbyKey.of(str(tmp_path / "venv"), sys.executable, str(script), env, str(tmp_path))


async def run_adopted(
    proc: asyncio.subprocess.Process, lines: list[str] | None = None
) -> tuple[int, list[str]]:
    """Follow an adopted standby to its end; its output lines go into lines as they come."""
    lines = [] if lines is None else lines

    def listen(note: EventNotification) -> None:
        event = note.event
        lines.extend(getattr(event, "lines", []))

    sink = RunSink(Method.TEST, listen)
    code = await follow(proc, sink, name="probe_workload.py", timeout_s=30)
    return code, lines


def probe_line(lines: list[str]) -> dict[str, object]:
    found: dict[str, object] = json.loads(next(line for line in lines if "log-probe" in line))
    return found


async def test_a_matching_run_adopts_the_standby_with_its_imports_done(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    script, env = workload
    key = key_for(tmp_path, script, env)
    await pool.prepare(key, ["slow_module", "json:dumps"])
    waiting = pool.waiting
    assert waiting is not None and waiting.key == key
    standby_pid = waiting.pid
    args = ["--prompt=-x", "it's; $(rm -rf ~) `x` é", "--"]
    proc = await pool.take(key, args)
    assert proc is not None and proc.pid == standby_pid
    code, lines = await run_adopted(proc)
    probe = probe_line(lines)
    assert code == 0 and probe["pid"] == standby_pid
    assert probe["argv"] == args  # passed literally, no shell
    assert probe["preloaded"] is True
    assert not any("standby-ready" in line for line in lines)  # the ready line is not output
    assert await pool.take(key, args) is None  # used up: one run per standby


async def test_a_run_taken_while_imports_are_running_waits_for_them(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    script, env = workload
    gate = tmp_path / "imports-may-finish"
    key = key_for(tmp_path, script, {**env, "TT_TEST_IMPORT_GATE": str(gate)})
    await pool.prepare(key, ["slow_module"])
    waiting = pool.waiting
    assert waiting is not None and not waiting.ready  # slow_module waits for the gate
    taking = asyncio.create_task(pool.take(key, []))
    await until_async(lambda: pool.waiting is None, "take() to hold the standby")
    assert not taking.done(), "take() handed over a standby whose imports were still running"
    gate.touch()
    proc = await taking
    assert proc is not None
    code, lines = await run_adopted(proc)
    assert code == 0 and probe_line(lines)["preloaded"] is True
    # take() read the ready line itself before handing the process over, so it is not output.
    assert not any("standby-ready" in line for line in lines), lines


async def test_another_workload_or_venv_change_gets_no_standby_and_drops_it(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    script, env = workload
    key = key_for(tmp_path, script, env)
    for other in (
        key_for(tmp_path, script, {**env, "XLA_FLAGS": "--xla_force_host_platform_device_count=8"}),
        key_for(tmp_path, tmp_path / "other.py", env),
    ):
        await pool.prepare(key, ["json"])
        waiting = pool.waiting
        assert waiting is not None
        assert await pool.take(other, []) is None
        await until_async(partial(gone, waiting.pid), "the dropped standby to exit")

    # A reinstall rewrites the venv's manifest (a new file), so the key no longer matches.
    manifest = tmp_path / "venv" / "tt-lessons-manifest.json"
    manifest.parent.mkdir()
    manifest.write_text("{}")
    before = key_for(tmp_path, script, env)
    await pool.prepare(before, ["json"])
    replacement = tmp_path / "new-manifest.json"
    replacement.write_text('{"state": "ready"}')
    os.replace(replacement, manifest)
    assert await pool.take(key_for(tmp_path, script, env), []) is None


async def test_a_standby_whose_imports_fail_is_not_used(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    script, env = workload
    key = key_for(tmp_path, script, env)
    await pool.prepare(key, ["no_such_module_here"])
    assert await pool.take(key, []) is None  # the caller then starts a fresh process


async def test_an_idle_standby_exits_and_clear_drops_it(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    script, env = workload
    key = key_for(tmp_path, script, env)
    idle = StandbyPool(idle_s=0.5)
    await idle.prepare(key, ["json"])
    idling = idle.waiting
    assert idling is not None
    await until_async(lambda: gone(idling.pid), "the idle standby to exit")
    assert idle.waiting is None and await idle.take(key, []) is None

    await pool.prepare(key, ["json"])
    cleared = pool.waiting
    assert cleared is not None
    pool.clear()
    assert pool.waiting is None
    await until_async(lambda: gone(cleared.pid), "the cleared standby to exit")


@pytest.mark.timeout(300)
async def test_the_second_sanity_run_through_the_server_starts_ahead(
    tmp_path: Path, cpu_venv: Path
) -> None:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home")}
    client = await RpcClient.start(env)
    try:
        params = {"venv": str(cpu_venv)}
        first = await client.request("tenstorrent/testTtXlaInstall", {**params, "runId": "s1"})
        assert first["result"]["status"] == "succeeded"

        def standbys() -> list[psutil.Process]:
            kids = psutil.Process(client.proc.pid).children(recursive=True)
            return [k for k in kids if any("_standby.py" in part for part in k.cmdline())]

        await until_async(lambda: bool(standbys()), "a standby to start after a successful run")
        assert len(standbys()) == 1, "one standby interpreter waits after a successful run"

        second = await client.request("tenstorrent/testTtXlaInstall", {**params, "runId": "s2"})
        outcome = second["result"]
        assert outcome["status"] == "succeeded" and outcome["result"]["value"] == 32.0
        logs = [
            line
            for e in client.events("s2")
            if e["event"]["kind"] == "log"
            for line in e["event"]["lines"]
        ]
        assert any("started ahead" in line for line in logs), logs
        seqs = [e["seq"] for e in client.events("s2")]
        assert seqs == list(range(len(seqs)))
    finally:
        await client.close()


async def test_cancelling_an_adopted_run_kills_it(
    tmp_path: Path, workload: tuple[Path, dict[str, str]], pool: StandbyPool
) -> None:
    _, env = workload
    script = tmp_path / "hang.py"
    script.write_text("import time\nprint('started', flush=True)\ntime.sleep(600)\n")
    key = key_for(tmp_path, script, env)
    await pool.prepare(key, ["json"])
    proc = await pool.take(key, [])
    assert proc is not None
    lines: list[str] = []
    run = asyncio.create_task(run_adopted(proc, lines))
    await until_async(lambda: "started" in lines, "the adopted run to start")
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert proc.returncode is not None  # follow() killed and reaped it
    assert not psutil.pid_exists(proc.pid) or psutil.Process(proc.pid).status() == "zombie"


async def test_a_run_speaks_before_it_waits_for_a_standby(cpu_venv: Path) -> None:
    """Adopting a standby may wait for its imports; the click's first event must not."""
    from tt_lessons import services
    from tt_lessons.pools import Pools
    from tt_lessons.protocol import TestParams

    taking = asyncio.Event()
    release = asyncio.Event()

    class SlowPool(StandbyPool):
        async def take(
            self, key: StandbyKey, args: Sequence[str]
        ) -> asyncio.subprocess.Process | None:
            taking.set()
            await release.wait()  # a standby still importing jax
            return None

    seen: list[EventNotification] = []
    pools = Pools(SlowPool())
    run = asyncio.create_task(
        services.execute(Method.TEST, TestParams(venv=str(cpu_venv)), seen.append, pools)
    )
    await asyncio.wait_for(taking.wait(), 30)
    assert seen, "no event before the standby was ready"
    assert "Running sanity.py" in getattr(seen[0].event, "lines", [""])[0]
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run


# A workload that prepares ahead: warm() keeps what it made in _warm, main() reports whether it
# found it. warm() also prints (stdout must still begin with the ready line) and fails on demand.
WARM_SCRIPT = """
import json, os, sys
import _warm

def warm(argv):
    print("warming with", argv)  # must not reach stdout before the ready line
    if argv == ["fail"]:
        raise RuntimeError("no weights here")
    if argv == ["exit"]:
        sys.exit("bad arguments")  # as argparse does
    _warm.keep("probe", {"argv": argv, "pid": os.getpid()})
    return "the probe's state"

if __name__ == "__main__":
    print(json.dumps({"probe": "log-probe", "pid": os.getpid(), "argv": sys.argv[1:],
                      "prepared": _warm.take("probe"), "again": _warm.take("probe")}))
"""


@pytest.fixture
def warm_workload(tmp_path: Path) -> Path:
    script = tmp_path / "warm_workload.py"
    script.write_text(WARM_SCRIPT)
    return script


async def test_a_standby_prepares_the_next_run_with_the_last_runs_arguments(
    tmp_path: Path, warm_workload: Path, pool: StandbyPool
) -> None:
    key = key_for(tmp_path, warm_workload, dict(os.environ))
    await pool.prepare(key, ["json"], warm=["--prompt=a b", "x"])
    proc = await pool.take(key, ["--prompt=next"])
    assert proc is not None
    code, lines = await run_adopted(proc)
    probe = probe_line(lines)
    assert code == 0 and probe["argv"] == ["--prompt=next"]
    # What warm() made in the standby is there for the run, once, in the same interpreter.
    assert probe["prepared"] == {"argv": ["--prompt=a b", "x"], "pid": probe["pid"]}
    assert probe["again"] is None
    # What warm() printed went to stderr, which the adopted run's log shows with the summary.
    assert any("warming with" in line for line in lines), lines
    assert any("Prepared ahead in" in line and "the probe's state" in line for line in lines)


@pytest.mark.parametrize(
    ("argv", "why"), [(["fail"], "RuntimeError: no weights here"), (["exit"], "bad arguments")]
)
async def test_a_failing_warm_leaves_a_usable_standby_that_prepared_nothing(
    tmp_path: Path, warm_workload: Path, pool: StandbyPool, argv: list[str], why: str
) -> None:
    key = key_for(tmp_path, warm_workload, dict(os.environ))
    await pool.prepare(key, ["json"], warm=argv)
    proc = await pool.take(key, ["run"])
    assert proc is not None
    code, lines = await run_adopted(proc)
    assert code == 0 and probe_line(lines)["prepared"] is None
    said = [line for line in lines if "Nothing prepared ahead" in line]
    assert said and why in said[0], lines


async def test_without_warm_arguments_the_script_is_not_run_ahead(
    tmp_path: Path, warm_workload: Path, pool: StandbyPool
) -> None:
    key = key_for(tmp_path, warm_workload, dict(os.environ))
    await pool.prepare(key, ["json"])
    proc = await pool.take(key, ["run"])
    assert proc is not None
    code, lines = await run_adopted(proc)
    assert code == 0 and probe_line(lines)["prepared"] is None
    assert not any("warming" in line or "Prepared ahead" in line for line in lines), lines
