"""Faults and bad input: each run ends with a clear status, the server stays up, nothing is lost."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from tt_lessons import services
from tt_lessons.protocol import (
    EventNotification,
    InstallParams,
    Manifest,
    RunStatus,
)
from tt_lessons.protocol import (
    TestParams as SanityParams,
)
from tt_lessons.routes import Method
from tt_lessons.venv import manifest
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.workload_specs import WORKLOADS_DIR

from .rpc_client import RpcClient

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(autouse=True)
def own_state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TT_LESSONS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TT_LESSONS_MIN_FREE_MB", "1")


@pytest.fixture
def ready_venv(tmp_path: Path) -> Path:
    """A venv the backend trusts, whose python is this interpreter (fault workloads need no JAX)."""
    root = tmp_path / "venv"
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "python").symlink_to(sys.executable)
    (root / "pyvenv.cfg").write_text("version = 3.11.7\n")
    manifest.write(VenvLayout(root), Manifest(state="ready", updated_at=manifest.now()))
    return root


@pytest.fixture
def workloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Swap the sanity workload for one the test writes."""
    folder = tmp_path / "workloads"
    folder.mkdir()
    monkeypatch.setattr(services, "WORKLOADS_DIR", folder)
    return folder


def write_sanity(folder: Path, body: str) -> None:
    (folder / "sanity.py").write_text(textwrap.dedent(body))


async def run_test(venv: Path, **params: object) -> tuple[object, list[EventNotification]]:
    events: list[EventNotification] = []
    outcome = await services.execute(
        Method.TEST, SanityParams(venv=str(venv), **params), events.append
    )
    return outcome, events


RESULT_LINE = (
    '{"kind": "result", "result": {"kind": "sanity", "devices": [], "platform": "cpu", '
    '"resultDevice": "cpu:0", "value": 32.0, "expected": 32.0, "ok": true, "ttDevice": false, '
    '"jaxVersion": "0", "timings": {"importS": 0, "computeS": 0}}}'
)


async def test_crashing_workload_fails_with_its_exit_code(
    ready_venv: Path, workloads: Path
) -> None:
    write_sanity(workloads, "import sys\nprint('about to fail')\nraise SystemExit(3)\n")
    outcome, events = await run_test(ready_venv)
    assert outcome.status is RunStatus.FAILED and outcome.exit_code == 3
    assert outcome.error is not None and outcome.error.code.value == "workload-failed"
    assert "about to fail" in outcome.error.message
    assert events[-1].event.kind == "end" and events[-1].event.status is RunStatus.FAILED


async def test_hanging_workload_is_stopped_at_the_timeout(
    ready_venv: Path, workloads: Path
) -> None:
    write_sanity(workloads, "import time\nprint('working', flush=True)\ntime.sleep(600)\n")
    outcome, _ = await run_test(ready_venv, timeout_s=2)
    assert outcome.status is RunStatus.FAILED
    assert outcome.error is not None and outcome.error.code.value == "timeout"
    assert "2 s" in outcome.error.message
    hung = [
        p
        for p in psutil.process_iter(["cmdline"])
        if str(workloads) in " ".join(p.info["cmdline"] or [])
    ]
    assert not hung


async def test_invalid_json_lines_become_log_lines(ready_venv: Path, workloads: Path) -> None:
    write_sanity(
        workloads,
        f"""
        print('{{not json')
        print('[1, 2]')
        print({RESULT_LINE!r})
        """,
    )
    outcome, events = await run_test(ready_venv)
    assert outcome.status is RunStatus.SUCCEEDED
    logs = [line for e in events if e.event.kind == "log" for line in e.event.lines]
    assert "{not json" in logs and "[1, 2]" in logs


async def test_an_event_the_protocol_refuses_fails_the_run_with_its_reason(
    ready_venv: Path, workloads: Path
) -> None:
    """Drift between a workload and the protocol is loud: pydantic's message, not a log line."""
    write_sanity(
        workloads,
        f"""
        print('{{"kind": "progress", "step": "x"}}')
        print({RESULT_LINE!r})
        """,
    )
    outcome, _events = await run_test(ready_venv)
    assert outcome.status is RunStatus.FAILED and outcome.error is not None
    assert outcome.error.code.value == "workload-failed"
    assert "'progress' event the protocol refuses" in outcome.error.message


async def test_stderr_flood_is_streamed_in_full_and_in_order(
    ready_venv: Path, workloads: Path
) -> None:
    write_sanity(
        workloads,
        f"""
        import sys
        for i in range(50_000):
            sys.stderr.write(f"noise {{i}} " + "x" * 100 + "\\n")
        print({RESULT_LINE!r})
        """,
    )
    outcome, events = await run_test(ready_venv)
    assert outcome.status is RunStatus.SUCCEEDED
    noise = [
        line
        for e in events
        if e.event.kind == "log" and e.event.stream == "stderr"
        for line in e.event.lines
    ]
    assert (
        len(noise) == 50_000
        and noise[0].startswith("noise 0 ")
        and noise[-1].startswith("noise 49999 ")
    )
    assert [e.seq for e in events] == list(range(len(events)))


