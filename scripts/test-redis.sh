#!/usr/bin/env bash
# Start a throw-away Redis server from Debian's packages for the cluster test (no persistence).
# Prints the URL to export as TYNDAU_TEST_REDIS_URL. Usage: scripts/test-redis.sh [DIR] [PORT]
set -euo pipefail
dir=${1:-/tmp/tyndau-redis}
port=${2:-56379}
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1
  fi
fi
url="redis://127.0.0.1:$port/0"
if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
  echo "$url"; exit 0
fi
rm -rf "$dir"; mkdir -p "$dir"
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/log" >/dev/null
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && { echo "$url"; exit 0; }
  sleep 0.1
done
echo "Redis did not start on port $port (see $dir/log)" >&2; exit 1
