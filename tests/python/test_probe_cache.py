"""The interpreter probe is kept between runs, and asked again as soon as the interpreter changes.

A stand-in "binary" (not a script) answers through a counted `capture`, so each test can say how
many times an interpreter was really started.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from tt_lessons.venv import interpreters, probe_cache, python_spec
from tt_lessons.venv.python_spec import PythonRequirement


class Starts:
    """Stands in for runner.capture: answers like the probe script and counts each start."""

    def __init__(self, version: tuple[int, int, int], stdlib: Path) -> None:
        self.version = version
        self.stdlib = stdlib
        self.argv: list[list[str]] = []

    async def __call__(self, argv: list[str], **_: object) -> tuple[int, str, str]:
        self.argv.append(argv)
        answer = {"version": list(self.version), "venv": True, "stdlib": str(self.stdlib)}
        return 0, json.dumps(answer) + "\n", ""

    @property
    def count(self) -> int:
        return len(self.argv)


def _executable(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TT_LESSONS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Starts]:
    """A python3.12 whose file is a (fake) ELF binary, with its own stdlib folder."""
    binary = _executable(tmp_path / "py" / "bin" / "python3.12", b"\x7fELF stand-in")
    stdlib = tmp_path / "py" / "lib" / "python3.12"
    stdlib.mkdir(parents=True)
    starts = Starts((3, 12, 4), stdlib)
    monkeypatch.setattr(interpreters, "capture", starts)
    return binary, starts


async def test_a_second_probe_is_answered_from_the_cache(
    home: Path, fake: tuple[Path, Starts]
) -> None:
    binary, starts = fake
    first = await interpreters.probe(str(binary))
    second = await interpreters.probe(str(binary))
    assert first == second and first is not None and first.version == (3, 12, 4)
    assert starts.count == 1
    kept = json.loads((home / probe_cache.CACHE_NAME).read_text())["interpreters"]
    assert kept[str(binary)]["version"] == [3, 12, 4]


async def test_a_replaced_interpreter_is_asked_again(home: Path, fake: tuple[Path, Starts]) -> None:
    binary, starts = fake
    await interpreters.probe(str(binary))
    binary.write_bytes(b"\x7fELF an upgraded stand-in, longer")  # what an upgrade does
    starts.version = (3, 12, 8)
    found = await interpreters.probe(str(binary))
    assert found is not None and found.version == (3, 12, 8) and starts.count == 2


async def test_the_same_size_with_a_new_mtime_is_asked_again(
    home: Path, fake: tuple[Path, Starts]
) -> None:
    binary, starts = fake
    await interpreters.probe(str(binary))
    info = binary.stat()
    os.utime(binary, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    await interpreters.probe(str(binary))
    assert starts.count == 2


async def test_a_changed_standard_library_is_asked_again(
    home: Path, fake: tuple[Path, Starts]
) -> None:
    """python3.12-venv installed or removed: the stdlib folder gains or loses ensurepip."""
    binary, starts = fake
    await interpreters.probe(str(binary))
    (starts.stdlib / "ensurepip").mkdir()
    info = starts.stdlib.stat()  # a tick-coarse clock may not move; the folder did change
    os.utime(starts.stdlib, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    await interpreters.probe(str(binary))
    assert starts.count == 2


async def test_a_link_to_another_interpreter_is_asked_again(
    tmp_path: Path, home: Path, fake: tuple[Path, Starts]
) -> None:
    """`python3` repointed (update-alternatives, a venv rebuilt on another base)."""
    binary, starts = fake
    link = tmp_path / "bin" / "python3"
    link.parent.mkdir()
    link.symlink_to(binary)
    await interpreters.probe(str(link))
    other = _executable(tmp_path / "other" / "python3.13", b"\x7fELF another")
    link.unlink()
    link.symlink_to(other)
    await interpreters.probe(str(link))
    assert starts.count == 2


async def test_a_script_is_started_every_time(
    tmp_path: Path, home: Path, fake: tuple[Path, Starts]
) -> None:
    """A pyenv shim runs whichever version is selected now: its answer is never kept."""
    _, starts = fake
    shim = _executable(tmp_path / "shims" / "python3", b'#!/bin/sh\nexec python3 "$@"\n')
    await interpreters.probe(str(shim))
    await interpreters.probe(str(shim))
    assert starts.count == 2
    assert not (home / probe_cache.CACHE_NAME).exists()


async def test_a_damaged_cache_file_is_ignored_and_rewritten(
    home: Path, fake: tuple[Path, Starts]
) -> None:
    binary, starts = fake
    home.mkdir()
    (home / probe_cache.CACHE_NAME).write_text("{ not json")
    found = await interpreters.probe(str(binary))
    assert found is not None and starts.count == 1
    assert json.loads((home / probe_cache.CACHE_NAME).read_text())["format"] == 1


async def test_entries_of_interpreters_that_are_gone_are_dropped(
    tmp_path: Path, home: Path, fake: tuple[Path, Starts]
) -> None:
    binary, _ = fake
    gone = _executable(tmp_path / "tmpvenv" / "bin" / "python3.12", b"\x7fELF temporary")
    await interpreters.probe(str(gone))
    gone.unlink()
    await interpreters.probe(str(binary))
    kept = json.loads((home / probe_cache.CACHE_NAME).read_text())["interpreters"]
    assert list(kept) == [str(binary)]


async def test_the_real_interpreter_is_kept_and_matches_a_fresh_probe(home: Path) -> None:
    first = await interpreters.probe(sys.executable)
    assert probe_cache.lookup(sys.executable) is not None
    again = await interpreters.probe(sys.executable)
    assert first == again and first is not None
    assert first.version == tuple(sys.version_info[:3])


def test_pyenv_shims_on_path_are_not_candidates(tmp_path: Path) -> None:
    """They only run pyenv's own versions, which are searched directly, at a shell's cost."""
    root = tmp_path / "pyenv"
    shims = root / "shims"
    plugin_shims = root / "plugins" / "pyenv-virtualenv" / "shims"
    other = tmp_path / "bin"
    for folder in (shims, plugin_shims, other):
        _executable(folder / "python3.12", b"#!/bin/sh\nexit 127\n")
    version = _executable(root / "versions" / "3.12.1" / "bin" / "python3", b"\x7fELF")
    env = {"PATH": os.pathsep.join(map(str, (plugin_shims, shims, other))), "PYENV_ROOT": str(root)}
    assert interpreters.local_candidates(env) == [str(other / "python3.12"), str(version)]


def test_names_that_claim_an_accepted_version_are_tried_first() -> None:
    paths = [
        "/usr/bin/python3.11",
        "/usr/bin/python3",
        "/root/.pyenv/versions/3.13.0/bin/python3",
        "/root/.pyenv/versions/3.12.1/bin/python3",
        "/opt/uv/cpython-3.12.8-linux-x86_64-gnu/bin/python3",
    ]
    assert interpreters.by_name(paths, python_spec.KNOWN) == [
        "/root/.pyenv/versions/3.12.1/bin/python3",
        "/opt/uv/cpython-3.12.8-linux-x86_64-gnu/bin/python3",
        "/usr/bin/python3",
        "/usr/bin/python3.11",
        "/root/.pyenv/versions/3.13.0/bin/python3",
    ]


async def test_a_misnamed_interpreter_is_still_found_last(
    tmp_path: Path, home: Path, fake: tuple[Path, Starts]
) -> None:
    """Order only: a python3.11 that really is 3.12 is not ruled out by its name."""
    binary, starts = fake
    misnamed = tmp_path / "bin" / "python3.11"
    misnamed.parent.mkdir()
    misnamed.symlink_to(binary)
    env = {"PATH": str(misnamed.parent), "PYENV_ROOT": str(tmp_path / "none")}
    found = await interpreters.find_accepted(python_spec.KNOWN, None, interpreters.Search(), env)
    assert found is not None and found.path == str(misnamed) and starts.count == 1


async def test_uv_is_not_asked_where_its_pythons_are_when_one_here_fits(
    tmp_path: Path, home: Path, fake: tuple[Path, Starts], monkeypatch: pytest.MonkeyPatch
) -> None:
    binary, _ = fake
    asked: list[str | None] = []

    async def uv_dir(uv: str | None) -> Path | None:
        asked.append(uv)
        return None

    monkeypatch.setattr(interpreters, "uv_python_dir", uv_dir)
    wanted = PythonRequirement(">=3.12,<3.13", frozenset({"cp312"}), "test")
    env = {"PATH": str(binary.parent), "PYENV_ROOT": str(tmp_path / "none")}
    found = await interpreters.find_accepted(wanted, "/usr/bin/uv", interpreters.Search(), env)
    assert found is not None and asked == []
    env["PATH"] = str(tmp_path / "empty")
    assert (
        await interpreters.find_accepted(wanted, "/usr/bin/uv", interpreters.Search(), env) is None
    )
    assert asked == ["/usr/bin/uv"]
