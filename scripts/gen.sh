#!/usr/bin/env bash
# The one gen command (`npm run gen`): the backend's JSON Schema export, then everything generated
# from it (extension/backend/protocol/, routes.generated.ts, settings.generated.ts, package.json's
# commands and settings). Run it after changing python_backend/tt_lessons/protocol/ or routes/, and
# commit the result; `npm run check:protocol` and tests/python/test_protocol.py fail while it is
# stale.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
"$PYTHON" -m tt_lessons.cli schema --out protocol/schema.json
node scripts/gen-protocol.mjs
