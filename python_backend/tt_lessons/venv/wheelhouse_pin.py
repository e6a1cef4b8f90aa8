"""An offline CPU-only install asks for the plugin's jax pin; say so before uv does when the
wheelhouse cannot give it.

A folder made by `pip download jax flax ...` (not by `tt-lessons wheelhouse --cpu-only`) holds the
newest jax, or a jaxlib built for another Python. uv would then fail with "no version of
jax==0.7.1", and installing again could never help. Checked before anything is written, from the
wheel file names alone; the error names what the folder has and the two real cures.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import plugin
from ..errors import BackendError, open_settings_action
from ..protocol import CommandId, ErrorCode, FixAction, InstallParams
from ..version_spec import normalize
from .interpreters import Interpreter
from .python_spec import tag_accepts

_WHEEL = re.compile(
    r"^(?P<dist>[^-]+)-(?P<version>[^-]+)(?:-\d[^-]*)?-(?P<py>[^-]+)-[^-]+-[^-]+\.whl$"
)


def _wheels(folder: Path, dist: str) -> list[tuple[str, frozenset[str]]]:
    """(version, python tags) of each wheel of `dist` in the folder."""
    found = []
    for path in sorted(folder.glob("*.whl")):
        match = _WHEEL.match(path.name)
        if match and normalize(match.group("dist")) == dist:
            found.append((match.group("version"), frozenset(match.group("py").split("."))))
    return found


def _usable(wheels: list[tuple[str, frozenset[str]]], python: Interpreter) -> list[str]:
    return [v for v, tags in wheels if any(tag_accepts(t, python.version) for t in tags)]


def missing_pin(folder: Path, python: Interpreter) -> str | None:
    """What the folder has instead of the pin for this Python, or None when it has the pin."""
    jax = _usable(_wheels(folder, "jax"), python)
    jaxlib_all = _wheels(folder, "jaxlib")
    jaxlib = _usable(jaxlib_all, python)
    if plugin.JAX_VERSION in jax and plugin.JAX_VERSION in jaxlib:
        return None
    minor = f"{python.version[0]}.{python.version[1]}"
    if plugin.JAX_VERSION in jax and any(v == plugin.JAX_VERSION for v, _ in jaxlib_all):
        return f"jaxlib {plugin.JAX_VERSION} only for another Python than {minor}"
    have = sorted(set(jax), key=_release_key)
    return f"jax {', '.join(have)}" if have else "no jax"


def _release_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version.split("+")[0])[:4])


def pin_missing_error(folder: Path, python: Interpreter, has: str) -> BackendError:
    minor = f"{python.version[0]}.{python.version[1]}"
    return BackendError(
        ErrorCode.INSTALL_FAILED,
        f"The wheelhouse {folder} has {has}, not the jax {plugin.JAX_VERSION} (with its jaxlib "
        f"for Python {minor}) that {plugin.PLUGIN} pins, and an offline install cannot download "
        "it.",
        [
            "Use the jax the folder has: tt-lessons install --cpu-only --offline --latest-jax "
            f"--wheelhouse {folder} (in VS Code, the tenstorrent.ttXla.latestJax setting).",
            "Or rebuild the folder where PyPI is reachable: tt-lessons wheelhouse --cpu-only "
            f"--python-version {minor} {folder}",
        ],
        [
            FixAction(
                label="Install with the folder's jax",
                command=CommandId.INSTALL_TT_XLA,
                args={"cpuOnly": True, "latestJax": True},
            ),
            FixAction(
                label="Rebuild the wheelhouse",
                command=CommandId.BUILD_WHEELHOUSE,
                args={"cpuOnly": True, "pythonVersion": minor},
            ),
            open_settings_action("latestJax"),
        ],
    )


def check(params: InstallParams, python: Interpreter, pin_jax: bool) -> None:
    """Raise the clear error when an offline pinned CPU-only install's folder lacks the pin."""
    if not (params.cpu_only and params.offline and params.wheelhouse and pin_jax):
        return
    folder = Path(params.wheelhouse).expanduser().absolute()
    has = missing_pin(folder, python)
    if has is not None:
        raise pin_missing_error(folder, python, has)
