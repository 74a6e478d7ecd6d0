#!/usr/bin/env bash
# NIP-42 through the real nginx ingress, nostr-tools as the client
# (js/nip42.mjs: nip42.makeAuthEvent, nip59 gift wraps): the challenge on
# connect, AUTH accepted, refused for a wrong relay URL, a replayed event and
# an expired challenge; several pubkeys per connection; direct-message privacy
# (kinds 4 and 1059, stored, counted, live); NIP-70 with and without AUTH; and
# nip42_auth_required, nip42_auth_required_kinds and nip42_challenge_timeout
# changed by the owner through PUT /tenant/relays/:id/config (NIP-98), each
# seen on open connections within a second. Then the metrics.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"
JS="$(cd "$(dirname "$0")/js" && pwd)"

read -r OWNER_SK _ _ < <(token keygen)
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
platform_start || { echo "0 passed, 1 failed"; exit 1; }

req "$OWNER_SK" POST /tenant/relays '{"subdomain":"nip42","name":"NIP-42"}'
check "the owner creates a relay" status_is 201
RELAY_ID="$(jget id)"

JS_OUT="$E2E_STATE/nip42.out"
HTTP_PORT="$HTTP_PORT" RELAY_DOMAIN="$RELAY_DOMAIN" MARINA_API_HOST="$MARINA_API_HOST" SUBDOMAIN=nip42 \
  RELAY_ID="$RELAY_ID" OWNER_SK="$OWNER_SK" timeout 120 node "$JS/nip42.mjs" >"$JS_OUT" 2>&1
add_client_checks "$JS_OUT"

METRICS="$(curl -fsS "http://127.0.0.1:$MARINA_RELAY_QUERY_ADMIN_PORT/metrics")"
metric_positive() { awk -v m="$1" 'index($0, m) == 1 && $NF + 0 > 0 { found = 1 } END { exit !found }' <<<"$METRICS"; }
for m in 'marina_relay_query_auth_total{result="accepted"}' 'marina_relay_query_auth_total{result="wrong_relay"}' \
         'marina_relay_query_auth_total{result="expired"}' 'marina_relay_query_auth_total{result="reused"}' \
         'marina_relay_query_auth_required_total{verb="REQ"}' 'marina_relay_query_auth_required_total{verb="COUNT"}' \
         'marina_relay_query_auth_required_total{verb="EVENT"}' \
         'marina_relay_query_private_events_withheld_total{source="stored"}' \
         'marina_relay_query_private_events_withheld_total{source="live"}' \
         'marina_relay_query_oks_total{result="auth_required"}'; do
  check "metrics: $m counted" metric_positive "$m"
done

finish
