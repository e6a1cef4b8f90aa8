"""What an online install will download, read from the resolver's PEP 751 lock (`uv pip compile
--format pylock.toml`): one file per package, the wheel this interpreter takes, its URL and hash.

Knowing the files before fetching them is what lets the install show bytes done of bytes total,
keep complete files for the next install and install offline from them afterwards.

The lock is TOML: read with `tomllib`, or `tomli` (the same parser) on Python 3.10.
"""

from __future__ import annotations

import json
import platform
import re
import sys
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..version_spec import normalize

_WHEEL = re.compile(r"^[^-]+-[^-]+(?:-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$")
_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_(.+)$")
_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


@dataclass(frozen=True)
class LockedFile:
    name: str  # normalised project name
    version: str
    url: str
    sha256: str | None
    size: int | None
    direct: bool  # a direct-URL requirement (PEP 751 `archive`), not an index file

    @property
    def filename(self) -> str:
        return urllib.parse.unquote(urllib.parse.urlparse(self.url).path.rsplit("/", 1)[-1])


@dataclass(frozen=True)
class Target:
    """The interpreter the wheels are for (the venv's Python on this machine)."""

    python: tuple[int, int]
    glibc: tuple[int, int] | None
    machine: str

    @classmethod
    def here(cls, python: tuple[int, int]) -> Target:
        lib, version = platform.libc_ver()
        parts = [int(p) for p in re.findall(r"\d+", version)[:2]]
        glibc = (parts[0], parts[1]) if lib == "glibc" and len(parts) == 2 else None
        return cls(python, glibc, platform.machine())


def _platform_rank(tag: str, target: Target) -> int | None:
    """Higher is more specific; None when this machine cannot run it."""
    if tag == "any":
        return 0
    if tag == f"linux_{target.machine}":
        return 1
    legacy = next((v for k, v in _LEGACY.items() if tag == f"{k}_{target.machine}"), None)
    found = _MANYLINUX.match(tag)
    floor = legacy or (
        (int(found[1]), int(found[2])) if found and found[3] == target.machine else None
    )
    if floor is None or target.glibc is None or floor > target.glibc:
        return None
    return 2 + floor[0] * 100 + floor[1]


def _python_rank(py: str, abi: str, target: Target) -> int | None:
    major, minor = target.python
    if py == f"cp{major}{minor}" and abi in (f"cp{major}{minor}", "abi3", "none"):
        return 3
    stable = re.fullmatch(rf"cp{major}(\d+)", py)
    if stable and abi == "abi3" and int(stable[1]) <= minor:
        return 2
    if py in (f"py{major}{minor}", f"py{major}", "py2.py3", f"py{major}.py2") and abi == "none":
        return 1
    return None


def wheel_rank(filename: str, target: Target) -> tuple[int, int] | None:
    """How well a wheel fits the target (None: it does not), from its compressed tag sets."""
    match = _WHEEL.match(filename)
    if not match:
        return None
    best: tuple[int, int] | None = None
    for py in match["py"].split("."):
        for abi in match["abi"].split("."):
            rank_py = _python_rank(py, abi, target) if "." not in py else None
            if rank_py is None and py in ("py2", "py3") and abi == "none":
                rank_py = 1 if py == f"py{target.python[0]}" else None
            if rank_py is None:
                continue
            for plat in match["plat"].split("."):
                rank_plat = _platform_rank(plat, target)
                if rank_plat is not None:
                    best = max(best or (rank_py, rank_plat), (rank_py, rank_plat))
    return best


def _file(entry: dict[str, Any], name: str, version: str, direct: bool) -> LockedFile:
    hashes = entry.get("hashes") or {}
    size = entry.get("size")
    # PEP 751: a remote file has a `url`, a local one (a wheel already fetched) a `path`.
    url = str(entry["url"]) if "url" in entry else Path(str(entry["path"])).absolute().as_uri()
    return LockedFile(name, version, url, hashes.get("sha256"), int(size) if size else None, direct)


def locked_files(lock: dict[str, Any], target: Target) -> list[LockedFile]:
    """One file per locked package: its best wheel, else its source archive; a package with no
    file this machine can use raises ValueError naming it."""
    out: list[LockedFile] = []
    for package in lock.get("packages", []):
        name, version = normalize(str(package["name"])), str(package.get("version", ""))
        if "archive" in package:
            out.append(_file(package["archive"], name, version, direct=True))
            continue
        ranked = []
        for wheel in package.get("wheels", []):
            locked = _file(wheel, name, version, direct=False)
            rank = wheel_rank(locked.filename, target)
            if rank is not None:
                ranked.append((rank, locked))
        if ranked:
            out.append(max(ranked, key=lambda pair: pair[0])[1])
        elif "sdist" in package:
            out.append(_file(package["sdist"], name, version, direct=False))
        else:
            raise ValueError(f"{name} {version} has no file for this machine in the lock")
    return out


CACHE_NAME = ".tt-lessons-lock-files.json"


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


def read_locked_files(lock: Path, target: Target) -> list[LockedFile]:
    """`locked_files` of the lock at `lock`. The answer is kept beside it as JSON, keyed by the
    lock's size and mtime and the target: parsing the TOML was a twentieth of a no-op repair,
    which reuses an unchanged lock."""
    cache = lock.with_name(CACHE_NAME)
    stat = lock.stat()
    key = [stat.st_size, stat.st_mtime_ns, list(target.python), target.glibc, target.machine]
    key = json.loads(json.dumps(key))  # tuples as lists, as they come back from the file
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved["key"] == key:
            return [LockedFile(**entry) for entry in saved["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, another lock's, or damaged: parse the lock itself
    files = locked_files(_read_toml(lock), target)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": key, "files": [asdict(f) for f in files]}), encoding="utf-8")
    tmp.replace(cache)
    return files
