#!/usr/bin/env bash
# NIP-98 for the whole HTTP API, through the real nginx ingress: tokens from
# nostr-tools accepted, every refusal reason with its problem JSON, admin vs
# tenant role, one use per mutating token, the body bound by the payload tag,
# forged identity headers through nginx and forged passports straight to
# tenants, public routes, metrics, and nothing secret in any log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"

read -r ALICE_SK ALICE_PK _ < <(token keygen)
read -r ADMIN_SK ADMIN_PK ADMIN_NPUB < <(token keygen)
read -r ADMIN2_SK ADMIN2_PK _ < <(token keygen)
# One admin listed by npub, one by hex: both forms must work.
export HOSTING_ADMIN_PUBKEYS="$ADMIN_NPUB,$ADMIN2_PK"
# Every failure below comes from 127.0.0.1; the limit has its own test.
export AUTH_FAILURES_PER_MINUTE=100000

platform_start || { echo "0 passed, 1 failed"; exit 1; }

WHOAMI="$(api_url /tenant/whoami)"
# Every token and passport handed out, for the log check at the end (a file:
# alice runs in command substitutions, whose variables do not come back).
SEEN="$E2E_STATE/seen-credentials"
alice() { token "$1" --key "$ALICE_SK" "${@:2}" | tee -a "$SEEN"; }

echo "# accepted"
call GET /tenant/whoami -H "Authorization: $(alice gettoken --url "$WHOAMI" --method GET)"
check "nostr-tools nip98.getToken token is accepted; whoami is the tenant" whoami_is "$ALICE_PK" tenant
check "  ... and the passport stays between the ingress and tenants" test -z "$(header x-auth-passport)"
call GET "/tenant/whoami?b=2&a=1" -H "Authorization: $(alice gettoken --url "$WHOAMI?b=2&a=1" --method GET)"
check "a token for the URL with its query string is accepted" whoami_is "$ALICE_PK" tenant
call GET /tenant/whoami -H "Authorization: $(token gettoken --key "$ADMIN_SK" --url "$WHOAMI" --method GET)"
check "a pubkey listed as npub in HOSTING_ADMIN_PUBKEYS is admin" whoami_is "$ADMIN_PK" admin
call GET /tenant/whoami -H "Authorization: $(token token --key "$ADMIN2_SK" --url "$WHOAMI" --method GET)"
check "a pubkey listed as hex in HOSTING_ADMIN_PUBKEYS is admin" whoami_is "$ADMIN2_PK" admin
GET_TOKEN="$(alice token --url "$WHOAMI" --method GET)"
call GET /tenant/whoami -H "Authorization: $GET_TOKEN"
first=$STATUS
call GET /tenant/whoami -H "Authorization: $GET_TOKEN"
check "a GET token may be used again within the window" test "$first $STATUS" = "200 200"

echo "# refused by auth, each reason as a 401 problem with WWW-Authenticate: Nostr"
call GET /tenant/whoami
check "no Authorization: missing-authorization" refused_with missing-authorization
call GET /tenant/whoami -H "Authorization: Bearer abc"
check "another scheme: bad-scheme" refused_with bad-scheme
call GET /tenant/whoami -H "Authorization: Nostr %%%not-base64%%%"
check "bad base64: bad-base64" refused_with bad-base64
call GET /tenant/whoami -H "Authorization: Nostr $(printf 'not json' | base64)"
check "base64 of something not an event: bad-json" refused_with bad-json
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --tamper id)"
check "tampered id: bad-id" refused_with bad-id
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --tamper sig)"
check "bad signature: bad-signature" refused_with bad-signature
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --kind 1)"
check "wrong kind: wrong-kind" refused_with wrong-kind
call GET /tenant/whoami -H "Authorization: $(alice token --url "$(api_url /tenant/other)" --method GET)"
check "token for another URL: wrong-url" refused_with wrong-url
call GET "/tenant/whoami?limit=2" -H "Authorization: $(alice token --url "$WHOAMI?limit=1" --method GET)"
check "token for another query string: wrong-url" refused_with wrong-url
call GET "/tenant/whoami?limit=1" -H "Authorization: $(alice token --url "$WHOAMI" --method GET)"
check "token without the request's query string: wrong-url" refused_with wrong-url
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method POST)"
check "token for another method: wrong-method" refused_with wrong-method
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --age 120)"
check "created_at two minutes ago: stale" refused_with stale
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --age -120)"
check "created_at two minutes ahead: future" refused_with future
call GET /tenant/whoami -H "Authorization: Nostr $(head -c 7500 /dev/zero | base64 -w0)"
check "a 10 KB Authorization header: header-too-large" refused_with header-too-large
POST_TOKEN="$(alice token --url "$WHOAMI" --method POST)"
call POST /tenant/whoami -H "Authorization: $POST_TOKEN"
first=$STATUS
call POST /tenant/whoami -H "Authorization: $POST_TOKEN"
check "a POST token passes auth once (tenants then answers $first), its replay: replayed" \
  bash -c "[ '$first' != 401 ] && [ '$first' != 429 ]" && check "  ... replayed" refused_with replayed

echo "# the body is bound by the payload tag (checked by tenants against the body it received)"
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --payload-of 'the signed body')" \
  --data-binary 'the signed body'
check "body matching the payload tag is accepted" whoami_is "$ALICE_PK" tenant
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET --payload-of 'the signed body')" \
  --data-binary 'another body'
