#!/usr/bin/env bash
# Admin commands over Nostr (seed 004 "Admin API", issue #11) through the real
# nginx ingress, nostr-tools as the client (js/admin_commands.mjs: nip44.v2,
# finalizeEvent, a {"kinds":[23457],"#p":[me]} subscription, as the seed's
# JavaScript example): every command with the seed's response shapes, every
# error code (invalid_signature as relay-ingest's OK false, unauthorized,
# invalid_command, validation_failed, database_error, timeout), an admin
# named in admin_pubkeys, a non-admin, a replay executed once, 23456/23457
# never stored, the activity log, the replay guard table, and the `marina
# relays admin` CLI round trip.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"
JS="$(cd "$(dirname "$0")/js" && pwd)"
MARINA="$E2E_BUILD/tools/cli/marina"

read -r OWNER_SK OWNER_PK _ < <(token keygen)
read -r EXTRA_SK EXTRA_PK _ < <(token keygen)
read -r STRANGER_SK _ _ < <(token keygen)
read -r AUTHOR_SK _ _ < <(token keygen)
read -r _ BANNED_PK _ < <(token keygen)
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
# Connection counts reported every second (system_status), and a short
# command timeout so the timeout case below takes a second, not ten.
export RELAY_QUERY_PRESENCE_INTERVAL=1s ADMIN_COMMAND_TIMEOUT=1s
platform_start || { echo "0 passed, 1 failed"; exit 1; }

req "$OWNER_SK" POST /tenant/relays '{"subdomain":"adm","name":"Admin relay"}'
check "the owner creates a relay" status_is 201
RELAY_ID="$(jget id)"
RELAY_PK="$(jget relay_pubkey)"
HOST="adm.$RELAY_DOMAIN:$HTTP_PORT"
req "$OWNER_SK" PUT "/tenant/relays/$RELAY_ID/config" "{\"admin_pubkeys\":\"$EXTRA_PK\"}"
check "the owner names a second admin (admin_pubkeys)" status_is 200

