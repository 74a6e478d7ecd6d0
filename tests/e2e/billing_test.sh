#!/usr/bin/env bash
# Billing through the real nginx ingress with NIP-98 tokens from nostr-tools:
# GET /plans public (prices in msats, limits), the draft invoice a paid relay
# opens, the pro rata charge of an upgrade (checked against the database's
# own times), every amount a field ending in _msats, isolation (another
# tenant's invoice is 404), the admin routes refused to a tenant (403
# admin-required), a second billing replica whose clock runs a month ahead
# closing the period once, mark-paid and void recorded with the admin, plan
# changes, the metrics, and `marina plans` / `marina invoices list|show`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

MARINA="$E2E_BUILD/tools/cli/marina"
[ -x "$MARINA" ] || { echo "$MARINA is not built"; echo "0 passed, 1 failed"; exit 1; }
WORK="$(mktemp -d)"
read -r ALICE ALICE_PK _ < <(token keygen)
read -r BOB BOB_PK _ < <(token keygen)
read -r ADMIN ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
export AUTH_FAILURES_PER_MINUTE=100000
export BILLING_JOB_INTERVAL=200ms
platform_start || { echo "0 passed, 1 failed"; exit 1; }

# wait_for SECONDS COMMAND...: until the command succeeds.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}
# Alice's invoices have N items on the newest one.
newest_has_items() {
  req "$1" GET /tenant/invoices
  local id; id="$(jget 'data[0].id')"; [ -n "$id" ] || return 1
  req "$1" GET "/tenant/invoices/$id"
  [ "$(jget 'items.length')" = "$2" ]
}
# Every number in the last body is an id or a field ending in _msats.
amounts_end_in_msats() {
  node -e '
    const bad = [];
    const walk = (v, k) => {
      if (Array.isArray(v)) v.forEach(x => walk(x, k));
      else if (v && typeof v === "object") Object.entries(v).forEach(([kk, x]) => walk(x, kk));
      else if (typeof v === "number" && !/_msats$/.test(k) && k !== "id" && k !== "activity_id") bad.push(k);
    };
    walk(JSON.parse(process.argv[1]), "");
    if (bad.length) { console.log("    not _msats: " + bad.join(",")); process.exit(1); }' "$BODY"
}

echo "# GET /plans (public)"
call GET /plans
check "200 without any authentication" status_is 200
check "  three plans, free first at 0 msats" test "$(jget 'data.length')|$(jget 'data[0].id')|$(jget 'data[0].price_msats')" = "3|free|0"
check "  pro 10,000 sats and business 50,000 sats a month, in msats" \
  test "$(jget 'data[1].id')=$(jget 'data[1].price_msats')|$(jget 'data[2].id')=$(jget 'data[2].price_msats')" = "pro=10000000|business=50000000"
check "  with their limits" test "$(jget 'data[1].limits.max_relays')|$(jget 'data[1].limits.max_connections')" = "10|1000"
call POST /plans
check "any other method on /plans needs authentication (401)" status_is 401

echo "# a paid relay opens a draft invoice"
req "$ALICE" GET /tenant/invoices
check "no invoices before anything paid: {\"data\":[]}" test "$STATUS|$(jget 'data.length')" = "200|0"
req "$ALICE" POST /tenant/relays '{"subdomain":"bill-a","plan":"pro"}'
A="$(jget id)"
check "a pro relay is created" test "$STATUS" = 201
check "  the job bills it within seconds" wait_for 15 newest_has_items "$ALICE" 1
req "$ALICE" GET /tenant/invoices
INV="$(jget 'data[0].id')"
check "  one draft with the whole month charged" \
  test "$(jget 'data.length')|$(jget 'data[0].status')|$(jget 'data[0].charges_msats')|$(jget 'data[0].total_msats')" = "1|draft|10000000|10000000"
check "  every amount in the list ends in _msats" amounts_end_in_msats

echo "# an upgrade charges the difference pro rata"
req "$ALICE" PUT "/tenant/relays/$A" '{"plan":"business"}'
check "pro -> business" test "$STATUS|$(jget plan)" = "200|business"
check "  billed as a second item" wait_for 15 newest_has_items "$ALICE" 2
req "$ALICE" GET "/tenant/invoices/$INV"
check "  the invoice shows its items" test "$STATUS|$(jget 'items[0].kind')|$(jget 'items[1].kind')|$(jget 'items[1].plan')" = "200|charge|charge|business"
# From the item's own billed instant (the activity's time, or where billing stood if it committed later).
EXPECTED="$(sql "SELECT floor(50000000::numeric * r / l)::bigint - floor(10000000::numeric * r / l)::bigint FROM (
  SELECT floor(extract(epoch FROM i.period_end)) - floor(extract(epoch FROM it.billed_at)) AS r,
         floor(extract(epoch FROM i.period_end)) - floor(extract(epoch FROM i.period_start)) AS l
  FROM invoices i JOIN invoice_items it ON it.invoice_id = i.id
  WHERE i.id = '$INV' AND it.plan = 'business' AND it.source = 'activity') x")"
