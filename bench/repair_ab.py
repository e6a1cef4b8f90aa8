"""The no-op repair at two revisions of the backend, interleaved in one run: a ratio that holds
however fast the host is today (its speed moves by 2x from one hour to the next).

    .venv/bin/python bench/repair_ab.py REV [--reps N]

REV (a commit, tag or branch) is checked out into a temporary worktree; each side runs its own
`tt-lessons install --cpu-only --json` entry (`cli.run` where the revision has it, else `main`)
on the venv bench_install.py left, with byte-compiled sources, alternating, N times each.
`python -c pass` is timed beside them: the part no change to the backend can remove.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_repair import argv, env
from benchlib import BACKEND_PYTHON, REPO

ENTRY = (
    "import sys\n"
    "from tt_lessons import cli\n"
    "sys.argv[0] = 'tt-lessons'\n"
    "if hasattr(cli, 'run'):\n"
    "    cli.run()\n"
    "sys.exit(cli.main(sys.argv[1:]))\n"
)


def side(backend: Path) -> tuple[list[str], dict[str, str]]:
    subprocess.run([str(BACKEND_PYTHON), "-m", "compileall", "-q", str(backend)], check=True)
    return [str(BACKEND_PYTHON), "-c", ENTRY, *argv()[1:]], {**env(), "PYTHONPATH": str(backend)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev")
    parser.add_argument("--reps", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tt-ab-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(old), args.rev],
            check=True,
        )
        try:
            sides = {
                args.rev: side(old / "python_backend"),
                "this tree": side(REPO / "python_backend"),
                "python -c pass": ([str(BACKEND_PYTHON), "-c", "pass"], env()),
            }
            times: dict[str, list[float]] = {name: [] for name in sides}
            for _ in range(args.reps):
                for name, (cmd, environ) in sides.items():
                    started = time.perf_counter()
                    done = subprocess.run(cmd, env=environ, capture_output=True, text=True)
                    times[name].append(time.perf_counter() - started)
                    if done.returncode != 0:
                        sys.exit(f"{name} failed: {done.stderr[-600:]}")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)])
    med = {name: statistics.median(v) for name, v in times.items()}
    for name, v in times.items():
        print(
            f"{name:>16}: median {med[name]:.3f} s  min {min(v):.3f}  max {max(v):.3f}  n={len(v)}"
        )
    print(f"this tree / {args.rev}: {med['this tree'] / med[args.rev]:.2f}x")


if __name__ == "__main__":
    main()
