#!/usr/bin/env bash
# The hosting API through the real nginx ingress with NIP-98 tokens from
# nostr-tools: the tenant routes and every relay rule (subdomains, plan limits,
# suspension, deactivation), isolation between tenants (404, never 403), the
# admin routes and role, pagination and status filters, activity snapshots,
# sealed relay secrets, no configuration rows at creation, published facts, a relay
# reachable right after its 201, and concurrent creation of one subdomain.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

read -r ALICE ALICE_PK ALICE_NPUB < <(token keygen)
read -r BOB BOB_PK _ < <(token keygen)
read -r ADMIN ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RESERVED_SUBDOMAINS="status,Billing"
export AUTH_FAILURES_PER_MINUTE=100000
# What `make run` should pass too (scripts/platform.sh does not yet): clients
# reach relays over plain ws:// on the local ingress port.
export RELAY_PUBLIC_SCHEME=ws

platform_start || { echo "0 passed, 1 failed"; exit 1; }
# Plans are rows of the `plans` table, read on every write.
sql "UPDATE plans SET max_relays = 2 WHERE id IN ('free', 'pro')" >/dev/null

echo "# GET /tenant"
req "$ALICE" GET /tenant
check "GET /tenant creates the caller's tenant" field_is pubkey "$ALICE_PK"
check "  with its npub" field_is npub "$ALICE_NPUB"
check "  active, no relays" bash -c "[ '$(jget status)' = active ] && [ '$(jget relays_count)' = 0 ]"
check "  and a created_at" bash -c "[[ '$(jget created_at)' =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T ]]"
call GET /tenant
check "without a token: 401 from the ingress" status_is 401
call_url GET "http://127.0.0.1:$MARINA_TENANTS_PORT/tenant"
check "straight to tenants without a passport: 401 passport-missing" problem 401 passport-missing

echo "# POST /tenant/relays"
req "$ALICE" POST /tenant/relays '{"subdomain":"Alpha-1","name":"Alpha","description":"first"}'
check "create answers 201" status_is 201
A1="$(jget id)"
check "  the subdomain is stored in lower case" field_is subdomain alpha-1
check "  url is ws://<subdomain>.<RELAY_DOMAIN>:<ingress port>" field_is url "ws://alpha-1.$RELAY_DOMAIN:$HTTP_PORT"
check "  owner is the caller" field_is tenant_pubkey "$ALICE_PK"
check "  name, description, default plan, status" \
  bash -c "[ '$(jget name)|$(jget description)|$(jget plan)|$(jget status)' = 'Alpha|first|free|active' ]"
check "  a relay pubkey (64 hex)" bash -c "[[ '$(jget relay_pubkey)' =~ ^[0-9a-f]{64}$ ]]"
check "  created_at and updated_at" bash -c "[ -n '$(jget created_at)' ] && [ -n '$(jget updated_at)' ]"
check "  Location header" test "$(header location)" = "/tenant/relays/$A1"
A1_PUBKEY="$(jget relay_pubkey)"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H 'Accept: application/nostr+json' \
  --resolve "alpha-1.$RELAY_DOMAIN:$HTTP_PORT:127.0.0.1" "http://alpha-1.$RELAY_DOMAIN:$HTTP_PORT/")"
check "the relay answers NIP-11 through the ingress right after the 201" test "$code" = 200
check "the secret key is sealed at rest (12-byte nonce + 32 + 16-byte tag), not the plain key" \
  test "$(sql "select length(relay_secret_enc) from relays where id='$A1'")" = 60
check "no configuration rows are written with the relay: every key starts at its default" \
  test "$(sql "select count(*) from relay_config where relay_id='$A1'")" = 0
check "an activity row was written with the relay" \
  test "$(sql "select action||'/'||plan||'/'||status||'/'||actor_pubkey from relay_activity where relay_id='$A1'")" \
       "=" "created/free/active/$ALICE_PK"
