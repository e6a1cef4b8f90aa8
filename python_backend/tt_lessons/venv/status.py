"""Fast status: reads files only (manifest, pyvenv.cfg, dist-info names); starts no interpreter."""

from __future__ import annotations

import glob
import os
import re
import shutil
from pathlib import Path

from .. import __version__
from ..chips import host_description, read_nodes
from ..plugin import PLUGIN
from ..protocol import REPORTED_PACKAGES, StatusResult, VenvState, VersionsResult
from ..version_spec import normalize
from . import external, manifest, sfpi
from .layout import VenvLayout

_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+)\.dist-info$")


def installed_versions(layout: VenvLayout) -> dict[str, str]:
    found: dict[str, str] = {}
    for site in layout.site_packages():
        for entry in site.glob("*.dist-info"):
            match = _DIST_INFO.match(entry.name)
            if match:
                found[normalize(match.group("name"))] = match.group("version")
    return found


def dist_versions(sites: list[Path]) -> dict[str, str]:
    """Normalized name -> version of every distribution in `sites`; the first one found wins."""
    found: dict[str, str] = {}
    for site in sites:
        for entry in site.glob("*.dist-info"):
            match = _DIST_INFO.match(entry.name)
            if match:
                found.setdefault(normalize(match.group("name")), match.group("version"))
    return found


def package_versions(venv: str, external_env: str | None = None) -> VersionsResult:
    """Every package in the environment the lesson uses, read from its files like status."""
    if external_env:
        python = external.interpreter(external_env)
        root = str(Path(external_env).expanduser().absolute())
        return VersionsResult(venv=root, packages=dist_versions(external.site_packages(python)))
    layout = VenvLayout.at(venv)
    return VersionsResult(venv=str(layout.root), packages=installed_versions(layout))


def venv_state(layout: VenvLayout) -> tuple[VenvState, str | None]:
    if not layout.exists() or layout.is_empty_dir():
        return VenvState.MISSING, None
    current = manifest.read(layout)
    if current is None:
        if layout.manifest.exists():
            return VenvState.INCOMPLETE, "The manifest is unreadable; reinstall to repair."
        return VenvState.FOREIGN, "This folder was not made by tt-lessons."
    if current.state != "ready":
        return VenvState.INCOMPLETE, current.note or "An install did not finish."
    if not layout.python.exists():
        return VenvState.INCOMPLETE, f"{layout.python} is missing; reinstall to repair."
    return VenvState.READY, None


def tt_devices(dev: str = "/dev") -> list[str]:
    """One entry per Tenstorrent chip node: tt-kmd makes /dev/tenstorrent/0, /dev/tenstorrent/1...

    A bare /dev/tenstorrentN node (as other driver builds name them) counts too; the folder
    itself is not a device.
    """
    found: list[str] = []
    for path in glob.glob(os.path.join(dev, "tenstorrent*")):
        if os.path.isdir(path):
            found += [os.path.join(path, name) for name in os.listdir(path)]
        else:
            found.append(path)
    return sorted(found)


def board() -> str | None:
    """The board the driver's chips make up (boards.py), read from sysfs."""
    return host_description(read_nodes())


def external_status(path: str, visible_devices: str | None = None) -> StatusResult:
    """An environment the person manages: what is in it, read from its files; never changed."""
    python = external.interpreter(path)
    found = dist_versions(external.site_packages(python))
    version = re.search(r"python(3\.\d+)$", python.resolve().name)
    cfg = VenvLayout(python.parent.parent).python_version()
    missing = [name for name in ("jax", "flax", "transformers") if name not in found]
    installer = sfpi.installer_argv(python.parent) if PLUGIN in found else None
    return StatusResult(
        venv=str(Path(path).expanduser().absolute()),
        state=VenvState.EXTERNAL,
        note=(
            f"Not managed by tt-lessons. Missing for some steps: {', '.join(missing)}."
            if missing
            else "Not managed by tt-lessons."
        ),
        python_version=cfg or (version.group(1) if version else None),
        python=str(python),
        packages={name: found.get(name) for name in REPORTED_PACKAGES},
        tt_devices=tt_devices(),
        board=board(),
        visible_devices=visible_devices or None,
        tt_smi=shutil.which("tt-smi"),
        sfpi_installer=installer,
        backend_version=__version__,
    )


def status(
    venv: str, external_env: str | None = None, visible_devices: str | None = None
) -> StatusResult:
    if external_env:
        return external_status(external_env, visible_devices)
    layout = VenvLayout.at(venv)
    state, note = venv_state(layout)
    versions = installed_versions(layout) if state is not VenvState.MISSING else {}
    current = manifest.read(layout)
    return StatusResult(
        venv=str(layout.root),
        state=state,
        note=note,
        python_version=layout.python_version(),
        python=str(layout.python) if layout.python.exists() else None,
        base_python=current.base_python if current else None,
        packages={name: versions.get(name) for name in REPORTED_PACKAGES},
        tt_devices=tt_devices(),
        board=board(),
        visible_devices=visible_devices or None,
        tt_smi=shutil.which("tt-smi"),
        installer=current.installer if current else None,
        sfpi_installer=(
            sfpi.installer_argv(layout.python.parent)
            if versions.get(PLUGIN) and layout.python.exists()
            else None
        ),
        backend_version=__version__,
    )
