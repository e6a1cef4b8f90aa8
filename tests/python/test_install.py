"""The installer's real uv/pip paths against wheels and indexes the tests build, fully offline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from tt_lessons.protocol import InstallParams
from tt_lessons.venv import checks, manifest
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.venv.lock import venv_lock

from .conftest import CLI, json_lines, run_cli
from .waiting import connected_to, until
from .wheels import (
    FAKE_PACKAGES,
    REPORTED_PACKAGES,
    build_simple_index,
    build_wheelhouse,
    serve_index,
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home"), "TT_LESSONS_MIN_FREE_MB": "1"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("index")
    build_simple_index(root, build_wheelhouse(root / "wheelhouse"))
    return root


def outcome(proc: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return json_lines(proc.stdout)[-1]


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_install_from_local_index_writes_a_ready_manifest(
    index: Path, tmp_path: Path, env: dict[str, str], installer: str
) -> None:
    venv = tmp_path / "venv"
    args = [
        "install",
        "--venv",
        str(venv),
        "--offline",
        "--index-url",
        (index / "simple").as_uri(),
        "--json",
    ]
    proc = run_cli(*args, *(["--pip"] if installer == "pip" else []), env=env)
    assert proc.returncode == 0, proc.stdout[-2000:]
    result = outcome(proc)["result"]
    assert result["installer"] == installer
    assert result["packages"] == REPORTED_PACKAGES  # pjrt-plugin-tt came with jax etc. in one call

    written = manifest.read(VenvLayout.at(str(venv)))
    assert written is not None and written.state == "ready"
    assert written.source is not None and written.source.index_url == (index / "simple").as_uri()
    status = json.loads(run_cli("status", "--venv", str(venv), "--json", env=env).stdout)
    assert status["state"] == "ready"
    assert status["packages"]["pjrt-plugin-tt"] == "0.9.0"

    events = json_lines(proc.stdout)[:-1]
    assert [e["seq"] for e in events] == list(range(len(events)))
    steps = [e["event"]["step"] for e in events if e["event"]["kind"] == "progress"]
    assert steps == [1, 2, 3, 4, 5]
    assert any("pjrt-plugin-tt" in line for e in events for line in e["event"].get("lines", []))


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pre_takes_the_nightly_plugin_only_when_asked(
    tmp_path: Path, env: dict[str, str], installer: str
) -> None:
    """A nightly (pre-release) plugin on the index is ignored unless --pre is given."""
    wheelhouse = build_wheelhouse(
        tmp_path / "wheelhouse", {**FAKE_PACKAGES, "pjrt-plugin-tt": "1.0.0rc1"}
    )
    build_wheelhouse(wheelhouse)  # the stable 0.9.0 beside it
    build_simple_index(tmp_path / "index", wheelhouse)
    url = (tmp_path / "index" / "simple").as_uri()
    plugin: dict[str, object] = {}
    for pre in (False, True):
        venv = tmp_path / f"venv-pre-{pre}"
        args = ["install", "--venv", str(venv), "--offline", "--index-url", url, "--json"]
        args += ["--pre"] if pre else []
        args += ["--pip"] if installer == "pip" else []
        proc = run_cli(*args, env=env)
        assert proc.returncode == 0, proc.stdout[-2000:]
        plugin[str(pre)] = outcome(proc)["result"]["packages"]["pjrt-plugin-tt"]
    assert plugin == {"False": "0.9.0", "True": "1.0.0rc1"}


async def test_without_uv_the_installer_falls_back_to_pip(
    index: Path, tmp_path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No uv anywhere (neither the bundled package nor PATH): the same install runs with pip."""
    from tt_lessons.routes import Method
    from tt_lessons.run_sink import RunSink
    from tt_lessons.venv import install as installer

    monkeypatch.setenv("TT_LESSONS_HOME", env["TT_LESSONS_HOME"])
    monkeypatch.setenv("TT_LESSONS_MIN_FREE_MB", "1")
    monkeypatch.setattr(installer, "find_uv", lambda: None)
    params = InstallParams(
        venv=str(tmp_path / "venv"), offline=True, index_url=(index / "simple").as_uri()
    )
    lines: list[str] = []
    sink = RunSink(Method.INSTALL, lambda note: lines.extend(getattr(note.event, "lines", [])))
    result = await installer.install(params, sink)
    assert result.installer == "pip"
    assert result.packages == REPORTED_PACKAGES
    assert any(" -m pip install " in line for line in lines if line.startswith("$ "))
    written = manifest.read(VenvLayout.at(params.venv))
    assert written is not None and written.state == "ready" and written.installer == "pip"


