"""Each way an install fails names its cause and a fix that can work (venv/install_errors.py).

The tails are what uv 0.13 and pip 25 print for each case (captured against the twin's local
server, a closed proxy port and a refused index); the glibc and the 404 cases also run live in
test_install_twin.py."""

from __future__ import annotations

import pytest
from tt_lessons.protocol import ErrorCode
from tt_lessons.venv.install_errors import RETRY, classify_failure

URL = "http://127.0.0.1:4/download.pytorch.org/whl/cpu/torch-2.11.0%2Bcpu-cp312-cp312-manylinux_2_28_x86_64.whl"
UV_URL_DEP = [
    "error: Failed to resolve dependencies for package `pjrt-plugin-tt==1.4.0`",
    "  cause: Package `torch` was included as a URL dependency. URL dependencies must be "
    f"expressed as direct requirements or constraints. Consider adding `torch @ {URL}` to your "
    "dependencies or constraints file.",
]
UV_GLIBC = [
    "  cause: Because pjrt-plugin-tt==1.4.0 has no wheels with a matching platform tag (e.g., "
    "`manylinux_2_31_x86_64`) and only pjrt-plugin-tt==1.4.0 is available, we can conclude that "
    "all versions of pjrt-plugin-tt cannot be used.",
    "hint: Wheels are available for `pjrt-plugin-tt` (v1.4.0) on the following platform: "
    "`manylinux_2_34_x86_64`",
]
PIP_NONE = [
    "ERROR: Could not find a version that satisfies the requirement pjrt-plugin-tt (from "
    "versions: none)",
    "ERROR: No matching distribution found for pjrt-plugin-tt",
]
UV_403 = [
    f"error: Failed to download `torch @ {URL}`",
    f"  cause: HTTP status client error (403 Forbidden) for url ({URL})",
]
PIP_404 = [f"  ERROR: HTTP error 404 while getting {URL}"]
UV_NOT_ON_INDEX = [
    "  cause: Because pjrt-plugin-tt was not found in the package registry and you require "
    "pjrt-plugin-tt, we can conclude that your requirements are unsatisfiable."
]
UV_PROXY = [
    "error: Request failed after 3 retries in 6.8s",
    "  cause: client error (Connect)",
    "  cause: tunnel error: failed to create underlying connection",
]
PIP_PROXY = [
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) "
    "after connection broken by 'ProxyError('Cannot connect to proxy.', "
    "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))"
]
UV_DROPPED = [
    f"error: Failed to download `torch @ {URL}`",
    "  cause: request or response body error",
    "  cause: error decoding response body",
]
PIP_DROPPED = [
    'ERROR: Exception: urllib3.exceptions.ProtocolError: ("Connection broken: '
    'IncompleteRead(1000 bytes read, 9000 more expected)", IncompleteRead(...))'
]


def text(tail: list[str], tool: str = "uv", code: int = 1, **kw: object) -> tuple[str, str]:
    error = classify_failure(tail, tool, code, **kw)  # type: ignore[arg-type]
    return error.code.value, error.message + "\n" + "\n".join(error.fixes)


def test_a_url_dependency_names_the_index_and_the_wheelhouse_never_a_retry() -> None:
    code, said = text(UV_URL_DEP)
    assert code == ErrorCode.INSTALL_FAILED.value
    assert "torch, torch-xla, tt_lang" in said and "tt-lessons wheelhouse" in said
    assert "--pip" in said and RETRY not in said


@pytest.mark.parametrize("tail,tool", [(UV_GLIBC, "uv"), (PIP_NONE, "pip")])
def test_a_too_old_glibc_names_ubuntu_22_and_the_image(tail: list[str], tool: str) -> None:
    code, said = text(tail, tool, libc=(2, 31))
    assert code == ErrorCode.PYTHON_UNSUPPORTED.value
    assert "glibc 2.34 or newer" in said and "glibc 2.31" in said
    assert "Ubuntu 22.04" in said and "tt-xla-slim" in said and "--cpu-only" in said
    assert RETRY not in said
    _, new_enough = text(tail, tool, libc=(2, 35))
    assert "glibc" not in new_enough  # another cause: not blamed on the platform


@pytest.mark.parametrize("tail,status", [(UV_403, "403"), (PIP_404, "404")])
def test_a_refusing_index_names_the_url_setting(tail: list[str], status: str) -> None:
    code, said = text(tail)
    assert code == ErrorCode.INDEX_UNREACHABLE.value
    assert f"HTTP {status}" in said and "tenstorrent.ttXla.indexUrl" in said
    assert "wheelhouse" in said and RETRY not in said


def test_an_index_without_the_plugin_names_the_url_setting() -> None:
    code, said = text(UV_NOT_ON_INDEX)
    assert code == ErrorCode.INSTALL_FAILED.value and "has no pjrt-plugin-tt" in said
    assert "tenstorrent.ttXla.indexUrl" in said and RETRY not in said


@pytest.mark.parametrize("tail", [UV_PROXY, PIP_PROXY])
def test_a_broken_proxy_names_the_proxy_variables(tail: list[str]) -> None:
    code, said = text(tail)
    assert code == ErrorCode.INDEX_UNREACHABLE.value
    assert "HTTPS_PROXY" in said and "NO_PROXY" in said and RETRY not in said


@pytest.mark.parametrize("tail,code", [(UV_DROPPED, 1), (PIP_DROPPED, 2), (["killed"], -9)])
def test_a_dropped_connection_or_interrupted_run_offers_the_retry(
    tail: list[str], code: int
) -> None:
    kind, said = text(tail, code=code)
    assert kind == ErrorCode.INSTALL_FAILED.value and RETRY in said


def test_a_full_disk_says_to_free_space_then_retry() -> None:
    kind, said = text(["OSError: [Errno 28] No space left on device: '/v/lib'"])
    assert kind == ErrorCode.NO_DISK_SPACE.value
    assert "uv cache clean" in said and RETRY in said


def test_an_unknown_failure_points_at_the_log_not_a_retry() -> None:
    kind, said = text(["error: something new"], code=2)
    assert kind == ErrorCode.INSTALL_FAILED.value
    assert "exited with code 2: error: something new" in said and RETRY not in said
