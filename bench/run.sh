#!/usr/bin/env bash
# Run the benchmarks, then write bench/results/REPORT.md (+ one JSON file per benchmark).
#
#   bash bench/run.sh [--quick] [install repair demo latency stream mesh] [idle gpt2 cell download]
#
# --quick: one repetition where a full run takes three (about 3 minutes instead of 12).
# Names pick a subset (`idle`, what an idle backend costs per VS Code window, `download`, the
# install download's byte progress through a throttled link with about 1 GB of stand-in wheels
# (bench_download.py, needs a CPython 3.12 and ~5 GB of disk), and `gpt2`, GPT-2 decode through
# the product on both CPU stacks against PyTorch (bench_gpt2.py; it builds its venvs and
# checkpoints when missing; run it alone, it marks a disturbed run UNRELIABLE), run only when
# named); repair, demo, latency and mesh reuse the venv bench_install leaves in
# bench/results/work (they fall back to .cache/test-venv when it is missing).
# A benchmark that fails is reported and the others still run; the exit code says whether any
# failed. Needs network access to pypi.org for the install benchmark.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
quick=()
names=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    install|repair|demo|latency|stream|mesh|idle|gpt2|cell|download) names+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=(install repair demo latency stream mesh)

# A fresh clone has no .venv yet: make it (idempotent, seconds when it is there).
bash scripts/setup-python.sh || exit 1
mkdir -p bench/results
# An installed backend carries its bytecode; a start that compiles changed sources (never written
# where PYTHONDONTWRITEBYTECODE is set) would time the compiler, not the CLI.
"$PY" -m compileall -q python_backend >/dev/null || exit 1
failed=()
started=$(date +%s)
for name in "${names[@]}"; do
  rm -f "bench/results/$name.json"  # never report a stale number as this run's
  echo "== $name ($(date -u +%H:%M:%S))"
  t0=$(date +%s)
  # The repo's .venv has the backend installed; a script's own folder (bench/) is on its path.
  if ! "$PY" "bench/bench_$name.py" "${quick[@]}"; then
    failed+=("$name")
  fi
  echo "== $name took $(( $(date +%s) - t0 )) s"
done
"$PY" bench/report.py >/dev/null && echo "report: bench/results/REPORT.md"
echo "all benchmarks took $(( $(date +%s) - started )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
