"""bench/benchlib.py: what the benchmarks need exists even on a fresh clone."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def benchlib() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchlib_under_test", BENCH / "benchlib.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def test_scratch_dir_makes_the_cache_folder_a_fresh_clone_lacks(tmp_path: Path) -> None:
    cache = tmp_path / "fresh-clone" / ".cache"  # neither folder exists yet
    made = benchlib().scratch_dir("tt-bench-install-", cache)
    assert made.is_dir() and made.parent == cache
    assert made.name.startswith("tt-bench-install-") and not any(made.iterdir())
    assert benchlib().scratch_dir("tt-bench-install-", cache) != made  # a new one each time
