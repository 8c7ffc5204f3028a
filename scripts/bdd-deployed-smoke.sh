#!/usr/bin/env bash
# The BDD features against a separately started world (`szca-emulator up`), the way QA
# points them at a staging service: the @smoke scenario over --base-url/--providers-url.
set -euo pipefail
BIN=${BIN:-.venv/bin}
home=$(mktemp -d /tmp/szca-deployed-XXXXXX)
ports=$($BIN/python -c 'from emulator.mock_providers.server import free_port as f; print(f(), f())')
read -r service_port providers_port <<<"$ports"
export SZCA_HOME="$home"
cleanup() { $BIN/szca-emulator down >/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
$BIN/szca-emulator up --detach --service-port "$service_port" --providers-port "$providers_port"
SZCA_UNLOCK_MASTER_KEY=$(cat "$home/master.key") $BIN/python -m pytest features -m smoke \
  -p no:cacheprovider --base-url "http://127.0.0.1:$service_port" \
  --providers-url "http://127.0.0.1:$providers_port" --junitxml=reports/junit-bdd-deployed.xml
