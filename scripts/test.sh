#!/usr/bin/env bash
# The README's test command: set up, bring the system packages the tests use (Chromium for the
# browser tests, PostgreSQL for the store tests, Redis for the cluster test; installed with apt when
# run as root), run the static checks (scripts/lint.sh), run pytest (on every core, pytest-xdist).
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
scripts/lint.sh  # ruff, mypy and the import contracts: a finding fails the run before pytest
# pytest-xdist: one worker per core (at most 4; TYNDAU_TEST_WORKERS overrides, 0 runs in this process).
# A test file stays on one worker (--dist loadfile: module fixtures load their models once), and the
# files with a test marked slow go first (tests/conftest.py) rather than last. Arguments after ours
# win: scripts/test.sh -n 0 --pdb.
cores=$(nproc 2>/dev/null || echo 1)
workers=${TYNDAU_TEST_WORKERS:-$(( cores < 2 ? 0 : (cores > 4 ? 4 : cores) ))}
exec .venv/bin/python -m pytest -p no:cacheprovider -n "$workers" --dist loadfile --no-loadscope-reorder "$@"
