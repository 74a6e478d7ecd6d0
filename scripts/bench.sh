#!/usr/bin/env bash
# make bench: the benchmarks of a build directory.
#
#   bash scripts/bench.sh <build dir>
#
# 1. Every Google Benchmark program built there (tests/bench/*/*_bench); those
#    that need PostgreSQL or Redis start their own (tests/support).
# 2. With MARINA_BENCH_LOAD=1, load against a whole platform: it is started on
#    free ports exactly as `make run` does (tests/e2e/lib.sh), a relay
#    "bench" is created, and marina-load runs its modes with bounded counts:
#      ingest   EVENT -> OK through nginx and relay-query, as fast as possible
#               and at 5,000 events/s
#      direct   the same events added straight to marina:ingest (relay-ingest alone)
#      query    REQ -> EOSE on the relay once it holds MARINA_BENCH_QUERY_EVENTS
#               events (default 200000; the issue's figure is 1000000, which takes
#               a few minutes to fill through the write path)
#      fanout   10,000 subscriptions over 1,000 connections, 1,000 events/s
#      idle     10,000 idle connections straight to relay-query, its RSS per connection
#    MARINA_BENCH_MODES picks some of them ("ingest fanout"; default all five);
#    MARINA_BENCH_PROGRAMS=0 skips step 1.
#    Each prints one JSON line (collected in $MARINA_BENCH_RESULTS, default
#    <build dir>/bench-load.jsonl) and a table.
#
# Everything listens on 127.0.0.1 only and stops when the script ends.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd)" || { echo "bench.sh: no build directory ${1:-}" >&2; exit 2; }
status=0

MODES=" ${MARINA_BENCH_MODES:-ingest direct query fanout idle} "
wants() { [[ "$MODES" == *" $1 "* ]]; }

if [ "${MARINA_BENCH_PROGRAMS:-1}" != "0" ]; then
echo "== Google Benchmark programs in $BUILD/tests/bench"
found=0
while IFS= read -r program; do
  found=1
  echo "-- $(basename "$program")"
  timeout "${MARINA_BENCH_TIMEOUT:-900}" "$program" || { echo "bench.sh: $(basename "$program") failed" >&2; status=1; }
done < <(find "$BUILD/tests/bench" -type f -name '*_bench' -perm -u+x 2>/dev/null | sort)
[ "$found" -eq 1 ] || echo "(none built in $BUILD: build them, with -DMARINA_BENCH=ON)"
fi

if [ "${MARINA_BENCH_LOAD:-0}" != "1" ]; then
  echo "== load benchmarks not run (MARINA_BENCH_LOAD=1 runs them against a whole platform)"
  exit $status
fi

LOAD="$BUILD/tests/bench/load/marina-load"
[ -x "$LOAD" ] || { echo "bench.sh: $LOAD is not built" >&2; exit 1; }
RESULTS="${MARINA_BENCH_RESULTS:-$BUILD/bench-load.jsonl}"
: > "$RESULTS"

# One client IP sends everything here, far past the per-IP defaults; the
# platform reads these from its environment (scripts/platform.sh passes it on).
export RELAY_EVENTS_PER_MINUTE_PER_IP=10000000 RELAY_EVENTS_PER_MINUTE_PER_PUBKEY=10000000
export RELAY_MAX_CONNECTIONS_PER_IP=1000000 HTTP_MAX_CONNECTIONS=20000
export MARINA_SOURCE_DIR="$ROOT" MARINA_BINARY_DIR="$BUILD" LOG_LEVEL="${LOG_LEVEL:-warn}"
# shellcheck source=../tests/e2e/lib.sh
source "$ROOT/tests/e2e/lib.sh"
echo "== starting a platform on free ports"
platform_start || exit 1

sql() { psql -h 127.0.0.1 -p "$MARINA_PG_PORT" -U postgres -d marina -qtAX -c "$1"; }
tenant="$(openssl rand -hex 32)"
sql "INSERT INTO tenants (pubkey) VALUES ('$tenant')" >/dev/null
# The bench's own plan: the business plan's caps on connections and
# subscriptions, and an event rate (plans.max_events_per_minute) no run
# reaches, so the runs measure the platform and not the plan.
sql "INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions,
                        max_events_per_minute, max_whitelist_rules)
     VALUES ('bench', 'Bench', 100, 1000000000, 10000, 50000, 1000000000, 100000)" >/dev/null
# bench_relay SUBDOMAIN: a relay on that plan whose configuration admits the
# runs' 10,000 connections and subscriptions (per-relay bounds a free relay
# could not reach: its plan caps them at 100 and 1,000); its id.
bench_relay() {
  sql "WITH r AS (INSERT INTO relays (tenant_pubkey, subdomain, plan, relay_pubkey, relay_secret_enc)
                  VALUES ('$tenant', '$1', 'bench', '$(openssl rand -hex 32)', '\\x00'::bytea) RETURNING id),
            c AS (INSERT INTO relay_config (relay_id, key, value)
                  SELECT r.id, kv.k, kv.v FROM r, (VALUES ('max_connections', '10000'),
                                                          ('max_total_subscriptions', '50000')) AS kv(k, v))
       SELECT id FROM r" | head -n 1
}
RELAY_ID="$(bench_relay bench)"
HOST="bench.$RELAY_DOMAIN"
REDIS="redis://127.0.0.1:$MARINA_REDIS_PORT"
echo "relay bench = $RELAY_ID at $HOST via 127.0.0.1:$HTTP_PORT"

