"""Prerequisite checks before an install touches anything, each failing with its own fix."""

from __future__ import annotations

import asyncio
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..errors import (
    BackendError,
    choose_wheelhouse_action,
    install_action,
    open_settings_action,
    set_index_url_action,
)
from ..protocol import ErrorCode


def validate_index_url(url: str) -> str:
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in ("http", "https", "file"):
        raise BackendError(
            ErrorCode.BAD_INPUT,
            f"Index URL {url!r} must start with http://, https:// or file://.",
            ["Fix the tenstorrent.ttXla.indexUrl setting (or --index-url)."],
        )
    return url


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
        [
            install_action(cpu_only=True),
            choose_wheelhouse_action(),
            set_index_url_action(),
            open_settings_action("indexUrl"),
        ],
    )
