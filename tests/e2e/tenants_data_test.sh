#!/usr/bin/env bash
# Export and import of a relay's events, through nginx with NIP-98: NDJSON
# signed by nostr-tools imported with the `marina` CLI (in batches, through
# relay-ingest's normal write path, as the owner's import: an archive five
# years deep from one author, past the per-author rate and the created_at
# bound that clients meet), counted as imported / duplicates /
# invalid with line numbers, exported back identical with tenants' memory
# flat, and neither route open to another tenant. TENANTS_DATA_EVENTS sets the
# size (default 100,000: the last 2,000 signed by nostr-tools, independent of
# our code; the rest by marina-load's ndjson mode, since a JavaScript signer
# needs minutes for 100,000).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

N="${TENANTS_DATA_EVENTS:-100000}"
LOAD="$E2E_BUILD/tests/bench/load/marina-load"
# Without marina-load (built unless MARINA_BENCH=OFF) nostr-tools signs them all, slowly.
INDEPENDENT=$((N < 2000 ? N : 2000))
[ -x "$LOAD" ] || INDEPENDENT="$N"
MARINA="$E2E_BUILD/tools/cli/marina"
[ -x "$MARINA" ] || { echo "$MARINA is not built"; echo "0 passed, 1 failed"; exit 1; }
WORK="$(mktemp -d)"
export RELAY_PUBLIC_SCHEME=ws
# The platform's default client bounds stay: one author may send 600 events a
# minute, created at most 3 years ago. An owner's import is not held to them.
platform_start || { echo "0 passed, 1 failed"; exit 1; }
API="http://$MARINA_API_HOST:$HTTP_PORT"
m() { OUT="$(HOME="$WORK/home" MARINA_API="$API" "$MARINA" "$@" 2>"$WORK/err")"; RC=$?; ERR="$(cat "$WORK/err")"; }
out_field() { BODY="$OUT" jget "$1"; }

if [ "$N" -gt "$INDEPENDENT" ]; then
  "$LOAD" ndjson --count "$((N - INDEPENDENT))" --authors 1 --seed "import-$RANDOM$RANDOM" --span-days 1825 \
    >"$WORK/events.ndjson"
fi
node "$AUTH_JS/tenants_events.mjs" "$INDEPENDENT" --bad --since-years 5 >>"$WORK/events.ndjson"
m key generate
m relays create data --json
R="$(out_field id)"
read -r BOB _ _ < <(token keygen)

echo "# import $N events (+3 bad lines) with the CLI"
start=$SECONDS
m relays import "$R" "$WORK/events.ndjson" --json
imported_ok() { [ "$(out_field imported) $(out_field duplicates) $(out_field invalid)" = "$N 0 3" ] || { echo "    rc $RC: ${OUT:0:400} $ERR"; return 1; }; }
check "import answers imported=$N duplicates=0 invalid=3 ($((SECONDS - start)) s)" imported_ok
check "  three problems" test "$(out_field 'problems.length')" = 3
check "  the bad lines by number: $((N + 1)) not JSON, $((N + 2)) bad id, $((N + 3)) bad signature" \
  test "$(out_field 'problems[0].line') $(out_field 'problems[1].line') $(out_field 'problems[2].line')" = "$((N + 1)) $((N + 2)) $((N + 3))"
check "  each with a NIP-01 reason" bash -c "[[ '$(out_field 'problems[2].reason')' == invalid:* ]]"
m relays import "$R" "$WORK/events.ndjson" --json
check "importing again: all duplicates" test "$(out_field imported) $(out_field duplicates)" = "0 $N"
m relays activity "$R" --limit 200 --json
imported_total="$(node -e 'const j=JSON.parse(process.argv[1]);console.log(j.items.filter(a=>a.action==="imported").reduce((n,a)=>n+a.details.imported,0))' "$OUT")"
check "the import is in the relay's activity (one row per batch that added events, $imported_total in all)" \
  test "$imported_total" = "$N"

