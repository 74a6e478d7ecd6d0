#!/usr/bin/env bash
# The bad-input catalogue (js/bad_input.mjs): malformed, oversized and hostile
# requests from outside, each with the exact answer expected, through the real
# nginx ingress and, for callers that bypass it, straight to a service. Control
# characters and duplicate keys in JSON bodies, bodies over the limit (413,
# never 502), NIP-98 payload tags on a GET, admin routes (403 everywhere), a
# WebSocket frame announcing 2^62 bytes (1009), slow clients (408, close
# "too slow"), forwarded addresses from untrusted peers, and valid tokens from
# an address that sent 30 bad ones.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
JS="$(cd "$(dirname "$0")/js" && pwd)"

read -r ADMIN_SK ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
# Small bounds where the catalogue needs to reach them quickly (every service
# inherits the environment; the others are the defaults the probe met).
export RELAY_MAX_CONNECTIONS_PER_IP=4 RELAY_MAX_PENDING_BYTES=65536

platform_start || { echo "0 passed, 1 failed"; exit 1; }

OUT="$E2E_STATE/bad_input.out"
ADMIN_SK="$ADMIN_SK" HTTP_PORT="$HTTP_PORT" timeout 400 node "$JS/bad_input.mjs" >"$OUT" 2>&1
cat "$OUT"
PASSES=$((PASSES + $(grep -c '^ok ' "$OUT")))
FAILS=$((FAILS + $(grep -c '^FAIL ' "$OUT")))
check "the catalogue ran to its end" grep -q '^# .* passed' "$OUT"
check "no service answered 500 or crashed" bash -c "! grep -h '\"status\":500' '$E2E_STATE'/logs/{auth,tenants,billing,relay-query}.log"
finish
