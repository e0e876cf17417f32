#!/usr/bin/env bash
# The README's main command: set up, then run the demo server (SQLite in a temporary data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/tyndau demo "$@"
