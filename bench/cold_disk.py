"""The cold install against the disk's own limit, and with every wheel already on disk.

The folder is made by `tt-lessons wheelhouse` for the default stack's Python (the install's own
closure, pin included), so the offline install from it is the product's real path. It then runs
once per uv link mode: `hardlink` (uv's default, and ours: the venv's files are links into the
cache, no second copy) and, in a full run, `copy` (every byte written twice), to show what the
link mode is worth. The floor is the unpacked bytes (uv's cache after the cold install) divided
by the sequential write rate measured before and after the installs (disk_rate.py).
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import install_phases
from benchlib import KEPT_CACHE, KEPT_VENV, TT_LESSONS, BenchResult, Metric, clean_env, run_stamped
from benchlib import run_timed as run_logged
from disk_rate import same_filesystem, write_rate_mb_s
from machine_load import LoadWatch

if TYPE_CHECKING:
    from bench_install import Stack


@dataclass
class DiskRun:
    work: Path
    quick: bool
    rates: list[float] = field(default_factory=list)  # MB/s
    ours_cold: list[float] = field(default_factory=list)  # the default stack's cold installs
    unpacked_mb: int = -1  # uv's cache after a cold install: what a cold install writes
    on_disk: dict[str, list[float]] = field(default_factory=dict)  # link mode -> seconds
    wheelhouse_mb: float = 0.0

    def rate(self) -> None:
        self.rates.append(write_rate_mb_s(self.work, 128 if self.quick else 512))

    def wheels_on_disk(
        self, stack: Stack, extra: dict[str, str], watch: LoadWatch, window_s: float, log: Path
    ) -> list[str]:
        """Build the folder with `tt-lessons wheelhouse`, then install from it, cold, offline."""
        folder = self.work / "wheelhouse"
        build = [str(TT_LESSONS), "wheelhouse", "--cpu-only"]
        build += ["--python-version", stack.python_version, str(folder)]
        run_logged(build, clean_env(PIP_CACHE_DIR=str(self.work / "pip-download"), **extra), log)
        self.wheelhouse_mb = sum(p.stat().st_size for p in folder.glob("*.whl")) / 1e6
        profiles = []
        for mode in ("hardlink",) if self.quick else ("hardlink", "copy"):
            runs = [
                self._install(stack, folder, mode, watch, window_s)
                for _ in range(1 if self.quick else 2)
            ]
            self.on_disk[mode] = [seconds for seconds, _ in runs]
            label = f"our installer, cold cache, wheels already on disk, UV_LINK_MODE={mode}"
            profiles.append(install_phases.table(label, [parts for _, parts in runs]))
        return profiles

    def _install(
        self, stack: Stack, folder: Path, mode: str, watch: LoadWatch, window_s: float
    ) -> tuple[float, dict[str, float]]:
        # New folders each time, deleted with the work folder at the end: a deletion between
        # runs slows the next run's file creation on this disk (bench_install.measure_stack).
        run = len(list(self.work.glob("local-cache-*")))
        cache, venv = self.work / f"local-cache-{run}", self.work / f"local-venv-{run}"
        os.sync()  # the download is not this measurement's
        watch.sample(window_s)
        env = clean_env(
            UV_CACHE_DIR=str(cache), TT_LESSONS_HOME=str(self.work / "home"), UV_LINK_MODE=mode
        )
        argv = [str(TT_LESSONS), "install", *stack.flags, "--offline", "--wheelhouse", str(folder)]
        run = run_stamped([*argv, "--venv", str(venv), "--json"], env)
        used = run.outcome.get("result", {}).get("python")
        if used != stack.python:
            raise RuntimeError(f"the offline install used {used}, not {stack.python}")
        return run.exit_s, install_phases.phases(run)

    def report(self, result: BenchResult) -> None:
        result.add(Metric("disk: sequential write, fdatasync (before, after)", "MB/s", self.rates))
        floor = self.unpacked_mb * (1 << 20) / 1e6 / statistics.median(self.rates)
        result.add(
            Metric("disk floor of the cold install (unpacked MB / write rate)", "s", [floor])
        )
        ratio = [seconds / floor for seconds in self.ours_cold]
        result.add(Metric("ours cold / disk floor", "x", ratio, "<= 1.5x"), lambda x: x <= 1.5)
        for mode, times in self.on_disk.items():
            name = f"ours, cold cache, wheels already on disk (UV_LINK_MODE={mode})"
            result.add(Metric(name, "s", times))
            result.add(
                Metric(f"wheels on disk ({mode}) / disk floor", "x", [t / floor for t in times])
            )
        same = same_filesystem(KEPT_CACHE, KEPT_VENV, self.work)
        result.note(
            f"disk: {self.unpacked_mb} MB unpacked (uv's cache after a cold install); the "
            f"wheelhouse holds {self.wheelhouse_mb:.0f} MB of wheels; cache and venv on "
            f"{'one filesystem (hardlinks, no second copy)' if same else 'different filesystems'}"
        )
