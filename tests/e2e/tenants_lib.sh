# Helpers for the tenants end-to-end tests (source after lib.sh and
# auth_lib.sh): requests signed with NIP-98 by nostr-tools as a named person,
# and looks into the platform's PostgreSQL and Redis to check what the API
# cannot show (sealed secrets, activity rows, published facts).

# req SECRET_HEX METHOD PATH [BODY]: one signed request through the ingress.
# A body is sent as JSON and bound to the token by its payload tag.
req() {
  local sk="$1" method="$2" path="$3" body="${4-}"
  if [ -n "$body" ]; then
    call "$method" "$path" -H "Authorization: $(token token --key "$sk" --url "$(api_url "$path")" --method "$method" --payload-of "$body")" \
      -H 'Content-Type: application/json' --data-binary "$body"
  else
    call "$method" "$path" -H "Authorization: $(token token --key "$sk" --url "$(api_url "$path")" --method "$method")"
  fi
}

# jq-like access to the last body: jget '.items[0].id' (node, no jq needed).
jget() {
  node -e '
    let s=""; process.stdin.on("data",d=>s+=d).on("end",()=>{
      let v; try { v = JSON.parse(s); } catch { console.log(""); return; }
      for (const k of process.argv[1].split(".").filter(Boolean)) {
        const m = /^(\w*)\[(\d+)\]$/.exec(k);
        if (m) { if (m[1]) v = v?.[m[1]]; v = v?.[Number(m[2])]; } else if (k === "length") v = v?.length; else v = v?.[k];
      }
      console.log(v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : v);
    })' "$1" <<<"$BODY"
}

# problem STATUS CODE: the last call answered that problem.
problem() {
  [ "$STATUS" = "$1" ] && [ "$(json code)" = "$2" ] && [ "$(header content-type)" = "application/problem+json" ] \
    || { echo "    wanted $1 $2, got $STATUS: $BODY"; return 1; }
}

# field_is PATH VALUE: a value in the last JSON body.
field_is() {
  local got; got="$(jget "$1")"
  [ "$got" = "$2" ] || { echo "    $1: wanted '$2', got '$got' (status $STATUS: ${BODY:0:300})"; return 1; }
}

sql() { psql -qtA -h 127.0.0.1 -p "$MARINA_PG_PORT" -U postgres -d marina -c "$1"; }
redis() { redis-cli -h 127.0.0.1 -p "$MARINA_REDIS_PORT" "$@"; }
