"""An offline CPU-only install from a folder without the plugin's jax pin: one clear line, the two
cures as buttons and flags, nothing written, and never "install again"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tt_lessons import plugin
from tt_lessons.protocol import InstallParams, WheelhouseParams
from tt_lessons.routes import install as install_route
from tt_lessons.routes import wheelhouse as wheelhouse_route
from tt_lessons.venv import wheelhouse_pin
from tt_lessons.venv.interpreters import Interpreter

from .conftest import json_lines, run_cli
from .wheels import FAKE_PACKAGES, build_wheel, build_wheelhouse

PY312 = Interpreter("/usr/bin/python3.12", (3, 12, 1), True)


def _folder(tmp_path: Path, jax: str, jaxlib_tag: str = "py3-none-any") -> Path:
    """The workload's wheels with jax/jaxlib at `jax` (what `pip download jax flax ...` gives)."""
    others = {k: v for k, v in FAKE_PACKAGES.items() if k not in ("jax", "jaxlib", plugin.PLUGIN)}
    folder = build_wheelhouse(tmp_path / "wheelhouse", others)
    build_wheel(folder, "jax", jax)
    build_wheel(folder, "jaxlib", jax, tag=jaxlib_tag)
    return folder


def test_a_folder_with_the_pin_passes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, plugin.JAX_VERSION, "cp312-cp312-manylinux_2_27_x86_64")
    assert wheelhouse_pin.missing_pin(folder, PY312) is None


def test_the_newest_jax_instead_of_the_pin_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "0.10.2")
    build_wheel(folder, "jax", "0.9.0")
    assert wheelhouse_pin.missing_pin(folder, PY312) == "jax 0.9.0, 0.10.2"


def test_a_jaxlib_for_another_python_is_named(tmp_path: Path) -> None:
    """A folder downloaded with the base Python (3.11) for a 3.12 venv: what the bench did."""
    folder = _folder(tmp_path, plugin.JAX_VERSION, "cp311-cp311-manylinux_2_27_x86_64")
    has = wheelhouse_pin.missing_pin(folder, PY312)
    assert has == f"jaxlib {plugin.JAX_VERSION} only for another Python than 3.12"


def test_an_empty_folder_has_no_jax(tmp_path: Path) -> None:
    assert wheelhouse_pin.missing_pin(tmp_path, PY312) == "no jax"


@pytest.mark.parametrize(
    "flags",
    [
        {"offline": False},  # PyPI can still give the pin
        {"latest_jax": True},  # pin_jax is False then
        {"wheelhouse": None},
    ],
)
def test_only_an_offline_pinned_cpu_only_install_from_a_folder_is_checked(
    tmp_path: Path, flags: dict[str, object]
) -> None:
    folder = _folder(tmp_path, "0.10.2")
    base = {"cpu_only": True, "offline": True, "wheelhouse": str(folder)}
    params = InstallParams.model_validate({**base, **flags})
    wheelhouse_pin.check(params, PY312, pin_jax=not params.latest_jax)


def test_the_buttons_run_commands_that_take_their_arguments() -> None:
    error = wheelhouse_pin.pin_missing_error(Path("/w"), PY312, "jax 0.10.2")
    install, rebuild, settings = error.actions
    assert install.command == install_route.ROUTE.command.id
    assert rebuild.command == wheelhouse_route.ROUTE.command.id
    assert {"cpu_only", "latest_jax"} <= set(install_route.ROUTE.command.lesson_args)
    assert {"cpu_only", "python_version"} <= set(wheelhouse_route.ROUTE.command.lesson_args)
    # The arguments arrive as the params' wire names and say what the text says.
    asked = InstallParams.model_validate({"venv": "/tmp/v", **(install.args or {})})
    assert asked.cpu_only and asked.latest_jax
    rebuilt = WheelhouseParams.model_validate(rebuild.args or {})
    assert rebuilt.cpu_only and rebuilt.python_version == "3.12"
    assert settings.args == {"query": "tenstorrent.ttXla.latestJax"}


def test_offline_cpu_only_install_from_a_folder_without_the_pin(tmp_path: Path) -> None:
    """Refused before anything is written, in one line; then the first cure really works."""
    folder = _folder(tmp_path, "0.10.2")
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home"), "TT_LESSONS_MIN_FREE_MB": "1"}
    venv = tmp_path / "venv"
    argv = ["install", "--cpu-only", "--offline", "--wheelhouse", str(folder), "--venv", str(venv)]
    proc = run_cli(*argv, "--json", env=env)
    assert proc.returncode == 1
    error = json_lines(proc.stdout)[-1]["error"]
    assert isinstance(error, dict)
    message, fixes = error["message"], " ".join(error["fixes"])
    assert "\n" not in message and str(folder) in message and "jax 0.10.2" in message
    assert f"jax {plugin.JAX_VERSION}" in message
    assert f"--latest-jax --wheelhouse {folder}" in fixes and "ttXla.latestJax" in fixes
    assert "tt-lessons wheelhouse --cpu-only --python-version" in fixes and str(folder) in fixes
    assert "again" not in (message + fixes).lower()
    assert [a["label"] for a in error["actions"]] == [
        "Install with the folder's jax",
        "Rebuild the wheelhouse",
        "Open the settings",
    ]
    assert not venv.exists(), "nothing is created before the checks pass"

    cured = run_cli(*argv, "--latest-jax", "--json", env=env)
    assert cured.returncode == 0, cured.stdout[-2000:] + cured.stderr[-2000:]
    assert json_lines(cured.stdout)[-1]["result"]["packages"]["jax"] == "0.10.2"
