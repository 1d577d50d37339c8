#!/usr/bin/env bash
# Captures real Docker/buildx outputs for build-push's tests into test/fixtures/docker/: a throwaway second
# dockerd with the CLASSIC image store (overlay2 graphdriver, what a GitHub-hosted runner has) next to the
# stack's main dockerd (containerd image store). Hand-run, as root, with the test stack up; CI never runs it.
#   bash scripts/capture-docker.sh          (env: OUT, WORK, MAIN_SOCK, REGISTRY, BUILDX_BIN override defaults)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
OUT=${OUT:-$ROOT/test/fixtures/docker}
WORK=${WORK:-/tmp/dclassic}
MAIN_SOCK=${MAIN_SOCK:-/var/run/docker.sock}
REGISTRY=${REGISTRY:-127.0.0.1:5000}
BUILDX_BIN=${BUILDX_BIN:-/usr/libexec/docker/cli-plugins/docker-buildx}
API=v1.45
CLASSIC_SOCK=$WORK/docker.sock
CONTEXT=examples/app
CLASSIC_TAG=$REGISTRY/capture/classic:x
MAIN_TAG=$REGISTRY/capture/containerd:x

log() { printf 'capture-docker: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Same binaries as scripts/stack.sh start_dockerd: the unpacked engine when present, else the system one.
DOCKER_ROOT=$STACK_DIR/docker
[ -x "$DOCKER_ROOT/usr/sbin/dockerd" ] && export PATH=$DOCKER_ROOT/usr/sbin:$DOCKER_ROOT/usr/bin:$PATH

[ "$(id -u)" = 0 ] || die "run as root (dockerd needs it)"
# WORK is removed recursively at the end: only a fresh directory under /tmp that this run creates.
case $WORK in /tmp/?*) ;; *) die "WORK must be under /tmp, got: $WORK" ;; esac
[ ! -e "$WORK" ] || die "$WORK exists; remove it (and stop any dockerd using it) first"
curl -s --unix-socket "$MAIN_SOCK" "http://localhost/_ping" | grep -qx OK || die "main dockerd not answering on $MAIN_SOCK"
[ -n "$(ls -A "$ROOT/$CONTEXT/bin" 2>/dev/null)" ] || bash "$ROOT/$CONTEXT/build.sh"

dockerd_pid=''
cleanup() {
  local rc=$? pid
  trap - EXIT
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    kill -TERM "$dockerd_pid"
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$dockerd_pid" 2>/dev/null; then log "dockerd $dockerd_pid did not stop in 30 s: SIGKILL"; kill -KILL "$dockerd_pid"; fi
  fi
  # A SIGKILLed dockerd leaves its own containerd behind: stop it only if it runs from WORK.
  if [ -s "$WORK/exec/containerd/containerd.pid" ]; then
    pid=$(cat "$WORK/exec/containerd/containerd.pid")
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$WORK/"; then kill -TERM "$pid" || true; sleep 2; fi
  fi
  if [ -d "$WORK" ]; then
    # Unmount leftovers deepest first so rm never descends into a live mount.
    findmnt -rn -o TARGET | grep -E "^$WORK(/|$)" | sort -r | while read -r m; do umount "$m" || umount -l "$m" || true; done || true
    rm -rf "$WORK"
  fi
  # The only image this run adds to the main daemon.
  docker -H "unix://$MAIN_SOCK" image rm "$MAIN_TAG" >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK" "$OUT"
echo '{}' >"$WORK/daemon.json"

# 1. The classic-store daemon: own data/exec root, socket, pidfile, containerd namespaces; no networking.
dockerd_args=(
  --data-root "$WORK/root" --exec-root "$WORK/exec" --pidfile "$WORK/docker.pid"
  --host "unix://$CLASSIC_SOCK" --bridge=none --iptables=false --ip6tables=false
  --config-file "$WORK/daemon.json" --containerd-namespace classic --containerd-plugins-namespace classic-plugins
)
log "starting classic dockerd on $CLASSIC_SOCK"
dockerd "${dockerd_args[@]}" >"$WORK/dockerd.log" 2>&1 &
dockerd_pid=$!
up=0
for _ in $(seq 1 60); do
  if curl -s --unix-socket "$CLASSIC_SOCK" "http://localhost/_ping" 2>/dev/null | grep -qx OK; then up=1; break; fi
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 1
done
[ "$up" = 1 ] || { tail -n 20 "$WORK/dockerd.log" >&2; die "classic dockerd did not answer in 60 s"; }

classic=(env "DOCKER_HOST=unix://$CLASSIC_SOCK")
main=(env "DOCKER_HOST=unix://$MAIN_SOCK")
status=$("${classic[@]}" docker info --format '{{json .DriverStatus}}')
case $status in *io.containerd.snapshotter*) die "second daemon uses the containerd store: $status" ;; esac

cd "$ROOT"

# 2a/2b. Engine API answers and the CLI's view of the storage driver, from both daemons.
engine() { # <label> <socket>
  curl -s --unix-socket "$2" "http://localhost/$API/info" >"$OUT/engine-info-$1.json"
  curl -s --unix-socket "$2" "http://localhost/$API/version" >"$OUT/engine-version-$1.json"
  curl -s -D "$OUT/engine-ping-$1.headers" -o /dev/null --unix-socket "$2" "http://localhost/_ping"
  env "DOCKER_HOST=unix://$2" docker info --format '{{json .DriverStatus}}' >"$OUT/docker-info-driverstatus-$1.txt"
}
engine classic "$CLASSIC_SOCK"
engine containerd "$MAIN_SOCK"

