#!/usr/bin/env bash
# Brings the whole Marina platform up on this machine from Debian packages:
# a private PostgreSQL cluster and Redis (state in $MARINA_STATE_DIR, kept across
# runs), the migrations, the five services and nginx as the local ingress.
#
#   platform.sh run    stay in the foreground; Ctrl-C or SIGTERM stops everything
#   platform.sh stop   stop a run left in the background (reads the pid files)
#
# Every port and path can be overridden from the environment (see defaults
# below); the end-to-end tests start a second platform on free ports this way.
# Nothing listens beyond 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${MARINA_STATE_DIR:-$ROOT/.run}"
BUILD="${MARINA_BUILD_DIR:-$ROOT/build}"
PG_BIN="${MARINA_PG_BIN:-/usr/lib/postgresql/15/bin}"

HTTP_PORT="${MARINA_HTTP_PORT:-8080}"
PG_PORT="${MARINA_PG_PORT:-55432}"
REDIS_PORT="${MARINA_REDIS_PORT:-56379}"
AUTH_PORT="${MARINA_AUTH_PORT:-18101}"
TENANTS_PORT="${MARINA_TENANTS_PORT:-18102}"
BILLING_PORT="${MARINA_BILLING_PORT:-18103}"
RELAY_QUERY_PORT="${MARINA_RELAY_QUERY_PORT:-18104}"
AUTH_ADMIN_PORT="${MARINA_AUTH_ADMIN_PORT:-19101}"
TENANTS_ADMIN_PORT="${MARINA_TENANTS_ADMIN_PORT:-19102}"
BILLING_ADMIN_PORT="${MARINA_BILLING_ADMIN_PORT:-19103}"
RELAY_QUERY_ADMIN_PORT="${MARINA_RELAY_QUERY_ADMIN_PORT:-19104}"
RELAY_INGEST_ADMIN_PORT="${MARINA_RELAY_INGEST_ADMIN_PORT:-19105}"
API_HOST="${MARINA_API_HOST:-api.localhost}"
export RELAY_DOMAIN="${RELAY_DOMAIN:-relay.localhost}"
READY_TIMEOUT="${MARINA_READY_TIMEOUT:-60}"

SERVICES=(auth tenants billing relay-ingest relay-query)

log() { printf '[marina] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_postgres() {
  # PostgreSQL refuses to run as root; as root its tools run as the postgres user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

admin_port_of() {
  case "$1" in
    auth) echo "$AUTH_ADMIN_PORT" ;;
    tenants) echo "$TENANTS_ADMIN_PORT" ;;
    billing) echo "$BILLING_ADMIN_PORT" ;;
    relay-query) echo "$RELAY_QUERY_ADMIN_PORT" ;;
    relay-ingest) echo "$RELAY_INGEST_ADMIN_PORT" ;;
  esac
}

main_port_of() {
  case "$1" in
    auth) echo "$AUTH_PORT" ;;
    tenants) echo "$TENANTS_PORT" ;;
    billing) echo "$BILLING_PORT" ;;
    relay-query) echo "$RELAY_QUERY_PORT" ;;
    relay-ingest) echo 0 ;;
  esac
}

# --- secrets: generated once per state directory, mode 600, never printed ---
load_secrets() {
  local f="$STATE/secrets.env"
  if [ ! -f "$f" ]; then
    umask 077
    {
      echo "PASSPORT_SECRET=$(openssl rand -hex 32)"
      echo "MASTER_KEY=$(openssl rand -hex 32)"
      echo "PLATFORM_SECRET=$(openssl rand -hex 32)"
    } > "$f"
    umask 022
  fi
  set -a
  # shellcheck disable=SC1090
  . "$f"
  set +a
}

start_postgres() {
  local data="$STATE/pg/data" sock="$STATE/pg/sock"
  mkdir -p "$STATE/pg" "$sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$STATE/pg"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $data"
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$STATE/logs/initdb.log" 2>&1 \
      || die "initdb failed, see $STATE/logs/initdb.log"
  fi
  touch "$STATE/logs/postgres.log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$STATE/logs/postgres.log"; fi
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$STATE/logs/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c max_connections=200 ${MARINA_PG_SETTINGS:-}" start >/dev/null \
    || die "PostgreSQL did not start, see $STATE/logs/postgres.log"
  if ! as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='marina'" postgres | grep -q 1; then
    as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database marina" postgres >/dev/null
  fi
}