check "relay.created was published on marina:platform with the relay id" \
  bash -c "redis-cli -h 127.0.0.1 -p $MARINA_REDIS_PORT XRANGE marina:platform - + | grep -A6 -x relay.created | grep -qx '$A1'"

echo "# subdomain rules"
for bad in 'bad_name' 'sp ace' '-lead' 'trail-' '' 'ünï' 'a.b'; do
  req "$ALICE" POST /tenant/relays "{\"subdomain\":\"$bad\"}"
  check "'$bad': 400 subdomain-invalid" problem 400 subdomain-invalid
done
req "$ALICE" POST /tenant/relays "{\"subdomain\":\"$(printf 'a%.0s' $(seq 64))\"}"
check "64 characters: 400 subdomain-too-long" problem 400 subdomain-too-long
for reserved in api admin WWW status billing; do
  req "$ALICE" POST /tenant/relays "{\"subdomain\":\"$reserved\"}"
  check "'$reserved': 409 subdomain-reserved" problem 409 subdomain-reserved
done
req "$BOB" POST /tenant/relays '{"subdomain":"ALPHA-1"}'
check "another tenant taking 'ALPHA-1': 409 subdomain-taken" problem 409 subdomain-taken
req "$BOB" POST /tenant/relays '{"subdomain":7}'
check "a subdomain that is not a string: 400 subdomain-invalid" problem 400 subdomain-invalid
req "$BOB" POST /tenant/relays '{"subdomain":"ok-name","colour":"red"}'
check "an unknown field: 400 invalid-field" problem 400 invalid-field
req "$BOB" POST /tenant/relays 'not json'
check "a body that is not JSON: 400 invalid-json" problem 400 invalid-json
a63="$(printf 'b%.0s' $(seq 63))"
req "$BOB" POST /tenant/relays "{\"subdomain\":\"$a63\"}"
check "63 characters are allowed" status_is 201
B1="$(jget id)"

echo "# plan limits (plans free and pro: max_relays 2)"
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-2"}'
check "second free relay: 201" status_is 201
A2="$(jget id)"
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-3"}'
check "third free relay: 403 plan-limit-reached" problem 403 plan-limit-reached
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-3","plan":"gold"}'
check "an unknown plan: 400 plan-unknown" problem 400 plan-unknown
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-3","plan":"pro"}'
check "a relay on another plan: 201" field_is plan pro
A3="$(jget id)"

echo "# GET /tenant/relays, pagination and filter"
req "$ALICE" GET /tenant/relays
check "alice lists her three relays, oldest first" \
  test "$(jget 'items[0].id') $(jget 'items[1].id') $(jget 'items[2].id') $(jget 'items.length')" = "$A1 $A2 $A3 3"
check "  the last page has next_cursor null" field_is next_cursor ""
req "$ALICE" GET "/tenant/relays?limit=2"
check "limit=2 gives two and a cursor" test "$(jget 'items.length')" = 2 -a -n "$(jget next_cursor)"
CURSOR="$(jget next_cursor)"
req "$ALICE" GET "/tenant/relays?limit=2&cursor=$CURSOR"
check "the cursor gives the rest" test "$(jget 'items.length') $(jget 'items[0].id')" = "1 $A3"
req "$ALICE" GET "/tenant/relays?limit=0"
check "limit=0: 400 invalid-limit" problem 400 invalid-limit
req "$ALICE" GET "/tenant/relays?cursor=garbage"
check "a made-up cursor: 400 invalid-cursor" problem 400 invalid-cursor
req "$ALICE" GET "/tenant/relays?status=gone"
check "an unknown status filter: 400 invalid-status" problem 400 invalid-status
req "$ALICE" GET /tenant
check "GET /tenant counts her relays" field_is relays_count 3