# capture <name> <command...>: exact stdout, stderr and exit code; the metadata file when one was written.
capture() {
  local name=$1 rc=0; shift
  rm -f "$WORK/md.json"
  log "$name"
  "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" || rc=$?
  printf '%s\n' "$rc" >"$OUT/$name.exit"
  if [ -s "$WORK/md.json" ]; then cp "$WORK/md.json" "$OUT/$name.metadata.json"; else rm -f "$OUT/$name.metadata.json"; fi
}
common=(--provenance false --sbom false --target prebuilt --metadata-file "$WORK/md.json")
multi=(--platform linux/amd64,linux/arm64 "${common[@]}")
single=(--platform linux/amd64 "${common[@]}")
image_out() { printf 'type=image,name=%s,push=%s,oci-mediatypes=true' "$1" "$2"; }
cache_to=(--cache-to "type=registry,ref=$REGISTRY/capture/classic:cache,mode=max")

# 2c. Classic store, default builder (docker driver). First a cold-cache build (what a fresh runner prints), then
# each case through the CLI plugin and the standalone binary back to back, so both meet the same (warm) cache.
capture buildx-classic-single-cold-plugin "${classic[@]}" docker buildx build "${single[@]}" --output "$(image_out "$CLASSIC_TAG" false)" "$CONTEXT"
for case in multi single cacheto; do
  case $case in
    multi) args=("${multi[@]}") ;;
    single) args=("${single[@]}") ;;
    cacheto) args=("${single[@]}" "${cache_to[@]}") ;;
  esac
  capture "buildx-classic-$case-plugin" "${classic[@]}" docker buildx build "${args[@]}" --output "$(image_out "$CLASSIC_TAG" false)" "$CONTEXT"
  capture "buildx-classic-$case-standalone" "${classic[@]}" "$BUILDX_BIN" build "${args[@]}" --output "$(image_out "$CLASSIC_TAG" false)" "$CONTEXT"
done
# What a runner's push does: single platform, push=true, to the open local registry.
capture buildx-classic-single-push-plugin "${classic[@]}" docker buildx build "${single[@]}" --output "$(image_out "$CLASSIC_TAG" true)" "$CONTEXT"

# 2d. Containerd store (main daemon): the same multi-platform build, plugin then standalone (warm cache).
capture buildx-containerd-multi-plugin "${main[@]}" docker buildx build "${multi[@]}" --output "$(image_out "$MAIN_TAG" false)" "$CONTEXT"
capture buildx-containerd-multi-standalone "${main[@]}" "$BUILDX_BIN" build "${multi[@]}" --output "$(image_out "$MAIN_TAG" false)" "$CONTEXT"

# 2e. Builder inspection on both daemons, both invocations.
for label in classic containerd; do
  if [ "$label" = classic ]; then on=("${classic[@]}"); else on=("${main[@]}"); fi
  "${on[@]}" docker buildx inspect >"$OUT/buildx-inspect-$label-plugin.txt"
  "${on[@]}" "$BUILDX_BIN" inspect >"$OUT/buildx-inspect-$label-standalone.txt"
  "${on[@]}" docker buildx ls >"$OUT/buildx-ls-$label.txt"
done

# 2f. Engine API pushes on the main daemon (what build-push's enginePush reads): the stream of a push that passes
# (the tag just built, to the open registry), and the streams of three failures, each answered with HTTP 200.
push_stream() {
  local name=$1 ref=$2
  curl -s -D "$OUT/engine-push-$name.headers" --unix-socket "$MAIN_SOCK" -X POST \
    "http://localhost/$API/images/${ref%:*}/push?tag=${ref##*:}" -H 'X-Registry-Auth: e30=' -o "$OUT/engine-push-$name.stream"
}
AUTH_REGISTRY=${AUTH_REGISTRY:-127.0.0.1:5001}
CLOSED_PORT_REGISTRY=${CLOSED_PORT_REGISTRY:-127.0.0.1:5099}
"${main[@]}" docker tag "$MAIN_TAG" "$AUTH_REGISTRY/capture/engine:x"
"${main[@]}" docker tag "$MAIN_TAG" "$CLOSED_PORT_REGISTRY/capture/engine:x"
"${main[@]}" docker push -q "$MAIN_TAG" >/dev/null
push_stream ok "$MAIN_TAG"
push_stream 401 "$AUTH_REGISTRY/capture/engine:x"          # htpasswd registry, no credentials
push_stream refused "$CLOSED_PORT_REGISTRY/capture/engine:x" # nothing listens there
push_stream nosuch "$REGISTRY/capture/nosuch:x"              # no such local tag
"${main[@]}" docker rmi "$AUTH_REGISTRY/capture/engine:x" "$CLOSED_PORT_REGISTRY/capture/engine:x" >/dev/null

# Versions for the README.
{
  printf 'date_utc=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'docker_cli=%s\n' "$(docker version --format '{{.Client.Version}}')"
  printf 'dockerd=%s\n' "$(dockerd --version)"
  printf 'containerd=%s\n' "$(containerd --version)"
  printf 'buildx_plugin=%s\n' "$(docker buildx version)"
  printf 'buildx_standalone=%s\n' "$("$BUILDX_BIN" version)"
  printf 'kernel=%s\n' "$(uname -r)"
} >"$OUT/capture-env.txt"

for c in multi single cacheto; do
  for s in stdout stderr exit; do
    if cmp -s "$OUT/buildx-classic-$c-plugin.$s" "$OUT/buildx-classic-$c-standalone.$s"; then d=same; else d=differs; fi
    log "classic $c plugin vs standalone $s: $d"
  done
done
log "containerd multi digests: plugin $(jq -r '."containerimage.digest"' "$OUT/buildx-containerd-multi-plugin.metadata.json")" \
  "standalone $(jq -r '."containerimage.digest"' "$OUT/buildx-containerd-multi-standalone.metadata.json")"
log "done: $OUT"