async def test_a_line_longer_than_the_buffer_is_passed_on_not_dropped(
    ready_venv: Path, workloads: Path
) -> None:
    write_sanity(workloads, f"print('y' * 3_000_000)\nprint({RESULT_LINE!r})\n")
    outcome, events = await run_test(ready_venv)
    assert outcome.status is RunStatus.SUCCEEDED
    stdout = [
        line
        for e in events
        if e.event.kind == "log" and e.event.stream == "stdout"
        for line in e.event.lines
    ]
    assert sum(len(line) for line in stdout) >= 3_000_000


async def test_workload_without_a_result_is_a_failure(ready_venv: Path, workloads: Path) -> None:
    write_sanity(workloads, "print('done, but said nothing structured')\n")
    outcome, _ = await run_test(ready_venv)
    assert outcome.status is RunStatus.FAILED
    assert outcome.error is not None and "without reporting a result" in outcome.error.message


def fake_uv(tmp_path: Path, install_script: str) -> Path:
    """A stand-in for uv: `venv` works for real, `pip install` runs the given shell snippet."""
    path = tmp_path / "fake-uv"
    path.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = venv ]; then shift; for a; do last="$a"; done; '
        f'exec {sys.executable} -m venv --without-pip "$last"; fi\n' + install_script
    )
    path.chmod(0o755)
    return path


async def test_disk_full_during_install_is_reported_and_the_venv_stays_incomplete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Injected fault: the installer dies the way uv does on ENOSPC."""
    from tt_lessons.venv import install

    real_uv = install.find_uv()
    uv = fake_uv(
        tmp_path,
        "echo 'error: failed to write: No space left on device (os error 28)' >&2\nexit 2\n",
    )
    monkeypatch.setattr(install, "find_uv", lambda: str(uv))
    venv = tmp_path / "venv"
    events: list[EventNotification] = []
    outcome = await services.execute(
        Method.INSTALL, InstallParams(venv=str(venv), cpu_only=True), events.append
    )
    assert outcome.status is RunStatus.FAILED
    assert outcome.error is not None and outcome.error.code.value == "no-disk-space"
    written = manifest.read(VenvLayout(venv))
    assert written is not None and written.state == "incomplete"

    # Space is back: the next install (the real uv, a local wheelhouse) repairs the venv.
    from .wheels import build_wheelhouse

    monkeypatch.setattr(install, "find_uv", lambda: real_uv)
    params = InstallParams(
        venv=str(venv),
        cpu_only=True,
        offline=True,
        wheelhouse=str(build_wheelhouse(tmp_path / "wheelhouse")),
    )
    repaired = await services.execute(Method.INSTALL, params, lambda _note: None)
    assert repaired.status is RunStatus.SUCCEEDED, repaired.error
    written = manifest.read(VenvLayout(venv))
    assert written is not None and written.state == "ready"


async def test_a_failing_incomplete_mark_does_not_hide_the_disk_full_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Injected fault: on a full disk, writing the failure into the manifest fails as well."""
    uv = fake_uv(tmp_path, "echo 'error: No space left on device (os error 28)' >&2\nexit 2\n")
    monkeypatch.setattr("tt_lessons.venv.install.find_uv", lambda: str(uv))

    def no_space(_layout: VenvLayout, _note: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest, "mark_incomplete", no_space)
    venv = tmp_path / "venv"
    outcome = await services.execute(
        Method.INSTALL, InstallParams(venv=str(venv), cpu_only=True), lambda _note: None
    )
    assert outcome.status is RunStatus.FAILED
    assert outcome.error is not None and outcome.error.code.value == "no-disk-space", outcome.error
    written = manifest.read(VenvLayout(venv))
    assert written is not None and written.state == "incomplete"  # written when the install began


def can_mount_tmpfs(target: Path) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    return (
        os.geteuid() == 0
        and os.system(f"mount -t tmpfs -o size=12m tmpfs {target} 2>/dev/null") == 0
    )


async def test_disk_really_fills_on_a_tiny_tmpfs(tmp_path: Path) -> None:
    from .wheels import build_wheel

    disk = tmp_path / "tiny-disk"
    if not can_mount_tmpfs(disk):
        pytest.skip(
            "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); the injected fault covers it"
        )
    try:
        wheelhouse = tmp_path / "wheelhouse"
        for name in (
            "jax",
            "flax",
            "transformers",
            "safetensors",
            "huggingface-hub",
            "scikit-learn",
            "ipykernel",
        ):
            build_wheel(wheelhouse, name, "1.0")
        build_wheel(wheelhouse, "jax", "1.0", payload=os.urandom(40 << 20))  # 40 MB > 12 MB disk
        params = InstallParams(
            venv=str(disk / "venv"),
            cpu_only=True,
            latest_jax=True,  # the wheelhouse has jax 1.0 only, not the plugin's pin
            offline=True,
            wheelhouse=str(wheelhouse),
        )
        outcome = await services.execute(Method.INSTALL, params, lambda _note: None)
        assert outcome.status is RunStatus.FAILED
        assert outcome.error is not None and outcome.error.code.value == "no-disk-space", (
            outcome.error
        )
        written = manifest.read(VenvLayout(disk / "venv"))
        assert written is None or written.state == "incomplete"  # never "ready"
    finally:
        os.system(f"umount {disk}")


