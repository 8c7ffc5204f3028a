#!/usr/bin/env bash
# Creates .venv with the default python3 and installs the project with its test extras.
set -euo pipefail
PY=${PY:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