# CPU seconds (user + system) used so far by each part of the platform: the
# machine is shared, so wall-clock rates depend on who else runs; CPU per
# event does not, and says which part would saturate first.
cpu_of() {  # cpu_of <pid>...: their summed CPU seconds
  local total=0 pid t
  for pid in "$@"; do
    t="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", t / hz}'
}
pg_pids() {  # the platform's postmaster and its backends
  local master; master="$(head -n 1 "$E2E_STATE/pg/data/postmaster.pid")"
  echo "$master"; pgrep -P "$master"
}
cpu_snapshot() {
  printf 'relay-query=%s relay-ingest=%s nginx=%s redis=%s postgres=%s' \
    "$(cpu_of "$(cat "$E2E_STATE/pids/relay-query")")" "$(cpu_of "$(cat "$E2E_STATE/pids/relay-ingest")")" \
    "$(cpu_of "$(cat "$E2E_STATE/pids/nginx")" $(pgrep -P "$(cat "$E2E_STATE/pids/nginx")"))" \
    "$(cpu_of "$(cat "$E2E_STATE/pids/redis")")" "$(cpu_of $(pg_pids))"
}
cpu_per_event() {  # cpu_per_event "<before>" "<after>" <events>: microseconds of CPU per event, per part
  python3 - "$1" "$2" "$3" <<'PY'
import sys
before = dict(kv.split("=") for kv in sys.argv[1].split())
after = dict(kv.split("=") for kv in sys.argv[2].split())
n = max(1, int(sys.argv[3]))
print("   CPU per event (per REQ in query mode): " + "  ".join(f"{k} {1e6 * (float(after[k]) - float(before[k])) / n:.0f} us" for k in after))
PY
}

load() {  # load <mode> <args...>: one bounded marina-load run, its JSON line kept
  echo "-- marina-load $*"
  local out before
  before="$(cpu_snapshot)"
  out="$("$LOAD" "$@")" || { echo "bench.sh: marina-load $1 failed" >&2; status=1; }
  printf '%s\n' "$out"
  head -n 1 <<<"$out" >> "$RESULTS"
  local events; events="$(head -n 1 <<<"$out" | jq -r '.ok_true // .requests // empty' 2>/dev/null)"
  [ -n "$events" ] && cpu_per_event "$before" "$(cpu_snapshot)" "$events"
  echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if wants ingest; then
echo "== ingest (full path: nginx -> relay-query -> marina:ingest -> relay-ingest -> OK)"
load ingest --port "$HTTP_PORT" --host "$HOST" --connections 50 --count 50000 --duration 120
load ingest --port "$HTTP_PORT" --host "$HOST" --connections 50 --rate 5000 --count 50000 --duration 60
fi

if wants direct; then
echo "== direct (relay-ingest alone: marina:ingest -> marina:replies)"
load direct --redis "$REDIS" --relay-id "$RELAY_ID" --connections 50 --count 50000 --duration 120
load direct --redis "$REDIS" --relay-id "$RELAY_ID" --connections 50 --rate 5000 --count 50000 --duration 60
fi

if wants query; then
# A relay of its own, so the ingest runs' events (all created in the same few
# seconds) are not the newest it holds.
QUERY_RELAY="$(bench_relay bench-query)"
QUERY_HOST="bench-query.$RELAY_DOMAIN"
target="${MARINA_BENCH_QUERY_EVENTS:-200000}"
stored=0
echo "== query (filling relay bench-query to $target events through the write path)"
while [ "$stored" -lt "$target" ]; do
  batch=$(( target - stored < 100000 ? target - stored : 100000 ))
  # Created over the last 30 days, as a live relay's events are: made all at
  # once, a million events would share some 90 created_at seconds, and ties
  # on created_at defeat the per-author bound of the author query (see
  # libs/store/README.md, "Reads").
  "$LOAD" ingest --port "$HTTP_PORT" --host "$QUERY_HOST" --connections 50 --count "$batch" --duration 300 --quiet \
    --span-days 30 >/dev/null || { echo "bench.sh: filling the relay failed" >&2; status=1; break; }
  stored="$(sql "SELECT count(*) FROM events WHERE relay_id = '$QUERY_RELAY'")"
done
echo "relay bench-query holds $stored events"
# One connection: the latency of a REQ on its own. Four: REQs queue for the
# two cores (the load tool's included), the latency under concurrency.
for conns in 1 4; do
  load query --port "$HTTP_PORT" --host "$QUERY_HOST" --connections "$conns" --count 3000 --duration 120 \
    --filter '{"kinds":[1],"limit":50}' --filter '{"authors":"@authors:10","limit":100}' --filter '{"#t":["x"],"limit":50}'
done
fi

if wants fanout; then
echo "== fanout (10,000 live subscriptions over 1,000 connections, 1,000 events/s)"
load fanout --port "$HTTP_PORT" --host "$HOST" --connections 1000 --subscriptions 10 --authors 1000 \
  --rate 1000 --count 10000 --duration 120
fi

if wants idle; then
echo "== idle (10,000 connections straight to relay-query)"
load idle --port "$MARINA_RELAY_QUERY_PORT" --host "$HOST" --connections 10000 --hold 5 --duration 120 \
  --pid "$(cat "$E2E_STATE/pids/relay-query")"
fi

platform_stop || status=1
echo "== results (one JSON line per run) in $RESULTS"
exit $status
