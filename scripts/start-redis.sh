#!/usr/bin/env bash
# A private Redis for one world (the request limits of a multi-process service); prints
# its URL for SZCA_REDIS_URL.
#
#   scripts/start-redis.sh [DIR]        (default: .szca/redis)
#
# Idempotent: installs Debian `redis-server` only when it is missing (apt-get update only
# then), starts the server unless it already runs. It listens on no TCP port at all: its
# only door is the Unix socket DIR/redis.sock in DIR (mode 0700), so no other world or
# user on the machine can reach it. Nothing is persisted (limits are short-lived).
# Stop it with scripts/stop-redis.sh DIR.
set -euo pipefail

DIR="${1:-.szca/redis}"
log() { echo "start-redis: $*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  log "installing Debian redis-server"
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends redis-server >&2
fi

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
chmod 0700 "$DIR"
SOCK="$DIR/redis.sock"

if ! redis-cli -s "$SOCK" ping >/dev/null 2>&1; then
  log "starting on $SOCK"
  redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 \
    --dir "$DIR" --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" \
    --save "" --appendonly no >&2
  for _ in $(seq 1 50); do
    if redis-cli -s "$SOCK" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  redis-cli -s "$SOCK" ping >/dev/null || { log "did not start, see $DIR/redis.log"; exit 1; }
fi
echo "redis+unix://$SOCK"
