"""A folder holding every wheel an install needs, for a TT machine that cannot reach the index.

`pip download` resolves for the target interpreter and platform (not the machine it runs on) and
also fetches the plugin's direct-URL requirements (torch, torch-xla). On the offline machine uv
is then told to take each such requirement from the folder (`--override name @ file://...`),
since a resolver never swaps a URL for a local wheel by itself.
"""

from __future__ import annotations

import email.parser
import os
import urllib.parse
import zipfile
from pathlib import Path

from ..errors import BackendError
from ..protocol import ErrorCode
from ..version_spec import normalize
from . import plugin

# The wheel is tagged linux_x86_64 before auditwheel and manylinux after; list both families.
DEFAULT_PLATFORMS = (
    "manylinux_2_34_x86_64",
    "manylinux_2_28_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
    "linux_x86_64",
)


def download_argv(
    python: str,
    dest: Path,
    packages: list[str],
    *,
    python_version: str,
    index_url: str | None,
    find_links: str | None,
    pre: bool,
    platforms: tuple[str, ...] = DEFAULT_PLATFORMS,
) -> list[str]:
    tag = "cp" + python_version.replace(".", "")
    argv = [
        python,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "--dest",
        str(dest),
        "--only-binary=:all:",
        "--python-version",
        python_version,
        "--implementation",
        "cp",
        "--abi",
        tag,
        "--abi",
        "abi3",
        "--abi",
        "none",
    ]
    for platform in (*platforms, "any"):
        argv += ["--platform", platform]
    if index_url:
        argv += ["--extra-index-url", index_url]
    if find_links:
        argv += ["--find-links", find_links]
    if pre:
        argv.append("--pre")
    return [*argv, *packages]


def _direct_urls(wheel: Path) -> list[tuple[str, str]]:
    """`name @ url` lines of a wheel's Requires-Dist (without environment markers)."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(name).decode("utf-8", "replace"))
    found = []
    for line in meta.get_all("Requires-Dist") or []:
        requirement = line.split(";")[0]
        if "@" in requirement:
            dist, url = (part.strip() for part in requirement.split("@", 1))
            found.append((dist, url))
    return found


def overrides(wheelhouse: str) -> list[str]:
    """For each direct-URL requirement of the plugin whose wheel is in the folder, `name @ file`.

    An offline uv install with these as `--override` lines takes the local wheel; a URL whose
    wheel is missing stays as it is, so the resolver's own error names it.
    """
    folder = Path(wheelhouse).expanduser().absolute()
    dist = plugin.PLUGIN.replace("-", "_")
    lines: list[str] = []
    for wheel in sorted(folder.glob(f"{dist}-*.whl")):
        for name, url in _direct_urls(wheel):
            local = folder / urllib.parse.unquote(url.rsplit("/", 1)[-1].split("#")[0])
            if local.is_file():
                lines.append(f"{normalize(name)} @ {local.as_uri()}")
    return sorted(set(lines))


def require_pip(python: str, has_pip: bool) -> None:
    if not has_pip:
        raise BackendError(
            ErrorCode.PYTHON_NOT_FOUND,
            f"{python} has no pip; building a wheelhouse uses `pip download`.",
            ["Run it with a Python that has pip (--python PATH), e.g. python3 -m ensurepip first."],
        )


def summary(dest: Path) -> dict[str, int]:
    wheels = sorted(dest.glob("*.whl"))
    return {"wheels": len(wheels), "bytes": sum(os.path.getsize(w) for w in wheels)}
