#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and local runs; prints its DATABASE_URL.
#
#   scripts/start-postgres.sh [DIR] [PORT]        (defaults: .szca/pg 55432)
#
# Idempotent: installs Debian `postgresql` only when it is missing (apt-get update only
# then), initialises DIR once, starts the server unless it already runs, creates the role
# and database unless they exist. The server listens on 127.0.0.1 only, its Unix socket
# lives inside DIR. Settings (environment): SZCA_PG_USER (szca), SZCA_PG_DB (szca),
# SZCA_PG_PASSWORD (default: generated once and kept in DIR/.szca-password, mode 0600).
# Stop it with scripts/stop-postgres.sh DIR.
set -euo pipefail

DIR="${1:-.szca/pg}"
PORT="${2:-${SZCA_PG_PORT:-55432}}"
PG_USER="${SZCA_PG_USER:-szca}"
PG_DB="${SZCA_PG_DB:-szca}"

log() { echo "start-postgres: $*" >&2; }

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bindir)" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  log "installing Debian postgresql"
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends postgresql >&2
fi
BIN="$(pg_bindir)"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
chmod 0700 "$DIR"  # the trusting Unix socket lives here
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
# CLUSTER holds the data, the log and the socket; it is DIR unless the postgres user
# cannot reach DIR (e.g. under tox's .tox, mode 0700 when tox runs as root): then it is
# a private directory under /tmp that DIR/cluster points to (stop-postgres.sh follows it).
CLUSTER="$DIR"
AS=()
if [ "$(id -u)" -eq 0 ]; then
  AS=(runuser -u postgres --)
  chown postgres:postgres "$DIR"
  if ! runuser -u postgres -- test -x "$DIR"; then
    if [ -L "$DIR/cluster" ] && [ -d "$DIR/cluster" ]; then
      CLUSTER="$(readlink -f "$DIR/cluster")"
    else
      CLUSTER="$(mktemp -d "${TMPDIR:-/tmp}/szca-pg.XXXXXX")"
      chown postgres:postgres "$CLUSTER"
      ln -sfn "$CLUSTER" "$DIR/cluster"
      log "postgres cannot reach $DIR: the cluster lives in $CLUSTER"
    fi
  fi
fi
run() { "${AS[@]}" "$@"; }

PASSWORD_FILE="$DIR/.szca-password"
if [ -n "${SZCA_PG_PASSWORD:-}" ]; then
  PASSWORD="$SZCA_PG_PASSWORD"
elif [ -s "$PASSWORD_FILE" ]; then
  PASSWORD="$(cat "$PASSWORD_FILE")"
else
  PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077 && printf '%s' "$PASSWORD" >"$PASSWORD_FILE")
fi

DATA="$CLUSTER/data"
if [ ! -s "$DATA/PG_VERSION" ]; then
  log "initialising $DATA"
  run mkdir -p "$DATA"
  # Local socket (inside DIR, mode 0700) trusts its owner; TCP needs the password.
  run "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi

if ! run "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  run "$BIN/pg_ctl" -D "$DATA" -l "$CLUSTER/server.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$CLUSTER'" >/dev/null
fi

psql_admin() {
  run "$BIN/psql" -h "$CLUSTER" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}
ESCAPED_PASSWORD="${PASSWORD//\'/\'\'}"
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" ]; then
  # CREATEDB: the test suite makes one database per test from a migrated template.
  psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$ESCAPED_PASSWORD'"
else
  psql_admin -c "ALTER ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$ESCAPED_PASSWORD'"
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]; then
  psql_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
fi

ENCODED_PASSWORD="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PASSWORD")"
echo "postgresql+psycopg://$PG_USER:$ENCODED_PASSWORD@127.0.0.1:$PORT/$PG_DB"
