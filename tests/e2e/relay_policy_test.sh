#!/usr/bin/env bash
# A relay's policy through the real nginx ingress with NIP-98 tokens from
# nostr-tools: the configuration document (every catalogue key, typed, with
# ranges lowered to the plan's caps), multi-key updates applied all or none,
# type and range refusals naming the key, the value and the range, plan
# ceilings, auth rules (create, list, duplicates, removal, the whitelist cap),
# isolation between tenants (404), the admin reads, the activity rows, the
# facts on marina:platform, and the `marina relays config|rules` commands.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

MARINA="$E2E_BUILD/tools/cli/marina"
[ -x "$MARINA" ] || { echo "$MARINA is not built"; echo "0 passed, 1 failed"; exit 1; }
WORK="$(mktemp -d)"
read -r ALICE ALICE_PK _ < <(token keygen)
read -r BOB BOB_PK _ < <(token keygen)
read -r ADMIN ADMIN_PK _ < <(token keygen)
read -r _ CAROL_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
platform_start || { echo "0 passed, 1 failed"; exit 1; }

# detail_names WORD...: the last problem's detail contains every word.
detail_names() {
  local detail; detail="$(json detail)"
  for w in "$@"; do grep -qF -- "$w" <<<"$detail" || { echo "    '$w' not in: $detail"; return 1; }; done
}
# problem_naming STATUS CODE WORD...: that problem, its detail naming every word.
problem_naming() { problem "$1" "$2" && shift 2 && detail_names "$@"; }
# entry KEY FIELD: a field of one key's entry in the last configuration document.
entry() { jget "data" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s).find(x=>x.key===process.argv[1]);const v=e?.[process.argv[2]];console.log(v===undefined?"<none>":v)})' "$1" "$2"; }

req "$ALICE" POST /tenant/relays '{"subdomain":"policy-a","name":"Policy A"}'
A="$(jget id)"
req "$BOB" POST /tenant/relays '{"subdomain":"policy-b"}'
B="$(jget id)"

echo "# GET /tenant/relays/:id/config"
req "$ALICE" GET "/tenant/relays/$A/config"
check "200 with every catalogue key (29)" test "$STATUS $(jget 'data.length')" = "200 29"
check "  relay_name defaults to the relay's name, as a string entry of category relay" \
  test "$(entry relay_name value)|$(entry relay_name data_type)|$(entry relay_name category)" = "Policy A|string|relay"
check "  booleans and integers are strings too, with their type" \
  test "$(entry auth_enabled value)|$(entry auth_enabled data_type)|$(entry max_event_tags data_type)" = "false|boolean|integer"
check "  integers and pow_mode have a range; strings have none" \
  test "$(entry max_event_tags range)|$(entry pow_mode range)|$(entry relay_name range)" = "10-10000|disabled/optional/required|<none>"
check "  the free plan lowers max_connections to its cap (value and range)" \
  test "$(entry max_connections value)|$(entry max_connections range)" = "100|1-100"
every_entry_described() { node -e 'process.exit(JSON.parse(process.argv[1]).data.every(e=>e.description)?0:1)' "$BODY"; }
check "  every entry has a description" every_entry_described

echo "# PUT /tenant/relays/:id/config"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"relay_name":"My relay","max_content_length":100,"auth_enabled":true,"nip42_auth_required_kinds":"1059, 4"}'
check "three keys in natural JSON types: 200 with the new document" \
  test "$STATUS|$(entry relay_name value)|$(entry max_content_length value)|$(entry auth_enabled value)" = "200|My relay|100|true"
check "  a list is stored canonical (sorted)" test "$(entry nip42_auth_required_kinds value)" = "4,1059"
check "  the rows are in relay_config" \
  test "$(sql "select string_agg(key||'='||value, ',' order by key) from relay_config where relay_id='$A'")" \
       = "auth_enabled=true,max_content_length=100,nip42_auth_required_kinds=4,1059,relay_name=My relay"
req "$ALICE" GET "/tenant/relays/$A/config"
check "  and GET shows them" test "$(entry max_content_length value)" = 100
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_event_tags":"50","nip40_expiration_strict":"false"}'
check "integers and booleans may come as their text" \
  test "$(entry max_event_tags value)|$(entry nip40_expiration_strict value)" = "50|false"

