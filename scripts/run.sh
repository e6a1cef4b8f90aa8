#!/usr/bin/env bash
# The product from a terminal: install the backend, build a CPU-only TT-XLA venv, run the check.
# Pass install options through, e.g. `scripts/run.sh --wheelhouse ~/wheels` on a TT machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
VENV=${TT_XLA_VENV:-$HOME/tt-xla-venv}
if [ -e /dev/tenstorrent ] || compgen -G "/dev/tenstorrent*" >/dev/null; then
  .venv/bin/tt-lessons install --venv "$VENV" "$@"
else
  echo "No Tenstorrent device found: installing in CPU-only mode."
  .venv/bin/tt-lessons install --venv "$VENV" --cpu-only "$@"
fi
.venv/bin/tt-lessons test --venv "$VENV"
