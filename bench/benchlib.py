"""What every benchmark shares: repeat-and-summarise, clean environments, the JSON result file.

Each `bench_*.py` measures one thing, prints its numbers and writes `bench/results/<name>.json`;
`report.py` turns those files into one Markdown report. A metric carries every raw sample, so the
report can show median and spread and a reader can recompute anything.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# TT_BENCH_RESULTS / TT_BENCH_SCRATCH: elsewhere (the smoke test keeps a real run's files intact).
RESULTS = Path(os.environ.get("TT_BENCH_RESULTS") or REPO / "bench" / "results")
BACKEND_BIN = REPO / ".venv" / "bin"
BACKEND_PYTHON = BACKEND_BIN / "python"
TT_LESSONS = BACKEND_BIN / "tt-lessons"
WORK = RESULTS / "work"  # kept between benchmarks; inside the git-ignored results folder
# bench_install.py leaves the venv its last warm install made here, and that install's uv cache:
# a venv exactly as a person gets it from `tt-lessons install --cpu-only`.
KEPT_VENV = WORK / "ours-venv"
KEPT_CACHE = WORK / "uv-cache"
# Git-ignored scratch space on the repository's own disk (where a user's venv would be too).
SCRATCH = Path(os.environ.get("TT_BENCH_SCRATCH") or REPO / ".cache")
# Fallback: the ready CPU venv the tests keep (.cache/test-venv); we only read it.
CPU_VENV = Path(os.environ.get("TT_BENCH_CPU_VENV", REPO / ".cache" / "test-venv"))


def scratch_dir(prefix: str, parent: Path = SCRATCH) -> Path:
    """A new empty folder under parent; parent is made first, as a fresh clone has none."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def lesson_venv() -> Path:
    """The venv the workload benchmarks run in: the installer's own if bench_install made it."""
    manifest = KEPT_VENV / "tt-lessons-manifest.json"
    if manifest.exists() and '"state": "ready"' in manifest.read_text(encoding="utf-8"):
        return KEPT_VENV
    return CPU_VENV


if str(REPO) not in sys.path:  # so `tests.python.rpc_client` is importable from bench scripts
    sys.path.insert(0, str(REPO))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 20 samples p90 is the 18th, an observed value."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.4999)))
    return ordered[rank - 1]


@dataclass
class Metric:
    """One measured quantity; `target` is a human phrase and `met` its verdict (None: no target)."""

    name: str
    unit: str
    samples: list[float]
    target: str | None = None
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self) -> dict[str, float]:
        values = self.samples
        return {
            "median": self.median,
            "p90": percentile(values, 90),
            "min": min(values),
            "max": max(values),
            "n": len(values),
        }


@dataclass
class BenchResult:
    bench: str
    title: str
    quick: bool
    metrics: list[Metric] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile: str = ""  # a profile summary where a target was missed
    facts: dict[str, Any] = field(default_factory=dict)  # the machine, as this bench saw it
    # Why this run's figures cannot be trusted (a disturbed machine); any reason marks the
    # report UNRELIABLE.
    unreliable: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def add(self, metric: Metric, passes: Callable[[float], bool] | None = None) -> Metric:
        """Record a metric; `passes` judges its median against the metric's target."""
        if passes is not None:
            metric.met = passes(metric.median)
        self.metrics.append(metric)
        print(f"  {format_metric(metric)}", flush=True)
        return metric

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    def write(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = asdict(self)
        data["duration_s"] = round(time.time() - self.started, 1)
        data["machine"] = machine()
        for raw, metric in zip(data["metrics"], self.metrics, strict=True):
            raw["summary"] = metric.summary()
        path = RESULTS / f"{self.bench}.json"
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return path


def fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("lines/s", "tokens/s"):
        return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.2f} {unit}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"


def format_metric(metric: Metric) -> str:
    s = metric.summary()
    low, high = fmt(s["min"], metric.unit), fmt(s["max"], metric.unit)
    spread = "" if s["n"] == 1 else f" [min {low}, max {high}, n={s['n']:.0f}]"
    verdict = "" if metric.met is None else ("  OK" if metric.met else "  MISSED")
    target = f"  target {metric.target}" if metric.target else ""
    return f"{metric.name}: {fmt(s['median'], metric.unit)}{spread}{target}{verdict}"


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": [round(x, 2) for x in load],
    }


def clean_env(**extra: str) -> dict[str, str]:
    """This machine's pip/uv settings point at local mirrors; drop them so both tools hit PyPI."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "UV_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",  # a version check is a network call neither needs
        UV_NO_CONFIG="1",
    )
    env.update(extra)
    return env


def run_timed(argv: list[str], env: dict[str, str], log: Path, timeout: float = 1800) -> float:
    """Seconds argv took; its output goes to `log`, and a failure raises with the log's tail."""
    started = time.perf_counter()
    with log.open("ab") as out:
        out.write(("$ " + " ".join(argv) + "\n").encode())
        out.flush()
        done = subprocess.run(argv, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    spent = time.perf_counter() - started
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{argv[:4]} exited {done.returncode}:\n{tail}")
    return spent


def quick_flag(argv: list[str]) -> bool:
    return "--quick" in argv


@dataclass
class StampedRun:
    """A `tt-lessons ... --json` run: each JSON line with its arrival time, the outcome, exit."""

    lines: list[tuple[float, dict[str, Any]]]
    exit_s: float

    @property
    def outcome(self) -> dict[str, Any]:
        return self.lines[-1][1] if self.lines else {}

    def events(self) -> list[tuple[float, dict[str, Any]]]:
        return [(t, line["event"]) for t, line in self.lines if isinstance(line.get("event"), dict)]

    def first(self, kind: str, **match: object) -> float:
        """Seconds from spawn to the first event of this kind (with these field values)."""
        for t, event in self.events():
            if event.get("kind") == kind and all(event.get(k) == v for k, v in match.items()):
                return t
        raise KeyError(f"no {kind} event matching {match}")


def run_stamped(argv: list[str], env: dict[str, str], timeout: float = 900) -> StampedRun:
    """Run a CLI command with --json, stamping every line as it arrives; fail loudly unless ok."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    lines: list[tuple[float, dict[str, Any]]] = []
    for raw in proc.stdout:
        lines.append((time.perf_counter() - started, json.loads(raw)))
    _, err = proc.communicate(timeout=timeout)
    run = StampedRun(lines, time.perf_counter() - started)
    if proc.returncode != 0 or run.outcome.get("status") != "succeeded":
        detail = json.dumps(run.outcome)[-2000:] or err.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv[:3])} failed: {detail}")
    return run


class StampedList(list[dict[str, Any]]):
    """An RpcClient's notification list, stamping each message with its arrival time."""

    def append(self, item: dict[str, Any]) -> None:
        item["_arrived"] = time.perf_counter()
        super().append(item)