echo "# GET/PUT /tenant/relays/:id"
req "$ALICE" GET "/tenant/relays/$A1"
check "get her relay" field_is relay_pubkey "$A1_PUBKEY"
req "$ALICE" PUT "/tenant/relays/$A1" '{"name":"Alpha One","description":"renamed"}'
check "update name and description" bash -c "[ '$(jget name)|$(jget description)' = 'Alpha One|renamed' ]"
req "$ALICE" PUT "/tenant/relays/$A1" '{"plan":"pro"}'
check "move to plan pro (its second and last slot)" field_is plan pro
req "$ALICE" PUT "/tenant/relays/$A2" '{"plan":"pro"}'
check "a third on pro is refused: 403 plan-limit-reached" problem 403 plan-limit-reached
req "$ALICE" PUT "/tenant/relays/$A1" '{"status":"suspended"}'
check "a tenant cannot set status through PUT: 400 invalid-field" problem 400 invalid-field
req "$ALICE" PUT "/tenant/relays/$A1" '{"name":5}'
check "a name that is not a string: 400 invalid-field" problem 400 invalid-field
req "$ALICE" GET "/tenant/relays/00000000-0000-0000-0000-000000000000"
check "an unknown id: 404 relay-not-found" problem 404 relay-not-found
req "$ALICE" GET "/tenant/relays/not-a-uuid"
check "a malformed id: 404 relay-not-found" problem 404 relay-not-found

echo "# DELETE (deactivate) and reactivate"
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-4"}'
check "a second free relay next to alpha-2: 201" status_is 201
A4="$(jget id)"
req "$ALICE" DELETE "/tenant/relays/$A2"
check "delete deactivates: status inactive" field_is status inactive
req "$ALICE" GET "/tenant/relays/$A2"
check "  the relay is kept" field_is status inactive
req "$ALICE" GET "/tenant/relays?status=inactive"
check "status=inactive lists just it" test "$(jget 'items.length') $(jget 'items[0].id')" = "1 $A2"
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-2"}'
check "its subdomain stays taken: 409 subdomain-taken" problem 409 subdomain-taken
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-5"}'
check "an inactive relay frees its plan slot: 201" status_is 201
req "$ALICE" POST "/tenant/relays/$A2/reactivate"
check "reactivating beyond the plan limit: 403 plan-limit-reached" problem 403 plan-limit-reached
req "$ALICE" DELETE "/tenant/relays/$A4"
check "deactivate alpha-4" field_is status inactive
req "$ALICE" POST "/tenant/relays/$A2/reactivate"
check "reactivate alpha-2: active again" field_is status active
req "$ALICE" POST "/tenant/relays/$A2/reactivate"
check "reactivating an active relay changes nothing: 200 active" field_is status active

echo "# activity"
req "$ALICE" GET "/tenant/relays/$A1/activity"
check "created, updated, updated (oldest first)" \
  test "$(jget 'items[0].action') $(jget 'items[1].action') $(jget 'items[2].action') $(jget 'items.length')" = "created updated updated 3"
check "  each with the plan at that moment" \
  test "$(jget 'items[0].plan') $(jget 'items[1].plan') $(jget 'items[2].plan')" = "free free pro"
check "  who did it" test "$(jget 'items[1].actor_pubkey') $(jget 'items[1].actor_role')" = "$ALICE_PK tenant"
check "  what changed" field_is 'items[2].details.plan.to' pro
req "$ALICE" GET "/tenant/relays/$A2/activity?limit=2"
check "activity pages: two, then the rest" test "$(jget 'items.length') $(jget 'items[1].action')" = "2 deactivated"
req "$ALICE" GET "/tenant/relays/$A2/activity?cursor=$(jget next_cursor)"
check "  ... reactivated with status active" test "$(jget 'items[0].action') $(jget 'items[0].status')" = "reactivated active"

