#!/usr/bin/env bash
# Runs Satang from a fresh machine: installs what is missing, builds, and serves on the embedded
# PostgreSQL in .satang/pgdata (or on DATABASE_URL when set). Ctrl-C stops the service and its database.
# Extra arguments go to `satang serve` (e.g. --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-packages.sh
ensure_packages libpq-dev libssl-dev pkg-config postgresql postgresql-contrib
swift build -c release --product satang
exec .build/release/satang serve "$@"
