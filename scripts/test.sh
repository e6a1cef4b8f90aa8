#!/usr/bin/env bash
# The one test command: installs what it needs, then lints, type-checks and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
echo "== ruff"; .venv/bin/ruff check python_backend tests bench
.venv/bin/ruff format --check python_backend tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest -q "$@"
if [ -f package.json ] && grep -q '"test"' package.json; then
  echo "== npm"; npm ci --no-audit --no-fund && npm test
fi
echo "== e2e (real VS Code in Chromium: code-server + the packaged extension)"
bash scripts/setup-e2e.sh
node tests/e2e/run.mjs