echo "# refusals name the key, the value and the range"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_content_length":"abc"}'
check "a string for an integer: 400 config-invalid" problem 400 config-invalid
check "  naming max_content_length, \"abc\" and 1-1048576" detail_names max_content_length '"abc"' 1-1048576
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_event_tags":5}'
check "below the range: 400 config-invalid" problem 400 config-invalid
check "  naming max_event_tags, 5 and 10-10000" detail_names max_event_tags ' 5 ' 10-10000
req "$ALICE" PUT "/tenant/relays/$A/config" '{"pow_min_difficulty":41}'
check "above the range: naming pow_min_difficulty, 41 and 0-40" detail_names pow_min_difficulty 41 0-40
req "$ALICE" PUT "/tenant/relays/$A/config" '{"auth_enabled":1}'
check "a number for a boolean: 400 naming auth_enabled and true or false" \
  problem_naming 400 config-invalid auth_enabled 'true or false'
req "$ALICE" PUT "/tenant/relays/$A/config" '{"pow_mode":"sometimes"}'
check "a choice outside its values: naming pow_mode and disabled/optional/required" \
  detail_names pow_mode sometimes disabled/optional/required
req "$ALICE" PUT "/tenant/relays/$A/config" '{"relay_name":7}'
check "a number for a string: 400 config-invalid" problem 400 config-invalid
req "$ALICE" PUT "/tenant/relays/$A/config" '{"relay_port":80}'
check "an unknown key: 400 config-invalid naming it" problem_naming 400 config-invalid relay_port
req "$ALICE" PUT "/tenant/relays/$A/config" '[1,2]'
check "a body that is not an object: 400 config-invalid" problem 400 config-invalid

echo "# all or nothing"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"relay_name":"Should not stick","payments_url":"https://pay.example","max_event_tags":5}'
check "one bad key among good ones: 400 config-invalid" problem 400 config-invalid
req "$ALICE" GET "/tenant/relays/$A/config"
check "  and none of them was applied" \
  test "$(entry relay_name value)|$(entry payments_url value)|$(entry max_event_tags value)" = "My relay||50"

echo "# plan ceilings"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"relay_name":"Capped","max_connections":500}'
check "max_connections above the free plan's cap: 403 plan-ceiling" problem 403 plan-ceiling
check "  stating the cap and the plan" detail_names max_connections 500 "plan 'free'" "(100)"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_total_subscriptions":2000}'
check "max_total_subscriptions above the free plan's 1000: 403 plan-ceiling" problem 403 plan-ceiling
req "$ALICE" GET "/tenant/relays/$A/config"
check "  nothing was applied" test "$(entry relay_name value)" = "My relay"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_connections":100}'
check "at the cap: 200" test "$STATUS $(entry max_connections value)" = "200 100"
req "$ALICE" PUT "/tenant/relays/$A" '{"plan":"pro"}'
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_connections":500}'
check "on plan pro 500 connections are allowed, the range shows pro's cap" \
  test "$STATUS $(entry max_connections value) $(entry max_connections range)" = "200 500 1-1000"
req "$ALICE" PUT "/tenant/relays/$A/config" '{"max_connections":null}'
check "null puts a key back to its default (1000 under pro)" test "$STATUS $(entry max_connections value)" = "200 1000"

echo "# auth rules"
req "$ALICE" POST "/tenant/relays/$A/rules" "{\"rule_type\":\"blacklist\",\"pattern_type\":\"pubkey\",\"pattern_value\":\"$CAROL_PK\"}"
check "POST a blacklist rule: 201" status_is 201
R1="$(jget id)"
check "  with the rule and its action" \
  test "$(jget rule_type)|$(jget pattern_type)|$(jget pattern_value)|$(jget action)" = "blacklist|pubkey|$CAROL_PK|deny"
check "  a created_at and a Location" bash -c "[ -n '$(jget created_at)' ] && [ '$(header location)' = '/tenant/relays/$A/rules/$R1' ]"
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"blacklist","pattern_type":"ip","pattern_value":"10.1.2.3/8"}'
check "an ip network is stored canonical" test "$STATUS $(jget pattern_value)" = "201 10.0.0.0/8"
R2="$(jget id)"
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"whitelist","pattern_type":"kind","pattern_value":1}'
check "a kind as a JSON integer: 201 allow" test "$STATUS $(jget pattern_value) $(jget action)" = "201 1 allow"
req "$ALICE" POST "/tenant/relays/$A/rules" "{\"rule_type\":\"blacklist\",\"pattern_type\":\"pubkey\",\"pattern_value\":\"$CAROL_PK\"}"
check "the same rule again: 409 rule-exists" problem 409 rule-exists
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"blacklist","pattern_type":"pubkey","pattern_value":"ABC"}'
check "a pubkey that is not 64 lower-case hex: 400 rule-invalid" problem 400 rule-invalid
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"blacklist","pattern_type":"kind","pattern_value":"65536"}'
check "a kind above 65535: 400 rule-invalid" problem 400 rule-invalid
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"blacklist","pattern_type":"ip","pattern_value":"300.1.1.1"}'
check "an address that is not one: 400 rule-invalid" problem 400 rule-invalid
req "$ALICE" POST "/tenant/relays/$A/rules" '{"rule_type":"greylist","pattern_type":"kind","pattern_value":"1"}'
check "an unknown rule type: 400 rule-invalid" problem 400 rule-invalid
req "$ALICE" GET "/tenant/relays/$A/rules"
check "GET lists the three rules, oldest first" \
  test "$(jget 'data.length') $(jget 'data[0].id') $(jget 'data[1].pattern_value')" = "3 $R1 10.0.0.0/8"
