#!/usr/bin/env bash
# The scale-out parts on loopback, as a developer or CI runs them: Redis (the ingest queue's broker and result
# backend), a Chroma server (the store every writer shares) and N queue workers. Each has a pid file and a log in
# $BK_CLUSTER_DIR (default: <data dir>/cluster).
#
#   scripts/cluster.sh up [N]   start whatever is not running, with N workers (default $BK_CLUSTER_WORKERS or 2)
#   scripts/cluster.sh down     stop the workers (each finishes its task first, up to $BK_CLUSTER_STOP_S), Chroma, Redis
#   scripts/cluster.sh status   what runs, where, and what the queue holds; exit status 3 when a part is down
#   scripts/cluster.sh env      the settings for the API and the CLI: eval "$(scripts/cluster.sh env)"
#
# Ports: BK_CLUSTER_REDIS_PORT (6379), BK_CLUSTER_CHROMA_PORT (8000). The workers read the data folder
# (BK_STORE__DATA_DIR, default ./data): its SQLite catalog and the uploads spooled there are shared by every
# process, so on several machines it must be one shared folder (README, "Scale-out").
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
STOP_S=${BK_CLUSTER_STOP_S:-120}
export BK_QUEUE__URL="redis://$HOST:$REDIS_PORT/0"
export BK_STORE__CHROMA_HOST=$HOST BK_STORE__CHROMA_PORT=$CHROMA_PORT

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
    stop "$DIR/redis.pid" redis-server redis
    ;;
  status)
    ok=0
    status_line "$DIR/redis.pid" redis-server redis "$BK_QUEUE__URL" || ok=3
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
    printf 'export BK_QUEUE__URL=%q BK_STORE__CHROMA_HOST=%q BK_STORE__CHROMA_PORT=%q BK_STORE__DATA_DIR=%q\n' \
      "$BK_QUEUE__URL" "$BK_STORE__CHROMA_HOST" "$BK_STORE__CHROMA_PORT" "$BK_STORE__DATA_DIR"
    ;;
  *)
    echo "usage: scripts/cluster.sh up [N] | down | status | env" >&2
    exit 2
    ;;
esac
