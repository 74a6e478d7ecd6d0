#!/usr/bin/env bash
# Hosted relays as clients see them, through the real nginx ingress: NIP-11
# and CORS, routing by host, and (js/relay_query_e2e.mjs, nostr-tools as the
# independent client) the whole NIP-01/09/40/45/50 flow with two relays, a
# suspended one, and a second relay-query replica; then graceful shutdown.
source "$(dirname "$0")/lib.sh"
JS="$(cd "$(dirname "$0")/js" && pwd)"

platform_start || { echo "0 passed, 1 failed"; exit 1; }

PSQL_ARGS="-h 127.0.0.1 -p $MARINA_PG_PORT -U postgres -d marina -v ON_ERROR_STOP=1 -qtA"
psql_do() { psql $PSQL_ARGS -c "$1"; }
hex32() { openssl rand -hex 32; }

# One tenant and six relays, inserted as the tenants API will (the secret is
# not used by relay-query).
OWNER="$(hex32)"
psql_do "INSERT INTO tenants (pubkey) VALUES ('$OWNER')" >/dev/null
relay_insert() {  # subdomain status reason name
  psql_do "INSERT INTO relays (tenant_pubkey, subdomain, name, description, status, status_reason, relay_pubkey, relay_secret_enc)
           VALUES ('$OWNER', '$1', '$4', 'End-to-end relay $1', '$2', '$3', '$(hex32)', '\\x00') RETURNING id"
}
ALPHA_ID="$(relay_insert alpha active '' 'Alpha relay')"
BETA_ID="$(relay_insert beta active '' '')"
relay_insert gamma suspended 'unpaid invoice' 'Gamma' >/dev/null
relay_insert delta inactive 'closed by its owner' 'Delta' >/dev/null
EPSILON_ID="$(relay_insert epsilon active '' 'Epsilon')"
ZETA_ID="$(relay_insert zeta active '' 'Zeta')"
ALPHA_PUBKEY="$(psql_do "SELECT relay_pubkey FROM relays WHERE id = '$ALPHA_ID'")"

# --- plain HTTP on relay hosts, through nginx ---
relay_get() {  # relay_get <subdomain> [curl args...]: sets STATUS, HEADERS, BODY
  local sub="$1"; shift
  local body_file; body_file="$(mktemp)"
  HEADERS="$(curl -sS -o "$body_file" -D - -H "Host: $sub.$RELAY_DOMAIN:$HTTP_PORT" "$@" "http://127.0.0.1:$HTTP_PORT/" | tr -d '\r')"
  STATUS="$(head -n 1 <<<"$HEADERS" | awk '{print $2}')"
  BODY="$(cat "$body_file")"; rm -f "$body_file"
}
has_header() { grep -qi "^$1: $2" <<<"$HEADERS"; }

# Predicates on the last relay_get (no response text is pasted into code).
status_is() { [ "$STATUS" = "$1" ] || { echo "  status $STATUS: $(head -c 300 <<<"$BODY")"; return 1; }; }
header_has() { grep -qi -- "^$1" <<<"$HEADERS" || { echo "  no header $1"; return 1; }; }
body_has() { grep -qF -- "$1" <<<"$BODY" || { echo "  body lacks $1: $(head -c 300 <<<"$BODY")"; return 1; }; }
nip11_is() { jq -e "$1" <<<"$BODY" >/dev/null || { echo "  document: $BODY"; return 1; }; }
cors_headers() { header_has 'access-control-allow-origin: \*' && header_has 'access-control-allow-headers:' && header_has 'access-control-allow-methods:'; }

relay_get alpha -H "Accept: application/nostr+json"
check "NIP-11: 200 application/nostr+json" eval 'status_is 200 && header_has "content-type: application/nostr+json"'
check "NIP-11: name, description, owner's pubkey, relay's own key, owner contact" \
  nip11_is ".name == \"Alpha relay\" and .description == \"End-to-end relay alpha\" and .pubkey == \"$OWNER\" and .self == \"$ALPHA_PUBKEY\" and (.contact | startswith(\"nostr:npub1\"))"
check "NIP-11: supported_nips are what the default configuration does" nip11_is '.supported_nips == [1,9,11,13,40,42,45,50,62,70]'
check "NIP-11: software and version" nip11_is '.software == "marina" and (.version | length > 0)'
check "NIP-11: limitation shows the enforced bounds" \
  nip11_is '.limitation.max_message_length == 131072 and .limitation.max_subscriptions == 50 and .limitation.max_limit == 500 and .limitation.max_subid_length == 64 and .limitation.default_limit == 500 and .limitation.auth_required == false and .limitation.restricted_writes == false and .limitation.created_at_upper_limit == 900'
check "NIP-11: CORS headers" cors_headers

