#!/usr/bin/env bash
# Installs what the end-to-end UI tests (and scripts/ui.sh) need, idempotently:
#   - apt: chromium, build tools and the headers code-server's native modules build against;
#   - .e2e/node_modules: code-server@4.100.3 + playwright-core, pinned by tests/e2e/package*.json.
# No browser or ripgrep download from GitHub: Chromium comes from Debian, and code-server's ripgrep
# postinstall is fed a local tarball made from the npm package @vscode/ripgrep-linux-x64.
# Why the rest is as it is: 4.100.3 is code-server's last release on Node 20 (later ones need 22);
# as root its postinstall runs only with npm_config_unsafe_perm, node-pty's node-gyp stops at a
# prompt without npm_config_yes, and its native modules build against the apt headers below.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
E2E=$ROOT/.e2e
mkdir -p "$E2E/tmp"

# --- apt: only what is missing (no apt-get update when everything is there) ---
APT_PKGS=(chromium build-essential python3 python3-venv libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-e2e: apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" \
    || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

# --- node packages into .e2e/ (skip when the lock has not changed since the last install) ---
stamp="$E2E/node_modules/.tt-e2e-stamp"
lock_hash() { cat tests/e2e/package.json tests/e2e/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }
want=$(lock_hash || true)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -x "$E2E/node_modules/.bin/code-server" ]; then
  exit 0
fi

# code-server pins @vscode/ripgrep@1.15.11, whose postinstall downloads rg from GitHub unless
# $TMPDIR/vscode-ripgrep-cache-1.15.11/<asset> exists. Make that asset from the npm package.
rg_cache="$E2E/tmp/vscode-ripgrep-cache-1.15.11"
rg_asset="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_asset" ]; then
  work=$(mktemp -d "$E2E/tmp/rg.XXXX")
  (cd "$work" && npm pack --silent @vscode/ripgrep-linux-x64@1.18.0 >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$rg_cache"
  tar czf "$rg_asset" -C "$work/package/bin" rg
  rm -rf "$work"
fi

cp tests/e2e/package.json "$E2E/package.json"
if [ -f tests/e2e/package-lock.json ]; then
  cp tests/e2e/package-lock.json "$E2E/package-lock.json"
  npm_cmd=(ci)
else
  npm_cmd=(install)
fi
echo "setup-e2e: npm ${npm_cmd[*]} in .e2e (code-server builds native modules; ~1-2 min)"
(
  cd "$E2E"
  export TMPDIR="$E2E/tmp" npm_config_unsafe_perm=true npm_config_yes=true
  # node-gyp builds against Debian's Node headers rather than downloading them.
  if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  npm "${npm_cmd[@]}" --no-audit --no-fund --loglevel=error
)
# First run without a lock: keep the one npm wrote, so later runs are pinned (commit it).
[ -f tests/e2e/package-lock.json ] || cp "$E2E/package-lock.json" tests/e2e/package-lock.json
want=$(lock_hash)
# (No `code-server --version` here: without --config it writes a config into the home folder.)
version=$(node -p "require('$E2E/node_modules/code-server/package.json').version")
test -x "$E2E/node_modules/.bin/code-server"
test -d "$E2E/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin"
echo "$want" > "$stamp"
echo "setup-e2e: ready (code-server $version)"
