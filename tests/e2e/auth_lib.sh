# Helpers for the auth end-to-end tests (source after lib.sh): NIP-98 tokens
# from nostr-tools (js/auth_token.mjs) and requests to the ingress that record
# the status, headers and body of the answer.
AUTH_JS="$(cd "$(dirname "${BASH_SOURCE[0]}")/js" && pwd)"

token() { node "$AUTH_JS/auth_token.mjs" "$@"; }

# The API's public base URL as clients sign it: the API host on the ingress port.
api_url() { echo "http://$MARINA_API_HOST:$HTTP_PORT$1"; }

# call METHOD PATH [curl args...]: one request to the ingress; sets STATUS,
# HEADERS (lower-cased names) and BODY.
call() {
  local method="$1" path="$2"; shift 2
  call_url "$method" "$(api_url "$path")" --resolve "$MARINA_API_HOST:$HTTP_PORT:127.0.0.1" "$@"
}

# call_url METHOD URL [curl args...]: the same against any URL (a service's own port).
call_url() {
  local method="$1" url="$2"; shift 2
  local body_file; body_file="$(mktemp)"
  HEADERS="$(curl -sS -X "$method" -o "$body_file" -D - "$@" "$url" | tr -d '\r' | sed -E 's/^([^:]+):/\L\1:/')"
  STATUS="$(head -n 1 <<<"$HEADERS" | awk '{print $2}')"
  BODY="$(cat "$body_file")"
  rm -f "$body_file"
}

# header NAME (lower case): the value of a response header of the last call.
header() { sed -n "s/^$1: //p" <<<"$HEADERS" | head -n 1; }
header_count() { grep -c "^$1: " <<<"$HEADERS"; }

# json FIELD: a top-level field of the last call's JSON body.
json() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s)[process.argv[1]];console.log(v===undefined?"":v)}catch{console.log("")}})' "$1" <<<"$BODY"
}

# refused_with CODE: the last call was the ingress's 401 problem for that reason.
refused_with() {
  [ "$STATUS" = 401 ] && [ "$(json code)" = "$1" ] && [ "$(json status)" = 401 ] \
    && [ "$(header content-type)" = "application/problem+json" ] \
    && [ "$(header www-authenticate)" = "Nostr" ] && [ "$(header_count www-authenticate)" = 1 ] \
    || { echo "    got $STATUS $(header content-type) www-authenticate=$(header www-authenticate): $BODY"; return 1; }
}

# whoami_is PUBKEY ROLE: the last call reached tenants' /tenant/whoami as that identity.
whoami_is() {
  [ "$STATUS" = 200 ] && [ "$(json pubkey)" = "$1" ] && [ "$(json role)" = "$2" ] \
    || { echo "    got $STATUS: $BODY"; return 1; }
}

# status_is CODE: for checks that only look at the status.
status_is() { [ "$STATUS" = "$1" ] || { echo "    got $STATUS: $BODY"; return 1; }; }

# metric NAME_WITH_LABELS: its value on auth's admin port (empty when absent).
metric() {
  curl -fsS "http://127.0.0.1:$MARINA_AUTH_ADMIN_PORT/metrics" | awk -v s="$1" '$1 == s { print $2 }'
}
