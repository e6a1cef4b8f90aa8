"""What starting an interpreter told us, kept between runs so a warm install need not ask again.

Starting a Python to ask its version costs 20-50 ms, and a pyenv shim several hundred; an
install asks several. An answer is reused while nothing it depends on has changed: the file the
path resolves to (its real path, mtime and size: an upgrade or reinstall replaces it) and its
standard library folder (its mtime changes when `venv` or `ensurepip` is added or removed, as
Debian's python3.X-venv package does). A script on the path (a pyenv shim, a wrapper) decides
what runs each time it starts, so its answer is never kept. The file lives in the backend's own
folder (layout.state_home); a damaged or foreign one is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .layout import state_home

CACHE_NAME = "interpreters.json"
_FORMAT = 1


@dataclass(frozen=True)
class Answer:
    version: tuple[int, int, int]
    has_venv: bool


def cache_file() -> Path:
    return state_home() / CACHE_NAME


def _file_stamp(path: str) -> dict[str, Any] | None:
    """Where `path` really leads and that file's mtime and size; None for a script or no file."""
    real = os.path.realpath(path)
    try:
        with open(real, "rb") as handle:
            if handle.read(2) == b"#!":
                return None
            info = os.fstat(handle.fileno())
    except OSError:
        return None
    return {"real": real, "mtime_ns": info.st_mtime_ns, "size": info.st_size}


def _dir_mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _read() -> dict[str, Any]:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    entries = data.get("interpreters")
    return entries if isinstance(entries, dict) else {}


def lookup(path: str) -> Answer | None:
    """The kept answer for `path`, when the interpreter and its stdlib are as they were."""
    entry = _read().get(path)
    stamp = _file_stamp(path)
    if not isinstance(entry, dict) or stamp is None:
        return None
    if any(entry.get(key) != value for key, value in stamp.items()):
        return None
    if _dir_mtime(str(entry.get("stdlib", ""))) != entry.get("stdlib_mtime_ns"):
        return None
    try:
        major, minor, micro = (int(v) for v in entry["version"])
        return Answer((major, minor, micro), bool(entry["venv"]))
    except (KeyError, TypeError, ValueError):
        return None


def remember(path: str, answer: Answer, stdlib: str) -> None:
    """Keep the answer (best effort: a read-only home only means asking again next time)."""
    stamp = _file_stamp(path)
    stdlib_mtime = _dir_mtime(stdlib)
    if stamp is None or stdlib_mtime is None:
        return
    # Entries for interpreters that are gone (temporary venvs, uninstalled versions) are dropped.
    entries = {p: e for p, e in _read().items() if p != path and os.path.exists(p)}
    entries[path] = {
        **stamp,
        "stdlib": stdlib,
        "stdlib_mtime_ns": stdlib_mtime,
        "version": list(answer.version),
        "venv": answer.has_venv,
    }
    _write({"format": _FORMAT, "interpreters": entries})


def _write(data: dict[str, Any]) -> None:
    target = cache_file()
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed over the old one: a reader never sees half a file.
        fd, temp = tempfile.mkstemp(prefix=".interpreters-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
            os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
