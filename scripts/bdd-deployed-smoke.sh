#!/usr/bin/env bash
# The BDD features against a separately started world (`szca-emulator up`), the way QA
# points them at a staging service: the @smoke scenario against the world of a home
# (`--world-home`: the URLs of the free ports `up` picked and the master key, read from it).
set -euo pipefail
BIN=${BIN:-.venv/bin}
home=$(mktemp -d /tmp/szca-deployed-XXXXXX)
export SZCA_HOME="$home"
cleanup() { $BIN/szca-emulator down >/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
$BIN/szca-emulator up --detach
$BIN/python -m pytest features -m smoke -p no:cacheprovider --world-home "$home" \
  --junitxml=reports/junit-bdd-deployed.xml
