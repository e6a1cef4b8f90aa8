"""Find a Python the plugin accepts: the configured one, one already on the machine, or uv's.

Every candidate is started once to ask its version, so a shim that exits 127 or a dangling link
is skipped instead of trusted; the answer is kept (probe_cache) while the file is unchanged.
pyenv's own versions folder is searched directly, as is uv's managed-Python folder, because
neither is on PATH; pyenv's shims on PATH are not started at all: they only ever run one of
those versions (or the system Python, which PATH has anyway), and each start costs a shell.
Candidates whose name says an accepted version (python3.12, versions/3.12.1) are tried first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    BackendError,
    install_action,
    open_settings_action,
    set_python_path_action,
)
from ..protocol import ErrorCode
from ..run_sink import RunSink
from ..runner import capture, run_child
from . import probe_cache
from .python_spec import PythonRequirement

MIN_PYTHON = (3, 10)
_PROBE = (
    "import json, os, sys, importlib.util as u;"
    " print(json.dumps({'version': list(sys.version_info[:3]),"
    " 'venv': u.find_spec('venv') is not None and u.find_spec('ensurepip') is not None,"
    " 'stdlib': os.path.dirname(os.__file__), 'executable': sys.executable}))"
)
_NAMES = ("python3.13", "python3.12", "python3.11", "python3.10", "python3", "python")


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: tuple[int, int, int]
    has_venv: bool

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


@dataclass
class Search:
    """What was tried, for the message when nothing fits."""

    tried: list[str] = field(default_factory=list)

    def note(self, path: str, what: str) -> None:
        self.tried.append(f"{path} ({what})")


async def probe(path: str, search: Search | None = None) -> Interpreter | None:
    """Start the interpreter; None when it does not run (a broken shim, a missing file)."""
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return None
    kept = probe_cache.lookup(path)
    if kept is not None:
        return Interpreter(path, kept.version, kept.has_venv)
    try:
        code, out, err = await capture([path, "-I", "-c", _PROBE], timeout_s=30)
    except OSError as exc:
        if search:
            search.note(path, f"did not start: {exc}")
        return None
    if code != 0:
        if search:
            first = next((ln for ln in err.splitlines() if ln.strip()), f"exit {code}")
            search.note(path, f"did not run: {first.strip()[:120]}")
        return None
    try:
        info = json.loads(out.strip().splitlines()[-1])
        major, minor, micro = (int(v) for v in info["version"])
    except (ValueError, KeyError, IndexError):
        return None
    answer = probe_cache.Answer((major, minor, micro), bool(info["venv"]))
    probe_cache.remember(path, answer, str(info.get("stdlib", "")))
    return Interpreter(path, answer.version, answer.has_venv)


def pyenv_root(env: dict[str, str] | None = None) -> Path:
    """pyenv keeps its versions here; its shims on PATH only run the global version."""
    root = (os.environ if env is None else env).get("PYENV_ROOT")
    return Path(root or "~/.pyenv").expanduser()


def _is_pyenv_shims(folder: str, root: Path) -> bool:
    """<root>/shims, or a plugin's (<root>/plugins/pyenv-virtualenv/shims)."""
    where = Path(os.path.abspath(os.path.expanduser(folder)))
    root = Path(os.path.abspath(root))
    if where.name != "shims":
        return False
    return where.parent == root or where.parent.parent == root / "plugins"


def _path_candidates(env: dict[str, str]) -> Iterable[str]:
    root = pyenv_root(env)
    for folder in env.get("PATH", "").split(os.pathsep):
        if not folder or _is_pyenv_shims(folder, root):
            continue
        for name in _NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                yield candidate


def _versions_under(root: Path) -> Iterable[str]:
    """<root>/<version>/bin/python3, newest first (pyenv and uv both lay versions out so)."""
    if not root.is_dir():
        return
    found = [p for p in root.glob("*/bin/python3") if p.is_file()]
    yield from (
        str(p)
        for p in sorted(found, key=lambda p: _version_key(p.parent.parent.name), reverse=True)
    )


def _version_key(name: str) -> tuple[int, ...]:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", name)
    return tuple(int(g or 0) for g in match.groups()) if match else (0,)


def named_version(path: str) -> tuple[int, int] | None:
    """The version a path's name claims: python3.12, or <versions>/3.12.1/bin/python3."""
    for part in (os.path.basename(path), os.path.basename(os.path.dirname(os.path.dirname(path)))):
        match = re.search(r"(?:^python|^|-)(\d+)\.(\d+)(?:\.\d+)?(?:$|-)", part)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def by_name(paths: list[str], requirement: PythonRequirement) -> list[str]:
    """Names that claim an accepted version first, names that claim none next, the rest last.

    Only an order: every path is still tried, so a misnamed interpreter is found in the end.
    """

    def rank(path: str) -> int:
        claimed = named_version(path)
        if claimed is None:
            return 1
        return 0 if requirement.accepts_minor(*claimed) else 2

    return sorted(paths, key=rank)  # stable: PATH order, then pyenv's newest first, stays


async def uv_python_dir(uv: str | None) -> Path | None:
    if not uv:
        return None
    code, out, _ = await capture([uv, "python", "dir"], timeout_s=30)
    return Path(out.strip()) if code == 0 and out.strip() else None


