#!/usr/bin/env bash
# Runs deploy/caller-memory.service, as committed, under a real systemd: systemd boots as PID 1 of a podman
# container made from the proof image (scripts/container-proof.sh), whose /app (compiled dist/, the
# runtime files of src/, production dependencies) is installed as /opt/caller-memory, the layout the
# unit's header describes. Run as root on Debian 12 from the project root; CI does not run it.
#
# The checks: `systemd-analyze verify` passes; the unit starts, answers /readyz and a call start with the
# key it printed to the journal; the SQLite file is in /var/lib/caller-memory, owned by the service user;
# the process has no capabilities, no_new_privs and a seccomp filter; `systemctl stop` drains and ends
# with Result=success and exit status 0. The container is removed at the end.
set -euo pipefail

APP_IMAGE="localhost/caller-memory:proof"
IMAGE="localhost/caller-memory-proof-systemd"
CONTAINER="caller-memory-proof-systemd"
PORT="${PROOF_PORT:-4795}"

cleanup() { podman rm -f -t 5 -v "$CONTAINER" >/dev/null 2>&1 || true; }
trap cleanup EXIT

source "$(dirname "${BASH_SOURCE[0]}")/container-base.sh"
cleanup

step "systemd-analyze verify deploy/caller-memory.service"
systemd-analyze verify "$ROOT/deploy/caller-memory.service" && echo "   no complaints"
systemd-analyze security --offline=true "$ROOT/deploy/caller-memory.service" 2>/dev/null | tail -1 | sed 's/^/   /'

podman image exists "$APP_IMAGE" || build_image "$APP_IMAGE"

step "image: systemd (Debian) + the unit + /opt/caller-memory + /etc/caller-memory/caller-memory.env"
t0=$(date +%s)
dir="$WORK/systemd"
mkdir -p "$dir"
cp "$ROOT/deploy/caller-memory.service" "$dir/"
cat >"$dir/Containerfile" <<EOF
FROM $APP_IMAGE
USER root
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd systemd-sysv >/dev/null \\
 && rm -rf /var/lib/apt/lists/* \\
 && useradd --system --home-dir /opt/caller-memory --shell /usr/sbin/nologin caller-memory \\
 && cp -a /app /opt/caller-memory && ln -s /usr/local/bin/node /usr/bin/node \\
 && install -d -m 0750 /etc/caller-memory \\
 && printf 'APP_SECRET=%s\nPORT=$PORT\n' "\$(head -c 48 /dev/urandom | base64 | tr -d '\n')" >/etc/caller-memory/caller-memory.env \\
 && chgrp caller-memory /etc/caller-memory/caller-memory.env && chmod 0640 /etc/caller-memory/caller-memory.env
COPY caller-memory.service /etc/systemd/system/
RUN systemctl enable caller-memory
STOPSIGNAL SIGRTMIN+3
CMD ["/lib/systemd/systemd"]
EOF
podman build -q --network host -t "$IMAGE" "$dir" >/dev/null 2>&1
elapsed "$t0"

step "boot systemd in a container (host network); the unit starts at boot"
podman run -d --name "$CONTAINER" --network host --systemd=always "$IMAGE" >/dev/null
in_box() { podman exec "$CONTAINER" "$@"; }
ready=""
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ] && { ready=1; break; }
  sleep 1
done
[ -n "$ready" ] || { in_box journalctl -u caller-memory --no-pager | tail -30; fail "/readyz never answered"; }
in_box systemctl status caller-memory --no-pager 2>&1 | sed -n '1,6p' | sed 's/^/   /'
key="$(in_box journalctl -u caller-memory --no-pager | grep -oE 'sk_test_[0-9A-Za-z]{49}' | head -1)"
[ -n "$key" ] || fail "no key in the journal"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"call_id":"systemd_001","identity_hints":{"ani":"4155550177"}}' "http://127.0.0.1:$PORT/v1/calls/start")"
echo "   GET /readyz: 200; POST /v1/calls/start with the key from the journal: HTTP $status"
[ "$status" = 200 ] || fail "call start"

step "sandbox: data directory, capabilities, no_new_privs, seccomp"
in_box ls -l /var/lib/caller-memory | sed 's/^/   /'
[ "$(in_box stat -c %U /var/lib/caller-memory/caller-memory.db)" = caller-memory ] || fail "database not owned by the service user"
pid="$(in_box systemctl show -p MainPID --value caller-memory)"
in_box grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' "/proc/$pid/status" | tr -s '\t' ' ' | sed 's/^/   /'
in_box grep -qE '^NoNewPrivs:\s+1' "/proc/$pid/status" || fail "no_new_privs not set"
in_box grep -qE '^Seccomp:\s+2' "/proc/$pid/status" || fail "no seccomp filter"
in_box grep -qE '^CapEff:\s+0+$' "/proc/$pid/status" || fail "the service holds capabilities"
in_box journalctl -u caller-memory --no-pager | grep -F 'ignoring' | cut -c1-160 | sed 's/^/   note: /' || true

step "systemctl stop: SIGTERM, drain, exit 0"
t0=$(date +%s)
in_box systemctl stop caller-memory
elapsed "$t0"
in_box journalctl -u caller-memory --no-pager | grep -E '"msg":"(shutting down|stopped)"|Deactivated' | cut -c1-150 | sed 's/^/   /'
result="$(in_box systemctl show -p Result --value caller-memory) $(in_box systemctl show -p ExecMainStatus --value caller-memory)"
echo "   Result, ExecMainStatus: $result"
[ "$result" = "success 0" ] || fail "did not stop cleanly"

step "systemd proof complete"
