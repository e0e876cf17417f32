#!/usr/bin/env bash
# Create .venv and install Tyndau with its NLP and test extras (idempotent: reinstalls only
# when pyproject.toml or setup.py changed). PyTorch is pinned to the CPU build (torch==2.13.0).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=.venv/.tyndau-installed
want=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  # torch first and pinned, so nothing pulls a CUDA build
  .venv/bin/python -m pip install -q "torch==2.13.0" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q -e ".[nlp,test,redis]" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import tyndau.cli, torch, transformers" 
  echo "$want" > "$stamp"
fi
