#!/usr/bin/env bash
# The whole BDD suite against a separately started world (`szca-emulator up`), the way QA
# points it at a staging service (`--world-home`: the URLs of the free ports `up` picked,
# its database and its master key, read from it). Every scenario registers a cast of its
# own there and speaks from an address of its own (docs/bdd.md), so two workers share the
# one deployment. @clock scenarios are skipped (a deployment's clock is not ours to move).
set -euo pipefail
BIN=${BIN:-.venv/bin}
WORKERS=${BDD_DEPLOYED_WORKERS:-2}
home=$(mktemp -d /tmp/szca-deployed-XXXXXX)
export SZCA_HOME="$home"
# The test runner is this deployment's reverse proxy: it names each scenario's user address
# in X-Forwarded-For, and the service counts its per-address limits per user.
export SZCA_TRUSTED_PROXIES=127.0.0.1
cleanup() { $BIN/szca-emulator down >/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
$BIN/szca-emulator up --detach >/dev/null
start=$(date +%s)
$BIN/python -m pytest features -n "$WORKERS" -p no:cacheprovider --world-home "$home" \
  --junitxml=reports/junit-bdd-deployed.xml "$@"
echo "BDD against the deployment: $(( $(date +%s) - start )) s"
