"""Shared fixtures: a real CPU-only TT-XLA venv built once per machine through our own installer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tt_lessons import plugin

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "tt_lessons.cli"]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=timeout)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _ready_venv(path: Path, *flags: str, jax_pinned: bool) -> Path:
    """A ready CPU-only venv at `path`, (re)built by our own installer when it is not the set
    asked for; reused across runs, so only the first run on a machine pays for it."""
    status = json.loads(run_cli("status", "--venv", str(path), "--json").stdout)
    jax = status["packages"].get("jax")
    if status["state"] != "ready" or (jax == plugin.JAX_VERSION) != jax_pinned:
        done = run_cli("install", "--cpu-only", *flags, "--venv", str(path), "--json", "--force")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return path


@pytest.fixture(scope="session")
def cpu_venv() -> Path:
    """What `tt-lessons install --cpu-only` gives a user: the plugin's jax pin (jax 0.7.1 and the
    flax it resolves to) on a Python the plugin accepts. .cache/test-venv-pinned."""
    default = REPO / ".cache" / "test-venv-pinned"
    return _ready_venv(Path(os.environ.get("TT_LESSONS_TEST_VENV", default)), jax_pinned=True)


@pytest.fixture(scope="session")
def latest_venv() -> Path:
    """The same with `--latest-jax`: the newest jax/flax. .cache/test-venv."""
    default = REPO / ".cache" / "test-venv"
    path = Path(os.environ.get("TT_LESSONS_TEST_VENV_LATEST", default))
    return _ready_venv(path, "--latest-jax", jax_pinned=False)


@pytest.fixture(params=["pinned", "latest"])
def jax_venv(request: pytest.FixtureRequest) -> Path:
    """Every workload runs on both version sets: the plugin's pin and the newest jax."""
    name = "cpu_venv" if request.param == "pinned" else "latest_venv"
    venv: Path = request.getfixturevalue(name)
    return venv