def _unique(paths: Iterable[str], seen: set[str]) -> list[str]:
    """Each interpreter once, however many links lead to it (`seen` spans several calls)."""
    unique = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def local_candidates(env: dict[str, str], seen: set[str] | None = None) -> list[str]:
    """PATH (every folder, not only the first hit), then pyenv's versions."""
    ordered = [*_path_candidates(env), *_versions_under(pyenv_root(env) / "versions")]
    return _unique(ordered, set() if seen is None else seen)


def _resolve(path: str) -> str | None:
    found = shutil.which(path) if not os.path.isabs(path) else path
    return found if found and os.path.exists(found) else None


async def configured(path: str | None) -> Interpreter:
    """The interpreter the person named (or the backend's own); a clear error if unusable."""
    wanted = path or sys.executable
    resolved = _resolve(wanted)
    if resolved is None:
        raise BackendError(
            ErrorCode.PYTHON_NOT_FOUND,
            f"Python interpreter {wanted!r} was not found.",
            ["Install Python 3.12, or point tenstorrent.ttXla.pythonPath (--python) at one."],
        )
    search = Search()
    found = await probe(resolved, search)
    if found is None:
        why = search.tried[0] if search.tried else resolved
        raise BackendError(
            ErrorCode.PYTHON_NOT_FOUND,
            f"Python interpreter {why}.",
            ["Choose another interpreter with tenstorrent.ttXla.pythonPath (or --python)."],
        )
    if found.version[:2] < MIN_PYTHON:
        raise BackendError(
            ErrorCode.PYTHON_UNSUPPORTED,
            f"{resolved} is Python {found.version_text}; tt-lessons needs Python 3.10 or newer.",
            ["Install Python 3.12 and select it with tenstorrent.ttXla.pythonPath (or --python)."],
        )
    return found


async def _first_accepted(
    paths: list[str], requirement: PythonRequirement, search: Search
) -> Interpreter | None:
    for path in by_name(paths, requirement):
        found = await probe(path, search)
        if found is None:
            continue
        if requirement.accepts(found.version):
            return found
        search.note(path, f"Python {found.version_text}")
    return None


async def find_accepted(
    requirement: PythonRequirement,
    uv: str | None,
    search: Search,
    env: dict[str, str] | None = None,
) -> Interpreter | None:
    """The first accepted interpreter on PATH or under pyenv; uv's own only when none is
    (asking uv where it keeps them starts uv, so that is only paid when it can help)."""
    env = dict(os.environ) if env is None else env
    seen: set[str] = set()
    found = await _first_accepted(local_candidates(env, seen), requirement, search)
    if found is not None or not uv:
        return found
    managed = await uv_python_dir(uv)
    if managed is None:
        return None
    return await _first_accepted(_unique(_versions_under(managed), seen), requirement, search)


async def download(
    minor: str, uv: str, sink: RunSink, timeout_s: float | None
) -> Interpreter | None:
    """`uv python install` a managed CPython; its own output streams to the run as it comes."""
    env = dict(os.environ)
    env.pop("UV_PYTHON_DOWNLOADS", None)
    env["UV_NO_PROGRESS"] = "1"
    code = await run_child(
        [uv, "python", "install", minor], sink, env=env, timeout_s=timeout_s, parse_events=False
    )
    if code != 0:
        return None
    managed = await uv_python_dir(uv)
    for path in _versions_under(managed) if managed else ():
        found = await probe(path)
        if found and f"{found.version[0]}.{found.version[1]}" == minor:
            return found
    return None


def none_fits_error(
    requirement: PythonRequirement,
    search: Search,
    *,
    uv: str | None,
    download_refused: bool,
    download_failed: bool,
) -> BackendError:
    minor = requirement.wanted_minor() or "3.12"
    tried = "; ".join(search.tried[:8]) or "nothing usable on PATH or under pyenv"
    fixes = [
        f"Install Python {minor} with its venv module (Ubuntu: sudo apt install python{minor} "
        f"python{minor}-venv; on Ubuntu 22.04 from the deadsnakes PPA), then install again.",
        "Or point tenstorrent.ttXla.pythonPath (tt-lessons install --python PATH) at a "
        f"Python {minor}.",
    ]
    if uv and download_refused:
        fixes.append(
            f"Or let tt-lessons download a managed CPython {minor} with uv "
            "(turn on tenstorrent.ttXla.pythonDownload; on the command line, leave out "
            "--no-python-download)."
        )
    elif not uv:
        fixes.append(f"Or install uv (pip install uv): it can download a CPython {minor} for you.")
    fixes.append(
        "No Tenstorrent card here? Install CPU-only (tenstorrent.ttXla.cpuOnly, --cpu-only): "
        "it runs on any Python 3.10+."
    )
    why = " The download did not succeed (see the log above)." if download_failed else ""
    return BackendError(
        ErrorCode.PYTHON_UNSUPPORTED,
        f"pjrt-plugin-tt needs Python {requirement.describe()} (read from {requirement.source}), "
        f"and none was found. Tried: {tried}.{why} Nothing was changed.",
        fixes,
        [
            set_python_path_action(),
            install_action(cpu_only=True),
            open_settings_action("pythonDownload" if uv and download_refused else "pythonPath"),
        ],
    )
