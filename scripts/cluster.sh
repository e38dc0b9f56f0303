#!/usr/bin/env bash
# The scale-out parts on loopback, as a developer or CI runs them: Redis (the ingest queue's broker and result
# backend), PostgreSQL (the catalog every process shares), a Chroma server (the store every writer shares) and N
# queue workers. Each has a pid file and a log in $BK_CLUSTER_DIR (default: <data dir>/cluster).
#
#   scripts/cluster.sh up [N]   start whatever is not running, with N workers (default $BK_CLUSTER_WORKERS or 2)
#   scripts/cluster.sh down     stop the workers (each finishes its task first, up to $BK_CLUSTER_STOP_S), Chroma,
#                               PostgreSQL, Redis
#   scripts/cluster.sh status   what runs, where, and what the queue holds; exit status 3 when a part is down
#   scripts/cluster.sh env      the settings for the API and the CLI: eval "$(scripts/cluster.sh env)"
#
# Ports: BK_CLUSTER_REDIS_PORT (6379), BK_CLUSTER_POSTGRES_PORT (5432), BK_CLUSTER_CHROMA_PORT (8000). PostgreSQL
# is Debian's (initdb, pg_ctl; PATH or /usr/lib/postgresql/<version>/bin), a cluster of its own in
# $BK_CLUSTER_DIR/postgres with the database banding_kota, open to the user bk from loopback without a password.
# As root it runs as the user postgres (or nobody): PostgreSQL refuses root. The workers read the data folder
# (BK_STORE__DATA_DIR, default ./data) for the uploads spooled there, so on several machines it must be one shared
# folder (README, "Scale-out").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON_BIN:-$ROOT/.venv/bin/python}
CHROMA=$(dirname "$PY")/chroma
HOST=127.0.0.1
export BK_STORE__DATA_DIR=${BK_STORE__DATA_DIR:-$ROOT/data}
DIR=${BK_CLUSTER_DIR:-$BK_STORE__DATA_DIR/cluster}
REDIS_PORT=${BK_CLUSTER_REDIS_PORT:-6379}
CHROMA_PORT=${BK_CLUSTER_CHROMA_PORT:-8000}
PG_PORT=${BK_CLUSTER_POSTGRES_PORT:-5432}
PG_DB=banding_kota
PG_SUPERUSER=bk
STOP_S=${BK_CLUSTER_STOP_S:-120}
export BK_QUEUE__URL="redis://$HOST:$REDIS_PORT/0"
export BK_STORE__CHROMA_HOST=$HOST BK_STORE__CHROMA_PORT=$CHROMA_PORT
export BK_STORE__DATABASE_URL="postgresql+psycopg://$PG_SUPERUSER@$HOST:$PG_PORT/$PG_DB"

log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# A pid file counts only while its process runs and is what we started (a pid can be reused after a reboot).
running() {  # pidfile pattern
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= | grep -q -- "$2"
}