relay_get gamma -H "Accept: application/nostr+json"
check "NIP-11 of a suspended relay: restricted_writes" nip11_is '.limitation.restricted_writes == true'
relay_get beta -H "Accept: application/nostr+json"
check "NIP-11 of an unnamed relay: its subdomain" nip11_is '.name == "beta"'

relay_get alpha -X OPTIONS -H "Origin: https://client.example" -H "Access-Control-Request-Method: GET"
check "CORS preflight: 204 with the CORS headers" eval 'status_is 204 && cors_headers'

relay_get alpha -H "Accept: text/html"
check "a browser gets a page naming the relay and its URL" \
  eval 'status_is 200 && body_has "Alpha relay" && body_has "://alpha.$RELAY_DOMAIN:$HTTP_PORT</code>"'

relay_get nosuchrelay -H "Accept: application/nostr+json"
check "unknown relay host: 404 problem" eval 'status_is 404 && body_has relay-not-found'
relay_get DELTA -H "Accept: application/nostr+json"
check "inactive relay (host in upper case): 404" status_is 404
relay_get ALPHA -H "Accept: application/nostr+json"
check "host is case-insensitive" eval 'status_is 200 && body_has "Alpha relay"'
check "GET /healthz on a relay host still reaches relay-query" \
  bash -c "curl -fsS -H 'Host: alpha.$RELAY_DOMAIN' http://127.0.0.1:$HTTP_PORT/healthz | grep -q '\"service\":\"relay-query\"'"

# --- a second relay-query replica, directly on its own port, on two threads and
# with small bounds (slow reader, connections per address, OK timeout) ---
start_second_replica THREADS=2 RELAY_MAX_PENDING_BYTES=65536 RELAY_MAX_CONNECTIONS_PER_IP=4 RELAY_QUERY_OK_TIMEOUT=1500ms

# --- the Nostr protocol, from nostr-tools ---
JS_OUT="$E2E_STATE/relay_query_e2e.out"
HTTP_PORT="$HTTP_PORT" REPLICA2_PORT="$REPLICA2_PORT" RELAY_DOMAIN="$RELAY_DOMAIN" PSQL_ARGS="$PSQL_ARGS" \
  MARINA_REDIS_PORT="$MARINA_REDIS_PORT" EPSILON_ID="$EPSILON_ID" ZETA_ID="$ZETA_ID" ALPHA_ID="$ALPHA_ID" REPLICA2_ADMIN="$REPLICA2_ADMIN" \
  INGEST_PID="$(cat "$E2E_STATE/pids/relay-ingest")" \
  timeout 120 node "$JS/relay_query_e2e.mjs" >"$JS_OUT" 2>&1
add_client_checks "$JS_OUT"

# --- metrics ---
METRICS="$(curl -fsS "http://127.0.0.1:$MARINA_RELAY_QUERY_ADMIN_PORT/metrics")"
check "metrics: connections accepted" metric_positive 'marina_relay_query_connections_total{result="accepted"}'
check "metrics: connections rejected for unknown relays" metric_positive 'marina_relay_query_connections_total{result="unknown_relay"}'
check "metrics: messages by verb" metric_positive 'marina_relay_query_messages_received_total{verb="REQ"}'
check "metrics: live events sent" metric_positive 'marina_relay_query_events_sent_total{source="live"}'
check "metrics: stored query latency" metric_positive 'marina_relay_query_stored_query_duration_seconds_count{verb="REQ"}'
check "metrics: fan-out latency" metric_positive 'marina_relay_query_fanout_latency_seconds_count'
check "metrics: OK latency" metric_positive 'marina_relay_query_ok_latency_seconds_count'
check "metrics: events stream lag is reported" grep -q '^marina_relay_query_events_stream_lag_seconds ' <<<"$METRICS"

# --- graceful shutdown: SIGTERM closes every WebSocket with "going away" ---
SHUTDOWN_OUT="$(timeout 20 node --input-type=module -e "
  import { RelayClient } from '$JS/relay_client.mjs'
  const c = await RelayClient.open($REPLICA2_PORT, 'alpha.$RELAY_DOMAIN')
  await c.req('s', [{ kinds: [1] }])
  process.stdout.write('connected\n')
  const closed = await c.waitClosed(15000)
  console.log(JSON.stringify(closed))
" 2>&1 & NODE_PID=$!
  for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$REPLICA2_ADMIN/metrics" | grep -q '^marina_relay_query_connections_open 1' && break; sleep 0.1; done
  kill -TERM "$REPLICA2_PID"; wait "$NODE_PID")"
check "SIGTERM: the client gets close code 1001 (going away)" grep -q '"code":1001' <<<"$SHUTDOWN_OUT"
wait "$REPLICA2_PID"; rc=$?
check "SIGTERM: the replica exits 0" test "$rc" -eq 0
finish
