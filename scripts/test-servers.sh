#!/usr/bin/env bash
# The PostgreSQL and Redis that a `make test` run shares (scripts/test.sh).
#
#   test-servers.sh start <dir>   start both on free ports with their data in <dir>;
#                                 prints the two `export MARINA_TEST_..._URL=...` lines
#                                 (and nothing else) on stdout, for eval
#   test-servers.sh stop <dir>    stop both; <dir> stays for the caller to remove
#
# Test binaries started without these variables start their own servers
# (tests/support, marina::testing). As root, PostgreSQL runs as the `postgres`
# user, since it refuses to run as root. fsync is off: test data need not
# survive a machine crash.
set -uo pipefail

usage() { echo "usage: $0 start|stop <dir>" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd="$1"
dir="$(cd "$2" 2>/dev/null && pwd)" || { echo "no such directory: $2" >&2; exit 2; }

log() { echo "test-servers: $*" >&2; }

pg_bin() {
  if [ -n "${MARINA_PG_BIN:-}" ]; then echo "$MARINA_PG_BIN"; return; fi
  local best
  best="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$best" ]; then echo "$best"; else dirname "$(command -v postgres || command -v pg_ctl)"; fi
}
PG_BIN="$(pg_bin)"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nothing listens on now (the server start below fails if one took it meanwhile).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_postgres() {
  local data="$dir/pg/data" port
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir/pg"; fi
  as_postgres "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/pg/initdb.log" 2>&1 || { log "initdb failed:"; tail -n 20 "$dir/pg/initdb.log" >&2; return 1; }
  for _ in 1 2 3; do
    port="$(free_port)" || return 1
    if as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$dir/pg/postgres.log" -w -t 60 \
         -o "-p $port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" \
         start >/dev/null 2>&1; then
      as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE marina_test" postgres >/dev/null \
        || return 1
      echo "$port" >"$dir/pg/port"
      return 0
    fi
    log "PostgreSQL did not start on port $port, trying another"
  done
  log "PostgreSQL did not start:"; tail -n 20 "$dir/pg/postgres.log" >&2
  return 1
}

start_redis() {
  local port
  mkdir -p "$dir/redis"
  for _ in 1 2 3; do
    port="$(free_port)" || return 1
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/redis" --save "" --appendonly no \
      --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" >/dev/null 2>&1
    for _ in $(seq 1 100); do
      if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = "PONG" ]; then echo "$port" >"$dir/redis/port"; return 0; fi
      sleep 0.05
    done
    stop_redis
    log "Redis did not start on port $port, trying another"
  done
  log "Redis did not start:"; tail -n 20 "$dir/redis/redis.log" >&2
  return 1
}

stop_postgres() {
  [ -f "$dir/pg/data/postmaster.pid" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

stop_redis() {
  local pid
  pid="$(cat "$dir/redis/redis.pid" 2>/dev/null)" || return 0
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}

case "$cmd" in
  start)
    start_postgres || { stop_postgres; exit 1; }
    start_redis || { stop_redis; stop_postgres; exit 1; }
    echo "export MARINA_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$(cat "$dir/pg/port")/marina_test"
    echo "export MARINA_TEST_REDIS_URL=redis://127.0.0.1:$(cat "$dir/redis/port")"
    ;;
  stop)
    stop_redis
    stop_postgres
    ;;
  *) usage ;;
esac
