#!/usr/bin/env bash
# The static checks of the test command: ruff, mypy (strict on the clock, the store, NLP and the
# domain; pyproject.toml) and the import contracts (import-linter). Any finding fails the run.
#
# live/ installs as tyndau.live, nlp/ as tyndau.nlp (setup.py's package_dir); neither mypy nor
# import-linter follows the editable install's import hook, so the names are laid out as hard
# links (cheap; import-linter does not follow symbolic ones) under .cache/mypy/tyndau.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.cache/mypy/tyndau
rm -rf "$tree" && mkdir -p "$tree"
cp -al tyndau/. "$tree/"
for d in live nlp operator_ui config; do cp -al "$d" "$tree/$d"; done
.venv/bin/ruff check --quiet .
.venv/bin/mypy -p tyndau.store -p tyndau.nlp -p tyndau.domain
# import-linter puts the working directory first on the path: run it inside the tree.
(cd .cache/mypy && ../../.venv/bin/lint-imports --no-cache --config ../../pyproject.toml)
