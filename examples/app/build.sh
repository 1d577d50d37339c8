#!/usr/bin/env bash
# Compiles the static server for amd64 and arm64 into bin/ (the Docker build context copies them).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bin
gcc -O2 -static -o bin/server-amd64 server.c
if command -v aarch64-linux-gnu-gcc >/dev/null; then
  aarch64-linux-gnu-gcc -O2 -static -o bin/server-arm64 server.c
else
  echo "aarch64-linux-gnu-gcc not found (bash scripts/stack.sh up installs it)" >&2
  exit 1
fi