def test_cpu_only_from_wheelhouse_skips_the_plugin(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    proc = run_cli(
        "install",
        "--venv",
        str(venv),
        "--cpu-only",
        "--offline",
        "--wheelhouse",
        str(index / "wheelhouse"),
        "--json",
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "pjrt-plugin-tt" not in outcome(proc)["result"]["packages"]


def test_unreachable_index_names_the_url_and_the_ways_out(
    tmp_path: Path, env: dict[str, str]
) -> None:
    url = "http://127.0.0.1:9/simple/"  # discard port: nothing listens
    venv = tmp_path / "venv"
    proc = run_cli("install", "--venv", str(venv), "--index-url", url, "--json", env=env)
    assert proc.returncode == 1
    error = outcome(proc)["error"]
    assert error["code"] == "index-unreachable"
    assert url in error["message"]
    fixes = " ".join(error["fixes"])
    assert "--wheelhouse" in fixes and "--cpu-only" in fixes
    assert not venv.exists(), "nothing is created before the checks pass"


def test_wheelhouse_with_plugin_works_when_the_index_is_down(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    proc = run_cli(
        "install",
        "--venv",
        str(tmp_path / "v"),
        "--wheelhouse",
        str(index / "wheelhouse"),
        "--offline",
        "--index-url",
        "http://127.0.0.1:9/simple/",
        "--json",
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert outcome(proc)["result"]["packages"]["pjrt-plugin-tt"] == "0.9.0"


def test_killed_install_leaves_an_incomplete_manifest_and_the_next_install_repairs_it(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    with serve_index(index, delay_s=30) as url:
        proc = subprocess.Popen(
            [*CLI, "install", "--venv", str(venv), "--offline", "--index-url", url, "--json"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until the resolver is downloading
            if '"step":3' in line:
                break
        until(lambda: connected_to(proc.pid, url), "the installer to download from the index")
        uv_children = psutil.Process(proc.pid).children(recursive=True)
        assert uv_children
        os.kill(proc.pid, signal.SIGKILL)  # only the backend: its children must not outlive it
        proc.wait()
        _, orphans = psutil.wait_procs(uv_children, timeout=10)
        assert not orphans, f"children outlived the killed backend: {orphans}"
    status = json.loads(run_cli("status", "--venv", str(venv), "--json", env=env).stdout)
    assert status["state"] == "incomplete"
    assert "in progress" in status["note"]

    proc2 = run_cli(
        "install",
        "--venv",
        str(venv),
        "--offline",
        "--index-url",
        (index / "simple").as_uri(),
        "--json",
        env=env,
    )
    assert proc2.returncode == 0, proc2.stdout[-2000:]
    assert outcome(proc2)["result"]["repaired"] is True
    assert (
        json.loads(run_cli("status", "--venv", str(venv), "--json", env=env).stdout)["state"]
        == "ready"
    )


def test_failed_install_is_marked_incomplete(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    # The wheelhouse lacks the plugin and the only index is an empty folder: the resolver fails.
    empty = tmp_path / "empty-index"
    empty.mkdir()
    proc = run_cli(
        "install",
        "--venv",
        str(venv),
        "--offline",
        "--index-url",
        empty.as_uri(),
        "--json",
        env=env,
    )
    assert proc.returncode == 1
    assert outcome(proc)["error"]["code"] == "install-failed"
    written = manifest.read(VenvLayout.at(str(venv)))
    assert written is not None and written.state == "incomplete"
    assert "did not finish" in (written.note or "")


def test_foreign_folder_is_never_deleted_without_force(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "someone-elses"
    venv.mkdir()
    precious = venv / "notes.txt"
    precious.write_text("keep me")
    args = [
        "install",
        "--venv",
        str(venv),
        "--offline",
        "--index-url",
        (index / "simple").as_uri(),
        "--json",
    ]
    proc = run_cli(*args, env=env)
    assert proc.returncode == 1
    assert outcome(proc)["error"]["code"] == "foreign-venv"
    assert precious.read_text() == "keep me"

    forced = run_cli(*args, "--force", env=env)
    assert forced.returncode == 0, forced.stdout[-2000:]
    assert not precious.exists()


@pytest.mark.parametrize("spelling", ["same path", "through a symlink"])
def test_second_install_on_the_same_venv_is_refused_while_one_runs(
    index: Path,
    tmp_path: Path,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    spelling: str,
) -> None:
    (tmp_path / "real").mkdir()
    venv = tmp_path / "real" / "venv"
    asked = venv
    if spelling == "through a symlink":
        (tmp_path / "link").symlink_to(tmp_path / "real")
        asked = tmp_path / "link" / "venv"
    monkeypatch.setenv("TT_LESSONS_HOME", env["TT_LESSONS_HOME"])
    with venv_lock(VenvLayout.at(str(venv))):
        proc = run_cli(
            "install",
            "--venv",
            str(asked),
            "--offline",
            "--index-url",
            (index / "simple").as_uri(),
            "--json",
            env=env,
        )
    assert proc.returncode == 1
    error = outcome(proc)["error"]
    assert error["code"] == "venv-busy" and str(os.getpid()) in error["message"]


@pytest.mark.parametrize("url", ["ftp://example.com/simple", "javascript:alert(1)", "/no/scheme"])
def test_index_url_must_be_http_or_file(tmp_path: Path, env: dict[str, str], url: str) -> None:
    proc = run_cli("install", "--venv", str(tmp_path / "v"), "--index-url", url, "--json", env=env)
    assert outcome(proc)["error"]["code"] == "bad-input"
    assert not (tmp_path / "v").exists()


def fake_python(tmp_path: Path, version: list[int], has_venv: bool) -> str:
    script = tmp_path / "python-fake"
    payload = json.dumps({"version": version, "venv": has_venv})
    script.write_text(f"#!/bin/sh\necho '{payload}'\n")
    script.chmod(0o755)
    return str(script)


def test_old_python_is_refused_with_the_fix(tmp_path: Path, env: dict[str, str]) -> None:
    python = fake_python(tmp_path, [3, 8, 18], True)
    proc = run_cli(
        "install",
        "--venv",
        str(tmp_path / "v"),
        "--cpu-only",
        "--python",
        python,
        "--json",
        env=env,
    )
    error = outcome(proc)["error"]
    assert error["code"] == "python-unsupported" and "3.8.18" in error["message"]
    assert "3.10" in error["message"]


def test_missing_venv_module_names_the_package_to_install(
    tmp_path: Path, env: dict[str, str]
) -> None:
    python = fake_python(tmp_path, [3, 11, 2], False)
    proc = run_cli(
        "install",
        "--venv",
        str(tmp_path / "v"),
        "--cpu-only",
        "--latest-jax",  # keeps the configured Python: no 3.12 is looked for
        "--pip",
        "--python",
        python,
        "--json",
        env=env,
    )
    error = outcome(proc)["error"]
    assert error["code"] == "venv-module-missing"
    assert "python3.11-venv" in " ".join(error["fixes"])


def test_missing_interpreter(tmp_path: Path, env: dict[str, str]) -> None:
    proc = run_cli(
        "install",
        "--venv",
        str(tmp_path / "v"),
        "--cpu-only",
        "--python",
        "/nope/python3",
        "--json",
        env=env,
    )
    assert outcome(proc)["error"]["code"] == "python-not-found"


def test_too_little_disk_space(tmp_path: Path, env: dict[str, str]) -> None:
    env["TT_LESSONS_MIN_FREE_MB"] = str(1 << 40)
    proc = run_cli("install", "--venv", str(tmp_path / "v"), "--cpu-only", "--json", env=env)
    error = outcome(proc)["error"]
    assert error["code"] == "no-disk-space" and "MB free" in error["message"]


def test_permission_denied_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root may write anywhere, so the kernel's answer is simulated at the os.access seam.
    monkeypatch.setattr(os, "access", lambda *_args: False)
    with pytest.raises(checks.BackendError) as raised:
        checks.check_writable(tmp_path / "venv")
    assert raised.value.code.value == "permission-denied"
    assert str(tmp_path) in raised.value.message


def test_resolver_flags() -> None:
    from tt_lessons.venv.resolver import index_args

    online = InstallParams(pre=True, wheelhouse="/w")
    assert index_args(online, use_index=True, uv=True) == [
        "--find-links",
        "/w",
        "--extra-index-url",
        "https://pypi.eng.aws.tenstorrent.com/",
        "--prerelease",
        "allow",
    ]
    assert index_args(online, use_index=True, uv=False)[-1] == "--pre"
    offline = InstallParams(offline=True, cpu_only=True)
    assert index_args(offline, use_index=False, uv=True) == ["--no-index"]


def test_reinstall_maps_to_each_resolvers_own_flag() -> None:
    from tt_lessons.cli import _params, build_parser
    from tt_lessons.venv.layout import VenvLayout
    from tt_lessons.venv.resolver import install_argv

    args = build_parser().parse_args(["install", "--reinstall", "--venv", "/v"])
    params = InstallParams.model_validate(_params(args))
    assert params.reinstall is True
    layout = VenvLayout.at("/v")
    uv = install_argv(params, layout, "/bin/uv", use_index=True)
    assert uv[:3] == ["/bin/uv", "pip", "install"] and "--reinstall" in uv
    pip = install_argv(params, layout, None, use_index=True)
    assert pip[1:4] == ["-m", "pip", "install"] and "--force-reinstall" in pip
    plain = InstallParams(venv="/v")
    assert "--reinstall" not in install_argv(plain, layout, "/bin/uv", use_index=True)
    assert "--force-reinstall" not in install_argv(plain, layout, None, use_index=True)


def test_cli_exit_code_is_nonzero_on_failure(tmp_path: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(
        [*CLI, "test", "--venv", str(tmp_path / "missing")], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 1
    assert "missing" in proc.stdout and "Install TT-XLA" in proc.stdout
    assert sys.executable  # the CLI ran under this interpreter
