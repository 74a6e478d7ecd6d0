#!/usr/bin/env bash
# A relay's limits, ip rules, NIP-11 document and NIP-40 read options, each
# changed by its owner through the tenants API (PUT /tenant/relays/:id/config,
# the rules routes; NIP-98 from nostr-tools) and seen by a client through the
# nginx ingress within a second, without a restart; and the same change
# applied by a second relay-query replica (reached directly on its own port).
# The client side is js/relay_limits_e2e.mjs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"
JS="$(cd "$(dirname "$0")/js" && pwd)"

read -r ALICE ALICE_PK _ < <(token keygen)
read -r BOB BOB_PK _ < <(token keygen)
read -r CAROL CAROL_PK _ < <(token keygen)
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
# The purger must not run between two NIP-40 checks (they set what it keeps).
export EXPIRED_PURGE_INTERVAL=1h
platform_start || { echo "0 passed, 1 failed"; exit 1; }

# One relay per owner (the free plan allows one): A for NIP-11, the
# subscription and message bounds and NIP-40; B for connections and ip rules;
# C for the relay-wide subscription bound.
req "$ALICE" POST /tenant/relays '{"subdomain":"limits-a","name":"Limits A"}'
A="$(jget id)"
req "$BOB" POST /tenant/relays '{"subdomain":"limits-b"}'
B="$(jget id)"
req "$CAROL" POST /tenant/relays '{"subdomain":"limits-c"}'
C="$(jget id)"
check "three relays created" test -n "$A" -a -n "$B" -a -n "$C"
A_SELF="$(sql "SELECT relay_pubkey FROM relays WHERE id = '$A'")"

# --- a second relay-query replica, straight on its own port ---
start_second_replica

JS_OUT="$E2E_STATE/relay_limits_e2e.out"
HTTP_PORT="$HTTP_PORT" REPLICA2_PORT="$REPLICA2_PORT" RELAY_DOMAIN="$RELAY_DOMAIN" API_HOST="$MARINA_API_HOST" \
  ALICE="$ALICE" ALICE_PK="$ALICE_PK" BOB="$BOB" CAROL="$CAROL" A="$A" B="$B" C="$C" A_SELF="$A_SELF" \
  timeout 300 node "$JS/relay_limits_e2e.mjs" >"$JS_OUT" 2>&1
add_client_checks "$JS_OUT"

# --- every refusal is counted by reason ---
METRICS="$(curl -fsS "http://127.0.0.1:$MARINA_RELAY_QUERY_ADMIN_PORT/metrics")"
check "metrics: upgrades refused for a full relay" metric_positive 'marina_relay_query_connections_total{result="relay_full"}'
check "metrics: upgrades refused by ip rules" metric_positive 'marina_relay_query_connections_total{result="ip_blocked"}'
check "metrics: connections closed by an ip rule" metric_positive 'marina_relay_query_connections_closed_total{cause="ip_blocked"}'
for limit in max_subscriptions_per_client max_total_subscriptions max_message_length; do
  check "metrics: refusals by $limit" metric_positive "marina_relay_query_limit_refusals_total{limit=\"$limit\"}"
done

stop_replica2
finish
