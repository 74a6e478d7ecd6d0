#!/usr/bin/env bash
# NIP-86, the relay management API, through the real nginx ingress with an
# independent client (js/nip86.mjs, nostr-tools): every method, a non-admin
# refused, a bad or missing payload hash refused, replays refused, banned
# events gone and refused, the three doors agreeing (NIP-86 and the hosting
# API see the same rules and configuration), and the audit log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

read -r OWNER OWNER_PK _ < <(token keygen)
read -r EXTRA EXTRA_PK _ < <(token keygen)
read -r STRANGER _ _ < <(token keygen)
read -r ADMIN ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
platform_start || { echo "0 passed, 1 failed"; exit 1; }

req "$OWNER" POST /tenant/relays '{"subdomain":"nip86-a","name":"NIP-86 relay"}'
check "the relay is created" test "$STATUS" = 201
RELAY_ID="$(jget id)"
req "$OWNER" PUT "/tenant/relays/$RELAY_ID/config" "{\"admin_pubkeys\":\"$EXTRA_PK\"}"
check "the owner names a second admin (admin_pubkeys)" test "$STATUS" = 200

OUT="$(mktemp)"
node "$AUTH_JS/nip86.mjs" "$HTTP_PORT" "nip86-a.$RELAY_DOMAIN" "$MARINA_API_HOST" "$RELAY_ID" \
  "$OWNER" "$EXTRA" "$STRANGER" >"$OUT" 2>&1
add_client_checks "$OUT"
rm -f "$OUT"

echo "# the platform admins read any relay's audit log"
req "$ADMIN" GET "/admin/relays/$RELAY_ID/activity?limit=200"
audit_has_nip86_rows() {
  node -e 'const j = JSON.parse(process.argv[1]);
    const n = j.items.filter((a) => a.door === "nip86");
    process.exit(n.some((a) => a.result === "ok") && n.some((a) => a.result.startsWith("error:")) ? 0 : 1)' "$BODY"
}
check "GET /admin/relays/:id/activity: 200 with the NIP-86 rows, door and result" audit_has_nip86_rows
req "$OWNER" GET "/admin/relays/$RELAY_ID/activity"
check "  and the owner is not a platform admin there (403 admin-required)" problem 403 admin-required

echo "# what the database holds"
check "the rules the three doors left are the relay's rows: a banned pubkey, a blocked network, a blacklisted pubkey" \
  test "$(sql "select string_agg(rule_type || ' ' || pattern_type, ',' order by id) from relay_auth_rules where relay_id = '$RELAY_ID'")" \
       = "blacklist pubkey,blacklist ip,blacklist pubkey"
check "no ban is left after allowevent" \
  test "$(sql "select count(*) from relay_banned_events where relay_id = '$RELAY_ID'")" = 0
sleep 2.5  # relay-query writes its activity log every RELAY_QUERY_ACTIVITY_LOG_FLUSH (2 s)
check "relay-query logged the client's subscriptions and the relay's broadcasts (sql_query's subscription_events)" \
  test "$(sql "select count(*) filter (where event_type = 'created') >= 2 and count(*) filter (where event_type = 'disconnected') >= 1 from relay_subscription_log where relay_id = '$RELAY_ID'")" = t
check "the audit rows of NIP-86 are door nip86" \
  test "$(sql "select count(*) > 5 from relay_activity where relay_id = '$RELAY_ID' and door = 'nip86'")" = t
finish
