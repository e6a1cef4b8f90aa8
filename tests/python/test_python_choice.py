"""Which Python the plugin accepts, and finding one on a machine whose shims do not run."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from tt_lessons import plugin
from tt_lessons.venv import interpreters, python_spec
from tt_lessons.venv.python_spec import PythonRequirement

from .wheels import build_plugin_wheel, build_simple_index, build_wheel


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_the_stand_in_wheel_carries_the_real_metadata(tmp_path: Path) -> None:
    import zipfile

    wheel = build_plugin_wheel(tmp_path)
    assert wheel.name == "pjrt_plugin_tt-0.9.0-cp312-cp312-manylinux_2_34_x86_64.whl"
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read("pjrt_plugin_tt-0.9.0.dist-info/METADATA").decode()
        entry = zf.read("pjrt_plugin_tt-0.9.0.dist-info/entry_points.txt").decode()
        sfpi = zf.read("pjrt_plugin_tt/tt-metal/tt_metal/sfpi-version").decode()
    assert "Requires-Python: >=3.12,<3.13" in meta
    assert "Requires-Dist: jax==0.7.1" in meta and "Requires-Dist: jaxlib==0.7.1" in meta
    assert "pjrt_plugin_tt = jax_plugin_tt" in entry.split("[jax_plugins]")[1]
    assert "tt-forge-install = ttxla_tools.install_sfpi:main" in entry
    assert "sfpi_version='7.77.0'" in sfpi


def test_requirement_from_a_wheelhouse_reads_tags_and_requires_python(tmp_path: Path) -> None:
    build_plugin_wheel(tmp_path)
    found = python_spec.from_wheelhouse(str(tmp_path))
    assert found is not None
    assert found.spec == ">=3.12,<3.13" and found.tags == {"cp312"}
    assert found.accepts((3, 12, 1)) and not found.accepts((3, 11, 7))
    assert not found.accepts((3, 13, 0)) and found.wanted_minor() == "3.12"


def test_requirement_follows_the_newest_plugin_on_the_index(tmp_path: Path) -> None:
    """An older py3 plugin beside a newer cp312 one: the newest decides."""
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "pjrt-plugin-tt", "0.8.0")
    build_plugin_wheel(wheels, "0.9.0")
    simple = build_simple_index(tmp_path / "index", wheels)
    found = python_spec._from_index_sync(simple.as_uri(), False, 5)
    assert found is not None and found.tags == {"cp312"} and found.source == simple.as_uri()


def test_index_page_data_requires_python_is_read(tmp_path: Path) -> None:
    page = tmp_path / "simple" / "pjrt-plugin-tt"
    page.mkdir(parents=True)
    name = "pjrt_plugin_tt-0.1.260821%2Bdev.abc-cp312-cp312-manylinux_2_34_x86_64.whl"
    (page / "index.html").write_text(
        f'<a href="../../files/{name}#sha256=00" data-requires-python="&gt;=3.12, &lt;3.13">x</a>'
    )
    found = python_spec._from_index_sync((tmp_path / "simple").as_uri(), False, 5)
    assert found is not None and found.spec == ">=3.12, <3.13" and found.tags == {"cp312"}


async def test_unreadable_index_and_no_wheelhouse_fall_back_to_the_known_range() -> None:
    found = await python_spec.plugin_requirement("http://127.0.0.1:9/simple/", None, False)
    assert found == python_spec.KNOWN and found.spec == plugin.PYTHON_SPEC


async def test_a_shim_that_exits_127_is_skipped_and_pyenv_versions_are_searched(
    tmp_path: Path,
) -> None:
    """Like this image: python3.12 on PATH is a pyenv shim that fails; the real one is under
    $(pyenv root)/versions."""
    shims = tmp_path / "shims"
    _script(
        shims / "python3.12",
        "#!/bin/sh\necho 'pyenv: python3.12: command not found' >&2\nexit 127\n",
    )
    real = tmp_path / "pyenv" / "versions" / "3.12.1" / "bin" / "python3"
    real.parent.mkdir(parents=True)
    real.symlink_to(sys.executable)  # any working interpreter; the fake requirement matches it
    env = {"PATH": str(shims), "PYENV_ROOT": str(tmp_path / "pyenv")}
    mine = sys.version_info
    wanted = PythonRequirement(f"=={mine.major}.{mine.minor}.*", frozenset(), "test")
    search = interpreters.Search()
    found = await interpreters.find_accepted(wanted, None, search, env)
    assert found is not None and found.path == str(real)
    assert any("python3.12" in t and "did not run" in t for t in search.tried)


async def test_nothing_fits_names_the_requirement_and_the_ways_out(tmp_path: Path) -> None:
    search = interpreters.Search()
    found = await interpreters.find_accepted(
        python_spec.KNOWN, None, search, {"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)}
    )
    assert found is None
    error = interpreters.none_fits_error(
        python_spec.KNOWN, search, uv="/usr/bin/uv", download_refused=True, download_failed=False
    )
    text = error.info().message + " ".join(error.info().fixes)
    assert ">=3.12,<3.13" in text and "python3.12-venv" in text
    assert "tenstorrent.ttXla.pythonPath" in text and "--no-python-download" in text
    assert "--cpu-only" in text and "Nothing was changed" in text
    assert "install again to repair" not in text


async def test_the_real_pyenv_312_is_found_here_when_it_exists() -> None:
    """This image has CPython 3.12 under pyenv while its PATH shim exits 127."""
    root = interpreters.pyenv_root() / "versions"
    if not any(root.glob("3.12*/bin/python3")):
        pytest.skip("no pyenv 3.12 on this machine")
    found = await interpreters.find_accepted(
        python_spec.KNOWN, None, interpreters.Search(), dict(os.environ)
    )
    assert found is not None and found.version[:2] == (3, 12)
