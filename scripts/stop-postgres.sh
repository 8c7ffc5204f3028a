#!/usr/bin/env bash
# Stops the cluster scripts/start-postgres.sh started in DIR (default .szca/pg).
#
#   scripts/stop-postgres.sh [DIR] [--remove]
#
# --remove also deletes DIR (the cluster is throw-away). Stopping a cluster that is not
# running, or a DIR that does not exist, is not an error.
set -euo pipefail

DIR="${1:-.szca/pg}"
REMOVE="${2:-}"

if [ ! -d "$DIR" ]; then
  echo "stop-postgres: $DIR does not exist" >&2
  exit 0
fi
DIR="$(cd "$DIR" && pwd)"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
AS=()
if [ "$(id -u)" -eq 0 ]; then AS=(runuser -u postgres --); fi

# start-postgres.sh puts the cluster elsewhere when the postgres user cannot reach DIR.
CLUSTER="$DIR"
if [ -L "$DIR/cluster" ]; then CLUSTER="$(readlink -f "$DIR/cluster")"; fi

if [ -s "$CLUSTER/data/PG_VERSION" ] && "${AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" status >/dev/null 2>&1; then
  "${AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -m fast -w stop >/dev/null
  echo "stop-postgres: stopped $DIR" >&2
fi
if [ "$REMOVE" = "--remove" ]; then
  if [ "$CLUSTER" != "$DIR" ]; then rm -rf "$CLUSTER"; fi
  rm -rf "$DIR"
  echo "stop-postgres: removed $DIR" >&2
fi