# Four stored events by one author: three notes and a profile (stats_query).
publish_as_author() {
  (cd "$JS" && node --input-type=module -e '
    import("nostr-tools").then(({ finalizeEvent }) => {
      const sk = Uint8Array.from(Buffer.from(process.argv[1], "hex"));
      const e = finalizeEvent({ kind: Number(process.argv[2]), created_at: Math.floor(Date.now() / 1000) - 60,
                                tags: [], content: "stats " + Math.random() }, sk);
      console.log(JSON.stringify(e));
    })' "$AUTHOR_SK" "$1") | (cd "$JS" && node publish_one.mjs "$HTTP_PORT" "$HOST")
}
for kind in 1 1 1 0; do
  check "an author publishes a kind $kind event" test "$(publish_as_author "$kind")" = "true "
done

JS_OUT="$E2E_STATE/admin_commands.out"
REPLAY_FILE="$E2E_STATE/replayed.id"
(cd "$JS" && HTTP_PORT="$HTTP_PORT" HOST="$HOST" RELAY_PUBKEY="$RELAY_PK" OWNER_SK="$OWNER_SK" EXTRA_SK="$EXTRA_SK" \
  STRANGER_SK="$STRANGER_SK" AUTHOR_SK="$AUTHOR_SK" STORED=4 BANNED_PK="$BANNED_PK" REPLAY_FILE="$REPLAY_FILE" \
  timeout 300 node admin_commands.mjs suite) >"$JS_OUT" 2>&1
add_client_checks "$JS_OUT"

echo "# what the database shows"
REPLAYED="$(cat "$REPLAY_FILE" 2>/dev/null)"
check "the replayed command ran once: one admin_command row for its id" \
  test "$(sql "select count(*) from relay_activity where relay_id='$RELAY_ID' and action='admin_command' and details->>'request_id'='$REPLAYED'")" = 1
check "  and one rule it added (blacklist kind 30000)" \
  test "$(sql "select count(*) from relay_activity where relay_id='$RELAY_ID' and action='rule_added' and details->>'pattern_value'='30000'")" = 1
check "  its id is in the replay guard" \
  test "$(sql "select count(*) from admin_command_requests where relay_id='$RELAY_ID' and request_id='$REPLAYED'")" = 1
check "commands are in the activity log with who, what and the result" \
  test "$(sql "select count(*) from relay_activity where relay_id='$RELAY_ID' and action='admin_command' and actor_pubkey='$OWNER_PK' and actor_role='tenant' and details->>'via'='nostr' and details->>'command'='config_update' and details->>'result'='validation_failed'")" -ge 1
check "  the named admin's as relay_admin, and the rule it added under its own name" \
  test "$(sql "select count(*) from relay_activity where relay_id='$RELAY_ID' and actor_pubkey='$EXTRA_PK' and actor_role='relay_admin' and action in ('admin_command','rule_added')")" = 2
check "config_update wrote through the same store as the API (config_updated row)" \
  test "$(sql "select count(*) from relay_activity where relay_id='$RELAY_ID' and action='config_updated' and details ? 'relay_name'")" -ge 1
check "no kind 23456 or 23457 event is stored" test "$(sql "select count(*) from events where kind in (23456, 23457)")" = 0
req "$OWNER_SK" GET "/tenant/relays/$RELAY_ID/rules"
check "the rules the commands left are what the HTTP API lists" \
  test "$(jget 'data.length') $(jget 'data[0].pattern_value')" = "2 $EXTRA_PK"

send() { (cd "$JS" && HTTP_PORT="$HTTP_PORT" HOST="$HOST" RELAY_PUBKEY="$RELAY_PK" node admin_commands.mjs send "$@"); }
field() { node -e 'const r=JSON.parse(process.argv[1]); console.log(r[process.argv[2]] ?? "")' "$1" "$2"; }

echo "# timeout"
# The owner's tenant row held locked (as a long transaction would): the
# command's statements wait past ADMIN_COMMAND_TIMEOUT (1 s).
psql -qtA -h 127.0.0.1 -p "$MARINA_PG_PORT" -U postgres -d marina \
  -c "begin; select 1 from tenants where pubkey='$OWNER_PK' for update; select pg_sleep(6); commit;" >/dev/null &
LOCKER=$!
sleep 0.5
R="$(send "$OWNER_SK" '["config_update",[{"key":"relay_description","value":"slow"}]]')"
check "a command that waits past ADMIN_COMMAND_TIMEOUT: timeout" test "$(field "$R" error_code)" = timeout
wait "$LOCKER"
R="$(send "$OWNER_SK" '["config_query","relay_description"]')"
check "  and it changed nothing" test "$(node -e 'console.log(JSON.parse(process.argv[1]).data[0].value)' "$R")" = ""

echo "# database_error"
sql "alter table relay_auth_rules rename to relay_auth_rules_away" >/dev/null
R="$(send "$OWNER_SK" '["auth_query","all"]')"
sql "alter table relay_auth_rules_away rename to relay_auth_rules" >/dev/null
check "a failing statement: database_error, without the database's words" \
  test "$(field "$R" error_code)|$(grep -c relay_auth_rules <<<"$R")" = "database_error|0"

echo "# the marina CLI"
KEY_FILE="$E2E_STATE/owner.key"
(umask 077; echo "$OWNER_SK" >"$KEY_FILE")
OUT="$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$KEY_FILE" --json relays admin adm config_query relay_name 2>&1)"
check "marina relays admin adm config_query relay_name: the decrypted response" \
  test "$(node -e 'const r=JSON.parse(process.argv[1]); console.log(r.query_type+"|"+r.data[0].value)' "$OUT" 2>&1)" = "config_single|My Awesome Relay"
OUT="$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$KEY_FILE" relays admin adm blacklist pubkey "$BANNED_PK" 2>&1)"
check "marina relays admin adm blacklist pubkey ...: success" grep -q "Blacklist rule added successfully" <<<"$OUT"
OUT="$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$KEY_FILE" --json relays admin adm config_update relay_name='From the CLI' 2>&1)"
check "marina relays admin adm config_update KEY=VALUE: updated" \
  test "$(node -e 'const r=JSON.parse(process.argv[1]); console.log(r.status+"|"+r.data[0].value)' "$OUT" 2>&1)" = "success|From the CLI"
OUT="$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$KEY_FILE" relays admin adm nonsense 2>&1)"
check "an error response: exit status 1 and the error printed" \
  bash -c '[ "$1" != 0 ] && grep -q "invalid_command" <<<"$2"' _ "$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$KEY_FILE" relays admin adm nonsense >/dev/null 2>&1; echo $?)" "$OUT"
(umask 077; echo "$EXTRA_SK" >"$E2E_STATE/extra.key")
OUT="$("$MARINA" --api "http://$MARINA_API_HOST:$HTTP_PORT" --key-file "$E2E_STATE/extra.key" --json relays admin "ws://$HOST" stats_query 2>&1)"
check "a named admin reaches the relay by its URL (the key from NIP-11): stats_query" \
  test "$(node -e 'console.log(JSON.parse(process.argv[1]).total_events)' "$OUT" 2>&1)" = 4

METRICS="$(curl -fsS "http://127.0.0.1:$MARINA_TENANTS_ADMIN_PORT/metrics")"
for m in 'marina_tenants_admin_commands_total{outcome="success"}' 'marina_tenants_admin_commands_total{outcome="replay"}' \
         'marina_tenants_admin_commands_total{outcome="not_admin"}' 'marina_tenants_admin_commands_total{outcome="timeout"}'; do
  check "metrics: $m counted" metric_positive "$m"
done

finish
