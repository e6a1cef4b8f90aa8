"""The SFPI check against a fake plugin tree and a fake SFPI root, in tt-metal's search order."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from tt_lessons.venv import sfpi


def _compiler(root: Path, version: str) -> None:
    gxx = root / "compiler" / "bin" / "riscv-tt-elf-g++"
    gxx.parent.mkdir(parents=True, exist_ok=True)
    gxx.write_text(f"#!/bin/sh\necho 'riscv-tt-elf-g++ (tenstorrent/sfpi:{version}[930]) 15.1.0'\n")
    gxx.chmod(gxx.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site-packages"
    version_file = site / "pjrt_plugin_tt" / "tt-metal" / "tt_metal" / "sfpi-version"
    version_file.parent.mkdir(parents=True)
    version_file.write_text(
        "# sfpi release 7.77.0\n\nsfpi_repo='https://github.com/tenstorrent/sfpi'\n"
        "sfpi_version='7.77.0'\nsfpi_build='930'\n"
    )
    monkeypatch.setenv(sfpi.SYSTEM_ROOT_ENV, str(tmp_path / "opt-sfpi"))
    return site


def test_version_file_is_parsed_like_install_sfpi_reads_it() -> None:
    fields = sfpi.parse_version_file("sfpi_repo='https://x/sfpi'\nsfpi_version=\"7.25.0\"\n")
    assert fields == {"sfpi_repo": "https://x/sfpi", "sfpi_version": "7.25.0"}


async def test_missing_sfpi_names_both_places_tt_metal_looks(site: Path, tmp_path: Path) -> None:
    found = await sfpi.check([site])
    assert found.state == "missing" and found.wanted == "7.77.0"
    assert "runtime/sfpi" in found.message and str(tmp_path / "opt-sfpi") in found.message


async def test_system_sfpi_of_the_right_version_is_ok(site: Path, tmp_path: Path) -> None:
    _compiler(tmp_path / "opt-sfpi", "7.77.0")
    found = await sfpi.check([site])
    assert (found.state, found.found, found.root) == ("ok", "7.77.0", str(tmp_path / "opt-sfpi"))


async def test_wrong_version_is_a_mismatch(site: Path, tmp_path: Path) -> None:
    _compiler(tmp_path / "opt-sfpi", "7.25.0")
    found = await sfpi.check([site])
    assert found.state == "mismatch" and "7.25.0" in found.message and "7.77.0" in found.message


async def test_the_wheels_own_runtime_sfpi_wins_over_the_system_one(
    site: Path, tmp_path: Path
) -> None:
    _compiler(tmp_path / "opt-sfpi", "7.25.0")
    _compiler(site / "pjrt_plugin_tt" / "tt-metal" / "runtime" / "sfpi", "7.77.0")
    found = await sfpi.check([site])
    assert found.state == "ok" and found.root is not None and "runtime/sfpi" in found.root


async def test_no_plugin_means_no_sfpi_needed(tmp_path: Path) -> None:
    assert (await sfpi.check([tmp_path])).state == "not-needed"


def test_status_carries_the_installer_argv_once_the_plugin_is_there(tmp_path: Path) -> None:
    """Install SFPI in the extension runs this argv as it is: the same as the fix offers."""
    from tt_lessons.venv.status import external_status

    env = tmp_path / "env"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "python").symlink_to("/usr/bin/env")
    (env / "pyvenv.cfg").write_text("version = 3.12.3\n")
    site = env / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    assert external_status(str(env)).sfpi_installer is None
    (site / "pjrt_plugin_tt-0.1.0.dist-info").mkdir()
    argv = external_status(str(env)).sfpi_installer
    assert argv == sfpi.installer_argv(env / "bin") == [str(env / "bin" / "tt-forge-install")]