stop_postgres() {
  local data="$STATE/pg/data"
  if [ -f "$data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

start_redis() {
  mkdir -p "$STATE/redis"
  # AOF, fsync every second. The log is rewritten (a fork, and a child that
  # writes the whole dataset, ~100 MB with marina:events at its MAXLEN) when
  # it has doubled and is past the min size: Redis's 64 MB default means a
  # rewrite every few seconds under load, each one a latency spike for every
  # stream command; 512 MB keeps them minutes apart and the disk use bounded.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --appendonly yes \
    --appendfsync everysec --auto-aof-rewrite-min-size "${MARINA_REDIS_AOF_REWRITE_MIN:-512mb}" \
    --save "" --daemonize no --logfile "$STATE/logs/redis.log" &
  echo $! > "$STATE/pids/redis"
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "Redis did not start, see $STATE/logs/redis.log"
}

write_nginx_conf() {
  mkdir -p "$STATE/nginx"/{client_body,proxy,fastcgi,uwsgi,scgi}
  local f
  for f in nginx.conf.in proxy_common.conf proxy_public.conf proxy_authenticated.conf; do
    sed -e "s|@STATE@|$STATE|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" -e "s|@API_HOST@|$API_HOST|g" \
        -e "s|@RELAY_DOMAIN@|$RELAY_DOMAIN|g" -e "s|@AUTH_PORT@|$AUTH_PORT|g" \
        -e "s|@TENANTS_PORT@|$TENANTS_PORT|g" -e "s|@BILLING_PORT@|$BILLING_PORT|g" \
        -e "s|@RELAY_QUERY_PORT@|$RELAY_QUERY_PORT|g" \
        "$ROOT/scripts/local/$f" > "$STATE/nginx/${f%.in}"
  done
}

start_nginx() {
  write_nginx_conf
  nginx -t -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" >"$STATE/logs/nginx-check.log" 2>&1 \
    || die "nginx configuration invalid: $(tail -n 3 "$STATE/logs/nginx-check.log")"
  nginx -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" &
  echo $! > "$STATE/pids/nginx"
}

service_env() {
  # The environment every service gets; each reads only what it declares.
  local svc="$1"
  echo "DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/marina"
  # tenants' sql_query sandbox logs in as its own role (migration 0009); the
  # local cluster trusts local connections, so it needs no password here.
  echo "SQL_SANDBOX_DATABASE_URL=${SQL_SANDBOX_DATABASE_URL:-postgresql://marina_sql@127.0.0.1:$PG_PORT/marina}"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  echo "HOST=127.0.0.1"
  echo "PORT=$(main_port_of "$svc")"
  echo "ADMIN_HOST=127.0.0.1"
  echo "ADMIN_PORT=$(admin_port_of "$svc")"
  echo "RELAY_DOMAIN=$RELAY_DOMAIN"
  echo "API_HOST=$API_HOST"
  echo "PUBLIC_HTTP_PORT=$HTTP_PORT"
  # Locally there is no TLS: relay URLs are ws://<sub>.<domain>:<port>.
  echo "RELAY_PUBLIC_SCHEME=${RELAY_PUBLIC_SCHEME:-ws}"
  echo "HOSTING_ADMIN_PUBKEYS=${HOSTING_ADMIN_PUBKEYS:-}"
  echo "LOG_LEVEL=${LOG_LEVEL:-info}"
  # A stable replica name: a restarted relay-ingest re-reads its own pending
  # entries at once instead of waiting for another consumer to claim them.
  echo "REPLICA_ID=${svc}-1"
  # auth's and billing's tunables, passed on only when set (the end-to-end tests change them).
  local v
  for v in AUTH_WINDOW AUTH_MAX_HEADER_BYTES AUTH_FAILURES_PER_MINUTE PASSPORT_LIFETIME BILLING_JOB_INTERVAL; do
    if [ -n "${!v:-}" ]; then echo "$v=${!v}"; fi
  done
}

start_service() {
  local svc="$1"
  local bin="$BUILD/services/$svc/marina-$svc"
  [ -x "$bin" ] || die "$bin is not built (run 'make build')"
  (
    set -a
    while IFS= read -r line; do export "$line"; done < <(service_env "$svc")
    set +a
    exec "$bin"
  ) >>"$STATE/logs/$svc.log" 2>&1 &
  echo $! > "$STATE/pids/$svc"
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) svc port
  for svc in "${SERVICES[@]}"; do
    port="$(admin_port_of "$svc")"
    until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
      if ! kill -0 "$(cat "$STATE/pids/$svc")" 2>/dev/null; then
        die "marina-$svc exited during start: $(tail -n 5 "$STATE/logs/$svc.log")"
      fi
      [ $SECONDS -lt $deadline ] || die "marina-$svc not ready after ${READY_TIMEOUT}s, see $STATE/logs/$svc.log"
      sleep 0.2
    done
  done
  until curl -fsS -H "Host: $API_HOST" "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "nginx not answering on 127.0.0.1:$HTTP_PORT"
    sleep 0.2
  done
}

stop_pid() {
  local name="$1" pidfile="$STATE/pids/$1" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in 15s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

stop_all() {
  local svc
  stop_pid nginx
  for svc in relay-query relay-ingest billing tenants auth; do stop_pid "$svc"; done
  stop_pid redis
  stop_postgres
  rm -f "$STATE/pids/platform"
}

# How to create a first relay, with the CLI's full path so the commands work
# as typed from any directory.
print_first_relay() {
  local cli="$BUILD/tools/cli/marina"
  if [ ! -x "$cli" ]; then
    log "the marina CLI is not built ($cli); 'make build-run' builds it"
    return 0
  fi
  sed -e "s|@API@|http://$API_HOST:$HTTP_PORT|g" -e "s|@CLI@|$cli|g" \
      -e "s|@RELAY@|ws://myrelay.$RELAY_DOMAIN:$HTTP_PORT/|g" "$ROOT/scripts/first-relay.txt"
}

cmd_run() {
  mkdir -p "$STATE/logs" "$STATE/pids"
  if [ -f "$STATE/pids/platform" ] && kill -0 "$(cat "$STATE/pids/platform")" 2>/dev/null; then
    die "a platform is already running from $STATE (pid $(cat "$STATE/pids/platform")); 'make stop' stops it"
  fi
  echo $$ > "$STATE/pids/platform"
  trap 'log "stopping"; stop_all; log "stopped"; exit 0' INT TERM
  trap 'stop_all' EXIT
  load_secrets
  start_postgres
  start_redis
  log "applying migrations"
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/marina" MIGRATIONS_DIR="$ROOT/migrations" \
    "$BUILD/services/migrate/marina-migrate" >>"$STATE/logs/migrate.log" 2>&1 \
    || die "migrations failed: $(tail -n 3 "$STATE/logs/migrate.log")"
  local svc
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done
  start_nginx
  wait_ready
  cat <<EOF

  Marina is running (state in $STATE, logs in $STATE/logs).

  API:        http://$API_HOST:$HTTP_PORT/          (public: GET /healthz; /tenant/* and /admin/* need NIP-98)
  Relays:     ws://<subdomain>.$RELAY_DOMAIN:$HTTP_PORT/  (NIP-11: GET it with Accept: application/nostr+json)
  Admin:      http://127.0.0.1:<port>/metrics, /healthz, /readyz on ports
              auth $AUTH_ADMIN_PORT, tenants $TENANTS_ADMIN_PORT, billing $BILLING_ADMIN_PORT, relay-query $RELAY_QUERY_ADMIN_PORT, relay-ingest $RELAY_INGEST_ADMIN_PORT
  PostgreSQL: postgresql://postgres@127.0.0.1:$PG_PORT/marina
  Redis:      redis://127.0.0.1:$REDIS_PORT

  *.localhost names resolve to 127.0.0.1 in most clients; with curl, pass the
  Host header:  curl -H 'Host: $API_HOST' http://127.0.0.1:$HTTP_PORT/healthz

  Ctrl-C stops everything.
EOF
  print_first_relay
  # Stay in the foreground until a signal or until a child dies.
  while true; do
    for svc in "${SERVICES[@]}" nginx redis; do
      if ! kill -0 "$(cat "$STATE/pids/$svc")" 2>/dev/null; then
        log "$svc exited unexpectedly; see $STATE/logs/ — stopping the platform"
        stop_all
        exit 1
      fi
    done
    sleep 1 &
    wait $! || true
  done
}

cmd_stop() {
  mkdir -p "$STATE/pids"
  if [ -f "$STATE/pids/platform" ] && kill -0 "$(cat "$STATE/pids/platform")" 2>/dev/null; then
    kill -TERM "$(cat "$STATE/pids/platform")"
    for _ in $(seq 1 300); do kill -0 "$(cat "$STATE/pids/platform" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_all
  log "stopped"
}

case "${1:-}" in
  run) cmd_run ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 run|stop" >&2; exit 2 ;;
esac
