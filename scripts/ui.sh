#!/usr/bin/env bash
# Try the lesson in VS Code. Makes the repository's .venv (scripts/setup-python.sh: packaging
# bundles the backend's Python libraries with it), packages the extension (npm run package), then:
#   - with the VS Code CLI (`code`) on PATH: installs the .vsix into your VS Code and opens lessons/;
#   - without it: installs code-server (scripts/setup-e2e.sh, first, as it also brings Debian's
#     python3-venv) and starts VS Code in the browser on 127.0.0.1 with the extension installed and
#     lessons/ open, and prints the URL.
# The lesson opens by itself on the extension's first start; after that "Tenstorrent: Open the
# TT-XLA JAX Lesson" in the command palette (Ctrl+Shift+P) opens it, and a lesson tab left open
# comes back by itself.
#
#   bash scripts/ui.sh                 # PORT=8080 by default; UI=browser forces code-server
# On a remote machine, forward the port: ssh -L 8080:127.0.0.1:8080 host, then open the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

browser=yes
if [ "${UI:-}" != browser ] && command -v code >/dev/null 2>&1; then browser=no; fi
if [ "$browser" = yes ]; then bash scripts/setup-e2e.sh; fi
bash scripts/setup-python.sh # idempotent
[ -d node_modules ] || npm ci --no-audit --no-fund
started=$(date +%s)
npm run package
vsix=$(ls -t ./*.vsix 2>/dev/null | head -1 || true)
if [ -z "$vsix" ] || [ "$(stat -c %Y "$vsix")" -lt $((started - 1)) ]; then
  echo "ui: npm run package wrote no new .vsix" >&2
  exit 1
fi
vsix="$ROOT/${vsix#./}"
title=$(node -p "const c = require('./package.json').contributes.commands
  .find((c) => c.command === 'tenstorrent.openLesson'); (c.category ? c.category + ': ' : '') + c.title")

if [ "$browser" = no ]; then
  code --install-extension "$vsix" --force
  code "$ROOT/lessons"
  echo "ui: installed $vsix into VS Code and opened lessons/; the lesson opens by itself on the extension's first start."
  echo "ui: to open it again, run \"$title\" from the command palette (Ctrl+Shift+P)."
  exit 0
fi

UI_DIR="$ROOT/.e2e/ui" # kept between runs, so your settings stay
mkdir -p "$UI_DIR/user-data/User" "$UI_DIR/extensions"
if [ ! -f "$UI_DIR/user-data/User/settings.json" ]; then
  cat > "$UI_DIR/user-data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "terminal.integrated.gpuAcceleration": "off"
}
JSON
fi
PORT=${PORT:-8080}
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$UI_DIR/config.yaml"
cs=(.e2e/node_modules/.bin/code-server --config "$UI_DIR/config.yaml"
    --user-data-dir "$UI_DIR/user-data" --extensions-dir "$UI_DIR/extensions")
"${cs[@]}" --force --install-extension "$vsix"
echo
echo "ui: VS Code with the Tenstorrent extension and the lesson: http://127.0.0.1:$PORT/?folder=$ROOT/lessons"
echo "ui: the lesson opens by itself on the extension's first start; to open it again, run"
echo "ui: \"$title\" from the command palette (Ctrl+Shift+P). Ctrl+C stops."
echo
exec "${cs[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override "$ROOT/lessons"
