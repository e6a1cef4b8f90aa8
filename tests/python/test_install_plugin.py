"""Installing a stand-in with the real pjrt-plugin-tt's shape: cp312 only, jax pin, SFPI.

The CLI here runs on the repository's Python (3.11); nothing tells it where a 3.12 is. It must
read the requirement from the index, find pyenv's 3.12 past the broken shim, and build on it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tt_lessons import plugin
from tt_lessons.venv import interpreters, sfpi

from .conftest import json_lines, run_cli
from .wheels import (
    SFPI_WANTED,
    build_plugin_wheel,
    build_simple_index,
    build_wheel,
    build_wheelhouse,
    serve_index,
)

HAS_312 = any((interpreters.pyenv_root() / "versions").glob("3.12*/bin/python3"))
needs_312 = pytest.mark.skipif(not HAS_312, reason="no CPython 3.12 under pyenv here")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plugin-index")
    build_simple_index(root, build_wheelhouse(root / "wheelhouse"))
    return root


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TT_LESSONS_HOME": str(tmp_path / "home"),
        "TT_LESSONS_MIN_FREE_MB": "1",
        sfpi.SYSTEM_ROOT_ENV: str(tmp_path / "opt-tenstorrent-sfpi"),
    }


def last(proc: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return json_lines(proc.stdout)[-1]


@needs_312
def test_cp312_plugin_installs_with_no_python_flag_and_sfpi_is_offered(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    url = (index / "simple").as_uri()
    args = ["install", "--venv", str(venv), "--offline", "--index-url", url, "--json"]
    proc = run_cli(*args, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    result = last(proc)["result"]
    assert isinstance(result, dict)
    assert str(result["pythonVersion"]).startswith("3.12.")
    assert result["packages"]["jax"] == plugin.JAX_VERSION  # the plugin's own pin held
    assert result["packages"]["jaxlib"] == plugin.JAX_VERSION
    assert result["sfpi"]["state"] == "missing" and result["sfpi"]["wanted"] == SFPI_WANTED
    assert result["sfpi"]["fix"]["argv"] == [str(venv / "bin" / plugin.SFPI_INSTALLER)]
    lines = [ln for e in json_lines(proc.stdout)[:-1] for ln in e["event"].get("lines", [])]
    assert any("accepts Python >=3.12,<3.13" in ln for ln in lines)

    status = json.loads(run_cli("status", "--venv", str(venv), "--json", env=env).stdout)
    assert status["pythonVersion"].startswith("3.12.") and status["python"]

    # The fix, run as a person would run it in a terminal; the next install finds SFPI.
    subprocess.run([str(venv / "bin" / plugin.SFPI_INSTALLER)], env=env, check=True)
    again = last(run_cli(*args, env=env))["result"]
    assert isinstance(again, dict) and again["sfpi"]["state"] == "ok"
    assert again["sfpi"]["found"] == SFPI_WANTED and again["repaired"] is True


def test_no_312_anywhere_fails_before_touching_anything(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """PATH without a 3.12, no pyenv versions, downloads refused: a clear error, no folder."""
    env.update(PATH="/usr/bin:/bin", PYENV_ROOT=str(tmp_path / "no-pyenv"))
    venv = tmp_path / "venv"
    url = (index / "simple").as_uri()
    proc = run_cli(
        "install",
        "--venv",
        str(venv),
        "--index-url",
        url,
        "--no-python-download",
        "--json",
        env=env,
    )
    assert proc.returncode == 1
    error = last(proc)["error"]
    assert isinstance(error, dict) and error["code"] == "python-unsupported"
    text = error["message"] + " ".join(error["fixes"])
    assert ">=3.12,<3.13" in text and "python3.12-venv" in text
    assert "tenstorrent.ttXla.pythonPath" in text and "--no-python-download" in text
    assert "--cpu-only" in text and "again to repair" not in text
    assert not venv.exists()


@needs_312
def test_cpu_only_rehearses_the_pin_on_312_and_latest_jax_does_not(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    shutil.copytree(index / "wheelhouse", wheelhouse)
    build_wheelhouse(wheelhouse, {"jax": "0.9.9", "jaxlib": "0.9.9"})  # a newer jax beside the pin
    base = ["install", "--cpu-only", "--offline", "--wheelhouse", str(wheelhouse), "--json"]
    done = run_cli(*base, "--venv", str(tmp_path / "pinned"), env=env)
    assert done.returncode == 0, done.stdout[-2000:]
    pinned = last(done)["result"]
    assert isinstance(pinned, dict) and pinned["jaxPinned"] is True and pinned["sfpi"] is None
    assert str(pinned["pythonVersion"]).startswith("3.12.")
    assert pinned["packages"]["jax"] == plugin.JAX_VERSION
    assert "pjrt-plugin-tt" not in pinned["packages"]

    done = run_cli(*base, "--latest-jax", "--venv", str(tmp_path / "latest"), env=env)
    assert done.returncode == 0, done.stdout[-2000:]
    latest = last(done)["result"]
    assert isinstance(latest, dict) and latest["jaxPinned"] is False
    assert latest["packages"]["jax"] == "0.9.9"


@needs_312
def test_a_venv_on_the_wrong_python_is_rebuilt_not_patched(
    index: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    wheelhouse = str(index / "wheelhouse")
    first = run_cli(
        "install",
        "--cpu-only",
        "--latest-jax",
        "--offline",
        "--wheelhouse",
        wheelhouse,
        "--venv",
        str(venv),
        "--json",
        env=env,
    )
    assert first.returncode == 0, first.stdout[-2000:]
    assert not str(last(first)["result"]["pythonVersion"]).startswith("3.12")  # type: ignore[index]
    url = (index / "simple").as_uri()
    proc = run_cli(
        "install", "--venv", str(venv), "--offline", "--index-url", url, "--json", env=env
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert str(last(proc)["result"]["pythonVersion"]).startswith("3.12.")  # type: ignore[index]
    assert "Rebuilding it." in proc.stdout
    assert (venv / "pyvenv.cfg").read_text().count("3.12.") >= 1


@needs_312
def test_wheelhouse_gets_the_full_closure_then_installs_offline(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Where the index is reachable: `tt-lessons wheelhouse DIR` downloads the plugin, its jax
    pin and its direct-URL dependency (as the real one names torch). With the index gone, the
    offline install takes everything, the URL one included, from that folder."""
    root = tmp_path / "index"
    with serve_index(root) as url:
        base = url.removesuffix("simple/")
        heavy = build_wheel(root / "files", "heavy-extra", "2.11.0")
        wheels = build_wheelhouse(tmp_path / "wheels")
        build_plugin_wheel(wheels, extra_requires=(f"heavy-extra @ {base}files/{heavy.name}",))
        build_simple_index(root, wheels)
        dest = tmp_path / "wheelhouse"
        proc = run_cli("wheelhouse", str(dest), "--index-url", url, "--offline", "--json", env=env)
        assert proc.returncode == 0, proc.stdout[-3000:]
    result = last(proc)["result"]
    assert isinstance(result, dict) and result["directUrls"] == ["heavy-extra"]
    names = {p.name.split("-")[0] for p in dest.glob("*.whl")}
    assert {"pjrt_plugin_tt", "jax", "jaxlib", "heavy_extra", "loguru", "flax"} <= names

    venv = tmp_path / "venv"
    args = ["install", "--venv", str(venv), "--offline", "--wheelhouse", str(dest), "--json"]
    done = run_cli(*args, "--index-url", url, env=env)  # the index is down by now
    assert done.returncode == 0, done.stdout[-3000:]
    assert "heavy_extra" in " ".join(p.name for p in venv.glob("lib/python3.12/site-packages/*"))


def test_wheelhouse_asks_pip_for_the_target_python_on_every_manylinux() -> None:
    """pip takes --platform literally: jaxlib 0.7.1 is manylinux_2_27, the plugin linux_x86_64."""
    from tt_lessons.venv import wheelhouse

    argv = wheelhouse.download_argv(
        "/usr/bin/python3",
        Path("/w"),
        wheelhouse.wanted(cpu_only=True),
        python_version="3.12",
        index_url=None,
        offline=False,
        pre=False,
    )
    platforms = {argv[i + 1] for i, arg in enumerate(argv) if arg == "--platform"}
    assert {"manylinux_2_27_x86_64", "manylinux2014_x86_64", "linux_x86_64"} <= platforms
    assert argv[argv.index("--python-version") + 1] == "3.12" and "cp312" in argv
    assert argv[-len(wheelhouse.wanted(True)) :][:2] == list(plugin.JAX_PINS)
    assert wheelhouse.wanted(cpu_only=False)[0] == plugin.PLUGIN
