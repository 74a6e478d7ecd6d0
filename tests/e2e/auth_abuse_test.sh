#!/usr/bin/env bash
# Abuse protection at the ingress: failed verifications are counted per client
# address (and claimed pubkey) in Redis, and past AUTH_FAILURES_PER_MINUTE the
# address's bad tokens get a 429 problem with Retry-After (auth answers 403,
# the only other status auth_request passes on) until the minute ends; a good
# token from that address is still accepted (the neighbours behind one NAT are
# not locked out). When auth cannot answer (Redis frozen) the ingress says 503
# auth-unavailable.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"

read -r ALICE_SK ALICE_PK _ < <(token keygen)
export AUTH_FAILURES_PER_MINUTE=5

platform_start || { echo "0 passed, 1 failed"; exit 1; }
WHOAMI="$(api_url /tenant/whoami)"
good_token() { token token --key "$ALICE_SK" --url "$WHOAMI" --method GET; }

call GET /tenant/whoami -H "Authorization: $(good_token)"
check "a good token is accepted before any failure" whoami_is "$ALICE_PK" tenant

# The count is per clock minute: start early in one so that all failures below
# fall into the same minute.
second=$((10#$(date +%S)))
if [ "$second" -ge 40 ]; then sleep $((61 - second)); fi
GOOD="$(good_token)"

refusals=0
for _ in 1 2 3 4 5; do
  call GET /tenant/whoami -H "Authorization: Nostr %%%"
  refused_with bad-base64 >/dev/null && refusals=$((refusals + 1))
done
check "the first 5 failures are ordinary 401s" test "$refusals" -eq 5

call GET /tenant/whoami -H "Authorization: Nostr %%%"
RETRY="$(header retry-after)"
check "the 6th failure in the minute: 429 problem rate-limited" \
  bash -c "[ '$STATUS' = 429 ] && [ '$(json code)' = rate-limited ] && [ '$(json status)' = 429 ] && [ '$(header content-type)' = application/problem+json ]"
check "  ... with Retry-After until the minute ends ($RETRY s)" bash -c "[ '$RETRY' -ge 1 ] && [ '$RETRY' -le 60 ]"
call GET /tenant/whoami -H "Authorization: $(token token --key "$ALICE_SK" --url "$WHOAMI" --method GET --tamper sig)"
check "  ... a forged token from the address too" status_is 429
call GET /tenant/whoami -H "Authorization: $GOOD"
check "  ... but a good token from the address is accepted" whoami_is "$ALICE_PK" tenant
check "marina_auth_verifications_total{result=\"rate-limited\"} counts them" \
  test "$(metric 'marina_auth_verifications_total{result="rate-limited"}')" -ge 2
check "public routes stay open to a rate-limited address" bash -c "curl -fsS -o /dev/null --resolve '$MARINA_API_HOST:$HTTP_PORT:127.0.0.1' '$(api_url /healthz)'"

sleep $((RETRY + 1))
call GET /tenant/whoami -H "Authorization: Nostr %%%"
check "after the minute a bad token is an ordinary 401 again" refused_with bad-base64

# Redis frozen (SIGSTOP keeps its process alive, so the platform keeps running):
# auth cannot answer within the ingress's 5 s, and the client is told so.
kill -STOP "$(cat "$E2E_STATE/pids/redis")"
call POST /tenant/whoami -H "Authorization: $(token token --key "$ALICE_SK" --url "$WHOAMI" --method POST)" --max-time 20
kill -CONT "$(cat "$E2E_STATE/pids/redis")"
check "auth unable to answer: 503 problem auth-unavailable with Retry-After" \
  bash -c "[ '$STATUS' = 503 ] && [ '$(json code)' = auth-unavailable ] && [ -n '$(header retry-after)' ]"
sleep 1
call GET /tenant/whoami -H "Authorization: $(good_token)"
check "once Redis is back, tokens are accepted again" whoami_is "$ALICE_PK" tenant

finish
