#!/usr/bin/env bash
# Installs the npm packages pinned in package-lock.json (`npm ci`; tests drive them with
# Debian's node). Skips npm when node_modules was installed from this very lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.szca-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "node packages: up to date"
  exit 0
fi
# --prefer-offline: tarballs already in the npm cache are not fetched again (the registry
# is asked only for what is missing)
npm ci --prefer-offline --no-audit --no-fund
echo "$want" > "$stamp"
