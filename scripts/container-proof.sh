#!/usr/bin/env bash
# Proves the Dockerfile on a machine with no image registry and no Docker engine: Debian's podman builds
# and runs the image on a Node 24 base made here with debootstrap. Run as root on Debian 12 (bookworm)
# x86_64 from the project root; CI does not run it. Every step prints what it did and how long it took.
#
#   scripts/container-proof.sh              base image (once), image, then the checks below
#   REBUILD_BASE=1 scripts/container-proof.sh   make the base again
#   NO_CACHE=1 scripts/container-proof.sh       build the image without podman's layer cache
#
# The checks: the image answers /readyz and starts a call with the key it printed; it runs as a non-root
# user; its HEALTHCHECK passes; SIGTERM stops it with exit code 0; a restart on the same /data volume
# keeps the database and prints no new key. Everything it started is removed at the end, also on failure
# (the images are kept: localhost/caller-memory-node:24, localhost/caller-memory:proof, and the build
# stages, which make a second run quick; `podman image prune` removes the stages). Without systemd, podman
# logs "unable to get systemd connection" for the periodic health checks: harmless, the check is run here
# by hand (`podman healthcheck run`).
set -euo pipefail

IMAGE="localhost/caller-memory:proof"
CONTAINER="caller-memory-proof"
VOLUME="caller-memory-proof-data"
PORT="${PROOF_PORT:-4780}"

cleanup() {
  podman rm -f -t 0 "$CONTAINER" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT

source "$(dirname "${BASH_SOURCE[0]}")/container-base.sh"
cleanup

# --- 2. The image, from the project's Dockerfile ------------------------------------------------------
build_image "$IMAGE"
podman image inspect "$IMAGE" --format '   image size: {{.Size}} bytes; user {{.Config.User}}; healthcheck {{.Config.Healthcheck.Test}}'
podman image ls "$IMAGE"
podman run --rm --entrypoint sh "$IMAGE" -c 'cd /app && du -sh node_modules dist src | sed "s/^/   /"; ls node_modules/.bin | grep -qx tsc && echo "   tsc present" || echo "   no TypeScript compiler in the image"'

# --- 3. Run it -----------------------------------------------------------------------------------------
secret="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
run_service() {
  podman run -d --name "$CONTAINER" --network host -e PORT="$PORT" -e APP_SECRET="$secret" \
    -e SHUTDOWN_DRAIN_DELAY_MS=3000 -v "$VOLUME:/data" "$IMAGE" >/dev/null
  local i
  for i in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    [ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || { podman logs "$CONTAINER"; fail "the container exited"; }
    sleep 0.5
  done
  podman logs "$CONTAINER"; fail "/readyz never answered"
}

step "podman run (host network, port $PORT, volume $VOLUME at /data)"
t0=$(date +%s)
run_service
elapsed "$t0"
echo "   GET /readyz: $(curl -sS "http://127.0.0.1:$PORT/readyz")"
key="$(podman logs "$CONTAINER" 2>&1 | grep -oE 'sk_test_[0-9A-Za-z]{49}' | head -1)"
[ -n "$key" ] || { podman logs "$CONTAINER"; fail "no key printed"; }
echo "   first key printed: ${key:0:12}…"
answer="$(curl -sS -w ' HTTP %{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"call_id":"proof_001","identity_hints":{"ani":"4155550199"}}' "http://127.0.0.1:$PORT/v1/calls/start")"
echo "   POST /v1/calls/start: ${answer:0:160}…"
case "$answer" in *'"call_id":"proof_001"'*'HTTP 200') ;; *) fail "the call start was not answered 200";; esac

step "runs as a non-root user"
uid="$(podman exec "$CONTAINER" id -u)"
echo "   id: $(podman exec "$CONTAINER" id)"
[ "$uid" != 0 ] || fail "runs as root"
podman top "$CONTAINER" user pid args | sed 's/^/   /'

step "HEALTHCHECK"
podman healthcheck run "$CONTAINER" && echo "   healthy" || fail "health check failed"

step "SIGTERM: /readyz turns 503 at once (the health check fails while draining), then exit code 0"
t0=$(date +%s)
podman kill --signal TERM "$CONTAINER" >/dev/null
if podman healthcheck run "$CONTAINER"; then fail "still healthy while draining"; fi
code="$(podman wait "$CONTAINER")"
elapsed "$t0"
podman logs "$CONTAINER" 2>&1 | grep -E '"msg":"(shutting down|no longer accepting connections|stopped)"' | cut -c1-150 | sed 's/^/   /'
[ "$code" = 0 ] || fail "exit code $code"
echo "   exit code 0"

step "restart on the same volume: the database persists, no new key"
podman rm "$CONTAINER" >/dev/null
run_service
[ "$(podman logs "$CONTAINER" 2>&1 | grep -c sk_test_ || true)" = 0 ] || fail "a second key was printed"
status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"call_id":"proof_002","identity_hints":{"ani":"4155550199"}}' "http://127.0.0.1:$PORT/v1/calls/start")"
echo "   the first key still works: HTTP $status"
[ "$status" = 200 ] || fail "the key was lost"
step "podman stop (STOPSIGNAL SIGTERM, drain delay 3 s)"
t0=$(date +%s)
podman stop -t 20 "$CONTAINER" >/dev/null
elapsed "$t0"
echo "   exit code $(podman inspect -f '{{.State.ExitCode}}' "$CONTAINER")"

step "proof complete"
