#!/usr/bin/env bash
# Each relay's EVENT policy, live, through the real nginx ingress: every key
# is changed with PUT /tenant/relays/:id/config (NIP-98), every rule added and
# removed with the rules routes, and the change is seen in the OK a
# nostr-tools client gets within a second (js/event_policy.mjs publishes fresh
# events until the answer is the expected one or the second has passed):
# auth_enabled with pubkey/kind blacklists and whitelists and the owner's and
# admin_pubkeys' exemption; pow_mode x pow_min_difficulty (NIP-13, committed
# targets included); max_event_tags and max_content_length; NIP-40 on arrival
# (enabled, strict, grace period); a tenant suspended and restored (EVENT
# blocked with the reason, REQ still served, a relay suspended on its own
# staying so); refusals counted by reason.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

JS="$(dirname "$0")/js/event_policy.mjs"
read -r ALICE ALICE_PK _ < <(token keygen)
read -r BOB BOB_PK _ < <(token keygen)
read -r CAROL CAROL_PK _ < <(token keygen)
read -r DAVE DAVE_PK _ < <(token keygen)
read -r EVE EVE_PK _ < <(token keygen)
read -r ADMIN ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
platform_start || { echo "0 passed, 1 failed"; exit 1; }

req "$ALICE" POST /tenant/relays '{"subdomain":"evp"}'
R="$(jget id)"
req "$ALICE" POST /tenant/relays '{"subdomain":"evp-own","plan":"pro"}'  # free allows one relay
R2="$(jget id)"
HOST="evp.$RELAY_DOMAIN"
HOST2="evp-own.$RELAY_DOMAIN"

# config JSON: the owner's PUT of the relay's configuration.
config() {
  req "$ALICE" PUT "/tenant/relays/$R/config" "$1"
  [ "$STATUS" = 200 ] || echo "    PUT config $1: $STATUS $BODY"
}
# rule TYPE PATTERN_TYPE VALUE: adds a rule, prints its id.
rule() {
  req "$ALICE" POST "/tenant/relays/$R/rules" "{\"rule_type\":\"$1\",\"pattern_type\":\"$2\",\"pattern_value\":\"$3\"}" >/dev/null
  [ "$STATUS" = 201 ] || echo "    POST rule $*: $STATUS $BODY" >&2
  jget id
}
unrule() {
  req "$ALICE" DELETE "/tenant/relays/$R/rules/$1"
  [ "$STATUS" = 204 ] || echo "    DELETE rule $1: $STATUS $BODY"
}
regex_of() { sed 's/[][\.*^$(){}?+|/]/\\&/g' <<<"$1"; }
# answers KEY "ANSWER" [options]: publishing as KEY to $HOST (or $TO) gets
# exactly "<accepted> <message>" within a second.
answers() {
  local key="$1" want="$2"; shift 2
  local got; got="$(node "$JS" publish "$HTTP_PORT" "${TO:-$HOST}" --key "$key" --expect "$(regex_of "$want")" "$@")"
  [ "$got" = "$want" ] || { echo "    wanted '$want', got '$got'"; return 1; }
}
# answers_like KEY REGEX [options]: the same with a regular expression.
answers_like() {
  local key="$1" want="$2"; shift 2
  local got; got="$(node "$JS" publish "$HTTP_PORT" "${TO:-$HOST}" --key "$key" --expect "$want" "$@")"
  [[ "$got" =~ ^($want)$ ]] || { echo "    wanted /$want/, got '$got'"; return 1; }
}
# A change that must not change an answer is given time to arrive first
# (the loop in `answers` only waits for an answer to become the wanted one).
settle() { sleep 0.5; }
stored_count() { node "$JS" req "$HTTP_PORT" "${TO:-$HOST}" --filter "$1"; }
query_metric() {
  curl -fsS "http://127.0.0.1:$MARINA_RELAY_QUERY_ADMIN_PORT/metrics" | awk -v s="$1" '$1 == s { print $2 }'
}

echo "# defaults"
check "anyone publishes" answers "$BOB" "true "

