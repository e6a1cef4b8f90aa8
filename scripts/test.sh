#!/usr/bin/env bash
# The one test command: installs what it needs, then lints, type-checks and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh --py310  # also .venv310: the backend's lowest Python
echo "== ruff"; .venv/bin/ruff check python_backend tests bench
.venv/bin/ruff format --check python_backend tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest -q "$@"
# The slow tests build real venvs with JAX; the default Python covers them, 3.10 runs the rest.
echo "== pytest on Python 3.10"; .venv310/bin/pytest -q -m "not slow" "$@"
if [ -f package.json ] && grep -q '"test"' package.json; then
  echo "== npm"; npm ci --no-audit --no-fund && npm test
fi
echo "== e2e (real VS Code in Chromium: code-server + the packaged extension)"
bash scripts/setup-e2e.sh
node tests/e2e/run.mjs
