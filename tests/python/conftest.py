"""Shared fixtures: a real CPU-only TT-XLA venv built once per machine through our own installer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tt_lessons import plugin
from tt_lessons.venv import interpreters
from tt_lessons.workload_specs import WORKLOADS_DIR

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "tt_lessons.cli"]
FIXTURES = REPO / "tests" / "fixtures"


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=timeout)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _ready_venv(path: Path, *flags: str, jax_pinned: bool, minor: str | None = None) -> Path:
    """A ready CPU-only venv at `path`, (re)built by our own installer when it is not the set
    asked for (or not on Python `minor`); reused across runs, so only the first run pays."""
    status = json.loads(run_cli("status", "--venv", str(path), "--json").stdout)
    jax = status["packages"].get("jax")
    wrong_python = minor is not None and not str(status.get("pythonVersion")).startswith(minor)
    if status["state"] != "ready" or (jax == plugin.JAX_VERSION) != jax_pinned or wrong_python:
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
    """The same with `--latest-jax`: the newest jax/flax. .cache/test-venv. jax 0.11 and later
    (tt-xla's uplift) ship wheels for Python 3.12+ only, so it is built on a 3.12 when one is
    installed; on 3.11 the newest jax would stop at 0.10."""
    default = REPO / ".cache" / "test-venv"
    path = Path(os.environ.get("TT_LESSONS_TEST_VENV_LATEST", default))
    found = sorted((interpreters.pyenv_root() / "versions").glob("3.12*/bin/python3"))
    if not found:
        return _ready_venv(path, "--latest-jax", jax_pinned=False)
    flags = ("--latest-jax", "--python", str(found[-1]))
    return _ready_venv(path, *flags, jax_pinned=False, minor="3.12.")


@pytest.fixture(params=["pinned", "latest"])
def jax_venv(request: pytest.FixtureRequest) -> Path:
    """Every workload runs on both version sets: the plugin's pin and the newest jax."""
    name = "cpu_venv" if request.param == "pinned" else "latest_venv"
    venv: Path = request.getfixturevalue(name)
    return venv


# The tiny GPT-2 checkpoints (GPT-2 tests and the whole-lesson run share them).


def venv_python(venv: Path) -> str:
    return str(venv / "bin" / "python")


def run_json(*argv: str) -> dict[str, Any]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def torch_venv() -> Path:
    """PyTorch's CPU build + transformers, apart from the JAX venvs (tests/fixtures/torch_venv.py):
    transformers needs it to write checkpoints and to give the reference logits."""
    done = subprocess.run(
        [sys.executable, str(FIXTURES / "torch_venv.py")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def checkpoints(torch_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """'prefixed': as save_pretrained writes it; 'bare': names without `transformer.`."""
    root = tmp_path_factory.mktemp("gpt2")
    folders = {"prefixed": root / "prefixed", "bare": root / "bare"}
    script = str(FIXTURES / "make_tiny_gpt2.py")
    prefixed, bare = str(folders["prefixed"]), str(folders["bare"])
    run_json(venv_python(torch_venv), script, prefixed, "--bare-copy", bare)
    return folders


@pytest.fixture
def on_workload_path() -> Iterator[None]:
    # The scripts import their siblings (`_emit`, `_warm`) as the venv's interpreter sees them.
    sys.path.insert(0, str(WORKLOADS_DIR))
    try:
        yield
    finally:
        sys.path.remove(str(WORKLOADS_DIR))
