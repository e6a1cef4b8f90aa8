"""An environment the person manages: runs use it as it is, install never touches it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import json_lines, run_cli

pytestmark = pytest.mark.slow


def test_runs_use_an_external_environment_and_install_refuses_it(
    cpu_venv: Path, tmp_path: Path
) -> None:
    manifest = cpu_venv / "tt-lessons-manifest.json"
    before = manifest.read_text()
    elsewhere = str(tmp_path / "not-created")  # the managed venv path is not used at all
    test = run_cli("test", "--venv", elsewhere, "--external-env", str(cpu_venv), "--json")
    assert test.returncode == 0, test.stdout[-2000:]
    assert json_lines(test.stdout)[-1]["result"]["value"] == 32.0

    status = json.loads(
        run_cli("status", "--venv", elsewhere, "--external-env", str(cpu_venv), "--json").stdout
    )
    assert status["state"] == "external" and status["python"] == str(cpu_venv / "bin" / "python")
    assert status["packages"]["jax"]

    doctor = run_cli("doctor", "--venv", elsewhere, "--external-env", str(cpu_venv), "--json")
    findings = {f["id"]: f for f in json_lines(doctor.stdout)[-1]["result"]["findings"]}
    assert findings["venv"]["status"] == "ok" and "own environment" in findings["venv"]["title"]
    assert "jax-devices" in findings or any(f.startswith("jax") for f in findings)

    install = run_cli("install", "--cpu-only", "--external-env", str(cpu_venv), "--json")
    assert install.returncode == 1
    error = json_lines(install.stdout)[-1]["error"]
    assert error["code"] == "bad-input" and "never installs into it" in error["message"]
    assert manifest.read_text() == before and not Path(elsewhere).exists()


def test_visible_devices_reach_the_workload_environment(cpu_venv: Path, tmp_path: Path) -> None:
    """TT_VISIBLE_DEVICES is what the plugin reads; the run's child gets exactly the setting."""
    script = tmp_path / "show_env.py"
    script.write_text("import os\nprint(os.environ.get('TT_VISIBLE_DEVICES'))\n")
    done = run_cli(
        "exec", str(script), "--venv", str(cpu_venv), "--visible-devices", "0,1", "--json"
    )
    assert done.returncode == 0, done.stdout[-2000:]
    lines = [ln for e in json_lines(done.stdout)[:-1] for ln in e["event"].get("lines", [])]
    assert "0,1" in lines