wait_for() {  # what seconds command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

redis_ok() { [ "$(redis-cli -h $HOST -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
chroma_ok() { "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
  "http://$HOST:$CHROMA_PORT/api/v2/heartbeat"; }
worker_ready() { grep -q "ready\." "$DIR/worker-$1.log"; }

start_redis() {
  if running "$DIR/redis.pid" redis-server; then log "redis already running"; return; fi
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install redis-server; scripts/setup.sh does)"
  mkdir -p "$DIR/redis"
  # Appending every write to disk: queued tasks and dead letters survive a restart of Redis.
  nohup redis-server --bind $HOST --port "$REDIS_PORT" --dir "$DIR/redis" --appendonly yes --save "" \
    >"$DIR/redis.log" 2>&1 &
  echo $! >"$DIR/redis.pid"
  wait_for redis 20 redis_ok || die "redis did not answer on $HOST:$REDIS_PORT; see $DIR/redis.log"
  # Another Redis on the port answers too: ours must still be running.
  running "$DIR/redis.pid" redis-server || die "redis exited (port $REDIS_PORT taken?); see $DIR/redis.log"
  log "redis on $HOST:$REDIS_PORT (pid $(cat "$DIR/redis.pid"))"
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------------
pg_bindir() {  # where initdb and postgres are: PATH, else the newest of Debian's versioned folders
  local found
  found=$(command -v initdb 2>/dev/null || true)
  if [ -n "$found" ] && [ -x "$(dirname "$(readlink -f "$found")")/postgres" ]; then
    dirname "$(readlink -f "$found")"; return 0
  fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && [ -x "$found/postgres" ] && { echo "$found"; return 0; }
  return 1
}
pg_user() {  # who the server runs as: ourselves, or (as root, which PostgreSQL refuses) postgres, else nobody
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$(pg_user)" -- "$@"; else "$@"; fi
}
pg_root() {  # the cluster's folder: recorded when it was made
  if [ -f "$DIR/postgres.root" ]; then cat "$DIR/postgres.root"; return; fi
  echo "$DIR/postgres"
}
pg_ok() { as_pg "$PG_BIN/pg_isready" -q -h $HOST -p "$PG_PORT" -U $PG_SUPERUSER -d postgres; }

start_postgres() {
  if running "$DIR/postgres.pid" "postgres"; then log "postgres already running"; return; fi
  PG_BIN=$(pg_bindir) || die "PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh does)"
  local root data
  root=$(pg_root)
  if [ ! -f "$DIR/postgres.root" ]; then
    mkdir -p "$root"
    [ "$(id -u)" = 0 ] && chown "$(pg_user)" "$root"
    if ! as_pg test -w "$root"; then
      # The server's user cannot reach a folder under root's home or pytest's 0700 temporary folders.
      rmdir "$root" 2>/dev/null || true
      root="${TMPDIR:-/tmp}/banding-kota-postgres-$(printf %s "$DIR" | sha1sum | cut -c1-12)"
      mkdir -p "$root" && chown "$(pg_user)" "$root"
      log "user $(pg_user) cannot reach $DIR: the PostgreSQL cluster lives in $root"
    fi
    echo "$root" >"$DIR/postgres.root"
  fi
  data=$root/data
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$data" -U $PG_SUPERUSER --auth=trust -E UTF8 --locale=C >"$DIR/postgres-initdb.log" 2>&1 ||
      die "initdb failed; see $DIR/postgres-initdb.log"
  fi
  as_pg "$PG_BIN/pg_ctl" start -w -t 60 -D "$data" -l "$root/postgres.log" \
    -o "-p $PG_PORT -c listen_addresses=$HOST -c unix_socket_directories=''" >/dev/null ||
    die "postgres did not start (port $PG_PORT taken? BK_CLUSTER_POSTGRES_PORT picks another); see $root/postgres.log"
  head -n 1 "$data/postmaster.pid" >"$DIR/postgres.pid"
  wait_for postgres 30 pg_ok || die "postgres did not answer on $HOST:$PG_PORT; see $root/postgres.log"
  if ! as_pg "$PG_BIN/psql" -h $HOST -p "$PG_PORT" -U $PG_SUPERUSER -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h $HOST -p "$PG_PORT" -U $PG_SUPERUSER $PG_DB || die "could not create the database $PG_DB"
  fi
  # The catalog's tables now, rather than by whichever worker opens it first.
  "$PY" -m ingest.cli catalog-upgrade >"$DIR/catalog-upgrade.log" 2>&1 ||
    { cat "$DIR/catalog-upgrade.log" >&2; die "the catalog's migrations failed; see $DIR/catalog-upgrade.log"; }
  log "postgres on $HOST:$PG_PORT (pid $(cat "$DIR/postgres.pid"), data in $data, catalog $BK_STORE__DATABASE_URL)"
}

stop_postgres() {
  local pid
  if ! running "$DIR/postgres.pid" postgres; then rm -f "$DIR/postgres.pid"; return; fi
  pid=$(cat "$DIR/postgres.pid")
  # SIGINT is PostgreSQL's fast shutdown: sessions still open (an API) are ended rather than waited for.
  kill -INT "$pid"
  wait_for postgres "$STOP_S" bash -c "! kill -0 $pid" || { log "postgres still running; killing it"; kill -KILL "$pid"; }
  rm -f "$DIR/postgres.pid"
  log "stopped postgres"
}

start_chroma() {
  if running "$DIR/chroma.pid" "chroma run"; then log "chroma already running"; return; fi
  [ -x "$CHROMA" ] || die "no chroma CLI beside $PY (run scripts/setup.sh, or set PYTHON_BIN)"
  mkdir -p "$DIR/chroma"
  nohup "$CHROMA" run --path "$DIR/chroma" --host $HOST --port "$CHROMA_PORT" >"$DIR/chroma.log" 2>&1 &
  echo $! >"$DIR/chroma.pid"
  wait_for chroma 60 chroma_ok || die "chroma gave no heartbeat on $HOST:$CHROMA_PORT; see $DIR/chroma.log"
  running "$DIR/chroma.pid" "chroma run" || die "chroma exited (port $CHROMA_PORT taken?); see $DIR/chroma.log"
  log "chroma on $HOST:$CHROMA_PORT (pid $(cat "$DIR/chroma.pid"), data in $DIR/chroma)"
}

start_workers() {
  local n=$1 i
  for i in $(seq 1 "$n"); do
    if running "$DIR/worker-$i.pid" "ingest.cli worker"; then log "worker $i already running"; continue; fi
    nohup "$PY" -m ingest.cli worker --name "worker-$i@$(hostname)" >"$DIR/worker-$i.log" 2>&1 &
    echo $! >"$DIR/worker-$i.pid"
  done
  for i in $(seq 1 "$n"); do
    wait_for "worker $i" 120 worker_ready "$i" ||
      { tail -n 20 "$DIR/worker-$i.log" >&2; die "worker $i did not get ready; see $DIR/worker-$i.log"; }
    log "worker $i ready (pid $(cat "$DIR/worker-$i.pid"), log $DIR/worker-$i.log)"
  done
}

stop() {  # pidfile pattern name
  local pid
  if ! running "$1" "$2"; then rm -f "$1"; return; fi
  pid=$(cat "$1")
  kill -TERM "$pid"
  # A worker's TERM is Celery's warm shutdown: it finishes the task in hand. Past the wait it is killed, and its
  # task, never acknowledged, goes to another worker.
  if ! wait_for "$3" "$STOP_S" bash -c "! kill -0 $pid"; then
    log "$3 still running after ${STOP_S}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
  log "stopped $3"
}

status_line() {  # pidfile pattern name address
  if running "$1" "$2"; then printf '  %-10s running  pid %-8s %s\n' "$3" "$(cat "$1")" "$4"; return 0; fi
  printf '  %-10s stopped\n' "$3"
  return 1
}

cmd=${1:-status}
mkdir -p "$DIR"
case "$cmd" in
  up)
    workers=${2:-${BK_CLUSTER_WORKERS:-2}}
    start_redis
    start_postgres
    start_chroma
    start_workers "$workers"
    log "up; for the API and the CLI: eval \"\$(scripts/cluster.sh env)\""
    ;;
  down)
    for pidfile in "$DIR"/worker-*.pid; do
      [ -e "$pidfile" ] || continue
      stop "$pidfile" "ingest.cli worker" "$(basename "$pidfile" .pid)"
    done
    stop "$DIR/chroma.pid" "chroma run" chroma
    stop_postgres
    stop "$DIR/redis.pid" redis-server redis
    ;;
  status)
    ok=0
    status_line "$DIR/redis.pid" redis-server redis "$BK_QUEUE__URL" || ok=3
    status_line "$DIR/postgres.pid" postgres postgres "$BK_STORE__DATABASE_URL" || ok=3
    status_line "$DIR/chroma.pid" "chroma run" chroma "http://$HOST:$CHROMA_PORT" || ok=3
    workers=0
    for pidfile in "$DIR"/worker-*.pid; do
      [ -e "$pidfile" ] || continue
      name=$(basename "$pidfile" .pid)
      status_line "$pidfile" "ingest.cli worker" "$name" "log $DIR/$name.log" && workers=$((workers + 1)) || ok=3
    done
    [ "$workers" -gt 0 ] || { echo "  no worker running"; ok=3; }
    if redis_ok; then
      echo "  queue: $(redis-cli -h $HOST -p "$REDIS_PORT" llen banding-kota-ingest) waiting," \
        "$(redis-cli -h $HOST -p "$REDIS_PORT" hlen banding-kota:dead-letters) dead letters" \
        "(banding-kota queue-status lists them)"
    fi
    exit $ok
    ;;
  env)
    printf 'export BK_QUEUE__URL=%q BK_STORE__DATABASE_URL=%q BK_STORE__CHROMA_HOST=%q BK_STORE__CHROMA_PORT=%q BK_STORE__DATA_DIR=%q\n' \
      "$BK_QUEUE__URL" "$BK_STORE__DATABASE_URL" "$BK_STORE__CHROMA_HOST" "$BK_STORE__CHROMA_PORT" "$BK_STORE__DATA_DIR"
    ;;
  *)
    echo "usage: scripts/cluster.sh up [N] | down | status | env" >&2
    exit 2
    ;;
esac
