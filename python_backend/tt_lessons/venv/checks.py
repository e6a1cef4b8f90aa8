"""Prerequisite checks before an install touches anything, each failing with its own fix."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import BackendError
from ..protocol import ErrorCode
from ..runner import capture

MIN_PYTHON = (3, 10)
_PROBE = (
    "import json, sys, importlib.util as u; "
    "print(json.dumps({'version': list(sys.version_info[:3]),"
    " 'venv': u.find_spec('venv') is not None and u.find_spec('ensurepip') is not None}))"
)


@dataclass(frozen=True)
class BasePython:
    path: str
    version: tuple[int, int, int]
    has_venv: bool

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


def validate_index_url(url: str) -> str:
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in ("http", "https", "file"):
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"Index URL {url!r} must start with http://, https:// or file://.",
            ["Fix the tenstorrent.ttXla.indexUrl setting (or --index-url)."],
        )
    return url


async def find_base_python(requested: str | None) -> BasePython:
    path = requested or sys.executable
    resolved = shutil.which(path) if not os.path.isabs(path) else path
    if not resolved or not os.path.exists(resolved):
        raise BackendError(
            ErrorCode.PYTHON_NOT_FOUND,
            f"Python interpreter {path!r} was not found.",
            ["Install Python 3.10 or newer, or point tenstorrent.ttXla.pythonPath at one."],
        )
    code, out, err = await capture([resolved, "-I", "-c", _PROBE], timeout_s=30)
    if code != 0:
        raise BackendError(
            ErrorCode.PYTHON_NOT_FOUND,
            f"Python interpreter {resolved} did not start: {err.strip()[-300:]}",
            ["Choose another interpreter with tenstorrent.ttXla.pythonPath (or --python)."],
        )
    info = json.loads(out.strip().splitlines()[-1])
    version = tuple(info["version"])
    base = BasePython(resolved, (version[0], version[1], version[2]), bool(info["venv"]))
    if base.version[:2] < MIN_PYTHON:
        raise BackendError(
            ErrorCode.PYTHON_UNSUPPORTED,
            f"{resolved} is Python {base.version_text}; TT-XLA needs Python 3.10 or newer.",
            ["Install Python 3.10+ and select it with tenstorrent.ttXla.pythonPath (or --python)."],
        )
    return base


def require_venv_module(base: BasePython) -> None:
    """pip's path needs `venv` + `ensurepip` (Debian ships them separately); uv does not."""
    if not base.has_venv:
        minor = f"{base.version[0]}.{base.version[1]}"
        raise BackendError(
            ErrorCode.VENV_MODULE_MISSING,
            f"{base.path} has no working `venv` module (ensurepip is missing).",
            [
                f"On Debian/Ubuntu: sudo apt install python{minor}-venv",
                "Or install uv: pip install uv",
            ],
        )


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(target: Path) -> None:
    where = _nearest_existing(target)
    if not os.access(where, os.W_OK | os.X_OK):
        raise BackendError(
            ErrorCode.PERMISSION_DENIED,
            f"Permission denied: cannot write to {where} (needed for the venv at {target}).",
            ["Choose a venv folder you own (tenstorrent.ttXla.venvPath or --venv)."],
        )


def min_free_mb(cpu_only: bool) -> int:
    override = os.environ.get("TT_LESSONS_MIN_FREE_MB")
    if override:
        return int(override)
    return 1500 if cpu_only else 3000


def check_disk(target: Path, need_mb: int) -> None:
    free_mb = shutil.disk_usage(_nearest_existing(target)).free // (1 << 20)
    if free_mb < need_mb:
        raise BackendError(
            ErrorCode.NO_DISK_SPACE,
            f"Only {free_mb} MB free where the venv goes ({target}); the install needs about "
            f"{need_mb} MB.",
            ["Free some disk space, or choose a venv folder on another disk."],
        )


def _probe_url(url: str, timeout_s: float) -> str | None:
    """None when the index answers, else the reason it did not."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "file":
        path = urllib.request.url2pathname(parsed.path)
        return None if os.path.isdir(path) else f"folder {path} does not exist"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            response.read(1)
        return None
    except urllib.error.HTTPError as exc:
        return None if exc.code < 500 else f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return str(reason)


async def index_unreachable_reason(url: str, timeout_s: float = 8.0) -> str | None:
    return await asyncio.to_thread(_probe_url, url, timeout_s)


def index_unreachable_error(url: str, reason: str) -> BackendError:
    return BackendError(
        ErrorCode.INDEX_UNREACHABLE,
        f"Tenstorrent's package index {url} could not be reached ({reason}). pjrt-plugin-tt "
        "is published there, so it cannot be installed from this machine right now.",
        [
            "Offline? Download the pjrt-plugin-tt wheel where the index is reachable and set "
            "tenstorrent.ttXla.wheelhouse to its folder (tt-lessons install --wheelhouse DIR).",
            "No Tenstorrent card here? Install in CPU-only mode (tenstorrent.ttXla.cpuOnly, or "
            "tt-lessons install --cpu-only): JAX then runs on its CPU backend.",
            "Behind a mirror? Set tenstorrent.ttXla.indexUrl (or --index-url) to it.",
        ],
    )
