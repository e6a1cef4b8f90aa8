"""What a failed uv/pip call means for the person: its cause, and a fix that can work.

"Run install again" is offered only where a retry can succeed (a dropped connection, a run that
was interrupted, space freed); a wrong Python, a too-old glibc, a refused index or a broken proxy
fail the same way every time until something else changes, so the fix names that change.
"""

from __future__ import annotations

import os
import re

from .. import plugin
from ..errors import BackendError, install_action, set_index_url_action, set_python_path_action
from ..protocol import ErrorCode

RETRY = "Run install again: it repairs the venv and keeps what was already downloaded."

# What uv and pip say when the index only has wheels for another Python.
_WRONG_PYTHON = (
    "matching Python implementation tag",
    "matching Python ABI tag",
    "Requires-Python",
    "requires-python",
    "the current Python version",
)
_URL_DEPENDENCY = "URL dependencies must be expressed as direct requirements"
_PLATFORM = ("matching platform tag", f"No matching distribution found for {plugin.PLUGIN}")
_PROXY = ("ProxyError", "tunnel error", "Cannot connect to proxy", "407 Proxy")
_DROPPED = (
    "Connection reset",
    "Connection broken",
    "IncompleteRead",
    "connection closed before message completed",
    "error decoding response body",
    "request or response body error",
    "Read timed out",
    "operation timed out",
    "timed out",
)
_HTTP = re.compile(r"(?:HTTP (?:status client )?error \(?|HTTP error )(?P<code>40[34])")


def glibc() -> tuple[int, int] | None:
    """This machine's glibc (None on musl or elsewhere)."""
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):
        return None
    match = re.search(r"(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def classify_failure(
    tail: list[str], tool: str, code: int, libc: tuple[int, int] | None = None
) -> BackendError:
    text = "\n".join(tail)
    last = next((line for line in reversed(tail) if line.strip()), "no output").strip()
    if "No space left on device" in text:
        return BackendError(
            ErrorCode.NO_DISK_SPACE,
            "The disk filled up during the install (the venv and the installer's download cache "
            "both need room; the real set is several GB).",
            [
                "Free some space (uv cache clean, pip cache purge, or old venvs), then " + RETRY,
                "Or choose a venv folder on a disk with room (tenstorrent.ttXla.venvPath, --venv).",
            ],
        )
    if "Permission denied" in text:
        return BackendError(
            ErrorCode.PERMISSION_DENIED,
            "Permission denied during the install.",
            ["Choose a venv folder you own, then install again."],
        )
    if _URL_DEPENDENCY in text:
        return _url_dependency(last)
    if any(s in text for s in _PROXY):
        return _proxy(tool, last)
    http = _HTTP.search(text)
    if http:
        return _refused(int(http.group("code")), last)
    if f"{plugin.PLUGIN} was not found in the package registry" in text:
        return BackendError(
            ErrorCode.INSTALL_FAILED,
            f"The index answered but has no {plugin.PLUGIN} ({last}).",
            [
                "Check tenstorrent.ttXla.indexUrl (--index-url): it must be the index that "
                f"serves {plugin.PLUGIN}, or a mirror of it.",
                "Or install from a wheelhouse holding the plugin (--offline --wheelhouse DIR).",
            ],
            [set_index_url_action()],
        )
    if any(s in text for s in _WRONG_PYTHON):
        return _wrong_python(tool, last)
    too_old = _too_old_glibc(text, libc if libc is not None else glibc())
    if too_old:
        return too_old
    if any(s in text for s in _DROPPED) or code < 0:
        return BackendError(
            ErrorCode.INSTALL_FAILED,
            f"The download or install was cut off ({tool}: {last}).",
            [RETRY, "On a slow or flaky link, a wheelhouse built elsewhere avoids the download."],
            [install_action()],
        )
    return BackendError(
        ErrorCode.INSTALL_FAILED,
        f"{tool} exited with code {code}: {last}",
        [
            "Read the log above: its last lines name the package that failed and why.",
            "tt-lessons doctor checks the Python, the index, the disk and the drivers.",
        ],
    )


