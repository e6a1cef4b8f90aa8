"""bench/report.py says by how much a missed target was missed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"


def report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", BENCH / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def metric(target: str, median: float, met: bool) -> dict[str, Any]:
    return {"target": target, "met": met, "summary": {"median": median}}


def test_a_missed_target_says_how_far_off_it_is() -> None:
    verdict = report().verdict
    assert verdict(metric(">= 10x", 7.1, False)) == "**missed**, 29% short"
    assert verdict(metric("< 300 ms", 630.0, False)) == "**missed**, 2.1x over"
    assert verdict(metric(">= 20,000 lines/s", 15_000.0, False)) == "**missed**, 25% short"
    assert verdict(metric(">= 5x", 10.8, True)) == "met"
    assert verdict({"target": "", "met": None, "summary": {"median": 1.0}}) == ""


def test_every_benchmark_script_has_a_place_in_the_report() -> None:
    # A bench_NAME.py missing from ORDER writes its JSON and is silently left out of REPORT.md.
    scripts = {p.stem.removeprefix("bench_") for p in BENCH.glob("bench_*.py")}
    assert scripts == set(report().ORDER)
