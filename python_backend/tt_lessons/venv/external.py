"""An environment the person already has (a ~/tt-forge-venv, the tt-xla-slim container's Python).

The lesson runs in it as it is: tt-lessons never installs into it, repairs it or deletes it.
Everything here reads files only, like status does.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from .. import plugin
from ..errors import BackendError
from ..protocol import ErrorCode

# Docker writes /.dockerenv, podman /run/.containerenv. The slim image pip-installs the plugin
# into the system Python 3.12 (Dockerfile.release-ubuntu): /usr/local/lib/python3.12/dist-packages.
CONTAINER_MARKERS = ("/.dockerenv", "/run/.containerenv")
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3", "/usr/bin/python3.12")


def interpreter(path: str) -> Path:
    """The interpreter of an environment folder, or the interpreter itself when a file is named."""
    given = Path(path).expanduser().absolute()
    if given.is_dir():
        for name in ("bin/python", "bin/python3"):
            if (given / name).exists():
                return given / name
    elif given.is_file() and os.access(given, os.X_OK):
        return given
    raise BackendError(
        ErrorCode.PYTHON_NOT_FOUND,
        f"The external environment {given} has no Python interpreter (bin/python).",
        [
            "Point tenstorrent.ttXla.externalEnvironment at a venv folder (e.g. ~/tt-forge-venv) "
            "or at an interpreter (e.g. /usr/bin/python3 in the tt-xla-slim container).",
            "Or clear the setting to use the venv tt-lessons manages.",
        ],
    )


def site_packages(python: Path) -> list[Path]:
    """Where an interpreter's packages live, found from its folder without starting it."""
    root = python.parent.parent
    found = sorted(root.glob("lib/python3*/site-packages"))
    if (root / "pyvenv.cfg").exists():
        return found
    # A system interpreter: python3 -> python3.12 tells the version folder pip and apt use.
    name = python.resolve().name
    version = name.removeprefix("python") if name.startswith("python3.") else "3*"
    patterns = (
        f"/usr/local/lib/python{version}/dist-packages",
        f"/usr/lib/python{version}/dist-packages",
        "/usr/lib/python3/dist-packages",
        f"{root}/lib/python{version}/site-packages",
    )
    return [Path(p) for pattern in patterns for p in sorted(glob.glob(pattern))]


def has_plugin(sites: list[Path]) -> bool:
    dist = plugin.PLUGIN.replace("-", "_")
    return any(any(site.glob(f"{dist}-*.dist-info")) for site in sites)


def in_container() -> bool:
    return any(os.path.exists(marker) for marker in CONTAINER_MARKERS)


def container_python() -> str | None:
    """The system Python with pjrt-plugin-tt inside a container (the tt-xla-slim image's shape)."""
    if not in_container():
        return None
    for candidate in SYSTEM_PYTHONS:
        python = Path(candidate)
        if python.exists() and has_plugin(site_packages(python)):
            return candidate
    return None