def _url_dependency(last: str) -> BackendError:
    return BackendError(
        ErrorCode.INSTALL_FAILED,
        f"{plugin.PLUGIN} names some of its dependencies by URL (torch, torch-xla, tt_lang), "
        f"and the resolver was not given them: the plugin's metadata could not be read from "
        f"the index before resolving. ({last})",
        [
            "Installing again gives the same answer until the index can be read: check "
            "tenstorrent.ttXla.indexUrl (--index-url).",
            "Or build a wheelhouse where the index works (tt-lessons wheelhouse DIR) and install "
            "from it (--offline --wheelhouse DIR).",
            "Or install with pip (--pip), which follows a URL dependency by itself.",
        ],
        [set_index_url_action()],
    )


def _proxy(tool: str, last: str) -> BackendError:
    return BackendError(
        ErrorCode.INDEX_UNREACHABLE,
        f"{tool} could not get through the HTTP proxy ({last}).",
        [
            "Check HTTPS_PROXY / HTTP_PROXY / NO_PROXY in the environment VS Code and tt-lessons "
            "start from (a proxy set only in VS Code's http.proxy does not reach uv or pip).",
            "Or build a wheelhouse on a machine with direct access (tt-lessons wheelhouse DIR).",
        ],
    )


def _refused(status: int, last: str) -> BackendError:
    if status == 403:
        message = f"The package server refused access (HTTP 403): {last}"
        first = "A 403 means the server wants credentials or blocks this network: use a mirror "
        first += "you can reach (tenstorrent.ttXla.indexUrl, --index-url) or your VPN."
    else:
        message = f"The package server has no such file or page (HTTP 404): {last}"
        first = "A 404 means the index URL or a wheel's URL is wrong or the file was removed: "
        first += "check tenstorrent.ttXla.indexUrl (--index-url); try --pre for a nightly."
    return BackendError(
        ErrorCode.INDEX_UNREACHABLE,
        message,
        [first, "Or install from a wheelhouse (tt-lessons install --offline --wheelhouse DIR)."],
        [set_index_url_action()],
    )


def _wrong_python(tool: str, last: str) -> BackendError:
    # Installing again on the same Python cannot help: say what can.
    return BackendError(
        ErrorCode.PYTHON_UNSUPPORTED,
        f"{tool} found no wheels for this venv's Python: {last}",
        [
            f"pjrt-plugin-tt is built for Python {plugin.PYTHON_SPEC}: point "
            "tenstorrent.ttXla.pythonPath (--python) at one; the venv is then rebuilt on it.",
            "Or install CPU-only (tenstorrent.ttXla.cpuOnly, --cpu-only).",
        ],
        [set_python_path_action(), install_action(cpu_only=True)],
    )


def _needed_glibc(text: str) -> tuple[int, int]:
    """uv names the platforms it did find (`manylinux_2_34_x86_64`); pip does not: then the
    released wheel's tag is the answer."""
    offered = (
        text.split("Wheels are available for", 1)[-1] if "Wheels are available" in text else ""
    )
    found = [(int(a), int(b)) for a, b in re.findall(r"manylinux_(\d+)_(\d+)_", offered)]
    return min(found) if found else plugin.MIN_GLIBC


def _too_old_glibc(text: str, libc: tuple[int, int] | None) -> BackendError | None:
    need = _needed_glibc(text)
    if not any(s in text for s in _PLATFORM) or libc is None or libc >= need:
        return None
    return BackendError(
        ErrorCode.PYTHON_UNSUPPORTED,
        f"{plugin.PLUGIN}'s wheels need glibc {need[0]}.{need[1]} or newer (the release is "
        f"{plugin.WHEEL_TAG}); this machine has glibc {libc[0]}.{libc[1]}, so no wheel fits it.",
        [
            f"Use a Linux with glibc {need[0]}.{need[1]} or newer"
            + (
                ": Ubuntu 22.04 (2.35) or later; Ubuntu 20.04 (2.31) is too old."
                if need <= (2, 35)
                else "."
            ),
            f"Or run inside Tenstorrent's image {plugin.CONTAINER_IMAGE}, which has it installed.",
            "Or install CPU-only (tenstorrent.ttXla.cpuOnly, --cpu-only) to follow the lesson.",
        ],
        [install_action(cpu_only=True)],
    )
