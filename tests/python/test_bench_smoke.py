"""The install and repair benchmarks run end to end (`--quick`) against a local index.

Figures are not judged here (they belong to a quiet machine); what is checked is that every
phase runs, both sides were given the same Python and packages, the wheels-on-disk phase
installs from a folder `tt-lessons wheelhouse` made, and the disk and load figures are there.
A crash like "no version of jax==0.7.1" in the wheels-on-disk phase fails here, not in a report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .wheels import build_simple_index, build_wheelhouse, serve_index

REPO = Path(__file__).resolve().parents[2]


def _bench(name: str, env: dict[str, str], *args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / f"bench_{name}.py"), "--quick", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result: dict[str, object] = json.loads(
        (Path(env["TT_BENCH_RESULTS"]) / f"{name}.json").read_text()
    )
    return result


@pytest.mark.slow
def test_install_and_repair_benchmarks_run_quick_against_a_local_index(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_simple_index(root, build_wheelhouse(root / "wheels"))
    env = {
        **os.environ,
        "TT_BENCH_RESULTS": str(tmp_path / "results"),
        "TT_BENCH_SCRATCH": str(tmp_path / "scratch"),
    }
    with serve_index(root) as url:
        install = _bench("install", env, "--index-url", url)
    metrics = {m["name"]: m for m in install["metrics"]}  # type: ignore[attr-defined]
    for name in (
        "our installer (uv), warm cache",
        "plain pip, cold cache (--latest-jax)",
        "ours, cold cache, wheels already on disk (UV_LINK_MODE=hardlink)",
        "disk: sequential write, fdatasync (before, after)",
        "ours cold / disk floor",
        "hard-link copy of that venv (cp -al), the link floor",
        "ours warm / link floor (--latest-jax)",
        "others' CPU use while the benchmark waited (max)",
    ):
        assert name in metrics, name
    assert all(v > 0 for v in metrics["ours warm / link floor"]["samples"])
    assert all(
        v > 0 for v in metrics["disk: sequential write, fdatasync (before, after)"]["samples"]
    )
    notes = " ".join(install["notes"])  # type: ignore[arg-type]
    # Like with like: one interpreter named for both sides of each row, the pin on the default.
    assert "[pinned] both sides:" in notes and "jax==0.7.1" in notes
    assert "[latest] both sides:" in notes and f"index: {url}" in notes
    assert "machine load" in notes

    repair = _bench("repair", env)
    assert {m["name"] for m in repair["metrics"]} >= {"repair, total wall time"}  # type: ignore[attr-defined]

    # The A/B of two revisions runs too (HEAD against this tree, one repetition each).
    ab = subprocess.run(
        [sys.executable, str(REPO / "bench" / "repair_ab.py"), "HEAD", "--reps", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert ab.returncode == 0, ab.stdout[-2000:] + ab.stderr[-2000:]
    assert re.search(r"^this tree / HEAD: \d+\.\d\dx$", ab.stdout, re.M), ab.stdout
