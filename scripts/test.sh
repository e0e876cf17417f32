#!/usr/bin/env bash
# The README's test command: set up, bring the system packages the tests use (Chromium for the
# browser tests, PostgreSQL for the store tests, Redis for the cluster test; installed with apt when
# run as root), run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} from Debian's packages..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: ${need[*]} not installed; the tests that need them will be skipped" >&2
  fi
fi
if [ -z "${TYNDAU_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  TYNDAU_TEST_POSTGRES_URL=$(scripts/test-postgres.sh) && export TYNDAU_TEST_POSTGRES_URL
fi
if [ -z "${TYNDAU_TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
  TYNDAU_TEST_REDIS_URL=$(scripts/test-redis.sh) && export TYNDAU_TEST_REDIS_URL
fi
export TYNDAU_MODEL_CACHE_DIR=${TYNDAU_MODEL_CACHE_DIR:-$PWD/.cache/models}
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
