"""Install: our installer (uv) vs plain `python -m venv` + `pip install`, cold and warm caches.

Both install the same package list (the installer's own WORKLOAD_PACKAGES, what `--cpu-only`
asks for) from pypi.org into a fresh venv built from the same base Python. "Cold" is an empty
cache folder (UV_CACHE_DIR / PIP_CACHE_DIR), "warm" a second fresh venv reusing that folder.
The repair of a ready venv (nothing to change) is timed in bench_repair.py on the venv left here.

    .venv/bin/python bench/bench_install.py [--quick]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import install_phases
from benchlib import (
    BACKEND_PYTHON,
    KEPT_CACHE,
    KEPT_VENV,
    RESULTS,
    TT_LESSONS,
    BenchResult,
    Metric,
    clean_env,
    quick_flag,
    run_stamped,
    run_timed,
    scratch_dir,
)
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.venv.packages import WORKLOAD_PACKAGES
from tt_lessons.venv.status import installed_versions

# Both sides build from the interpreter the backend runs on (our installer's default base).
BASE_PYTHON = str(
    Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
)


def ours(venv: Path, cache: Path, home: Path, log: Path) -> tuple[float, dict[str, float]]:
    """Seconds, and the run split into the installer's steps and uv's phases."""
    env = clean_env(UV_CACHE_DIR=str(cache), TT_LESSONS_HOME=str(home))
    argv = [str(TT_LESSONS), "install", "--cpu-only", "--venv", str(venv), "--json"]
    run = run_stamped(argv, env)
    with log.open("a", encoding="utf-8") as out:
        out.write("$ " + " ".join(argv) + "\n")
        out.writelines(json.dumps(line) + "\n" for _, line in run.lines)
    return run.exit_s, install_phases.phases(run)


def plain_pip(venv: Path, cache: Path, log: Path) -> tuple[float, dict[str, float]]:
    """What a person would type: a stdlib venv, then its own pip, default options."""
    env = clean_env(PIP_CACHE_DIR=str(cache))
    create = run_timed([BASE_PYTHON, "-m", "venv", str(venv)], env, log)
    argv = [str(venv / "bin" / "python"), "-m", "pip", "install", *WORKLOAD_PACKAGES]
    install = run_timed(argv, env, log)
    return create + install, {"python -m venv": create, "pip install": install}


def local_wheels_install(work: Path, log: Path) -> tuple[float, dict[str, float]]:
    """Our installer, cold uv cache, but every wheel already on disk: the time left is unpacking.

    Diagnosis for the cold-cache figure: how much of it is the network and how much uv's work.
    """
    wheelhouse = work / "wheelhouse"
    env = clean_env(PIP_CACHE_DIR=str(work / "pip-download-cache"))
    download = [BASE_PYTHON, "-m", "pip", "download", "--only-binary=:all:", "-d", str(wheelhouse)]
    run_timed([*download, *WORKLOAD_PACKAGES], env, log)
    cache = fresh(work / "local-cache")
    env = clean_env(UV_CACHE_DIR=str(cache), TT_LESSONS_HOME=str(work / "home"))
    argv = [str(TT_LESSONS), "install", "--cpu-only", "--offline", "--wheelhouse", str(wheelhouse)]
    os.sync()  # the download above is not part of this measurement
    run = run_stamped([*argv, "--venv", str(work / "local-venv"), "--json"], env)
    return run.exit_s, install_phases.phases(run)


def versions(venv: Path) -> dict[str, str]:
    found = installed_versions(VenvLayout(venv))
    return {name: found.get(name, "-") for name in ("jax", "jaxlib", "flax", "transformers")}


def main() -> None:
    quick = quick_flag(sys.argv)
    reps = 1 if quick else 3
    result = BenchResult("install", "Install: our installer (uv) vs plain venv + pip", quick)
    work = scratch_dir("tt-bench-install-")
    log = RESULTS / "install.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    times: dict[str, list[float]] = {
        "pip-cold": [],
        "pip-warm": [],
        "ours-cold": [],
        "ours-warm": [],
    }
    seen: dict[str, dict[str, str]] = {}
    split: dict[str, list[dict[str, float]]] = {key: [] for key in times}
    try:
        for rep in range(reps):
            print(f"install rep {rep + 1}/{reps}", flush=True)
            # Alternate who goes first so a slow minute on the shared machine hits both sides.
            order = ("ours", "pip") if rep % 2 == 0 else ("pip", "ours")
            for who in order:
                keep = who == "ours" and rep == reps - 1
                cache = fresh(KEPT_CACHE if keep else work / f"{who}-cache-{rep}")
                for temp in ("cold", "warm"):
                    venv = work / f"{who}-{temp}-{rep}"
                    if keep and temp == "warm":
                        venv = fresh(KEPT_VENV, make=False)
                    # Flush what the last run and its clean-up wrote (a GB or more), so its
                    # writeback does not throttle the next measurement, whichever side it is.
                    os.sync()
                    if who == "ours":
                        spent, parts = ours(venv, cache, work / "home", log)
                    else:
                        spent, parts = plain_pip(venv, cache, log)
                    times[f"{who}-{temp}"].append(spent)
                    split[f"{who}-{temp}"].append(parts)
                    seen[who] = versions(venv)
                    print(f"  {who} {temp}: {spent:.1f} s", flush=True)
                    if venv != KEPT_VENV:
                        shutil.rmtree(venv)
                if cache != KEPT_CACHE:
                    shutil.rmtree(cache)
        local = [local_wheels_install(work, log)]
        shutil.rmtree(work / "local-venv")
        if not quick:
            local.append(local_wheels_install(work, log))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for key, label in (
        ("pip-cold", "plain pip, cold cache"),
        ("pip-warm", "plain pip, warm cache"),
        ("ours-cold", "our installer (uv), cold cache"),
        ("ours-warm", "our installer (uv), warm cache"),
    ):
        result.add(Metric(label, "s", times[key]))
    cold = [p / o for p, o in zip(times["pip-cold"], times["ours-cold"], strict=True)]
    warm = [p / o for p, o in zip(times["pip-warm"], times["ours-warm"], strict=True)]
    result.add(Metric("speedup vs pip, cold caches", "x", cold, ">= 10x"), lambda x: x >= 10)
    result.add(Metric("speedup vs pip, warm caches", "x", warm))
    for key in ("pip-cold", "pip-warm"):
        for name in ("python -m venv", "pip install"):
            result.add(Metric(f"{key}: {name}", "s", [parts[name] for parts in split[key]]))
    result.add(Metric("ours, cold cache, wheels already on disk", "s", [t for t, _ in local]))
    result.profile = "\n".join(
        [
            *(
                install_phases.table(f"our installer, {temp} cache", split[f"ours-{temp}"])
                for temp in ("cold", "warm")
            ),
            install_phases.table(
                "our installer, cold cache, wheels already on disk (--offline --wheelhouse)",
                [parts for _, parts in local],
            ),
        ]
    )
    print(result.profile)
    sizes = f"uv cache {megabytes(KEPT_CACHE)} MB, venv {megabytes(KEPT_VENV)} MB"
    result.note(f"after the last install: {sizes} (du -sm; the venv's files are hardlinks)")
    result.note(f"packages: {' '.join(WORKLOAD_PACKAGES)} (the installer's --cpu-only list)")
    result.note(f"resolved versions, ours: {seen.get('ours')}; pip: {seen.get('pip')}")
    result.note(f"pip: the base Python's bundled pip ({pip_version()}); both from pypi.org")
    result.note("ratio per repetition = pip time / ours time in the same repetition")
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


def pip_version() -> str:
    done = subprocess.run(
        [BASE_PYTHON, "-m", "pip", "--version"], capture_output=True, text=True, env=clean_env()
    )
    return done.stdout.split(" from ")[0].strip() or "unknown"


if __name__ == "__main__":
    assert Path(BACKEND_PYTHON).exists(), "run with the repo's .venv"
    main()
