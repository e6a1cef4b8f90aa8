"""The install's download as people watch it: a multi-gigabyte set through a throttled link.

The real wheel's twin (tests/python/twin.py) serves the install over local HTTP, its direct-URL
wheels (torch, torch-xla, tt_lang) made heavy with stored bulk (about 1 GB in all by default) and
sent no faster than `--rate-mb` MB/s. The server counts the wheel bytes it really writes, per
User-Agent, which is the truth the reported bytes are checked against. Four runs of the real CLI
(`tt-lessons install --json`), each reading its download events as they arrive:

* cold: a new backend home (no wheel cache): bytes reported against bytes the server sent to the
  install's downloader (target: within 5%), the rate and time left it showed, the wall time;
* cancel: another new home, Ctrl-C (SIGINT) once a third of the bytes are in: seconds until the
  CLI has exited, and whether a partial file was left in the cache;
* resume after that cancel: what the next install fetched (only what was not complete);
* reuse: a second venv on the cold run's home: bytes fetched again (target: none) and wall time.

What the resolver itself reads while locking (uv fetches a direct-URL wheel to read its metadata;
the twin, like `python -m http.server`, has no Range requests) is reported beside it, not hidden.

    .venv/bin/python bench/bench_download.py [--quick] [--size-mb 1000] [--rate-mb 100]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib import TT_LESSONS, BenchResult, Metric, scratch_dir

from tests.python.twin import Twin, fill, serve

MB = 1_000_000
SHARES = {"torch": 0.6, "torch-xla": 0.3, "tt-lang": 0.1}  # of --size-mb, roughly the real ratio
AGENT = "tt-lessons"


@dataclass
class Watched:
    """One CLI install as its events arrived."""

    code: int
    wall_s: float
    events: list[dict[str, Any]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)  # monotonic time of each event
    served_downloader: int = 0
    served_other: int = 0
    stopped_after_s: float | None = None

    @property
    def last(self) -> dict[str, Any]:
        return self.events[-1] if self.events else {}


def watch(twin: Twin, home: Path, venv: Path, cancel_at: float | None = None) -> Watched:
    """Run the install; with cancel_at (a fraction), send SIGINT once that much is in."""
    before = dict(twin.served.by_agent)
    env = twin.env({**os.environ, "TT_LESSONS_HOME": str(home), "TT_LESSONS_MIN_FREE_MB": "1"})
    argv = [str(TT_LESSONS), "install", "--venv", str(venv), "--index-url", twin.tt_index]
    argv.append("--json")  # the install finds a CPython 3.12 itself, as for a person
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    watched = Watched(code=-1, wall_s=0.0)
    sent_at = None
    assert proc.stdout is not None
    for line in proc.stdout:
        note = json.loads(line)
        event = note.get("event") or {}
        if event.get("kind") != "download":
            continue
        watched.events.append(event)
        watched.arrived.append(time.monotonic())
        total = event["totalBytes"]
        if cancel_at and sent_at is None and total and event["doneBytes"] >= cancel_at * total:
            proc.send_signal(signal.SIGINT)
            sent_at = time.monotonic()
    watched.code = proc.wait()
    if watched.code not in (0, 130):
        print(line[-3000:], file=sys.stderr)
    end = time.monotonic()
    watched.wall_s = end - started
    watched.stopped_after_s = end - sent_at if sent_at else None
    after = twin.served.by_agent
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    watched.served_downloader = delta.get(AGENT, 0)
    watched.served_other = sum(v for k, v in delta.items() if k != AGENT)
    return watched


def shown_rates(run: Watched) -> list[float]:
    """Rates shown while the heavy wheels moved (MB/s): the throttle is what they should say."""
    heavy = ("torch", "tt_lang")
    moving = [e for e in run.events if (e.get("current") or "").startswith(heavy)]
    return [e["rateBps"] / MB for e in moving[1:]] or [0.0]


def eta_error(run: Watched) -> float | None:
    """Time left shown once a third was in, against the time the rest really took (s)."""
    for event, at in zip(run.events, run.arrived, strict=True):
        total = event["totalBytes"]
        if total and event["doneBytes"] >= total / 3 and event.get("etaS") is not None:
            return float(event["etaS"]) - (run.arrived[-1] - at)
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size-mb", type=int, default=None)
    parser.add_argument("--rate-mb", type=float, default=100.0)
    args = parser.parse_args()
    size_mb = args.size_mb or (150 if args.quick else 1000)
    result = BenchResult(
        "download", f"Install download: {size_mb} MB through a throttled link", args.quick
    )
    work = scratch_dir("tt-bench-download-")
    root = Path(tempfile.mkdtemp(prefix="twin-", dir=work))
    with serve(root, rate_bps=args.rate_mb * MB) as twin:
        fill(twin, heavy={name: int(share * size_mb * MB) for name, share in SHARES.items()})
        cold = watch(twin, work / "home", work / "venv-cold")
        cancelled = watch(twin, work / "home-cancel", work / "venv-cancel", cancel_at=1 / 3)
        resumed = watch(twin, work / "home-cancel", work / "venv-cancel")
        reuse = watch(twin, work / "home", work / "venv-reuse")
    for name, run in (("cold", cold), ("resume", resumed), ("reuse", reuse)):
        if run.code != 0:
            sys.exit(f"the {name} install failed (exit {run.code})")

    reported, served = cold.last["doneBytes"], cold.served_downloader
    ratio = reported / served if served else 0.0
    result.add(
        Metric(
            "cold: bytes reported / bytes the server sent the downloader", "x", [ratio], "within 5%"
        ),
        lambda x: abs(x - 1) <= 0.05,
    )
    result.add(Metric("cold: bytes downloaded", "MB", [reported / MB]))
    result.add(
        Metric(f"cold: rate shown (throttle {args.rate_mb:g} MB/s)", "MB/s", shown_rates(cold))
    )
    error = eta_error(cold)
    if error is not None:
        result.add(Metric("cold: time left shown at 1/3 minus the time it took", "s", [error]))
    result.add(Metric("cold: install wall time", "s", [cold.wall_s]))
    result.add(
        Metric("cold: bytes the resolver read while locking", "MB", [cold.served_other / MB])
    )
    partial = list((work / "home-cancel" / "wheels").glob("*.part"))
    result.add(
        Metric("cancel: Ctrl-C to exit", "s", [cancelled.stopped_after_s or 0.0], "< 2 s"),
        lambda x: 0 < x < 2,
    )
    result.add(Metric("cancel: partial files left", "count", [len(partial)], "0"), lambda x: x == 0)
    result.add(
        Metric("resume after the cancel: bytes downloaded", "MB", [resumed.last["doneBytes"] / MB])
    )
    result.add(
        Metric("reuse: bytes downloaded again", "MB", [reuse.served_downloader / MB], "0"),
        lambda x: x == 0,
    )
    result.add(Metric("reuse: install wall time", "s", [reuse.wall_s]))
    result.note(
        "bytes served are counted by the twin as it writes them to the socket, per User-Agent"
    )
    result.note("figures from a loaded machine are not comparable; quote a run made alone")
    print(f"wrote {result.write()}")


if __name__ == "__main__":
    main()
