#!/usr/bin/env bash
# Runs Satang's whole test suite against a throwaway PostgreSQL, from a fresh machine.
#
# Installs what is missing (Debian packages; zbar-tools reads the QR codes back), starts PostgreSQL in its own temporary data folder on a
# free port (as the postgres user when run as root), runs `swift test`, and always stops the server,
# also when tests fail. Extra arguments go to `swift test` (e.g. --filter PoolTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-packages.sh
ensure_packages libpq-dev libssl-dev pkg-config postgresql postgresql-contrib python3 python3-pip zbar-tools hledger
# The OpenAPI document is validated by openapi-spec-validator (PyPI).
python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install -q openapi-spec-validator
# The ledger exports are checked by Beancount's bean-check (PyPI) and hledger (Debian).
python3 -c "import beancount" 2>/dev/null || python3 -m pip install -q beancount

PG_BIN=$(pg_bin_dir)
tmp=$(mktemp -d /tmp/satang-test-XXXXXX)
chmod 755 "$tmp"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

stop_server() {
  as_postgres "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop_server EXIT

as_postgres "$PG_BIN/initdb" -D "$tmp/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >/dev/null
cat >>"$tmp/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$tmp'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
as_postgres "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start >/dev/null
echo "test PostgreSQL on 127.0.0.1:$port (data in $tmp/data)"

export SATANG_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
swift build --build-tests
scripts/check-deploy.sh
swift test --skip-build --parallel "$@"