echo "# auth rules (pubkey, kind) with auth_enabled"
BAN_BOB="$(rule blacklist pubkey "$BOB_PK")"
settle
check "a pubkey blacklist rule without auth_enabled: bob still publishes" answers "$BOB" "true "
config '{"auth_enabled":true}'
check "auth_enabled on: bob is blocked" answers "$BOB" "false blocked: this pubkey is blacklisted on this relay"
check "  carol, not on the blacklist, publishes" answers "$CAROL" "true "
ONLY_CAROL="$(rule whitelist pubkey "$CAROL_PK")"
check "a pubkey whitelist rule: carol on it publishes" answers "$CAROL" "true "
check "  dave, not on it, is blocked" answers "$DAVE" "false blocked: this pubkey is not whitelisted on this relay"
check "  bob, on both lists' wrong side, stays blacklisted" answers "$BOB" "false blocked: this pubkey is blacklisted on this relay"
check "  the owner, on no list, publishes" answers "$ALICE" "true "
BAN_ALICE="$(rule blacklist pubkey "$ALICE_PK")"
settle
check "  even blacklisted, the owner publishes" answers "$ALICE" "true "
unrule "$BAN_ALICE"
config "{\"admin_pubkeys\":\"$DAVE_PK\"}"
check "dave as one of admin_pubkeys publishes despite the whitelist" answers "$DAVE" "true "
config '{"admin_pubkeys":null}'
check "  and is blocked again once removed" answers "$DAVE" "false blocked: this pubkey is not whitelisted on this relay"
unrule "$ONLY_CAROL"
check "the whitelist rule removed: dave publishes" answers "$DAVE" "true "
NO_7="$(rule blacklist kind 7)"
check "a kind blacklist rule: kind 7 is blocked" answers "$CAROL" "false blocked: kind 7 is blacklisted on this relay" --kind 7
check "  kind 1 is not" answers "$CAROL" "true " --kind 1
check "  the owner's kind 7 is accepted" answers "$ALICE" "true " --kind 7
ONLY_1="$(rule whitelist kind 1)"
check "a kind whitelist rule: kind 30023 is blocked" \
  answers "$CAROL" "false blocked: kind 30023 is not whitelisted on this relay" --kind 30023 --tags '[["d","x"]]'
check "  kind 1 is accepted" answers "$CAROL" "true " --kind 1
ONLY_CAROL="$(rule whitelist pubkey "$CAROL_PK")"
check "pubkey and kind whitelists together: carol's kind 1 passes" answers "$CAROL" "true "
check "  carol's kind 6 does not" answers "$CAROL" "false blocked: kind 6 is not whitelisted on this relay" --kind 6
check "  dave's kind 1 does not" answers "$DAVE" "false blocked: this pubkey is not whitelisted on this relay"
config '{"auth_enabled":false}'
check "auth_enabled off: every rule is dormant: bob publishes" answers "$BOB" "true "
check "  carol's kind 7 is accepted" answers "$CAROL" "true " --kind 7
check "  dave publishes" answers "$DAVE" "true "
config '{"auth_enabled":true}'
for id in "$BAN_BOB" "$NO_7" "$ONLY_1" "$ONLY_CAROL"; do unrule "$id"; done
check "every rule removed with auth_enabled on: bob publishes kind 7" answers "$BOB" "true " --kind 7
config '{"auth_enabled":null}'

echo "# NIP-13: pow_mode x pow_min_difficulty"
config '{"pow_mode":"required","pow_min_difficulty":8}'
check "required 8: an event with fewer bits is refused with its difficulty" \
  answers_like "$CAROL" "false pow: difficulty [0-7] is less than 8" --below 8
check "  one mined to 8 bits (committed 8) is accepted" answers "$CAROL" "true " --mine 8
check "  one mined to 8 bits committing to 4 is refused" \
  answers "$CAROL" "false pow: committed target 4 is less than 8" --mine 8 --target 4
config '{"pow_min_difficulty":12}'
check "required 12: the same 8-bit work now falls short (its target first)" \
  answers "$CAROL" "false pow: committed target 8 is less than 12" --mine 8
check "  12 bits committed to 12 pass" answers "$CAROL" "true " --mine 12
config '{"pow_mode":"optional","pow_min_difficulty":8}'
check "optional 8: an event without a nonce tag is accepted" answers "$CAROL" "true " --below 8
check "  a nonce tag without enough bits is refused" \
  answers_like "$CAROL" "false pow: difficulty [0-7] is less than 8" --claim - --below 8
check "  a committed target below the minimum is refused" \
  answers "$CAROL" "false pow: committed target 4 is less than 8" --mine 8 --target 4
check "  8 bits committed to 8 pass" answers "$CAROL" "true " --mine 8
config '{"pow_mode":"disabled"}'
check "disabled: a nonce tag claiming 2 with few bits is accepted" answers "$CAROL" "true " --claim 2 --below 8
config '{"pow_mode":null,"pow_min_difficulty":null}'
check "defaults again: no work needed" answers "$CAROL" "true " --claim - --below 8

echo "# event bounds: max_event_tags, max_content_length"
config '{"max_event_tags":10}'
check "max_event_tags 10: 11 tags refused" answers "$CAROL" "false invalid: too many tags (11, at most 10)" --tag-count 11
check "  10 tags accepted" answers "$CAROL" "true " --tag-count 10
config '{"max_event_tags":null,"max_content_length":100}'
check "max_content_length 100: 101 bytes refused" \
  answers "$CAROL" "false invalid: content too long (101 bytes, at most 100)" --content-bytes 101
check "  100 bytes accepted" answers "$CAROL" "true " --content-bytes 100
config '{"max_content_length":500000}'
check "set above the platform's RELAY_MAX_CONTENT_LENGTH (102400), the platform's holds" \
  answers "$CAROL" "false invalid: content too long (102401 bytes, at most 102400)" --content-bytes 102401
config '{"max_content_length":null}'

