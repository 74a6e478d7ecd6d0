#!/usr/bin/env bash
# The write path through the whole platform as `make run` starts it: signed
# events published over WebSockets through nginx and relay-query reach
# relay-ingest, are stored, answered OK, and served back by REQ; the per-pubkey
# rate bound answers "rate-limited:"; a broken stream entry is acked and
# skipped without harm; the ingest metrics tell what happened.
source "$(dirname "$0")/lib.sh"
LOAD="$E2E_BUILD/tests/bench/load/marina-load"
[ -x "$LOAD" ] || { echo "$LOAD is not built"; echo "0 passed, 1 failed"; exit 1; }

# One client IP sends everything; the per-pubkey bound stays low to be seen.
export RELAY_EVENTS_PER_MINUTE_PER_IP=100000 RELAY_EVENTS_PER_MINUTE_PER_PUBKEY=50
platform_start || { echo "0 passed, 1 failed"; exit 1; }

sql() { psql -h 127.0.0.1 -p "$MARINA_PG_PORT" -U postgres -d marina -v ON_ERROR_STOP=1 -qtAX -c "$1"; }
OWNER="$(openssl rand -hex 32)"
sql "INSERT INTO tenants (pubkey) VALUES ('$OWNER')" >/dev/null
# On the business plan: the free plan takes 600 events a minute per relay.
RELAY_ID="$(sql "INSERT INTO relays (tenant_pubkey, subdomain, plan, relay_pubkey, relay_secret_enc)
                 VALUES ('$OWNER', 'writes', 'business', '$(openssl rand -hex 32)', '\\x00') RETURNING id" | head -n 1)"
HOST="writes.$RELAY_DOMAIN"
field() { jq -r ".$1" <<<"$2"; }
metrics() { curl -fsS "http://127.0.0.1:$MARINA_RELAY_INGEST_ADMIN_PORT/metrics"; }
metric() { metrics | awk -v s="$1" '$1 == s {print $2}'; }

# 2,000 events from 100 authors (20 each, under the bound), 20 connections.
out="$("$LOAD" ingest --port "$HTTP_PORT" --host "$HOST" --connections 20 --count 2000 --authors 100 --seed e2e \
        --duration 120 --quiet 2>/dev/null)"
check "2,000 EVENTs through nginx all get OK true" test "$(field ok_true "$out")" = 2000
check "no EVENT is left without an OK" test "$(field unanswered "$out")" = 0
check "every one of them is stored" test "$(sql "SELECT count(*) FROM events WHERE relay_id = '$RELAY_ID'")" = 2000
q="$("$LOAD" query --port "$HTTP_PORT" --host "$HOST" --connections 1 --count 3 --seed e2e --duration 30 --quiet \
      --filter '{"kinds":[1],"limit":50}' --filter '{"authors":"@authors:10","limit":100}' 2>/dev/null)"
check "REQ serves them back: kinds:[1] limit 50 returns 50" test "$(field f0_events_per_req "$q")" = 50
check "REQ by 10 of the authors returns their 200 (limit 100 caps it at 100)" test "$(field f1_events_per_req "$q")" = 100
check "relay-ingest counts them as stored" test "$(metric 'marina_relay_events_ingested_total{result="stored"}')" = 2000

# One author past RELAY_EVENTS_PER_MINUTE_PER_PUBKEY=50 within the minute.
# The windows are fixed minutes: start early in one, so all 60 fall in it.
sec=$((10#$(date +%S))); [ "$sec" -lt 45 ] || sleep $((61 - sec))
out="$("$LOAD" ingest --port "$HTTP_PORT" --host "$HOST" --connections 1 --window 1 --count 60 --authors 1 \
        --seed e2e-one --duration 60 --quiet 2>/dev/null)"
check "an author's first 50 events in the minute are accepted" test "$(field ok_true "$out")" = 50
check "the next 10 are refused, each with an OK" test "$(field ok_false "$out")" = 10
check "the refusal says rate-limited" \
  test "$(field first_refusal "$out")" = "rate-limited: too many events from this pubkey, slow down"

# A stream entry that is not an IngestRequest: acked and skipped, the service carries on.
redis-cli -p "$MARINA_REDIS_PORT" XADD marina:ingest '*' v 1 garbage yes >/dev/null
out="$("$LOAD" ingest --port "$HTTP_PORT" --host "$HOST" --connections 2 --count 20 --authors 20 --seed e2e-after \
        --duration 60 --quiet 2>/dev/null)"
check "events after a broken entry are still answered OK" test "$(field ok_true "$out")" = 20
for _ in $(seq 1 50); do [ "$(metric marina_ingest_malformed_entries_total)" = 1 ] && break; sleep 0.1; done
check "the broken entry is counted as malformed" test "$(metric marina_ingest_malformed_entries_total)" = 1
check "nothing is left pending in marina:ingest" \
  test "$(redis-cli -p "$MARINA_REDIS_PORT" XPENDING marina:ingest ingest | head -n 1)" = 0
check "relay-ingest is still ready" curl -fsS -o /dev/null "http://127.0.0.1:$MARINA_RELAY_INGEST_ADMIN_PORT/readyz"

platform_stop; rc=$?
check "SIGTERM stops the platform with exit 0" test "$rc" -eq 0
check "relay-ingest stopped cleanly" grep -q '"stopped consuming marina:ingest"' "$E2E_STATE/logs/relay-ingest.log"
finish