HOSTILE = 'it\'s "quoted"; $(touch /tmp/pwned) `id` && rm -rf ~ | café ✓'


@pytest.mark.parametrize(
    ("prompt", "model"),
    [
        (HOSTILE, None),
        # argparse takes a separate value that starts with "-" for an option and refuses it.
        ("-x", "-model-name"),
        ("--help", "--help"),
        ("--prompt", "-"),
        ("-", "--top-k=9"),
    ],
)
async def test_settings_with_shell_metacharacters_reach_the_workload_literally(
    ready_venv: Path, workloads: Path, prompt: str, model: str | None
) -> None:
    # Parse with the real demo's own parser, so argv that argparse would misread fails here too.
    for helper in WORKLOADS_DIR.glob("_*.py"):  # the siblings the demo imports (_emit, _warm)
        shutil.copy(helper, workloads)
    shutil.copy(WORKLOADS_DIR / "gpt2_demo.py", workloads / "real_gpt2_demo.py")
    (workloads / "gpt2_demo.py").write_text(
        "import json\n"
        "from real_gpt2_demo import parse_args\n"
        "args = parse_args()\n"
        "lines = ['PROMPT=' + args.prompt, 'MODEL=' + args.model, 'TOPK=' + str(args.top_k)]\n"
        "print(json.dumps({'kind': 'log', 'stream': 'stdout', 'lines': lines}))\n"
        "raise SystemExit(1)\n"
    )
    from tt_lessons.protocol import DemoParams

    model = model or str(ready_venv)
    events: list[EventNotification] = []
    await services.execute(
        Method.DEMO,
        DemoParams(venv=str(ready_venv), prompt=prompt, model=model, top_k=3),
        events.append,
    )
    lines = [line for e in events if e.event.kind == "log" for line in e.event.lines]
    assert "PROMPT=" + prompt in lines, lines
    assert "MODEL=" + model in lines and "TOPK=3" in lines, lines
    assert not Path("/tmp/pwned").exists()


async def test_venv_path_with_spaces_quotes_and_unicode_installs(tmp_path: Path) -> None:
    from .wheels import build_wheelhouse

    wheelhouse = build_wheelhouse(tmp_path / "wheel house")
    venv = tmp_path / "my 'tt' venv; $(echo x) ünïcode"
    params = InstallParams(venv=str(venv), cpu_only=True, offline=True, wheelhouse=str(wheelhouse))
    outcome = await services.execute(Method.INSTALL, params, lambda _note: None)
    assert outcome.status is RunStatus.SUCCEEDED, outcome.error
    assert (venv / "bin" / "python").exists()


# ------------------------------------------------------------------ the wire


async def test_malformed_frames_get_json_rpc_errors_and_the_server_stays_up() -> None:
    client = await RpcClient.start()
    try:
        loop = asyncio.get_running_loop()
        for body, code in (
            (b'{"jsonrpc": "2.0", "id": 5, "method": ', -32700),
            (b"[1, 2, 3]", -32600),
        ):
            client.pending[None] = loop.create_future()
            await client.send_raw(body)
            reply = await asyncio.wait_for(client.pending[None], 10)
            assert reply["error"]["code"] == code and reply["id"] is None
        assert "result" in await client.request("tenstorrent/status", {})
    finally:
        await client.close()


async def test_a_10_mb_message_is_refused_cleanly() -> None:
    client = await RpcClient.start()
    try:
        reply = await client.request("tenstorrent/status", {"venv": "x" * 10_000_000}, timeout=60)
        assert reply["error"]["code"] == -32602 and "venv" in reply["error"]["message"]
        assert "result" in await client.request("tenstorrent/status", {})
    finally:
        await client.close()


async def test_a_burst_of_1000_requests_is_answered_with_bounded_memory() -> None:
    client = await RpcClient.start()
    try:
        server = psutil.Process(client.proc.pid)
        await client.request("tenstorrent/status", {})
        before = server.memory_info().rss
        futures = [client.start_request("tenstorrent/status", {})[1] for _ in range(1000)]
        futures += [client.start_request("tenstorrent/nope", {})[1] for _ in range(100)]
        replies = await asyncio.wait_for(asyncio.gather(*futures), 120)
        assert sum("result" in r for r in replies) == 1000
        assert sum(r.get("error", {}).get("code") == -32601 for r in replies) == 100
        grown_mb = (server.memory_info().rss - before) / 2**20
        assert grown_mb < 100, f"server grew by {grown_mb:.0f} MB"
    finally:
        await client.close()
