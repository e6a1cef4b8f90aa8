"""A kernel (or a file run) in the venv does not see the backend's own PYTHONPATH entries: the
extension's bundled libraries are built for the backend's Python (a cp311 zmq in a 3.12 venv
kills the kernel at start), and the backend's source is not the learner's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tt_lessons.kernel import target
from tt_lessons.kernel.target import KernelTarget, without_backend_paths

BACKEND = Path(target.__file__).resolve().parents[2]
BUNDLED = BACKEND.parent / "bundled"


def test_the_backends_entries_go_and_a_persons_own_stay_in_order(tmp_path: Path) -> None:
    mine = [str(tmp_path / "a"), str(tmp_path / "b")]
    path = os.pathsep.join(
        [str(BUNDLED / "abi" / "cp311"), mine[0], str(BUNDLED / "libs"), str(BACKEND), "", mine[1]]
    )
    assert without_backend_paths(path) == os.pathsep.join(mine)
    assert without_backend_paths("") == ""


def test_the_kernel_env_has_no_pythonpath_when_only_the_backend_set_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(BUNDLED / "libs"), str(BACKEND)]))
    env = KernelTarget("/venv/bin/python", "/venv", None).env()
    assert "PYTHONPATH" not in env
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(BUNDLED / "libs"), "/opt/mine"]))
    assert KernelTarget("/venv/bin/python", "/venv", None).env()["PYTHONPATH"] == "/opt/mine"
