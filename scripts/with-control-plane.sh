#!/usr/bin/env bash
# Runs a command with the real Kubernetes control plane up (../shared/kube/control-plane.sh: etcd, kube-apiserver,
# controller manager, scheduler on 127.0.0.1; test/support/cluster.ts finds it). Idempotent: a control plane that
# already answers /readyz is used as it is and left running; one started here is stopped (`down`) when the
# command ends, whatever its exit. The command's exit status is kept.
#
#   with-control-plane.sh [--require] command [args…]
#
# --require: fail when control-plane.sh is missing (CI). Without it, the command runs anyway and the cluster
# tests skip (or fail under REQUIRE_STACK=1). KUBE_CONTROL_PLANE_KUBECONFIG / CONTROL_PLANE_KUBECONFIG (e.g. a
# kind cluster on a GitHub runner) are used as given: nothing is started. KUBE_CONTROL_PLANE_SH overrides the
# script's path; KUBE_DIR and KUBE_API_PORT are control-plane.sh's own. Prints no credentials.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KUBE_SH=${KUBE_CONTROL_PLANE_SH:-$ROOT/../shared/kube/control-plane.sh}
D=${KUBE_DIR:-/tmp/kube-control-plane}
log() { printf '[control-plane] %s\n' "$*" >&2; }

require=0
if [ "${1:-}" = --require ]; then require=1; shift; fi
[ $# -gt 0 ] || { sed -n '2,13p' "$0" >&2; exit 2; }

if [ -n "${KUBE_CONTROL_PLANE_KUBECONFIG:-}${CONTROL_PLANE_KUBECONFIG:-}" ]; then
  log "using the cluster of KUBE_CONTROL_PLANE_KUBECONFIG/CONTROL_PLANE_KUBECONFIG (nothing started)"
  exec "$@"
fi

ready() {
  [ -f "$D/pki/admin.key" ] && curl -sf -o /dev/null --max-time 5 --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" \
    --key "$D/pki/admin.key" "https://127.0.0.1:${KUBE_API_PORT:-16443}/readyz" 2>/dev/null
}

if ready; then
  log "already up ($D): used as it is, left running"
  exec "$@"
fi
if [ ! -f "$KUBE_SH" ]; then
  if [ $require = 1 ]; then
    log "$KUBE_SH not found: the Kubernetes control plane for the cluster tests cannot be started."
    log "Put the shared directory beside the clone (../shared/kube), or set KUBE_CONTROL_PLANE_KUBECONFIG to a cluster's kubeconfig."
    exit 1
  fi
  log "$KUBE_SH not found: cluster tests will skip (fail under REQUIRE_STACK=1)"
  exec "$@"
fi
log "starting: bash $KUBE_SH up"
trap 'log "stopping the control plane started here"; bash "$KUBE_SH" down >&2 || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash "$KUBE_SH" up >&2
"$@"
