#!/usr/bin/env bash
# Runs compose.yaml (PostgreSQL, two instances, HAProxy with deploy/haproxy.cfg) with Debian's
# podman-compose on a machine with no image registry. Run as root on Debian 12 (bookworm) from the
# project root, after or instead of scripts/container-proof.sh; CI does not run it.
#
# The official postgres and haproxy images cannot be pulled here, so stand-ins are built on the local
# Debian base from Debian's packages (PostgreSQL 15, HAProxy 2.6) and named through the compose file's
# POSTGRES_IMAGE / HAPROXY_IMAGE; the stand-in PostgreSQL honours POSTGRES_USER, POSTGRES_PASSWORD and
# POSTGRES_DB as the official image does. The app is the project's Dockerfile, as `build: .` makes it.
#
# The checks: both instances start on one empty database and exactly one prints a first key; the proxy
# answers /readyz and a call start and spreads requests over both; one instance stopped (SIGTERM) under
# a steady stream of requests through the proxy costs none of them; a client's own X-Forwarded-For does
# not get it past the per-address auth throttle. podman-compose 1.0.3 ignores depends_on conditions,
# so the instances may start before PostgreSQL is ready and are restarted (restart: unless-stopped).
# Everything is removed at the end (`podman-compose down`, volumes included).
set -euo pipefail

PROJECT="caller-memory-proof"
PORT="${PROOF_PORT:-4790}"
export APP_IMAGE="localhost/caller-memory:proof"
export POSTGRES_IMAGE="localhost/caller-memory-proof-postgres:15"
export HAPROXY_IMAGE="localhost/caller-memory-proof-haproxy:2.6"
export HTTP_PORT="$PORT"
APP_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
POSTGRES_PASSWORD="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export APP_SECRET POSTGRES_PASSWORD

compose() { podman-compose -p "$PROJECT" -f "$ROOT/compose.yaml" "$@"; }
cleanup() {
  # The containers and every volume they mounted (the named one and the image's anonymous /data), and the
  # network: podman-compose 1.0.3's `down -v` leaves some of them.
  local containers volumes
  containers="$(podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null || true)"
  [ -z "$containers" ] && return 0
  volumes="$(podman inspect --format '{{range .Mounts}}{{.Name}} {{end}}' $containers 2>/dev/null || true)"
  podman rm -f -v -t 5 $containers >/dev/null 2>&1 || true
  for volume in $volumes; do podman volume rm -f "$volume" >/dev/null 2>&1 || true; done
  podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
}
trap cleanup EXIT

source "$(dirname "${BASH_SOURCE[0]}")/container-base.sh"
command -v podman-compose >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman-compose
cleanup

# --- Stand-ins for the official images -----------------------------------------------------------------
stand_in() { # name, Containerfile text, [file to add]
  local dir="$WORK/$1"
  mkdir -p "$dir" && printf '%s\n' "$2" >"$dir/Containerfile"
  [ -z "${3:-}" ] || cp "$3" "$dir/"
  podman build -q --network host --build-arg BASE="$BASE_IMAGE" -t "$1" "$dir" >/dev/null
}
step "stand-ins: $POSTGRES_IMAGE and $HAPROXY_IMAGE (Debian packages on the local base)"
t0=$(date +%s)
cat >"$WORK/postgres-entrypoint.sh" <<'SCRIPT'
#!/bin/sh
# The official image's start, reduced: initdb with the given user and password on first start, then run.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pw
  initdb -U "$POSTGRES_USER" --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /tmp/pw
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -w -o "-c listen_addresses=''" start >/dev/null
  createdb -U "$POSTGRES_USER" "$POSTGRES_DB"
  pg_ctl -w stop >/dev/null
fi
exec postgres -c listen_addresses='*'
SCRIPT
chmod +x "$WORK/postgres-entrypoint.sh"
stand_in "$POSTGRES_IMAGE" 'ARG BASE
FROM $BASE
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data && chown postgres:postgres /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
CMD ["postgres-entrypoint.sh"]' "$WORK/postgres-entrypoint.sh"
stand_in "$HAPROXY_IMAGE" 'ARG BASE
FROM $BASE
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends haproxy >/dev/null && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/etc/haproxy
USER haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]'
elapsed "$t0"

