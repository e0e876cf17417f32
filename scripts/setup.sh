#!/usr/bin/env bash
# Create .venv and install Tyndau with its NLP extras (the ONNX Runtime default and the PyTorch
# fp32 reference the benchmarks compare it with) and the test tools (idempotent: reinstalls only
# when pyproject.toml or setup.py changed). PyTorch is pinned to the CPU build (torch==2.13.0).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv ..."
  "$py" -m venv .venv
fi
stamp=.venv/.tyndau-installed
want=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing Tyndau and its dependencies into .venv (log: .venv/install.log) ..."
  log=.venv/install.log
  {
    .venv/bin/python -m pip install --upgrade pip
    # torch first and pinned, so nothing pulls a CUDA build
    .venv/bin/python -m pip install "torch==2.13.0"
    .venv/bin/python -m pip install -e ".[nlp,nlp-reference,test,redis]"
  } > "$log" 2>&1 || { tail -n 40 "$log"; echo "installation failed; see $log" >&2; exit 1; }
  .venv/bin/python -c "import tyndau.cli, torch, transformers, onnxruntime, onnx"
  echo "$want" > "$stamp"
fi