check "  amount = floor(50M * left / month) - floor(10M * left / month) = $EXPECTED" test "$(jget 'items[1].amount_msats')" = "$EXPECTED"
check "  every amount in the invoice ends in _msats" amounts_end_in_msats

echo "# isolation"
req "$BOB" GET "/tenant/invoices/$INV"
check "Bob asking for Alice's invoice: 404 invoice-not-found" problem 404 invoice-not-found
req "$BOB" GET /tenant/invoices
check "  and his list is empty" test "$STATUS|$(jget 'data.length')" = "200|0"
req "$ALICE" GET /tenant/invoices/not-an-id
check "a malformed id: 404 too" problem 404 invoice-not-found
call GET "/tenant/invoices/$INV"
check "no token: 401" status_is 401

echo "# admin routes refuse a tenant"
req "$ALICE" GET /admin/invoices
check "GET /admin/invoices: 403 admin-required" problem 403 admin-required
req "$ALICE" POST "/admin/invoices/$INV/mark-paid"
check "POST /admin/invoices/:id/mark-paid: 403 admin-required" problem 403 admin-required
req "$ALICE" POST "/admin/invoices/$INV/void"
check "POST /admin/invoices/:id/void: 403 admin-required" problem 403 admin-required
req "$ALICE" PUT /admin/plans/pro '{"price_msats":1}'
check "PUT /admin/plans/:id: 403 admin-required" problem 403 admin-required

echo "# admin"
req "$ADMIN" GET "/admin/invoices?tenant=$ALICE_PK"
check "the admin lists Alice's invoices" test "$STATUS|$(jget 'data.length')|$(jget 'data[0].id')" = "200|1|$INV"
req "$ADMIN" GET "/admin/invoices?status=bogus"
check "  an unknown status: 400 invalid-status" problem 400 invalid-status
req "$ADMIN" POST "/admin/invoices/$INV/mark-paid"
check "a draft cannot be marked paid: 409 invoice-not-open" problem 409 invoice-not-open
req "$ADMIN" PUT /admin/plans/pro '{"price_msats":-1}'
check "a negative price: 400 invalid-field" problem 400 invalid-field
req "$ADMIN" PUT /admin/plans/gold '{"price_msats":1}'
check "an unknown plan: 404 plan-not-found" problem 404 plan-not-found
req "$ADMIN" PUT /admin/plans/pro '{"price_msats":12000000,"max_connections":900}'
check "the admin changes pro's price and a limit" test "$STATUS|$(jget price_msats)|$(jget limits.max_connections)" = "200|12000000|900"
call GET /plans
check "  GET /plans shows it" test "$(jget 'data[1].price_msats')" = "12000000"
plan_fact_published() { redis XREVRANGE marina:platform + - COUNT 5 | grep -q plan.updated; }
check "  plan.updated is announced on marina:platform" plan_fact_published

