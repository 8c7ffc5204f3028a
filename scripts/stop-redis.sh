#!/usr/bin/env bash
# Stops the Redis scripts/start-redis.sh started in DIR (default .szca/redis).
#
#   scripts/stop-redis.sh [DIR] [--remove]
#
# --remove also deletes DIR. Stopping a server that is not running, or a DIR that does
# not exist, is not an error.
set -euo pipefail

DIR="${1:-.szca/redis}"
REMOVE="${2:-}"
if [ ! -d "$DIR" ]; then
  echo "stop-redis: $DIR does not exist" >&2
  exit 0
fi
DIR="$(cd "$DIR" && pwd)"
if redis-cli -s "$DIR/redis.sock" ping >/dev/null 2>&1; then
  redis-cli -s "$DIR/redis.sock" shutdown nosave >/dev/null 2>&1 || true
  echo "stop-redis: stopped $DIR" >&2
fi
if [ "$REMOVE" = "--remove" ]; then
  rm -rf "$DIR"
fi
