"""bench/bench_download.py runs end to end on a small set (figures are not judged here, only that
every run happened and the checks that are facts, not speeds, hold)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_install_plugin import needs_312

REPO = Path(__file__).resolve().parents[2]


@needs_312
@pytest.mark.slow
def test_download_benchmark_runs_small(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TT_BENCH_RESULTS": str(tmp_path / "results"),
        "TT_BENCH_SCRATCH": str(tmp_path / "scratch"),
    }
    argv = [sys.executable, str(REPO / "bench" / "bench_download.py"), "--quick"]
    argv += ["--size-mb", "24", "--rate-mb", "16"]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads((tmp_path / "results" / "download.json").read_text())
    metrics = {m["name"]: m for m in result["metrics"]}
    ratio = metrics["cold: bytes reported / bytes the server sent the downloader"]
    assert ratio["met"] is True
    assert metrics["cancel: partial files left"]["samples"] == [0]
    assert metrics["reuse: bytes downloaded again"]["samples"] == [0]
    assert metrics["cold: bytes the resolver read while locking"]["samples"] == [0]