echo "# NIP-40 on arrival: enabled, strict, grace period"
check "defaults (strict, 300 s grace): expired 10 minutes ago is refused" \
  answers "$CAROL" "false invalid: event has expired" --expires-in -600
check "  expired a minute ago (inside the grace) is accepted" answers "$CAROL" "true " --expires-in -60
config '{"nip40_expiration_grace_period":0}'
check "grace 0: expired a minute ago is refused" answers "$CAROL" "false invalid: event has expired" --expires-in -60
check "  expiring in an hour is accepted" answers "$CAROL" "true " --expires-in 3600
config '{"nip40_expiration_strict":false}'
check "strict off: expired 10 minutes ago is accepted" answers "$CAROL" "true " --expires-in -600 --content "late-$$"
check "  and stored with its expiration (hidden, purged)" \
  test "$(sql "select count(*) from events where relay_id='$R' and expires_at is not null and raw like '%late-$$%'")" = 1
config '{"nip40_expiration_strict":true,"nip40_expiration_enabled":false}'
settle
check "NIP-40 off: the tag is ignored, an expired event is accepted" \
  answers "$EVE" "true " --expires-in -600 --content "ignored-$$"
check "  stored with no expiration" \
  test "$(sql "select count(*) from events where relay_id='$R' and expires_at is null and raw like '%ignored-$$%'")" = 1
check "  and served like any event" test "$(stored_count "{\"authors\":[\"$EVE_PK\"]}")" = 1
config '{"nip40_expiration_enabled":null,"nip40_expiration_strict":null,"nip40_expiration_grace_period":null}'
check "defaults again: expired 10 minutes ago is refused" \
  answers "$CAROL" "false invalid: event has expired" --expires-in -600

echo "# refusals counted by reason (relay-query's quick check)"
for reason in pubkey_blacklisted pubkey_not_whitelisted kind_blacklisted kind_not_whitelisted pow_difficulty \
  pow_target too_many_tags content_too_long expired; do
  check "  marina_relay_query_events_refused_total{reason=\"$reason\"} counted" \
    test "$(query_metric "marina_relay_query_events_refused_total{reason=\"$reason\"}")" -ge 1
done

echo "# a tenant suspended and restored"
req "$ADMIN" PUT "/admin/relays/$R2" '{"status":"suspended","reason":"suspended on its own"}'
TO="$HOST2" check "a second relay of the tenant, suspended on its own, blocks EVENTs with its reason" \
  answers "$CAROL" "false blocked: suspended on its own"
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"active","reason":"x"}'
check "a reason with status active is refused" problem 400 invalid-field
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"suspended","reason":"unpaid invoices"}'
check "PUT /admin/tenants/:pubkey suspended with a reason: 200, status_reason shown" \
  test "$STATUS $(jget status) $(jget status_reason)" = "200 suspended unpaid invoices"
check "  stored in tenants.status_reason" \
  test "$(sql "select status_reason from tenants where pubkey='$ALICE_PK'")" = "unpaid invoices"
check "the tenant's relay answers EVENT with the reason" answers "$CAROL" "false blocked: unpaid invoices"
check "  and keeps serving reads" test "$(stored_count "{\"authors\":[\"$CAROL_PK\"],\"limit\":1}")" = 1
TO="$HOST2" check "  the relay suspended on its own gives the tenant's reason (the owner's standing first)" \
  answers "$CAROL" "false blocked: unpaid invoices"
req "$ADMIN" PUT "/admin/tenants/$ALICE_PK" '{"status":"active"}'
check "reactivated: 200, the reason cleared" test "$STATUS $(jget status) [$(jget status_reason)]" = "200 active []"
check "the relay accepts events again" answers "$CAROL" "true "
TO="$HOST2" check "  the relay suspended on its own stays suspended" answers "$CAROL" "false blocked: suspended on its own"

# --- the plan's stored-events cap (plans.max_stored_events) ---
sql "INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions,
                        max_events_per_minute, max_whitelist_rules)
     VALUES ('tiny', 'Tiny', 10, 3, 100, 1000, 600, 100)" >/dev/null
req "$ALICE" POST /tenant/relays '{"subdomain":"evp-cap","plan":"tiny"}'
check "a relay on a plan storing 3 events" test "$STATUS" = 201
export TO="evp-cap.$RELAY_DOMAIN"
check "  1st event (a profile) stored" answers "$CAROL" "true " --kind 0 --content '{}'
check "  2nd stored" answers "$CAROL" "true "
check "  3rd stored" answers "$BOB" "true "
check "  4th refused, the plan and its cap named" answers "$DAVE" "false blocked: this relay's plan (Tiny) stores at most 3 events"
check "  a new version of the stored profile is still taken" answers_like "$CAROL" "true.*" --kind 0 --content '{"name":"c"}'
check "  a deletion is still taken" answers "$CAROL" "true " --kind 5 --tags "[[\"e\",\"$(printf '%064d' 7)\"]]"
check "  the relay serves what it stored: 3, then the deletion" test "$(stored_count '{}')" = 4
unset TO

finish