echo "# a month later: a second billing replica closes the period"
req "$BOB" POST /tenant/relays '{"subdomain":"bill-b","plan":"pro"}'
check "Bob's pro relay" wait_for 15 newest_has_items "$BOB" 1
req "$BOB" GET /tenant/invoices
BOB_INV="$(jget 'data[0].id')"
B2_PORT="$(free_port)"; B2_ADMIN="$(free_port)"
(
  set -a; . "$E2E_STATE/secrets.env"; set +a
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$MARINA_PG_PORT/marina" REDIS_URL="redis://127.0.0.1:$MARINA_REDIS_PORT"
  export HOST=127.0.0.1 PORT="$B2_PORT" ADMIN_HOST=127.0.0.1 ADMIN_PORT="$B2_ADMIN" LOG_LEVEL=info
  export BILLING_JOB_INTERVAL=200ms BILLING_CLOCK_OFFSET=768h   # 32 days ahead
  exec "$E2E_BUILD/services/billing/marina-billing"
) >"$E2E_STATE/logs/billing-second.log" 2>&1 &
B2_PID=$!
trap 'kill -TERM $B2_PID 2>/dev/null; wait $B2_PID 2>/dev/null; platform_cleanup' EXIT
invoices_are() { req "$1" GET /tenant/invoices; [ "$(jget 'data.length')|$(jget 'data[1].status')" = "$2" ]; }
check "Alice's period closes: an open invoice and a new draft" wait_for 20 invoices_are "$ALICE" "2|open"
req "$ALICE" GET /tenant/invoices
check "  newest first: the draft, then the open one" test "$(jget 'data[0].status')|$(jget 'data[1].id')" = "draft|$INV"
DUE="$(sql "SELECT sum(amount_msats) FROM invoice_items WHERE invoice_id = '$INV'")"
check "  due = the two charges ($DUE msats)" test "$(jget 'data[1].amount_due_msats')" = "$DUE"
check "  the new period charges business a whole month" test "$(jget 'data[0].charges_msats')" = "50000000"
check "Bob's closes too" wait_for 20 invoices_are "$BOB" "2|open"
check "  closed once by two replicas: one closed invoice per tenant and period" \
  test "$(sql "SELECT count(*) FROM invoices WHERE tenant_pubkey IN ('$ALICE_PK','$BOB_PK') AND status <> 'draft'")" = 2

req "$ADMIN" POST "/admin/invoices/$INV/mark-paid" '{"note":"paid by bank transfer"}'
check "the admin marks Alice's invoice paid" test "$STATUS|$(jget status)|$(jget paid_via)|$(jget paid_by)|$(jget note)" = "200|paid|out-of-band|$ADMIN_PK|paid by bank transfer"
check "  with its items" test "$(jget 'items.length')" = 2
req "$ADMIN" POST "/admin/invoices/$INV/mark-paid"
check "  twice: 409 invoice-not-open" problem 409 invoice-not-open
req "$ADMIN" POST "/admin/invoices/$INV/void"
check "  a paid invoice cannot be voided: 409" problem 409 invoice-not-open
req "$ADMIN" POST "/admin/invoices/$BOB_INV/void" '{"note":"test relay"}'
check "the admin voids Bob's invoice" test "$STATUS|$(jget status)|$(jget voided_by)" = "200|void|$ADMIN_PK"
req "$BOB" GET "/tenant/invoices/$BOB_INV"
check "  Bob sees it void" test "$(jget status)" = "void"
req "$ADMIN" GET "/admin/invoices?status=open&limit=1"
check "the admin lists by status" test "$STATUS|$(jget 'data.length')" = "200|0"
req "$ADMIN" GET "/admin/invoices?limit=1"
NEXT="$(jget next_cursor)"
req "$ADMIN" GET "/admin/invoices?limit=1&cursor=$NEXT"
check "  and pages with next_cursor" test "$STATUS|$(jget 'data.length')" = "200|1"

echo "# metrics"
METRICS="$(curl -fsS "http://127.0.0.1:$B2_ADMIN/metrics")"
check "invoices by status" metric_positive 'marina_billing_invoices{status="draft"}'
check "job runs" metric_positive 'marina_billing_job_runs_total{job="close",result="ok"}'
check "msats billed" metric_positive 'marina_billing_billed_msats_total{kind="charge"}'

echo "# the CLI"
API="http://$MARINA_API_HOST:$HTTP_PORT"
KEYFILE="$WORK/alice.key"
HOME="$WORK" MARINA_API="$API" "$MARINA" --key-file "$KEYFILE" key import "$ALICE" >/dev/null 2>&1
mkdir -p "$WORK/nokey"
OUT="$(HOME="$WORK/nokey" MARINA_API="$API" "$MARINA" plans 2>&1)"
out_has() { grep -qE -- "$1" <<<"$OUT"; }
check "marina plans, without any key: a table with the prices" out_has '^pro +Pro +12000000'
check "  and limits" out_has '^business +Business +50000000 +100 '

OUT="$(HOME="$WORK" MARINA_API="$API" "$MARINA" --key-file "$KEYFILE" invoices list 2>&1)"
check "marina invoices list: both invoices" out_has "^$INV .* paid "
check "  the draft first" out_has "draft +[0-9]+ +0"
OUT="$(HOME="$WORK" MARINA_API="$API" "$MARINA" --key-file "$KEYFILE" invoices show "$INV" --json 2>&1)"
check "marina invoices show --json: the invoice with its items" test "$(BODY="$OUT" jget status)|$(BODY="$OUT" jget 'items.length')" = "paid|2"

rm -rf "$WORK"
finish
