"""Mesh and CNN workloads, run for real through the CLI on the CPU-only venv."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import json_lines, run_cli

pytestmark = pytest.mark.slow


def outcome(proc_stdout: str) -> dict[str, Any]:
    lines = json_lines(proc_stdout)
    assert lines, proc_stdout
    last = lines[-1]
    assert "status" in last and "event" not in last, last
    return last


def events(proc_stdout: str, kind: str) -> list[dict[str, Any]]:
    found = []
    for line in json_lines(proc_stdout):
        event = line.get("event")
        if isinstance(event, dict) and event.get("kind") == kind:
            found.append(event)
    return found


@pytest.mark.parametrize(("shape", "rows", "cols"), [("1x2", 1, 2), ("1x8", 1, 8), ("8x4", 8, 4)])
def test_mesh_shards_a_matmul(jax_venv: Path, shape: str, rows: int, cols: int) -> None:
    done = run_cli("mesh", "--venv", str(jax_venv), "--shape", shape, "--json")
    out = outcome(done.stdout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    result = out["result"]
    assert (result["rows"], result["cols"]) == (rows, cols)
    assert result["ok"] is True and result["maxAbsError"] < 1e-3
    assert result["platform"] == "cpu" and result["ttDevice"] is False
    shards = result["shards"]
    # One block per device, each device used once, every (row, col) cell covered once.
    assert len(shards) == rows * cols
    assert len({s["deviceId"] for s in shards}) == rows * cols
    assert {(s["row"], s["col"]) for s in shards} == {
        (r, c) for r in range(rows) for c in range(cols)
    }
    # Block (r, c) holds rows r*4..r*4+4 and columns c*8..c*8+8 of the product.
    for s in shards:
        r, c = s["row"], s["col"]
        assert s["index"] == f"[{r * 4}:{r * 4 + 4}, {c * 8}:{c * 8 + 8}]"


def test_mesh_with_too_few_devices_names_both_numbers(jax_venv: Path) -> None:
    done = run_cli(
        "mesh", "--venv", str(jax_venv), "--shape", "8x4", "--no-force-host-devices", "--json"
    )
    assert done.returncode == 1
    out = outcome(done.stdout)
    assert out["status"] == "failed"
    error = out["error"]
    assert error["code"] == "bad-input"
    assert "32" in error["message"] and "only 1" in error["message"]
    assert any("--no-force-host-devices" in fix for fix in error["fixes"])


def test_cnn_learns_the_digits(jax_venv: Path) -> None:
    done = run_cli("cnn", "--venv", str(jax_venv), "--epochs", "3", "--seed", "1", "--json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    epochs = events(done.stdout, "epoch")
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    result = outcome(done.stdout)["result"]
    assert result["losses"] == [e["loss"] for e in epochs]
    assert result["losses"][-1] < result["losses"][0]
    # Ten classes: chance is 0.1.
    assert result["testAccuracy"] > 0.8, json.dumps(result)


def test_sanity_check_runs_on_both_jax_sets(jax_venv: Path) -> None:
    """The lesson's check on the plugin's pin (jax 0.7.1) and on the newest jax alike."""
    done = run_cli("test", "--venv", str(jax_venv), "--json")
    assert done.returncode == 0, done.stdout[-3000:]
    result = json_lines(done.stdout)[-1]["result"]
    assert result["value"] == 32.0 and result["platform"] == "cpu"
    status = json.loads(run_cli("status", "--venv", str(jax_venv), "--json").stdout)
    assert result["jaxVersion"] == status["packages"]["jax"]