req "$ALICE" DELETE "/tenant/relays/$A/rules/$R2"
check "DELETE a rule: 204" status_is 204
req "$ALICE" DELETE "/tenant/relays/$A/rules/$R2"
check "  again: 404 rule-not-found" problem 404 rule-not-found
req "$ALICE" DELETE "/tenant/relays/$A/rules/nonsense"
check "a malformed rule id: 404 rule-not-found" problem 404 rule-not-found
req "$ALICE" GET "/tenant/relays/$A/rules"
check "  two rules left" test "$(jget 'data.length')" = 2

echo "# the plan caps the whitelist"
sql "UPDATE plans SET max_whitelist_rules = 2 WHERE id = 'pro'" >/dev/null
req "$ALICE" POST "/tenant/relays/$A/rules" "{\"rule_type\":\"whitelist\",\"pattern_type\":\"pubkey\",\"pattern_value\":\"$ALICE_PK\"}"
check "the second whitelist rule fits pro's (lowered) cap of 2" status_is 201
req "$ALICE" POST "/tenant/relays/$A/rules" "{\"rule_type\":\"whitelist\",\"pattern_type\":\"pubkey\",\"pattern_value\":\"$BOB_PK\"}"
check "a third: 403 plan-ceiling" problem 403 plan-ceiling
check "  stating the cap and the plan" detail_names "'pro'" "2 whitelist rules"
req "$ALICE" POST "/tenant/relays/$A/rules" "{\"rule_type\":\"blacklist\",\"pattern_type\":\"pubkey\",\"pattern_value\":\"$BOB_PK\"}"
check "  blacklist rules are not capped" status_is 201

echo "# isolation: bob never sees or touches alice's policy (404)"
while IFS='|' read -r method path body; do
  req "$BOB" "$method" "$path" "$body" </dev/null
  check "bob $method ${path#/tenant/relays/$A}: 404 relay-not-found" problem 404 relay-not-found
done <<ROUTES
GET|/tenant/relays/$A/config|
PUT|/tenant/relays/$A/config|{"auth_enabled":false}
GET|/tenant/relays/$A/rules|
POST|/tenant/relays/$A/rules|{"rule_type":"blacklist","pattern_type":"kind","pattern_value":"1"}
DELETE|/tenant/relays/$A/rules/$R1|
ROUTES
req "$BOB" DELETE "/tenant/relays/$B/rules/$R1"
check "bob DELETE alice's rule through his own relay: 404 rule-not-found" problem 404 rule-not-found
req "$ALICE" GET "/tenant/relays/$A/config"
check "alice's config is unchanged by bob" test "$(entry auth_enabled value)" = true

echo "# admin reads"
req "$ADMIN" GET "/admin/relays/$B/config"
check "admin reads bob's config" test "$STATUS $(jget 'data.length')" = "200 29"
req "$ADMIN" GET "/admin/relays/$A/rules"
check "admin reads alice's rules" test "$STATUS $(jget 'data.length')" = "200 4"
req "$BOB" GET "/admin/relays/$A/config"
check "a tenant on the admin config route: 403 admin-required" problem 403 admin-required
req "$BOB" GET "/admin/relays/$A/rules"
check "a tenant on the admin rules route: 403 admin-required" problem 403 admin-required
req "$ADMIN" GET "/admin/relays/00000000-0000-0000-0000-000000000000/config"
check "admin: an unknown relay is 404" problem 404 relay-not-found

echo "# activity and facts"
req "$ALICE" GET "/tenant/relays/$A/activity?limit=200"
acts="$(node -e 'console.log(JSON.parse(process.argv[1]).items.map(a=>a.action).filter(a=>/^(config|rule)/.test(a)).join(" "))' "$BODY")"
check "every change is in the activity: config_updated x5, rule_added x3, rule_removed, rule_added x2" \
  test "$acts" = "config_updated config_updated config_updated config_updated config_updated rule_added rule_added rule_added rule_removed rule_added rule_added"
