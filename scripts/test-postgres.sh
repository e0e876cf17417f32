#!/usr/bin/env bash
# Start a throw-away PostgreSQL server from Debian's packages for the store tests.
# Prints the URL to export as TYNDAU_TEST_POSTGRES_URL. Usage: scripts/test-postgres.sh [DIR] [PORT]
set -euo pipefail
dir=${1:-/tmp/tyndau-pg}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
  fi
fi
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -f "$dir/postmaster.pid" ] && run "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  echo "postgresql+asyncpg://tyndau:tyndau@127.0.0.1:$port/postgres"; exit 0
fi
rm -rf "$dir"; mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
run "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
run "$bin/pg_ctl" -D "$dir" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" -l "$dir/log" -w start >/dev/null
run "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE tyndau LOGIN SUPERUSER PASSWORD 'tyndau'" >/dev/null
echo "postgresql+asyncpg://tyndau:tyndau@127.0.0.1:$port/postgres"