echo "# export"
# The export is streamed page by page, so tenants' memory must not grow with
# the relay's size: its peak RSS during the export stays within a fixed
# margin of what it used before, for 2000 events as for 100,000.
TENANTS_PID="$(cat "$E2E_STATE/pids/tenants")"
status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$TENANTS_PID/status"; }
# "5" resets VmHWM to the current RSS (Linux >= 4.0), so the peak is the export's.
echo 5 >"/proc/$TENANTS_PID/clear_refs" 2>/dev/null && hwm_reset=1 || hwm_reset=0
base_kb="$(status_kb VmRSS)"
# Sampled too, in case the peak could not be reset.
(
  peak=0
  while :; do
    r="$(status_kb VmRSS)" || break
    [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak="$r" && echo "$peak" >"$WORK/rss_peak"
    sleep 0.05
  done
) &
sampler=$!
start=$SECONDS
m relays export "$R" --out "$WORK/export.ndjson"
check "export succeeds ($((SECONDS - start)) s)" test "$RC" = 0
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
peak_kb="$(cat "$WORK/rss_peak" 2>/dev/null || echo 0)"
if [ "$hwm_reset" = 1 ]; then hwm_kb="$(status_kb VmHWM)"; [ "$hwm_kb" -gt "$peak_kb" ] && peak_kb="$hwm_kb"; fi
RSS_MARGIN_KB=$((20 * 1024))
check "  tenants' peak RSS during the export: $((peak_kb / 1024)) MB, before it $((base_kb / 1024)) MB (margin 20 MB, whatever N)" \
  test "$peak_kb" -le "$((base_kb + RSS_MARGIN_KB))"
check "  with every event, one per line" test "$(wc -l <"$WORK/export.ndjson")" = "$N"
ids() { node -e 'const rl=require("readline").createInterface({input:require("fs").createReadStream(process.argv[1])});const s=[];rl.on("line",l=>{try{const e=JSON.parse(l);if(e.sig&&!e.content.startsWith("tampered"))s.push(e.id)}catch{}});rl.on("close",()=>console.log(s.sort().join("\n")))' "$1"; }
check "  the same events that were imported" test "$(ids "$WORK/events.ndjson" | sha256sum)" = "$(ids "$WORK/export.ndjson" | sha256sum)"
oldest_years() { node -e 'const rl=require("readline").createInterface({input:require("fs").createReadStream(process.argv[1])});let m=Infinity;rl.on("line",l=>{try{m=Math.min(m,JSON.parse(l).created_at)}catch{}});rl.on("close",()=>console.log(Math.floor((Date.now()/1000-m)/(365*86400))))' "$1"; }
check "  including events older than the 3 years a client may publish (oldest: $(oldest_years "$WORK/export.ndjson") years)" \
  test "$(oldest_years "$WORK/export.ndjson")" -ge 4

echo "# the import's exemptions are the owner's alone"
publish_one() { node "$AUTH_JS/publish_one.mjs" "$HTTP_PORT" "data.$RELAY_DOMAIN" <"$1"; }
node "$AUTH_JS/tenants_events.mjs" 1 --since-years 5 >"$WORK/old.ndjson"
client_says="$(publish_one "$WORK/old.ndjson")"
check "a 5-year-old event from a client is refused: $client_says" \
  bash -c "[[ '$client_says' == 'false invalid: created_at '*past* ]]"

echo "# isolation"
req "$BOB" GET "/tenant/relays/$R/export"
check "another tenant's export: 404 relay-not-found" problem 404 relay-not-found
req "$BOB" POST "/tenant/relays/$R/import" "$(head -n 1 "$WORK/events.ndjson")"
check "another tenant's import: 404 relay-not-found" problem 404 relay-not-found
m relays delete "$R"
m relays import "$R" "$WORK/events.ndjson"
check "importing into an inactive relay: relay-inactive" bash -c "[ $RC = 1 ] && grep -q relay-inactive '$WORK/err'"

rm -rf "$WORK"
finish