echo "# isolation: bob never sees or touches alice's relays (404, not 403)"
req "$BOB" GET "/tenant/relays/$A1"
check "bob GET alice's relay: 404" problem 404 relay-not-found
req "$BOB" PUT "/tenant/relays/$A1" '{"name":"mine"}'
check "bob PUT alice's relay: 404" problem 404 relay-not-found
req "$BOB" DELETE "/tenant/relays/$A1"
check "bob DELETE alice's relay: 404" problem 404 relay-not-found
req "$BOB" POST "/tenant/relays/$A2/reactivate"
check "bob reactivate alice's relay: 404" problem 404 relay-not-found
req "$BOB" GET "/tenant/relays/$A1/activity"
check "bob reads alice's activity: 404" problem 404 relay-not-found
req "$BOB" GET /tenant/relays
check "bob's list has only his relay" test "$(jget 'items.length') $(jget 'items[0].id')" = "1 $B1"
req "$ALICE" GET "/tenant/relays/$A1"
check "alice's relay is unchanged by bob" field_is name "Alpha One"

echo "# admin routes"
for route in "GET /admin/tenants" "GET /admin/tenants/$ALICE_PK" "PUT /admin/tenants/$ALICE_PK" \
             "GET /admin/relays" "GET /admin/relays/$A1" "PUT /admin/relays/$A1" "DELETE /admin/relays/$A1"; do
  set -- $route
  body=""; [ "$1" = PUT ] && body='{"status":"suspended"}'
  req "$BOB" "$1" "$2" "$body"
  check "a tenant on $1 ${2:0:22}: 403 admin-required" problem 403 admin-required
done
req "$ALICE" GET "/tenant/relays/$A1"
check "  and nothing changed" field_is status active
req "$ADMIN" GET /admin/tenants
check "admin lists tenants (alice, bob)" bash -c "grep -q '$ALICE_PK' <<<'$BODY' && grep -q '$BOB_PK' <<<'$BODY'"
req "$ADMIN" GET "/admin/tenants?limit=1"
first="$(jget 'items[0].pubkey')"; cursor="$(jget next_cursor)"
req "$ADMIN" GET "/admin/tenants?limit=1&cursor=$cursor"
check "tenants page by cursor" bash -c "[ -n '$cursor' ] && [ '$(jget 'items[0].pubkey')' != '$first' ]"
req "$ADMIN" GET "/admin/tenants/$ALICE_PK"
check "tenant detail with its relays" test "$(jget pubkey) $(jget 'relays.length')" = "$ALICE_PK 5"
req "$ADMIN" GET "/admin/tenants/$(printf 'f%.0s' $(seq 64))"
check "an unknown tenant: 404 tenant-not-found" problem 404 tenant-not-found
req "$ADMIN" GET /admin/relays
check "admin lists every tenant's relays" bash -c "grep -q '$A1' <<<'$BODY' && grep -q '$B1' <<<'$BODY'"
req "$ADMIN" GET "/admin/relays?status=inactive"
check "filtered by status" test "$(jget 'items.length') $(jget 'items[0].subdomain')" = "1 alpha-4"
req "$ADMIN" GET "/admin/relays/$B1"
check "admin gets any relay" field_is tenant_pubkey "$BOB_PK"

