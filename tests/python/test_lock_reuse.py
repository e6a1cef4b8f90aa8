"""When the installer skips the resolver: the venv's own lock for an unchanged request, or a lock
for the same request made minutes ago; anything else in the request resolves again."""

from __future__ import annotations

import os
from pathlib import Path

from tt_lessons.venv import lock_reuse
from tt_lessons.venv.lock_reuse import FRESH_S, KEY_NAME, remember, request_key, reusable


def _python(tmp_path: Path) -> Path:
    real = tmp_path / "base" / "python3.12"
    real.parent.mkdir(parents=True)
    real.write_text("")
    return real


def _venv_with_lock(tmp_path: Path, name: str, text: str = "lock-version = '1.0'\n") -> Path:
    lock = tmp_path / name / "pylock.tt-lessons.toml"
    lock.parent.mkdir(parents=True)
    lock.write_text(text)
    return lock


def test_the_key_changes_with_every_input_the_resolver_reads(tmp_path: Path) -> None:
    py = _python(tmp_path)
    base = request_key(py, ["--extra-index-url", "X"], ["jax==0.7.1", "flax"], "")
    assert base == request_key(py, ["--extra-index-url", "X"], ["jax==0.7.1", "flax"], "")
    other_py = tmp_path / "base" / "python3.11"
    other_py.write_text("")
    assert base != request_key(other_py, ["--extra-index-url", "X"], ["jax==0.7.1", "flax"], "")
    assert base != request_key(
        py, ["--extra-index-url", "X", "--prerelease", "allow"], ["jax==0.7.1", "flax"], ""
    )
    assert base != request_key(py, ["--extra-index-url", "X"], ["jax", "flax"], "")
    assert base != request_key(
        py, ["--extra-index-url", "X"], ["jax==0.7.1", "flax"], "torch @ file:///a"
    )


def test_a_venv_symlinked_to_the_same_interpreter_has_the_same_key(tmp_path: Path) -> None:
    py = _python(tmp_path)
    link = tmp_path / "venv" / "bin" / "python"
    link.parent.mkdir(parents=True)
    link.symlink_to(py)
    assert request_key(link, [], ["jax"], "") == request_key(py, [], ["jax"], "")


def test_a_repair_reuses_the_venvs_own_lock_only_for_the_same_request(tmp_path: Path) -> None:
    store = tmp_path / "locks"
    lock = _venv_with_lock(tmp_path, "venv")
    assert reusable(lock, "k1", store) is None  # no key recorded: resolve
    remember(lock, "k1", store)
    assert "this venv's lock" in (reusable(lock, "k1", store) or "")
    # Long after the shared copy went stale, the venv's own lock still serves its own request.
    assert reusable(lock, "k1", store, now=os.stat(lock).st_mtime + 10 * FRESH_S)
    assert reusable(lock, "k2", store) is None  # the request changed


def test_another_venv_reuses_a_fresh_lock_for_the_same_request_and_not_a_stale_one(
    tmp_path: Path,
) -> None:
    store = tmp_path / "locks"
    first = _venv_with_lock(tmp_path, "venv1", "resolved = 1\n")
    remember(first, "k", store)
    second = tmp_path / "venv2" / "pylock.tt-lessons.toml"
    second.parent.mkdir()
    made = (store / "k.toml").stat().st_mtime
    assert reusable(second, "k", tmp_path / "elsewhere") is None
    assert reusable(second, "k", store, now=made + FRESH_S) is None  # stale: ask the index again
    assert not second.exists()
    said = reusable(second, "k", store, now=made + 30)
    assert said == "a lock resolved 30 s ago for the same request"
    assert second.read_text() == "resolved = 1\n"
    assert (second.parent / KEY_NAME).read_text() == "k"  # now the venv's own for a repair


def test_a_resolution_that_failed_leaves_no_key_to_trust(tmp_path: Path) -> None:
    store = tmp_path / "locks"
    lock = _venv_with_lock(tmp_path, "venv")
    remember(lock, "k", store)
    lock_reuse.forget(lock)
    (store / "k.toml").unlink()
    assert reusable(lock, "k", store) is None
