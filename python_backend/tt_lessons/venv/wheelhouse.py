"""A folder holding every wheel an install needs, for a TT machine that cannot reach the index.

`pip download` resolves for the target interpreter and platform (not the machine it runs on) and
also fetches the plugin's direct-URL requirements (torch, torch-xla, tt_lang). On the offline
machine uv is then told to take each such requirement from the folder (`--override name @
file://...`, see plugin_metadata), since a resolver never swaps a URL for a local wheel by itself.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .. import plugin
from ..errors import BackendError
from ..protocol import ErrorCode, WheelhouseParams, WheelhouseResult
from ..run_sink import RunSink
from ..runner import capture, run_child
from . import plugin_metadata
from .packages import WORKLOAD_PACKAGES

# The wheel is tagged linux_x86_64 before auditwheel and manylinux after; pip takes --platform
# tags literally, so every glibc from 2.17 (manylinux2014) to 2.34 (Ubuntu 22.04: 2.35) is named.
DEFAULT_PLATFORMS = (
    *(f"manylinux_2_{minor}_x86_64" for minor in range(34, 16, -1)),
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
    offline: bool,
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
    if index_url:  # offline: that index only, as an offline install reads it
        argv += ["--index-url" if offline else "--extra-index-url", index_url]
    if pre:
        argv.append("--pre")
    return [*argv, *packages]


def wanted(cpu_only: bool) -> list[str]:
    """CPU-only installs rehearse the plugin's jax pin, so their wheelhouse holds it as well."""
    first = list(plugin.JAX_PINS) if cpu_only else [plugin.PLUGIN]
    return [*first, *WORKLOAD_PACKAGES]


async def _pip_python() -> str:
    """`pip download` needs a pip: the backend's own Python, else any Python 3 on PATH with one."""
    for python in (sys.executable, shutil.which("python3")):
        if python and (await capture([python, "-m", "pip", "--version"], timeout_s=60))[0] == 0:
            return python
    raise BackendError(
        ErrorCode.PYTHON_NOT_FOUND,
        "Building a wheelhouse uses `pip download`, and no Python with pip was found.",
        ["Install pip (Debian/Ubuntu: sudo apt install python3-pip), then try again."],
    )


async def build(params: WheelhouseParams, sink: RunSink) -> WheelhouseResult:
    """Download the install's whole closure for the target Python into params.dest."""
    dest = Path(params.dest).expanduser().absolute()
    dest.mkdir(parents=True, exist_ok=True)
    python = await _pip_python()
    packages = wanted(params.cpu_only)
    argv = download_argv(
        python,
        dest,
        packages,
        python_version=params.python_version,
        index_url=None if params.cpu_only and not params.offline else params.index_url,
        offline=params.offline,
        pre=params.pre,
    )
    sink.progress(1, 2, f"Download wheels for Python {params.python_version}")
    sink.log("$ " + " ".join(argv))
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONUNBUFFERED": "1"}
    code = await run_child(argv, sink, env=env, timeout_s=params.timeout_s, parse_events=False)
    if code != 0:
        last = next((line for line in reversed(sink.tail) if line.strip()), "no output")
        raise BackendError(
            ErrorCode.INSTALL_FAILED,
            f"pip download exited with code {code}: {last.strip()}",
            [
                f"Run this where {params.index_url} and PyPI are reachable.",
                "Read the log above for the package that could not be found.",
            ],
        )
    sink.progress(2, 2, "Check the folder")
    wheels = sorted(dest.glob("*.whl"))
    direct = [line.split(" @ ")[0] for line in plugin_metadata.wheelhouse_overrides(str(dest))]
    sink.log(
        f"{len(wheels)} wheels in {dest}. On the offline machine: tt-lessons install --offline "
        f"--wheelhouse {dest}"
    )
    return WheelhouseResult(
        folder=str(dest),
        wheels=len(wheels),
        bytes=sum(os.path.getsize(w) for w in wheels),
        python_version=params.python_version,
        direct_urls=direct,
    )
