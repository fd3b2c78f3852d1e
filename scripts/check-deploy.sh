#!/usr/bin/env bash
# Checks the deploy/ files that can be checked on this machine: systemd-analyze verifies the unit
# (with ExecStart pointed at the binary just built, since /usr/local/bin/satang is not installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/satang}
if ! command -v systemd-analyze >/dev/null; then
  echo "deploy check: systemd-analyze not installed; unit not verified"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/bin/satang|$(realpath "$binary")|" deploy/systemd/satang.service >"$tmp/satang.service"
if output=$(systemd-analyze verify "$tmp/satang.service" 2>&1) && [ -z "$output" ]; then
  echo "deploy check: systemd-analyze verify accepts deploy/systemd/satang.service"
else
  echo "deploy check: systemd-analyze verify rejected deploy/systemd/satang.service:"
  echo "$output"
  exit 1
fi