first_config="$(node -e 'const a=JSON.parse(process.argv[1]).items.find(a=>a.action==="config_updated");console.log(a.details.max_content_length.from+"->"+a.details.max_content_length.to+" "+a.actor_pubkey)' "$BODY")"
check "  with what changed and who changed it" test "$first_config" = "102400->100 $ALICE_PK"
removed="$(node -e 'const a=JSON.parse(process.argv[1]).items.find(a=>a.action==="rule_removed");console.log(a.details.pattern_value+" "+a.details.rule_type)' "$BODY")"
check "  a removed rule is named in its row" test "$removed" = "10.0.0.0/8 blacklist"
stream="$(redis XRANGE marina:platform - +)"
count_fact() { grep -A6 -x "$1" <<<"$stream" | grep -cx "$A"; }
check "relay.config_changed published on marina:platform for each config change (5)" test "$(count_fact relay.config_changed)" = 5
check "relay.auth_rules_changed published for each rule change (6)" test "$(count_fact relay.auth_rules_changed)" = 6
first_fact_keys() {
  grep -A6 -x relay.config_changed <<<"$stream" | grep -m1 -F '"keys"' \
    | grep -qxF '{"keys":["auth_enabled","max_content_length","nip42_auth_required_kinds","relay_name"]}'
}
check "  a config fact names the changed keys" first_fact_keys

echo "# marina relays config|rules"
API="http://$MARINA_API_HOST:$HTTP_PORT"
m() {
  OUT="$(HOME="$WORK/home" MARINA_API="$API" "$MARINA" "$@" 2>"$WORK/err")"; RC=$?
  ERR="$(cat "$WORK/err")"
}
out_field() { BODY="$OUT" jget "$1"; }
m key import "$ALICE"
m relays config get policy-a max_content_length
check "config get <subdomain> KEY prints the value" test "$RC $OUT" = "0 100"
m relays config get "$A" --json
check "config get <id> --json: the document" test "$RC $(out_field 'data.length')" = "0 29"
m relays config get policy-a
config_table() { head -1 <<<"$OUT" | grep -q '^KEY  *VALUE  *TYPE  *RANGE' && grep -q '^relay_name  *My relay' <<<"$OUT"; }
check "config get: a table" config_table
m relays config set policy-a relay_name="From the CLI" auth_enabled=false max_event_tags=60 --json
check "config set KEY=VALUE... applies them (text read as each key's type)" \
  test "$RC $(BODY="$OUT" entry relay_name value)|$(BODY="$OUT" entry auth_enabled value)|$(BODY="$OUT" entry max_event_tags value)" \
       = "0 From the CLI|false|60"
m relays config set policy-a relay_name=Nope max_event_tags=1
check "a refused set exits 1 with config-invalid and changes nothing" \
  bash -c "[ $RC = 1 ] && grep -q 'config-invalid: max_event_tags' <<<'$ERR'"
m relays config get policy-a relay_name
check "  relay_name kept" test "$OUT" = "From the CLI"
m relays config reset policy-a relay_name --json
check "config reset KEY: back to the default" test "$(BODY="$OUT" entry relay_name value)" = "Policy A"
m relays config set policy-a max_connections=5000
check "a set above the plan's cap exits 1 with plan-ceiling" bash -c "[ $RC = 1 ] && grep -q 'plan-ceiling' <<<'$ERR'"
m relays rules add policy-a blacklist kind 4 --json
check "rules add: the rule" test "$RC $(out_field pattern_value) $(out_field action)" = "0 4 deny"
RULE="$(out_field id)"
m relays rules list policy-a
check "rules list: a table with it" bash -c "head -1 <<<'$OUT' | grep -q '^ID  *TYPE' && grep -q '^$RULE  *blacklist  *kind  *4' <<<'$OUT'"
m relays rules add policy-a blacklist kind 4
check "the same rule again exits 1 with rule-exists" bash -c "[ $RC = 1 ] && grep -q rule-exists <<<'$ERR'"
m relays rules remove policy-a "$RULE"
check "rules remove" test "$RC $OUT" = "0 removed rule $RULE"
m relays rules list "$A" --json
check "  and it is gone" bash -c "! grep -q '\"id\": $RULE,' <<<'$OUT'"
m relays config get policy-b
check "another tenant's subdomain is not found" bash -c "[ $RC = 1 ] && grep -q 'no relay with id or subdomain' <<<'$ERR'"

rm -rf "$WORK"
finish
