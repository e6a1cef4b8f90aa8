"""Install: our installer (uv) vs plain `python -m venv` + `pip install`, cold and warm caches.

Both install the same package list (the installer's own WORKLOAD_PACKAGES, what `--cpu-only`
asks for) from pypi.org into a fresh venv built from the same base Python. "Cold" is an empty
cache folder (UV_CACHE_DIR / PIP_CACHE_DIR), "warm" a second fresh venv reusing that folder.
The repair of a ready venv (nothing to change) is timed in bench_repair.py on the venv left here.

    .venv/bin/python bench/bench_install.py [--quick]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

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
    run_timed,
)
from tt_lessons.venv.install import WORKLOAD_PACKAGES
from tt_lessons.venv.layout import VenvLayout
from tt_lessons.venv.status import installed_versions

# Both sides build from the interpreter the backend runs on (our installer's default base).
BASE_PYTHON = str(
    Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
)


def ours(venv: Path, cache: Path, home: Path, log: Path) -> float:
    env = clean_env(UV_CACHE_DIR=str(cache), TT_LESSONS_HOME=str(home))
    argv = [str(TT_LESSONS), "install", "--cpu-only", "--venv", str(venv), "--json"]
    return run_timed(argv, env, log)


def plain_pip(venv: Path, cache: Path, log: Path) -> float:
    """What a person would type: a stdlib venv, then its own pip, default options."""
    env = clean_env(PIP_CACHE_DIR=str(cache))
    spent = run_timed([BASE_PYTHON, "-m", "venv", str(venv)], env, log)
    argv = [str(venv / "bin" / "python"), "-m", "pip", "install", *WORKLOAD_PACKAGES]
    return spent + run_timed(argv, env, log)


def versions(venv: Path) -> dict[str, str]:
    found = installed_versions(VenvLayout(venv))
    return {name: found.get(name, "-") for name in ("jax", "jaxlib", "flax", "transformers")}


def main() -> None:
    quick = quick_flag(sys.argv)
    reps = 1 if quick else 3
    result = BenchResult("install", "Install: our installer (uv) vs plain venv + pip", quick)
    work = Path(tempfile.mkdtemp(prefix="tt-bench-install-", dir=RESULTS.parent.parent / ".cache"))
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
                    if who == "ours":
                        spent = ours(venv, cache, work / "home", log)
                    else:
                        spent = plain_pip(venv, cache, log)
                    times[f"{who}-{temp}"].append(spent)
                    seen[who] = versions(venv)
                    print(f"  {who} {temp}: {spent:.1f} s", flush=True)
                    if venv != KEPT_VENV:
                        shutil.rmtree(venv)
                if cache != KEPT_CACHE:
                    shutil.rmtree(cache)
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


def pip_version() -> str:
    import subprocess

    done = subprocess.run(
        [BASE_PYTHON, "-m", "pip", "--version"], capture_output=True, text=True, env=clean_env()
    )
    return done.stdout.split(" from ")[0].strip() or "unknown"


if __name__ == "__main__":
    assert Path(BACKEND_PYTHON).exists(), "run with the repo's .venv"
    main()