check "body not matching the payload tag: 401 payload-mismatch" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = payload-mismatch ]"
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET)" --data-binary 'unsigned body'
check "body with no payload tag: 401 payload-missing" bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = payload-missing ]"
call GET /tenant/whoami -H "Authorization: $(alice gettoken --url "$WHOAMI" --method GET --body-json '{"name":"relay"}')" \
  --data-binary '{"name":"relay"}'
check "nostr-tools' payload tag (over the JSON body) is accepted" whoami_is "$ALICE_PK" tenant

echo "# forged identity through nginx"
call GET /tenant/whoami -H "Authorization: $(alice token --url "$WHOAMI" --method GET)" \
  -H "X-Auth-Pubkey: $ADMIN_PK" -H "X-Auth-Role: admin" -H "X-Auth-Passport: v1.$ADMIN_PK.admin.-.9999999999.$(printf '0%.0s' {1..64})"
check "client-sent X-Auth-* headers are replaced by auth's" whoami_is "$ALICE_PK" tenant
call GET /tenant/whoami -H "X-Auth-Pubkey: $ADMIN_PK" -H "X-Auth-Role: admin" -H "X-Auth-Passport: forged"
check "X-Auth-* headers without a token: missing-authorization" refused_with missing-authorization
call GET /tenant/whoami -H "Authorization: $(alice token --url "$(api_url /tenant/other)" --method GET)" \
  -H "X-Original-URL: $(api_url /tenant/other)" -H "X-Original-URI: /tenant/other" -H "X-Forwarded-Proto: https"
check "client-sent X-Original-* headers do not change what auth checks: wrong-url" refused_with wrong-url

echo "# forged passports sent straight to tenants, bypassing nginx"
TENANTS="http://127.0.0.1:$MARINA_TENANTS_PORT/tenant/whoami"
call_url GET "$TENANTS" -H "X-Auth-Pubkey: $ADMIN_PK" -H "X-Auth-Role: admin"
check "identity headers without a passport: 401 passport-missing" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = passport-missing ]"
FORGED="v1.$ADMIN_PK.admin.-.9999999999.$(printf 'ab%.0s' {1..32})"
call_url GET "$TENANTS" -H "X-Auth-Passport: $FORGED"
check "a passport with a made-up signature: 401 passport-bad-signature" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = passport-bad-signature ]"
# A real passport, asked of auth directly (the ingress would have), then altered.
call_url GET "http://127.0.0.1:$MARINA_AUTH_PORT/verify" -H "X-Original-Method: GET" -H "X-Original-URI: /tenant/whoami" \
  -H "Host: $MARINA_API_HOST:$HTTP_PORT" -H "X-Forwarded-Proto: http" \
  -H "Authorization: $(alice token --url "$WHOAMI" --method GET)"
PASSPORT="$(header x-auth-passport)"
check "auth's /verify issues a passport for a good token" test -n "$PASSPORT"
call_url GET "$TENANTS" -H "X-Auth-Passport: $PASSPORT"
check "  ... which tenants accepts for that very request" whoami_is "$ALICE_PK" tenant
call_url GET "$TENANTS" -H "X-Auth-Passport: ${PASSPORT/.tenant./.admin.}" -H "X-Auth-Role: admin"
check "  ... but not with its role changed to admin (passport-bad-signature)" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = passport-bad-signature ]"
call_url GET "$TENANTS?other=1" -H "X-Auth-Passport: $PASSPORT"
check "  ... nor for another request (passport-bad-signature)" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = passport-bad-signature ]"
call_url GET "$TENANTS" -H "X-Auth-Passport: $PASSPORT" -H "X-Auth-Role: admin"
check "  ... nor beside a contradicting X-Auth-Role (passport-mismatch)" \
  bash -c "[ '$STATUS' = 401 ] && [ '$(json code)' = passport-mismatch ]"
echo "$PASSPORT" >>"$SEEN"

echo "# public routes, listed once in the ingress configuration"
call GET /healthz
check "GET /healthz needs no token" bash -c "[ '$STATUS' = 200 ] && [ '$(json service)' = tenants ]"
call GET /plans
check "GET /plans needs no token (reaches billing: $STATUS)" bash -c "[ '$STATUS' != 401 ] && [ '$STATUS' != 500 ]"
call POST /plans
check "POST /plans is not public: missing-authorization" refused_with missing-authorization
call POST /billing/callbacks/nwc --data-binary '{}'
check "the billing wallet callbacks need no token (reaches billing: $STATUS)" \
  bash -c "[ '$STATUS' != 401 ] && [ '$STATUS' != 500 ]"

echo "# metrics and logs"
check "marina_auth_verifications_total counts successes" test "$(metric 'marina_auth_verifications_total{result="ok"}')" -ge 8
for reason in missing-authorization bad-scheme bad-base64 bad-json bad-id bad-signature wrong-kind wrong-url \
              wrong-method stale future header-too-large replayed; do
  check "marina_auth_verifications_total{result=\"$reason\"} counted" \
    test "$(metric "marina_auth_verifications_total{result=\"$reason\"}")" -ge 1
done
check "the verification latency histogram is exposed" \
  test "$(metric marina_auth_verification_duration_seconds_count)" -ge 20
leaked=0 checked=0
while IFS= read -r secret; do
  value="${secret#Nostr }"
  checked=$((checked + 1))
  # 40 characters of a token or passport are as good as the whole for a grep.
  if grep -rqF -- "${value:10:40}" "$E2E_STATE/logs"; then leaked=$((leaked + 1)); fi
done <"$SEEN"
check "no token or passport appears in any log ($checked checked)" test "$leaked" -eq 0 -a "$checked" -ge 20

finish
