"""bench_gpt2.py: the reliability verdict, the report's warning, and a smoke run of the whole
benchmark on the tiny checkpoint, so it cannot rot between the runs that take minutes."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO

BENCH = REPO / "bench"


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def machine() -> ModuleType:
    return load("bench_gpt2_machine", BENCH / "gpt2" / "machine.py")


def test_a_quiet_run_is_reliable() -> None:
    assert machine().reliability([40.0, 41.0, 39.0], [25.0, 26.0, 24.0], 20e9, 19e9) == []


def test_a_busy_second_core_marks_the_run_unreliable() -> None:
    # Two threads barely beat one: the other core was doing someone else's work.
    reasons = machine().reliability([30.0, 31.0], [27.0, 28.0], 20e9, 20e9)
    assert len(reasons) == 1 and "2-thread" in reasons[0] and "1.11x" in reasons[0]


def test_moving_bandwidth_marks_the_run_unreliable() -> None:
    reasons = machine().reliability([40.0], [25.0], 20e9, 16e9)
    assert len(reasons) == 1 and "20%" in reasons[0]
    assert machine().reliability([40.0], [25.0], 20e9, 17.2e9) == []  # 14%: within bounds


def test_cpu_time_taken_by_other_machines_marks_the_run_unreliable(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal: 600 busy jiffies of which 200 stolen
    stat.write_text("cpu  300 0 100 5000 50 0 0 200 0 0\ncpu0 1 2 3 4\n")
    counters = machine().cpu_counters(stat)
    assert counters == (200, 600)
    assert machine().steal_share((100, 100), counters) == pytest.approx(0.2)
    reasons = machine().reliability([40.0], [25.0], 20e9, 20e9, steal=0.2)
    assert len(reasons) == 1 and "20%" in reasons[0] and "steal" in reasons[0]
    assert machine().reliability([40.0], [25.0], 20e9, 20e9, steal=0.05) == []
    assert machine().cpu_counters(tmp_path / "absent") == (0, 0)


def test_machine_facts_name_the_cpu_and_survive_unreadable_files(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n")
    assert machine().cpu_model(info) == "Example CPU @ 2.0GHz"
    assert machine().cpu_model(tmp_path / "absent") == "unknown"
    assert machine().governor(tmp_path / "absent") == "not readable"
    facts = machine().facts()
    assert facts["cores"] == os.cpu_count() and len(facts["loadavg"]) == 3


def test_an_unreliable_run_says_so_at_the_top_of_the_report() -> None:
    report = load("bench_report_gpt2", BENCH / "report.py")
    bench = {
        "bench": "gpt2", "title": "GPT-2", "quick": False, "started": 0.0, "duration_s": 1.0,
        "machine": {"cpus": 2, "python": "3.12", "platform": "x", "loadavg": [0, 0, 0]},
        "metrics": [], "notes": [], "profile": "", "facts": {"cpu": "Example CPU"},
        "unreliable": ["memory bandwidth moved 20%"],
    }  # fmt: skip
    text, _ = report.render([bench])
    assert text.splitlines()[2].startswith("**UNRELIABLE** (gpt2): memory bandwidth moved 20%")
    assert "- cpu: Example CPU" in text
    assert "UNRELIABLE" not in report.render([{**bench, "unreliable": []}])[0]


def test_the_committed_report_is_not_an_unreliable_one() -> None:
    assert "**UNRELIABLE**" not in (BENCH / "REPORT.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_gpt2_benchmark_runs_end_to_end_on_the_tiny_checkpoint(
    cpu_venv: Path, torch_venv: Path, tmp_path: Path
) -> None:
    tiny = tmp_path / "tiny"  # written by transformers' PyTorch GPT-2
    make = [str(torch_venv / "bin" / "python"), str(REPO / "tests/fixtures/make_tiny_gpt2.py")]
    subprocess.run([*make, str(tiny)], check=True, capture_output=True)
    results = tmp_path / "results"
    env = {**os.environ, "TT_BENCH_RESULTS": str(results), "TT_LESSONS_TEST_VENV": str(cpu_venv)}
    env["TT_BENCH_TORCH_VENV"] = str(torch_venv)  # PyTorch's side, without a CUDA torch here
    argv = [str(REPO / ".venv/bin/python"), str(BENCH / "bench_gpt2.py"), "--smoke", str(tiny)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = json.loads((results / "gpt2.json").read_text())
    names = {m["name"]: m for m in out["metrics"]}
    label = next(n for n in names if n.endswith("through the product / PyTorch")).split(",")[0]
    for row in (
        f"{label}, through the product: 8 tokens after 5",
        f"{label}, Generator in one process",
        f"{label}, through the product, bfloat16 weights",
        f"{label}, warm run (the same click again): request to first token",
        f"{label}, warm run after a longer prompt: request to first token",
        "PyTorch generate, 2 threads / 1 thread",
        "bfloat16 vs float32: steps with the same top 5",
    ):
        summary = names[row]["summary"]
        assert summary["min"] <= summary["median"] <= summary["max"], row
    for fact in ("cpu", "cores", "governor", "loadavg before", "loadavg after"):
        assert fact in out["facts"], fact
    assert "memory bandwidth at the start" in out["facts"]
    assert isinstance(out["unreliable"], list)
    assert "steal" in out["facts"]["CPU time taken by other machines"]
    # Every measured click adopted the standby, and the repeated one used what it prepared.
    assert not [n for n in out["notes"] if "not every" in n], out["notes"]
    assert "host work per token" in out["profile"] and "LM head" in out["profile"]
    assert "ms per token when one call makes 16" in out["profile"]


@pytest.mark.slow
def test_the_ab_script_compares_variants_back_to_back(
    cpu_venv: Path, torch_venv: Path, tmp_path: Path
) -> None:
    """bench/gpt2/ab.py on the tiny checkpoint: the committed code (HEAD) beside this tree's,
    one call per token and streamed in chunks, each timed against the first variant."""
    tiny = tmp_path / "tiny"
    make = [str(torch_venv / "bin" / "python"), str(REPO / "tests/fixtures/make_tiny_gpt2.py")]
    subprocess.run([*make, str(tiny)], check=True, capture_output=True)
    argv = [str(REPO / ".venv/bin/python"), str(BENCH / "gpt2" / "ab.py"), str(cpu_venv)]
    argv += [str(tiny), "--reps", "2", "--new", "8", "--only", "base,per-token,stream"]
    argv += ["--flags", "eigen1=--xla_cpu_multi_thread_eigen=false"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    # It exits non-zero when a float32 variant makes other tokens than the first.
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["side"] == "worker" and out["reps"] == 2
    assert out["base"]["time/first"] == [1.0, 1.0, 1.0]
    for name in ("per-token", "stream", "eigen1"):
        median, low, high = out[name]["time/first"]
        assert 0 < low <= median <= high and out[name]["medianMsPerToken"] > 0
