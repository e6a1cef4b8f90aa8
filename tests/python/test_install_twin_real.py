"""The twin of the real pjrt-plugin-tt, installed as a person would (online with uv, with pip,
with --pre, offline from a wheelhouse, then used as an external environment), each ending with
the sanity check at 32.0. The local server plays Tenstorrent's index, the URL hosts and PyPI:
real jax/jaxlib/flax/transformers come from PyPI through it, stand-ins for the heavy pins
(tests/python/twin.py). Needs Python 3.12 and glibc 2.34 (the wheel's manylinux_2_34 tag).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tt_lessons import plugin

from .conftest import json_lines, run_cli
from .test_install_plugin import needs_312
from .test_install_twin import base_env, installed
from .twin import NIGHTLY, Twin, fill, serve

_GLIBC = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0.0"
GLIBC = tuple(int(p) for p in _GLIBC.split()[-1].split(".")[:2])
pytestmark = [
    pytest.mark.slow,
    needs_312,
    pytest.mark.skipif(GLIBC < plugin.MIN_GLIBC, reason=f"{_GLIBC}: manylinux_2_34 needs 2.34"),
]


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Twin]:
    root = tmp_path_factory.mktemp("twin-real")
    with serve(root, upstream=True) as served:
        fill(served, upstream=True)
        yield served


def ok(proc_args: list[str], env: dict[str, str]) -> dict[str, object]:
    proc = run_cli(*proc_args, "--json", env=env)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    result = json_lines(proc.stdout)[-1]["result"]
    assert isinstance(result, dict)
    return result


def sanity(env: dict[str, str], *where: str) -> None:
    result = ok(["test", *where], env)
    assert result["value"] == 32.0 and result["platform"] == "cpu"


def test_online_uv_then_pre_then_as_an_external_env(twin: Twin, tmp_path: Path) -> None:
    env = twin.env(base_env(tmp_path))
    venv = tmp_path / "venv"
    where = ["--venv", str(venv)]
    first = ok(["install", *where, "--index-url", twin.tt_index], env)
    assert first["packages"]["pjrt-plugin-tt"] == plugin.TT_XLA_TAG  # type: ignore[index]
    assert installed(venv)["jax"] == plugin.JAX_VERSION
    assert installed(venv)["torch"] == "2.11.0+cpu"
    sanity(env, *where)

    nightly = ok(["install", *where, "--index-url", twin.tt_index, "--pre"], env)
    assert nightly["packages"]["pjrt-plugin-tt"] == NIGHTLY  # type: ignore[index]
    sanity(env, *where)

    sanity(env, "--venv", str(tmp_path / "unused"), "--external-env", str(venv))


def test_online_pip(twin: Twin, tmp_path: Path) -> None:
    env = twin.env(base_env(tmp_path))
    venv = tmp_path / "venv"
    result = ok(["install", "--venv", str(venv), "--index-url", twin.tt_index, "--pip"], env)
    assert result["installer"] == "pip"
    assert installed(venv)["tt-lang"] == "1.1.5.dev20260704+light"
    sanity(env, "--venv", str(venv))


def test_wheelhouse_then_offline(tmp_path: Path) -> None:
    dest = tmp_path / "wheelhouse"
    root = tmp_path / "twin"
    with serve(root, upstream=True) as served:
        fill(served, upstream=True)
        env = served.env(base_env(tmp_path))
        made = ok(["wheelhouse", str(dest), "--index-url", served.tt_index], env)
        tt_index = served.tt_index
    assert made["directUrls"] == ["torch", "torch-xla", "tt-lang"]
    venv = tmp_path / "venv"
    args = ["install", "--venv", str(venv), "--offline", "--wheelhouse", str(dest)]
    ok([*args, "--index-url", tt_index], env)  # the server is gone by now
    assert installed(venv)["torch-xla"] == "2.9.0+git56f8e61"
    sanity(env, "--venv", str(venv))
