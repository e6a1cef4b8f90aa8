"""Online installs of the real wheel's twin (tests/python/twin.py) over local HTTP: its direct-URL
dependencies (torch, torch-xla, tt_lang) reach the resolver as direct requirements, with uv and
with pip, from PEP 658 metadata or from the wheel itself, and `--pre` takes the nightly.

Fakes stand in for jax and the workload packages here, so each install takes seconds; the slow
twins of these tests (test_install_twin_real.py) resolve real JAX and end with the sanity check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tt_lessons import plugin
from tt_lessons.venv import sfpi

from .conftest import json_lines, run_cli
from .test_install_plugin import needs_312
from .twin import NIGHTLY, Twin, fill, serve

pytestmark = needs_312


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Twin]:
    root = tmp_path_factory.mktemp("twin")
    with serve(root) as served:
        fill(served)
        yield served


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TT_LESSONS_HOME": str(tmp_path / "home"),
        "TT_LESSONS_MIN_FREE_MB": "1",
        sfpi.SYSTEM_ROOT_ENV: str(tmp_path / "opt-tenstorrent-sfpi"),
    }


def installed(venv: Path) -> dict[str, str]:
    """Distribution name -> version, read from the venv's dist-info folders."""
    found = {}
    for info in venv.glob("lib/python3.12/site-packages/*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").split("-", 1)
        found[name.lower().replace("_", "-")] = version
    return found


def install(twin: Twin, tmp_path: Path, *flags: str) -> tuple[dict[str, object], Path]:
    venv = tmp_path / "venv"
    args = ["install", "--venv", str(venv), "--index-url", twin.tt_index, "--json", *flags]
    proc = run_cli(*args, env=twin.env(base_env(tmp_path)))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    result = json_lines(proc.stdout)[-1]["result"]
    assert isinstance(result, dict)
    return result, venv


@pytest.mark.parametrize("flags", [(), ("--pip",)], ids=["uv", "pip"])
def test_online_install_takes_the_url_dependencies(
    twin: Twin, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    result, venv = install(twin, tmp_path, *flags)
    assert result["installer"] == ("pip" if flags else "uv")
    assert result["packages"]["pjrt-plugin-tt"] == plugin.TT_XLA_TAG  # type: ignore[index]
    have = installed(venv)
    assert have["torch"] == "2.11.0+cpu" and have["torch-xla"] == "2.9.0+git56f8e61"
    assert have["tt-lang"] == "1.1.5.dev20260704+light"
    assert have["pandas"] == "3.0.0" and have["jax"] == plugin.JAX_VERSION
    scripts = {p.name for p in (venv / "bin").iterdir()}
    assert {"tt-forge-install", "tracy", "tt-gen-weight-template"} <= scripts
    assert (venv / "lib/python3.12/site-packages" / "/".join(plugin.SFPI_VERSION_FILE)).is_file()


def test_pre_takes_the_nightly_even_over_a_release(twin: Twin, tmp_path: Path) -> None:
    """The version whose metadata was read is asked for exactly: a venv holding 1.4.0 moves."""
    first, _ = install(twin, tmp_path)
    assert first["packages"]["pjrt-plugin-tt"] == plugin.TT_XLA_TAG  # type: ignore[index]
    result, venv = install(twin, tmp_path, "--pre")
    assert result["packages"]["pjrt-plugin-tt"] == NIGHTLY  # type: ignore[index]
    assert installed(venv)["torch"] == "2.11.0+cpu"


def test_without_pep658_the_wheels_own_metadata_is_read(tmp_path: Path) -> None:
    with serve(tmp_path / "plain") as served:
        fill(served, pep658=False)
        assert not list((tmp_path / "plain" / "tt").rglob("*.metadata"))
        result, venv = install(served, tmp_path)
    assert result["packages"]["pjrt-plugin-tt"] == plugin.TT_XLA_TAG  # type: ignore[index]
    assert installed(venv)["torch-xla"] == "2.9.0+git56f8e61"


def failure(twin: Twin, tmp_path: Path) -> dict[str, object]:
    args = ["install", "--venv", str(tmp_path / "venv"), "--index-url", twin.tt_index, "--json"]
    proc = run_cli(*args, env=twin.env(base_env(tmp_path)))
    assert proc.returncode == 1, proc.stdout[-3000:]
    error = json_lines(proc.stdout)[-1]["error"]
    assert isinstance(error, dict)
    return error


def test_a_wheel_for_a_newer_glibc_names_the_platform_not_a_retry(tmp_path: Path) -> None:
    """Served as Ubuntu 20.04 sees the real wheel: built for a glibc newer than this one."""
    with serve(tmp_path / "glibc") as served:
        fill(served, tag="cp312-cp312-manylinux_2_99_x86_64")
        error = failure(served, tmp_path)
    assert error["code"] == "python-unsupported"
    assert "need glibc 2.99 or newer" in str(error["message"])
    assert "again" not in " ".join(error["fixes"])  # type: ignore[arg-type]


def test_a_url_wheel_gone_from_its_host_names_the_404(tmp_path: Path) -> None:
    with serve(tmp_path / "gone") as served:
        fill(served)
        for wheel in (tmp_path / "gone" / "download.pytorch.org").rglob("torch-*.whl"):
            wheel.unlink()
        error = failure(served, tmp_path)
    assert error["code"] == "index-unreachable" and "HTTP 404" in str(error["message"])
    assert "torch-2.11.0" in str(error["message"])
