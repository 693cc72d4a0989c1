#!/usr/bin/env bash
# Start a private PostgreSQL from Debian's packages for the tests (installed when missing); print its URL.
# Usage: url=$(bash scripts/postgres.sh start)   |   bash scripts/postgres.sh stop
# The cluster lives in $ROUTEWIJZER_PG_DIR (default /tmp/routewijzer-pg), listens on 127.0.0.1 only,
# port $ROUTEWIJZER_PG_PORT (default 55432), trust authentication: for tests, never for production.
set -euo pipefail
DIR=${ROUTEWIJZER_PG_DIR:-/tmp/routewijzer-pg}
PORT=${ROUTEWIJZER_PG_PORT:-55432}
ACTION=${1:-start}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
  else
    echo "error: PostgreSQL is not installed (sudo apt-get install postgresql)" >&2
    exit 1
  fi
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ $ACTION == stop ]]; then
  [[ -f $DIR/postmaster.pid ]] && as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >&2 || true
  exit 0
fi
if [[ ! -f $DIR/PG_VERSION ]]; then
  mkdir -p "$DIR"
  [[ $(id -u) == 0 ]] && chown postgres: "$DIR"
  as_owner "$BIN/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR.initdb.log" 2>&1 \
    || { cat "$DIR.initdb.log" >&2; exit 1; }
fi
if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >&2
fi
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
