"""Shared fixtures: a real CPU-only TT-XLA venv built once per machine through our own installer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "tt_lessons.cli"]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=timeout)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture(scope="session")
def cpu_venv() -> Path:
    """A ready CPU-only venv (jax, flax, transformers, ...) reused across runs: .cache/test-venv.

    Built by `tt-lessons install --cpu-only`, so it is also what a user gets on a CPU machine.
    """
    path = Path(os.environ.get("TT_LESSONS_TEST_VENV", REPO / ".cache" / "test-venv"))
    status = json.loads(run_cli("status", "--venv", str(path), "--json").stdout)
    if status["state"] != "ready":
        done = run_cli("install", "--cpu-only", "--venv", str(path), "--json", "--force")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return path
