"""Install: our installer (uv) vs plain `python -m venv` + `pip install`, like with like.

Both sides install what `tt-lessons install --cpu-only` really installs: the interpreter and the
package list are asked from the installer's own code (choose_python, requested_packages) before
anything runs, so by default the plugin's Python (3.12 when the machine has one) with the
plugin's jax pin; pip gets that list on that interpreter. A second row does the same for
`--latest-jax`. Each of our runs is checked to have used that interpreter. "Cold" is an empty
cache folder (UV_CACHE_DIR / PIP_CACHE_DIR) and a fresh backend home, "warm" a second fresh venv
reusing both, timed beside `cp -al` of the venv it made (the same hard links with no installer:
the filesystem's own floor). Then the wheels already on disk (a folder made by `tt-lessons
wheelhouse` for that Python): the cold install without the network, beside the disk's sequential
write rate measured in the same run (cold_disk.py). Machine load is sampled before every
measurement (machine_load.py). Nothing is deleted between measurements (see measure_stack).

    .venv/bin/python bench/bench_install.py [--quick] [--index-url URL]

--index-url: every package from that index instead of pypi.org (the smoke test's local one).
Alone on 2 cores a full run takes about 12 minutes (pip's 2 x 2 x 3 installs are most of it),
--quick about 4; on a loaded machine several times that, and its result says it was disturbed.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cold_disk
import install_phases
from benchlib import (
    BACKEND_PYTHON,
    KEPT_CACHE,
    KEPT_VENV,
    RESULTS,
    TT_LESSONS,
    WORK,
    BenchResult,
    Metric,
    clean_env,
    quick_flag,
    run_stamped,
    run_timed,
    scratch_dir,
)
from machine_load import QUIET_BUSY, LoadWatch
from tt_lessons.protocol import InstallParams
from tt_lessons.run_sink import RunSink
from tt_lessons.venv import choose_python
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.venv.resolver import find_uv, requested_packages
from tt_lessons.venv.status import installed_versions


@dataclass(frozen=True)
class Stack:
    """One row: what our installer is asked (flags) and what it will install (python, packages)."""

    key: str
    flags: tuple[str, ...]
    python: str
    python_version: str  # major.minor
    packages: tuple[str, ...]


def product_stack(key: str, latest: bool, home: Path) -> Stack:
    """The interpreter and packages the installer itself chooses for these flags, here."""
    params = InstallParams(cpu_only=True, latest_jax=latest)
    os.environ["TT_LESSONS_HOME"] = str(home)  # its probe cache is not the person's
    choice = asyncio.run(choose_python.choose(params, find_uv(), RunSink("bench", lambda _: None)))
    major, minor, _ = choice.python.version
    flags = ("--cpu-only", "--latest-jax") if latest else ("--cpu-only",)
    packages = tuple(requested_packages(params, choice.pin_jax))
    return Stack(key, flags, choice.python.path, f"{major}.{minor}", packages)


def index_env(index_url: str | None) -> dict[str, str]:
    """Both tools (and `pip download`) to one index; nothing when it is pypi.org."""
    return {"PIP_INDEX_URL": index_url, "UV_DEFAULT_INDEX": index_url} if index_url else {}


def ours(
    stack: Stack, venv: Path, cache: Path, home: Path, log: Path, extra: dict[str, str]
) -> tuple[float, dict[str, float]]:
    """Seconds, and the run split into the installer's steps and uv's phases."""
    env = clean_env(UV_CACHE_DIR=str(cache), TT_LESSONS_HOME=str(home), **extra)
    argv = [str(TT_LESSONS), "install", *stack.flags, "--venv", str(venv), "--json"]
    run = run_stamped(argv, env)
    with log.open("a", encoding="utf-8") as out:
        out.write("$ " + " ".join(argv) + "\n")
        out.writelines(json.dumps(line) + "\n" for _, line in run.lines)
    used = run.outcome.get("result", {}).get("python")
    if used != stack.python:  # not like with like any more: say so rather than report it
        raise RuntimeError(f"our installer used {used}, pip was given {stack.python}")
    return run.exit_s, install_phases.phases(run)


def plain_pip(
    stack: Stack, venv: Path, cache: Path, log: Path, extra: dict[str, str]
) -> tuple[float, dict[str, float]]:
    """What a person would type: a stdlib venv from the same Python, then its own pip."""
    env = clean_env(PIP_CACHE_DIR=str(cache), **extra)
    create = run_timed([stack.python, "-m", "venv", str(venv)], env, log)
    argv = [str(venv / "bin" / "python"), "-m", "pip", "install", *stack.packages]
    install = run_timed(argv, env, log)
    return create + install, {"python -m venv": create, "pip install": install}


def versions(venv: Path) -> dict[str, str]:
    found = installed_versions(VenvLayout(venv))
    return {name: found.get(name, "-") for name in ("jax", "jaxlib", "flax", "transformers")}


def measure_stack(
    stack: Stack,
    reps: int,
    work: Path,
    log: Path,
    extra: dict[str, str],
    watch: LoadWatch,
    window_s: float,
) -> tuple[dict[str, list[float]], dict[str, list[dict[str, float]]], dict[str, dict[str, str]]]:
    times: dict[str, list[float]] = {
        k: [] for k in ("pip-cold", "pip-warm", "ours-cold", "ours-warm", "link-floor")
    }
    split: dict[str, list[dict[str, float]]] = {key: [] for key in times}
    seen: dict[str, dict[str, str]] = {}
    # Deleted only after the last repetition: on this ext4 (mounted with `discard`) each deleted
    # tree of ~18,000 files made the next venv's links slower (a plain `cp -al` of the same venv
    # went 0.69 s -> 1.37 s over five create/delete cycles, and held at 0.5 s without deletes),
    # so deleting between runs timed the benchmark's own clean-up, not the installer.
    leftovers: list[Path] = []
    for rep in range(reps):
        print(f"install [{stack.key}] rep {rep + 1}/{reps}", flush=True)
        # Alternate who goes first so a slow minute on the shared machine hits both sides.
        order = ("ours", "pip") if rep % 2 == 0 else ("pip", "ours")
        for who in order:
            # The default stack's last venv stays for bench_repair (and its cache and home).
            keep = stack.key == "pinned" and who == "ours" and rep == reps - 1
            cache = fresh(KEPT_CACHE if keep else work / f"{who}-cache-{rep}")
            home = fresh(WORK / "home" if keep else work / f"home-{stack.key}-{rep}")
            for temp in ("cold", "warm"):
                venv = work / f"{who}-{temp}-{rep}"
                if keep and temp == "warm":
                    venv = fresh(KEPT_VENV, make=False)
                # Flush what the last run and its clean-up wrote (a GB or more), so its
                # writeback does not throttle the next measurement, whichever side it is.
                os.sync()
                watch.sample(window_s)
                if who == "ours":
                    spent, parts = ours(stack, venv, cache, home, log, extra)
                else:
                    spent, parts = plain_pip(stack, venv, cache, log, extra)
                times[f"{who}-{temp}"].append(spent)
                split[f"{who}-{temp}"].append(parts)
                seen[who] = versions(venv)
                print(f"  {who} {temp}: {spent:.1f} s", flush=True)
                if who == "ours" and temp == "warm":
                    times["link-floor"].append(link_floor(venv, work / f"cp-al-{rep}"))
                    leftovers.append(work / f"cp-al-{rep}")
                if venv != KEPT_VENV:
                    leftovers.append(venv)
            if cache != KEPT_CACHE:
                leftovers.append(cache)
    for folder in leftovers:
        shutil.rmtree(folder)
    os.sync()
    return times, split, seen


def link_floor(venv: Path, copy: Path) -> float:
    """Seconds for `cp -al`: the same tree of hard links a warm install makes, with no installer
    at all, on the same disk at the same moment (what the filesystem alone allows)."""
    os.sync()
    started = time.perf_counter()
    subprocess.run(["cp", "-al", str(venv), str(copy)], check=True)
    return time.perf_counter() - started


def report_stack(
    result: BenchResult,
    stack: Stack,
    times: dict[str, list[float]],
    split: dict[str, list[dict[str, float]]],
) -> None:
    row = "" if stack.key == "pinned" else " (--latest-jax)"
    default = stack.key == "pinned"
    for key, label in (
        ("pip-cold", "plain pip, cold cache"),
        ("pip-warm", "plain pip, warm cache"),
        ("ours-cold", "our installer (uv), cold cache"),
    ):
        result.add(Metric(label + row, "s", times[key]))
    warm = Metric("our installer (uv), warm cache" + row, "s", times["ours-warm"])
    result.add(warm, (lambda s: s <= 1.5) if default else None)
    if default:
        warm.target = "<= 1.5 s"
    floor = times["link-floor"]
    result.add(Metric("hard-link copy of that venv (cp -al), the link floor" + row, "s", floor))
    over = [o / f for o, f in zip(times["ours-warm"], floor, strict=True)]
    result.add(Metric("ours warm / link floor" + row, "x", over))
    cold = [p / o for p, o in zip(times["pip-cold"], times["ours-cold"], strict=True)]
    warm_x = [p / o for p, o in zip(times["pip-warm"], times["ours-warm"], strict=True)]
    speed = Metric("speedup vs pip, cold caches" + row, "x", cold, ">= 10x" if default else None)
    result.add(speed, (lambda x: x >= 10) if default else None)
    result.add(Metric("speedup vs pip, warm caches" + row, "x", warm_x))
    for key in ("pip-cold", "pip-warm"):
        for name in ("python -m venv", "pip install"):
            samples = [parts[name] for parts in split[key]]
            result.add(Metric(f"{key}{row}: {name}", "s", samples))


def main() -> None:
    quick = quick_flag(sys.argv)
    index_url = sys.argv[sys.argv.index("--index-url") + 1] if "--index-url" in sys.argv else None
    extra = index_env(index_url)
    reps = 1 if quick else 3
    window_s = 0.5 if quick else 1.0
    result = BenchResult("install", "Install: our installer (uv) vs plain venv + pip", quick)
    work = scratch_dir("tt-bench-install-")
    log = RESULTS / "install.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    watch = LoadWatch()
    profiles: list[str] = []
    try:
        stacks = [
            product_stack("pinned", False, work / "choose-home"),
            product_stack("latest", True, work / "choose-home"),
        ]
        disk = cold_disk.DiskRun(work, quick)
        disk.rate()  # before the installs, and again after them
        for stack in stacks:
            times, split, seen = measure_stack(stack, reps, work, log, extra, watch, window_s)
            report_stack(result, stack, times, split)
            if stack.key == "pinned":
                disk.ours_cold = times["ours-cold"]
            profiles += [
                install_phases.table(
                    f"our installer [{stack.key}], {temp} cache", split[f"ours-{temp}"]
                )
                for temp in ("cold", "warm")
            ]
            result.note(
                f"[{stack.key}] both sides: {stack.python} (Python {stack.python_version}), "
                f"packages: {' '.join(stack.packages)}; resolved, ours: {seen.get('ours')}; "
                f"pip: {seen.get('pip')} ({pip_version(stack.python)})"
            )
        disk.unpacked_mb = megabytes(KEPT_CACHE)
        profiles += disk.wheels_on_disk(stacks[0], extra, watch, window_s, log)
        disk.rate()
        disk.report(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    busy = Metric(
        "others' CPU use while the benchmark waited (max)", "%", [100 * x for x in watch.samples]
    )
    busy.target = f"< {QUIET_BUSY:.0%} (a quiet machine)"
    result.add(busy, lambda _: not watch.disturbed)
    result.profile = "\n".join(profiles)
    print(result.profile)
    sizes = f"uv cache {megabytes(KEPT_CACHE)} MB, venv {megabytes(KEPT_VENV)} MB"
    result.note(f"after the last install: {sizes} (du -sm; the venv's files are hardlinks)")
    result.note(f"index: {index_url or 'pypi.org'} for both sides")
    result.note("ratio per repetition = pip time / ours time in the same repetition")
    result.note(watch.summary())
    print(f"wrote {result.write()}")


def fresh(folder: Path, make: bool = True) -> Path:
    """An empty folder (or none, for a venv the tool creates) at this path."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if make:
        folder.mkdir()
    return folder


def megabytes(folder: Path) -> int:
    done = subprocess.run(["du", "-sm", str(folder)], capture_output=True, text=True)
    return int(done.stdout.split()[0]) if done.returncode == 0 else -1


def pip_version(python: str) -> str:
    done = subprocess.run(
        [python, "-m", "pip", "--version"], capture_output=True, text=True, env=clean_env()
    )
    return done.stdout.split(" from ")[0].strip() or "unknown"


if __name__ == "__main__":
    assert Path(BACKEND_PYTHON).exists(), "run with the repo's .venv"
    main()
