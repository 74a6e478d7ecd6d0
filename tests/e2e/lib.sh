# Shared helpers for the end-to-end tests: start a whole platform the way
# `make run` does (scripts/platform.sh), on free ports, in a temp state dir.
# Source this file; call platform_start, then use $HTTP_PORT etc.; the EXIT
# trap stops the platform and removes its state.
set -uo pipefail

E2E_ROOT="${MARINA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
E2E_BUILD="${MARINA_BINARY_DIR:-$E2E_ROOT/build}"
FAILS=0
PASSES=0

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

check() {  # check "<what>" <command...>: records a pass or a failure
  local what="$1"; shift
  if "$@"; then PASSES=$((PASSES + 1)); echo "ok   - $what"
  else FAILS=$((FAILS + 1)); echo "FAIL - $what"; fi
}

# add_client_checks FILE: counts the "ok   - " / "FAIL - " lines a client
# script (js/checks.mjs) wrote to FILE, after printing them.
add_client_checks() {
  cat "$1"
  PASSES=$((PASSES + $(grep -c '^ok ' "$1")))
  FAILS=$((FAILS + $(grep -c '^FAIL ' "$1")))
  check "the client script ran to its end" grep -q '^# .* passed' "$1"
}

# Starts the platform on free ports. A port found free can be taken by a
# test running beside this one before a service binds it: a start that fails
# that way is tried again on new ports (at most three times in all).
platform_start() {
  local attempt failure
  failure="$(mktemp /tmp/marina-e2e-start.XXXXXX)"
  for attempt in 1 2 3; do
    if platform_start_once >"$failure" 2>&1; then rm -f "$failure"; return 0; fi
    if ! grep -q "Address already in use" "$failure" || [ "$attempt" = 3 ]; then
      cat "$failure"; rm -f "$failure"; return 1
    fi
    echo "# a port was taken meanwhile; starting again on other ports"
    platform_cleanup >/dev/null 2>&1
  done
}

platform_start_once() {
  E2E_STATE="$(mktemp -d /tmp/marina-e2e.XXXXXX)"
  chmod 755 "$E2E_STATE"
  export MARINA_STATE_DIR="$E2E_STATE" MARINA_BUILD_DIR="$E2E_BUILD"
  export MARINA_HTTP_PORT="$(free_port)" MARINA_PG_PORT="$(free_port)" MARINA_REDIS_PORT="$(free_port)"
  export MARINA_AUTH_PORT="$(free_port)" MARINA_TENANTS_PORT="$(free_port)" MARINA_BILLING_PORT="$(free_port)"
  export MARINA_RELAY_QUERY_PORT="$(free_port)"
  export MARINA_AUTH_ADMIN_PORT="$(free_port)" MARINA_TENANTS_ADMIN_PORT="$(free_port)"
  export MARINA_BILLING_ADMIN_PORT="$(free_port)" MARINA_RELAY_QUERY_ADMIN_PORT="$(free_port)"
  export MARINA_RELAY_INGEST_ADMIN_PORT="$(free_port)"
  export RELAY_DOMAIN="${RELAY_DOMAIN:-relay.localhost}" MARINA_API_HOST="${MARINA_API_HOST:-api.localhost}"
  HTTP_PORT="$MARINA_HTTP_PORT"
  # tenants' sql_query sandbox URL, the one scripts/platform.sh gives it.
  export SQL_SANDBOX_DATABASE_URL="postgresql://marina_sql@127.0.0.1:$MARINA_PG_PORT/marina"
  bash "$E2E_ROOT/scripts/platform.sh" run >"$E2E_STATE/platform.out" 2>&1 &
  PLATFORM_PID=$!
  trap platform_cleanup EXIT
  local deadline=$((SECONDS + 120))
  until grep -q "Marina is running" "$E2E_STATE/platform.out" 2>/dev/null; do
    if ! kill -0 "$PLATFORM_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "platform did not start:"; cat "$E2E_STATE/platform.out"; tail -n 20 "$E2E_STATE"/logs/*.log 2>/dev/null
      return 1
    fi
    sleep 0.3
  done
}

platform_stop() {  # SIGTERM, as Kubernetes or Ctrl-C would; returns the launcher's exit code
  kill -TERM "$PLATFORM_PID" 2>/dev/null || return 1
  wait "$PLATFORM_PID"
}

platform_cleanup() {
  if [ -n "${PLATFORM_PID:-}" ] && kill -0 "$PLATFORM_PID" 2>/dev/null; then
    kill -TERM "$PLATFORM_PID" 2>/dev/null; wait "$PLATFORM_PID" 2>/dev/null
  fi
  if [ "$FAILS" -gt 0 ] && [ -d "${E2E_STATE:-}" ]; then
    echo "--- service logs (last lines) ---"; tail -n 15 "$E2E_STATE"/logs/*.log 2>/dev/null
  fi
  [ -n "${E2E_STATE:-}" ] && rm -rf "$E2E_STATE"
}

# start_second_replica [VAR=VALUE...]: a second relay-query replica of the
# running platform, straight on its own port (not behind nginx), with extra
# environment; sets REPLICA2_PORT, REPLICA2_ADMIN, REPLICA2_PID, stops it on
# exit (stop_replica2) and checks it became ready.
start_second_replica() {
  REPLICA2_PORT="$(free_port)"; REPLICA2_ADMIN="$(free_port)"
  (
    export DATABASE_URL="postgresql://postgres@127.0.0.1:$MARINA_PG_PORT/marina" REDIS_URL="redis://127.0.0.1:$MARINA_REDIS_PORT"
    export HOST=127.0.0.1 PORT="$REPLICA2_PORT" ADMIN_HOST=127.0.0.1 ADMIN_PORT="$REPLICA2_ADMIN" REPLICA_ID=relay-query-second
    export RELAY_DOMAIN PUBLIC_HTTP_PORT="$HTTP_PORT" LOG_LEVEL=info SHUTDOWN_GRACE=5s
    local v; for v in "$@"; do export "$v"; done
    exec "$E2E_BUILD/services/relay-query/marina-relay-query"
  ) >"$E2E_STATE/logs/relay-query-second.log" 2>&1 &
  REPLICA2_PID=$!
  trap 'stop_replica2; platform_cleanup' EXIT
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$REPLICA2_ADMIN/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  check "second replica is ready" curl -fsS -o /dev/null "http://127.0.0.1:$REPLICA2_ADMIN/readyz"
}
stop_replica2() { kill -TERM "$REPLICA2_PID" 2>/dev/null; wait "$REPLICA2_PID" 2>/dev/null; }

# metric_positive PREFIX: a line of $METRICS starting with PREFIX has a value above 0.
metric_positive() { awk -v m="$1" 'index($0, m) == 1 && $NF + 0 > 0 { found = 1 } END { exit !found }' <<<"$METRICS"; }

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
