"""End to end from the command line: a brand-new CPU-only venv with real JAX, then the check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import json_lines, run_cli

pytestmark = pytest.mark.slow


def test_fresh_cpu_only_install_then_test_reports_cpu_and_32(tmp_path: Path) -> None:
    env = {**os.environ, "TT_LESSONS_HOME": str(tmp_path / "home")}
    venv = tmp_path / "tt-xla-venv"
    install = run_cli("install", "--cpu-only", "--venv", str(venv), "--json", env=env)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-2000:]
    packages = json_lines(install.stdout)[-1]["result"]["packages"]
    assert {"jax", "flax", "transformers"} <= set(packages)

    test = run_cli("test", "--venv", str(venv), "--json", env=env)
    assert test.returncode == 0, test.stdout[-3000:]
    last = json_lines(test.stdout)[-1]
    assert last["status"] == "succeeded"
    assert last["result"]["platform"] == "cpu"
    assert last["result"]["value"] == 32.0
    assert last["result"]["devices"][0]["platform"] == "cpu"

    # Repair of a ready venv changes nothing and keeps it ready.
    again = run_cli("install", "--cpu-only", "--venv", str(venv), "--json", env=env)
    assert json_lines(again.stdout)[-1]["result"]["repaired"] is True
    status = json.loads(run_cli("status", "--venv", str(venv), "--json", env=env).stdout)
    assert status["state"] == "ready" and status["packages"]["jax"] == packages["jax"]


def test_human_output_shows_progress_and_the_result(tmp_path: Path, cpu_venv: Path) -> None:
    proc = run_cli("test", "--venv", str(cpu_venv))
    assert proc.returncode == 0
    assert "succeeded" in proc.stdout and '"value": 32.0' in proc.stdout