step "deploy/haproxy.cfg checked by HAProxy itself"
podman run --rm -v "$ROOT/deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" "$HAPROXY_IMAGE" \
  haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg | sed 's/^/   /'

podman image exists "$APP_IMAGE" || build_image "$APP_IMAGE"

# --- Up ------------------------------------------------------------------------------------------------
step "podman-compose up: postgres, app ×2, proxy on port $PORT"
t0=$(date +%s)
compose up -d >"$WORK/compose-up.log" 2>&1 || { cat "$WORK/compose-up.log"; fail "compose up"; }
ready=""
for _ in $(seq 1 120); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ]; then ready=1; break; fi
  sleep 1
done
[ -n "$ready" ] || { compose logs 2>&1 | tail -40; fail "the proxy never answered /readyz"; }
elapsed "$t0"
podman ps --filter "label=io.podman.compose.project=$PROJECT" --format '   {{.Names}}  {{.Image}}  {{.Status}}'

app_logs() { podman logs "${PROJECT}_app_1" 2>&1; podman logs "${PROJECT}_app_2" 2>&1; }
for _ in $(seq 1 60); do [ "$(app_logs | grep -c '"msg":"listening"')" -ge 2 ] && break; sleep 1; done
keys="$(app_logs | grep -oE 'sk_test_[0-9A-Za-z]{49}' | sort -u)"
echo "   instances listening: $(app_logs | grep -c '"msg":"listening"'); first keys printed: $(printf '%s' "$keys" | grep -c .)"
[ "$(printf '%s' "$keys" | grep -c .)" = 1 ] || fail "expected exactly one first key across the instances"
key="$keys"

step "through the proxy: a call start, and requests spread over both instances"
start_call() { # call id → HTTP status
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"call_id\":\"$1\",\"identity_hints\":{\"ani\":\"4155550191\"}}" "http://127.0.0.1:$PORT/v1/calls/start"
}
answered() { podman logs "${PROJECT}_app_$1" 2>&1 | grep -c '"route":"/v1/calls/start"' || true; }
echo "   POST /v1/calls/start: HTTP $(start_call compose_001)"
# Until the proxy has seen both instances pass two checks (an instance that started before PostgreSQL
# was ready has been restarted meanwhile), then ten more that alternate.
for i in $(seq 2 60); do
  [ "$(start_call "compose_$i")" = 200 ] || fail "call $i"
  [ "$(answered 1)" -gt 0 ] && [ "$(answered 2)" -gt 0 ] && break
  sleep 0.5
done
for i in $(seq 101 110); do [ "$(start_call "compose_$i")" = 200 ] || fail "call $i"; done
for n in 1 2; do
  echo "   app_$n answered $(answered $n) call starts"
  [ "$(answered $n)" -gt 0 ] || fail "app_$n got no request"
done

step "SIGTERM to one instance under a steady stream of call starts through the proxy: none lost"
statuses="$WORK/statuses"
: >"$statuses"
( for i in $(seq 1 150); do start_call "drain_$i" >>"$statuses"; echo >>"$statuses"; sleep 0.05; done ) &
stream=$!
sleep 1
t0=$(date +%s)
podman stop -t 15 "${PROJECT}_app_2" >/dev/null
elapsed "$t0"
wait "$stream"
echo "   app_2 exit code $(podman inspect -f '{{.State.ExitCode}}' "${PROJECT}_app_2"); statuses: $(sort "$statuses" | uniq -c | tr '\n' ' ')"
[ "$(grep -c '^200$' "$statuses")" = 150 ] || fail "requests failed while an instance drained"
podman logs "${PROJECT}_proxy_1" 2>&1 | grep -iE 'app[0-9]? is (DOWN|UP)|Server caller_memory/app[0-9]' | cut -c1-140 | sed 's/^/   /' | tail -4

# Last: the throttle then refuses this address for a minute, good keys included.
step "a client's own X-Forwarded-For does not get past the auth throttle (20 failures a minute per address)"
codes="$(for i in $(seq 1 60); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: 203.0.113.$i" -H 'Authorization: Bearer sk_test_nope' \
    "http://127.0.0.1:$PORT/v1/calls/start" -d '{}'
done | sort | uniq -c | tr '\n' ' ')"
echo "   60 bad keys, each from a different claimed address: $codes"
case "$codes" in *' 429'*) ;; *) fail "never throttled: the proxy passed the client's X-Forwarded-For on";; esac

step "compose proof complete"
