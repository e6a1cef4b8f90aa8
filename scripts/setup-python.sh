#!/usr/bin/env bash
# Creates .venv (the backend's own environment) and installs tt-lessons into it, idempotently.
# With --py310 it also makes .venv310 on CPython 3.10, the lowest Python the backend supports, so
# the tests run there too (asyncio.TimeoutError and friends differ before 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

[ "${1:-}" = "--py310" ] || exit 0

# The first interpreter that really runs and is 3.10 (pyenv's PATH shims exist but exit 127).
is310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
PY310=""
for candidate in "${PYTHON310:-}" python3.10 \
  "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
  "$HOME"/.pyenv/versions/3.10*/bin/python3.10 \
  "$(.venv/bin/uv python find 3.10 2>/dev/null)"; do
  if is310 "$candidate"; then PY310=$candidate; break; fi
done
if [ -z "$PY310" ]; then
  echo "setup-python.sh: no CPython 3.10 found (tried \$PYTHON310, python3.10, pyenv, uv python find)." >&2
  echo "  Install one (e.g. 'pyenv install 3.10' or 'uv python install 3.10') or set PYTHON310." >&2
  exit 3
fi
if ! is310 .venv310/bin/python; then
  rm -rf .venv310
  "$PY310" -m venv .venv310
fi
.venv310/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