echo "# suspension"
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"suspended"}'
check "admin suspends alice" field_is status suspended
req "$ADMIN" GET "/admin/tenants?status=suspended"
check "status=suspended lists alice" test "$(jget 'items.length') $(jget 'items[0].pubkey')" = "1 $ALICE_PK"
req "$ALICE" GET /tenant/relays
check "a suspended tenant can still read" status_is 200
req "$ALICE" POST /tenant/relays '{"subdomain":"alpha-6","plan":"pro"}'
check "  but not create: 403 tenant-suspended" problem 403 tenant-suspended
req "$ALICE" PUT "/tenant/relays/$A1" '{"name":"x"}'
check "  nor change: 403 tenant-suspended" problem 403 tenant-suspended
req "$ALICE" DELETE "/tenant/relays/$A1"
check "  nor deactivate: 403 tenant-suspended" problem 403 tenant-suspended
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"active"}'
check "admin lifts the suspension" field_is status active
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"gone"}'
check "an unknown tenant status: 400 invalid-status" problem 400 invalid-status
req "$ADMIN" PUT "/admin/relays/$A1" '{"status":"suspended","reason":"spam"}'
check "admin suspends a relay" test "$(jget status) $(jget status_reason)" = "suspended spam"
req "$ALICE" PUT "/tenant/relays/$A1" '{"name":"x"}'
check "the owner cannot change a suspended relay: 403 relay-suspended" problem 403 relay-suspended
req "$ALICE" POST "/tenant/relays/$A1/reactivate"
check "  nor reactivate it: 403 relay-suspended" problem 403 relay-suspended
req "$ADMIN" PUT "/admin/relays/$A1" '{"status":"active","plan":"free","name":"Alpha by admin"}'
check "admin reactivates and edits it" test "$(jget status) $(jget plan)" = "active free"
req "$ADMIN" DELETE "/admin/relays/$B1"
check "admin deactivates bob's relay" field_is status inactive
req "$ADMIN" GET /admin/relays/00000000-0000-0000-0000-000000000000
check "admin: unknown relay 404" problem 404 relay-not-found
req "$ALICE" GET "/tenant/relays/$A1/activity"
check "admin writes (the tenant's suspension too) are in the owner's activity with the admin as actor" \
  bash -c "node -e 'const j=JSON.parse(process.argv[1]);const s=j.items.filter(a=>a.actor_role===\"admin\").map(a=>a.action+\":\"+a.status).join(\",\");process.exit(s===\"tenant_suspended:active,tenant_reactivated:active,suspended:suspended,reactivated:active\"?0:1)' '$BODY'"
facts="$(redis XRANGE marina:platform - + | grep -x 'relay\.[a-z]*\|tenant\.[a-z]*' | sort -u | tr '\n' ' ')"
check "every kind of change published its fact" \
  test "$facts" = "relay.created relay.deactivated relay.reactivated relay.suspended relay.updated tenant.updated "

echo "# concurrent creation of one subdomain: exactly one wins"
RACE_DIR="$(mktemp -d)"
for i in $(seq 1 8); do
  read -r sk _ _ < <(token keygen)
  url="$(api_url /tenant/relays)"; body='{"subdomain":"contested"}'
  echo "$(token token --key "$sk" --url "$url" --method POST --payload-of "$body")" >"$RACE_DIR/token$i"
done
RACE_PIDS=()
for i in $(seq 1 8); do
  curl -s -o "$RACE_DIR/body$i" -w '%{http_code}\n' -X POST --resolve "$MARINA_API_HOST:$HTTP_PORT:127.0.0.1" \
    -H "Authorization: $(cat "$RACE_DIR/token$i")" -H 'Content-Type: application/json' \
    --data-binary '{"subdomain":"contested"}' "$(api_url /tenant/relays)" >"$RACE_DIR/status$i" &
  RACE_PIDS+=($!)
done
wait "${RACE_PIDS[@]}"
wins="$(cat "$RACE_DIR"/status* | tr ' ' '\n' | grep -c '^201$')"
taken="$(grep -l "\"code\": *\"subdomain-taken\"" "$RACE_DIR"/body* | wc -l)"
check "8 tenants at once: one 201, seven 409 subdomain-taken" test "$wins $taken" = "1 7"
check "  and one row in the database" test "$(sql "select count(*) from relays where subdomain='contested'")" = 1
rm -rf "$RACE_DIR"

echo "# nothing secret in the logs"
check "no relay secret or master key in any service log" \
  bash -c "! grep -rqi -e \"\$(grep MASTER_KEY '$E2E_STATE/secrets.env' | cut -d= -f2)\" '$E2E_STATE/logs'"

finish
