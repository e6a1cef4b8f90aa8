"""The install's last step: the venv's Python must start, and its site-packages must hold every
package asked for; the versions it reports are the ones importlib.metadata would give."""

from __future__ import annotations

import asyncio
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from tt_lessons.errors import BackendError
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.venv.verify import verify


def _venv(tmp_path: Path, dists: list[str]) -> VenvLayout:
    root = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    layout = VenvLayout.at(str(root))
    (site,) = layout.site_packages()
    for dist in dists:
        (site / f"{dist}.dist-info").mkdir()
    return layout


def test_versions_come_from_the_site_packages_the_venvs_python_uses(tmp_path: Path) -> None:
    layout = _venv(tmp_path, ["jax-0.7.1", "jaxlib-0.7.1", "flax-0.12.0", "huggingface_hub-1.2.3"])
    found = asyncio.run(verify(layout, ["jax", "flax", "huggingface-hub"]))
    # jaxlib is reported too (status shows it), though not asked for by name.
    assert found == {
        "jax": "0.7.1",
        "flax": "0.12.0",
        "huggingface-hub": "1.2.3",
        "jaxlib": "0.7.1",
    }


def test_a_package_missing_after_the_installer_said_yes_fails_the_install(tmp_path: Path) -> None:
    layout = _venv(tmp_path, ["jax-0.7.1"])
    with pytest.raises(BackendError, match=r"Installed, yet missing: flax, transformers\."):
        asyncio.run(verify(layout, ["jax", "flax", "transformers"]))


def test_a_venv_python_that_does_not_start_fails_with_its_error(tmp_path: Path) -> None:
    layout = _venv(tmp_path, ["jax-0.7.1"])
    layout.python.unlink()
    layout.python.write_text("#!/bin/sh\necho 'libpython3.12.so: cannot open' >&2\nexit 127\n")
    layout.python.chmod(0o755)
    with pytest.raises(BackendError, match=r"The venv's Python failed: libpython3\.12\.so"):
        asyncio.run(verify(layout, ["jax"]))


def test_the_same_answer_as_importlib_metadata_in_a_real_environment() -> None:
    # This test's own environment, read both ways.
    names = ["pydantic", "pygls", "pytest", "jupyter-client"]
    found = asyncio.run(verify(VenvLayout.at(sys.prefix), names))
    assert found == {name: importlib.metadata.version(name) for name in names}
