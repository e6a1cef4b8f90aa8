"""The one resolver call an install makes: what it asks for, its flags and environment, and what
its failure means for the person (uv first, pip when there is no uv)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import plugin
from ..protocol import InstallParams
from . import plugin_metadata
from .layout import VenvLayout
from .packages import WORKLOAD_PACKAGES

PLUGIN = plugin.PLUGIN


def requested_packages(
    params: InstallParams, pin_jax: bool = False, plugin_version: str | None = None
) -> list[str]:
    """With the plugin, its own Requires-Dist pins jax; CPU-only asks for the same pin itself."""
    if not params.cpu_only:
        wanted = f"{PLUGIN}=={plugin_version}" if plugin_version else PLUGIN
        return [wanted, *WORKLOAD_PACKAGES]
    pins = list(plugin.JAX_PINS) if pin_jax else []
    return [*pins, *WORKLOAD_PACKAGES]


def reported_packages(requested: list[str]) -> list[str]:
    """Names (no pins) that must be installed once the resolver is done."""
    return [re.split(r"[=<>!~ ]", req, maxsplit=1)[0] for req in requested]


# Reported when present (jax pulls jaxlib in), without failing the install when absent.
ALSO_REPORTED = ("jaxlib",)


def find_uv() -> str | None:
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def wheelhouse_has_plugin(wheelhouse: str | None) -> bool:
    if not wheelhouse:
        return False
    return any(Path(wheelhouse).glob("pjrt_plugin_tt-*.whl"))


def index_args(params: InstallParams, use_index: bool, uv: bool) -> list[str]:
    """Resolver flags. The TT index is an extra index (uv checks it first), never the only one."""
    args: list[str] = []
    if params.wheelhouse:
        args += ["--find-links", str(Path(params.wheelhouse).expanduser().absolute())]
    if params.offline:  # only what the person named: wheelhouse and index, never PyPI
        args += ["--index-url", params.index_url] if use_index else ["--no-index"]
    elif use_index:
        args += ["--extra-index-url", params.index_url]
    if params.pre:
        args += ["--prerelease", "allow"] if uv else ["--pre"]
    if params.reinstall:  # a broken .so with the right version number is "already satisfied"
        args += ["--reinstall"] if uv else ["--force-reinstall"]
    return args


def install_argv(
    params: InstallParams,
    layout: VenvLayout,
    uv: str | None,
    use_index: bool,
    pin_jax: bool = False,
    deps: UrlDeps | None = None,
) -> list[str]:
    deps = deps or UrlDeps()
    packages = requested_packages(params, pin_jax, deps.plugin_version)
    if uv:
        overrides = ["--override", str(deps.override_file)] if deps.override_file else []
        return [
            uv,
            "pip",
            "install",
            "--python",
            str(layout.python),
            *index_args(params, use_index, True),
            *overrides,
            *packages,
        ]
    return [
        str(layout.python),
        "-m",
        "pip",
        "install",
        "--progress-bar",
        "off",
        "--disable-pip-version-check",
        *index_args(params, use_index, False),
        *packages,
        *deps.direct,
    ]


@dataclass(frozen=True)
class UrlDeps:
    """How the plugin's direct-URL requirements reach the resolver, and which plugin they are of."""

    override_file: Path | None = None  # uv: `--override` lines
    direct: tuple[str, ...] = ()  # pip: extra direct requirements
    plugin_version: str | None = None  # the version whose metadata was read: asked for exactly


async def url_dependencies(
    params: InstallParams, layout: VenvLayout, uv: str | None, use_index: bool, python_tag: str
) -> UrlDeps:
    """From a wheelhouse that holds their wheels, `name @ file://…` (uv only: pip keeps following
    the URL). Otherwise the lines of the plugin the index offers this Python, as written; that
    version is then asked for exactly, so what is installed is what was read (and `--pre` on a
    venv that has 1.4.0 does move to the nightly)."""
    if params.cpu_only:
        return UrlDeps()
    lines = plugin_metadata.wheelhouse_overrides(params.wheelhouse) if params.wheelhouse else []
    version = None
    if not lines and use_index:
        found = await plugin_metadata.offered(params.index_url, params.pre, python_tag)
        if found:
            lines, version = found.url_lines, found.version
    if not uv:
        return UrlDeps(direct=tuple(lines) if version else (), plugin_version=version)
    if not lines:
        return UrlDeps(plugin_version=version)
    path = layout.root / ".tt-lessons-overrides.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return UrlDeps(override_file=path, plugin_version=version)
