"""Is the SFPI compiler that the installed plugin wants really there?

The plugin ships tt-metal with a `sfpi-version` file (sfpi_version='7.77.0', sfpi_repo=...),
and tt-metal's JIT build compiles every kernel with `riscv-tt-elf-g++` from
`<tt-metal>/runtime/sfpi` or else `/opt/tenstorrent/sfpi` (see plugin.py). SFPI's build stamps
its version into that compiler (`--with-pkgversion=tenstorrent/sfpi:<version>[<build>]`), so
`riscv-tt-elf-g++ --version` says which one is installed. Installing it needs sudo; we never
run that ourselves, we offer `tt-forge-install` in a terminal the person can watch.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import plugin
from ..protocol import CommandId, FixAction, SfpiInfo
from ..runner import capture

# The system root can be pointed elsewhere (tests use a fake SFPI tree; a site may relocate it).
SYSTEM_ROOT_ENV = "TT_LESSONS_SFPI_SYSTEM_ROOT"
_FIELD = re.compile(r"""^\s*(?P<key>sfpi_\w+)\s*=\s*['"]?(?P<value>[^'"\n]*)['"]?\s*$""", re.M)
_STAMP = re.compile(r"tenstorrent/sfpi(?:-DIY)?:(?P<version>[^\s\[\])]+)")


@dataclass(frozen=True)
class SfpiCheck:
    state: Literal["ok", "missing", "mismatch", "unknown", "not-needed"]
    wanted: str | None  # from the plugin's sfpi-version
    found: str | None  # version stamped in the compiler that tt-metal would use
    root: str | None  # the SFPI folder tt-metal would use
    message: str


def parse_version_file(text: str) -> dict[str, str]:
    return {m.group("key"): m.group("value").strip() for m in _FIELD.finditer(text)}


def plugin_dir(site_packages: list[Path]) -> Path | None:
    for site in site_packages:
        candidate = site / plugin.SFPI_VERSION_FILE[0]
        if candidate.is_dir():
            return candidate
    return None


def system_root() -> Path:
    return Path(os.environ.get(SYSTEM_ROOT_ENV) or plugin.SFPI_SYSTEM_ROOT)


def roots(package: Path) -> list[Path]:
    """In tt-metal's own order of precedence: the wheel's runtime/sfpi, then the system one."""
    return [package.joinpath(*plugin.SFPI_LOCAL_ROOT[1:]), system_root()]


async def compiler_version(compiler: Path) -> str | None:
    try:
        code, out, err = await capture([str(compiler), "--version"], timeout_s=20)
    except OSError:
        return None
    match = _STAMP.search(out + err) if code == 0 else None
    return match.group("version") if match else None


async def check(site_packages: list[Path]) -> SfpiCheck:
    package = plugin_dir(site_packages)
    if package is None:
        return SfpiCheck("not-needed", None, None, None, "pjrt-plugin-tt is not installed here.")
    version_file = package.joinpath(*plugin.SFPI_VERSION_FILE[1:])
    try:
        wanted = parse_version_file(version_file.read_text(encoding="utf-8")).get("sfpi_version")
    except OSError:
        wanted = None
    if not wanted:
        return SfpiCheck(
            "unknown",
            None,
            None,
            None,
            f"The plugin has no readable {version_file}; SFPI could not be checked.",
        )
    for root in roots(package):
        compiler = root.joinpath(*plugin.SFPI_COMPILER)
        if not compiler.exists():
            continue
        found = await compiler_version(compiler)
        if found == wanted:
            return SfpiCheck("ok", wanted, found, str(root), f"SFPI {found} at {root}.")
        said = f"SFPI {found}" if found else "an SFPI whose version could not be read"
        return SfpiCheck(
            "mismatch",
            wanted,
            found,
            str(root),
            f"tt-metal will compile kernels with {said} at {root}, but this pjrt-plugin-tt was "
            f"built for SFPI {wanted}.",
        )
    places = " or ".join(str(r) for r in roots(package))
    return SfpiCheck(
        "missing",
        wanted,
        None,
        None,
        f"The SFPI compiler {wanted} that pjrt-plugin-tt needs is not installed (looked in "
        f"{places}). Without it TT kernels cannot be compiled.",
    )


def installer_argv(venv_bin: Path) -> list[str]:
    """What the person runs (in a terminal, since it asks for sudo) to install the right SFPI."""
    return [str(venv_bin / plugin.SFPI_INSTALLER)]


async def info(site_packages: list[Path], venv_bin: Path) -> SfpiInfo:
    """The check as the protocol reports it, with the terminal fix when SFPI needs installing."""
    found = await check(site_packages)
    fix = None
    if found.state in ("missing", "mismatch"):
        fix = FixAction(
            label="Install SFPI in a terminal (tt-forge-install, asks for sudo)",
            command=CommandId.INSTALL_SFPI,
            argv=installer_argv(venv_bin),
        )
    return SfpiInfo(
        state=found.state,
        wanted=found.wanted,
        found=found.found,
        root=found.root,
        message=found.message,
        fix=fix,
    )
