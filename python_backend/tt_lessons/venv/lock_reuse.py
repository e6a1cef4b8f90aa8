"""When the resolver can be skipped: an earlier lock made for exactly the same request.

Resolving online costs seconds even with every wheel cached (uv revalidates each index page over
the network), which is most of a repair and of a second install. Two locks are reused:
- the venv's own, when the request is unchanged: a repair keeps the versions the venv has, as
  `uv pip install` on a ready venv always did (it never upgrades what is satisfied);
- one made for the same request by any venv within FRESH_S, so a second install right after the
  first (another venv, "install again") does not resolve twice. After that the index is asked
  again, so new releases still arrive.
The request is the resolver's whole input: interpreter, flags, requirement lines and overrides.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

KEY_NAME = ".tt-lessons-lock-key"
FRESH_S = 600.0


def request_key(python: Path, flags: list[str], packages: list[str], overrides: str) -> str:
    """A digest of everything the resolver reads (the interpreter by the file it resolves to)."""
    material = {
        "python": os.path.realpath(python),
        "flags": flags,
        "packages": packages,
        "overrides": overrides,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _shared(store: Path, key: str) -> Path:
    return store / f"{key}.toml"


def reusable(lock: Path, key: str, store: Path, now: float | None = None) -> str | None:
    """Put a reusable lock at `lock` and say where it came from; None when the resolver must run."""
    mine = lock.with_name(KEY_NAME)
    if lock.is_file() and mine.is_file() and mine.read_text(encoding="utf-8") == key:
        return "this venv's lock for the same request (versions kept)"
    shared = _shared(store, key)
    try:
        age = (time.time() if now is None else now) - shared.stat().st_mtime
    except FileNotFoundError:
        return None
    if not 0 <= age < FRESH_S:
        return None
    shutil.copyfile(shared, lock)
    mine.write_text(key, encoding="utf-8")
    return f"a lock resolved {age:.0f} s ago for the same request"


def remember(lock: Path, key: str, store: Path) -> None:
    """Record a fresh resolution for this venv and for the next install of the same request."""
    lock.with_name(KEY_NAME).write_text(key, encoding="utf-8")
    store.mkdir(parents=True, exist_ok=True)
    tmp = _shared(store, key).with_suffix(".tmp")
    shutil.copyfile(lock, tmp)
    tmp.replace(_shared(store, key))  # whole or absent: a reader never sees half a lock


def forget(lock: Path) -> None:
    """A failed resolution leaves no key behind that would make its stale lock look current."""
    lock.with_name(KEY_NAME).unlink(missing_ok=True)
