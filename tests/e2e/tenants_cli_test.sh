#!/usr/bin/env bash
# The `marina` command-line client against the real platform through nginx:
# key handling (mode 600, nsec and hex import, refusal of a readable key
# file), every tenant and admin subcommand signing its own NIP-98 tokens,
# --json and table output, problem codes and exit codes, and the two
# commands `make run` prints (scripts/first-relay.txt).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/auth_lib.sh"
source "$(dirname "$0")/tenants_lib.sh"

MARINA="$E2E_BUILD/tools/cli/marina"
[ -x "$MARINA" ] || { echo "$MARINA is not built"; echo "0 passed, 1 failed"; exit 1; }
WORK="$(mktemp -d)"
read -r ADMIN_SK ADMIN_PK _ < <(token keygen)
export HOSTING_ADMIN_PUBKEYS="$ADMIN_PK"
export RELAY_PUBLIC_SCHEME=ws
platform_start || { echo "0 passed, 1 failed"; exit 1; }
sql "UPDATE plans SET max_relays = 3 WHERE id IN ('free', 'pro')" >/dev/null
API="http://$MARINA_API_HOST:$HTTP_PORT"

# m ARGS...: runs the CLI as the person whose HOME is $WORK/home; OUT, ERR, RC.
m() {
  OUT="$(HOME="$WORK/home" MARINA_API="$API" "$MARINA" "$@" 2>"$WORK/err")"; RC=$?
  ERR="$(cat "$WORK/err")"
}
# ma ARGS...: as the admin (key in its own file).
ma() { m --key-file "$WORK/admin.key" "$@"; }
out_field() { BODY="$OUT" jget "$1"; }
rc_is() { [ "$RC" = "$1" ] || { echo "    rc $RC (wanted $1): $OUT $ERR"; return 1; }; }

echo "# keys"
m key generate
check "key generate succeeds" rc_is 0
KEY="$WORK/home/.config/marina/key"
check "  the key file has mode 600" test "$(stat -c %a "$KEY")" = 600
check "  and prints the npub" bash -c "grep -q '^npub: *npub1' <<<'$OUT'"
m key show --json
ALICE_PK="$(out_field pubkey)"
check "key show --json gives the hex pubkey" bash -c "[[ '$ALICE_PK' =~ ^[0-9a-f]{64}$ ]]"
m key generate
check "a second generate does not overwrite the key (exit 1)" bash -c "[ $RC = 1 ] && grep -q 'force' <<<'$ERR'"
NSEC="$(node -e 'import("nostr-tools").then(({nip19})=>console.log(nip19.nsecEncode(Uint8Array.from(Buffer.from(process.argv[1],"hex")))))' "$ADMIN_SK" 2>/dev/null || true)"
[ -n "$NSEC" ] || NSEC="$(cd "$(dirname "$0")/js" && node -e 'import("nostr-tools").then(({nip19})=>console.log(nip19.nsecEncode(Uint8Array.from(Buffer.from(process.argv[1],"hex")))))' "$ADMIN_SK")"
m --key-file "$WORK/admin.key" key import "$NSEC" --json
check "key import of an nsec keeps that key" test "$(out_field pubkey)" = "$ADMIN_PK"
m --key-file "$WORK/hex.key" key import "$ADMIN_SK" --json
check "key import of hex keeps that key" test "$(out_field pubkey)" = "$ADMIN_PK"
cp "$WORK/hex.key" "$WORK/open.key"; chmod 644 "$WORK/open.key"
m --key-file "$WORK/open.key" tenant
check "a key file others can read is refused" bash -c "[ $RC = 1 ] && grep -q 'chmod 600' <<<'$ERR'"

echo "# tenant routes"
m whoami --json
check "whoami: the key's pubkey as tenant" test "$(out_field pubkey) $(out_field role)" = "$ALICE_PK tenant"
m tenant --json
check "tenant --json" test "$(out_field pubkey) $(out_field status)" = "$ALICE_PK active"
m tenant
check "tenant as key: value lines" bash -c "grep -q '^status: *active' <<<'$OUT'"
m relays create CliRelay --name "CLI relay" --description "made by the CLI" --json
check "relays create: 201 with the relay" test "$(out_field subdomain) $(out_field status)" = "clirelay active"
R="$(out_field id)"
check "  its url" test "$(out_field url)" = "ws://clirelay.$RELAY_DOMAIN:$HTTP_PORT"
m relays create second
R2="$(BODY="$OUT" ; grep '^id:' <<<"$OUT" | awk '{print $2}')"
check "relays create as a readable key: value listing" bash -c "grep -q '^subdomain: *second' <<<'$OUT'"
m relays list
check "relays list: a table with both" bash -c "head -1 <<<'$OUT' | grep -q '^ID  *SUBDOMAIN  *STATUS' && grep -q clirelay <<<'$OUT' && grep -q second <<<'$OUT'"
m relays list --limit 1 --json
check "relays list --limit 1 --json: one and a cursor" test "$(out_field 'items.length')" = 1 -a -n "$(out_field next_cursor)"
m relays list --limit 1
check "  the table says how to get more" bash -c "grep -q -- '--cursor' <<<'$OUT'"
m relays list --all --json
check "relays list --all follows the cursors" test "$(out_field 'items.length')" = 2
m relays get "$R" --json
check "relays get" test "$(out_field name)" = "CLI relay"
m relays update "$R" --name "Renamed" --plan pro --json
check "relays update" test "$(out_field name) $(out_field plan)" = "Renamed pro"
m relays delete "$R2" --json
check "relays delete deactivates" test "$(out_field status)" = inactive
m relays list --status inactive --json
check "relays list --status inactive" test "$(out_field 'items.length') $(out_field 'items[0].id')" = "1 $R2"
m relays reactivate "$R2" --json
check "relays reactivate" test "$(out_field status)" = active
m relays activity "$R2"
check "relays activity: a table of created, deactivated, reactivated" \
  bash -c "grep -c 'created\|deactivated\|reactivated' <<<'$OUT' | grep -qx 3"
m relays create api
check "a refused create exits 1 with the problem code on stderr" \
  bash -c "[ $RC = 1 ] && grep -q 'error: subdomain-reserved' <<<'$ERR'"
m relays create api --json
check "  and with --json the problem on stdout" test "$(out_field code)" = subdomain-reserved
m relays get 00000000-0000-0000-0000-000000000000
check "an unknown relay: exit 1, relay-not-found" bash -c "[ $RC = 1 ] && grep -q relay-not-found <<<'$ERR'"
m relays frobnicate
usage_shown() { [ "$RC" = 2 ] && grep -q "unknown relays subcommand" <<<"$ERR" && grep -q "usage: marina" <<<"$ERR"; }
check "an unknown subcommand: exit 2 with usage" usage_shown
m admin tenants list
check "a tenant using admin commands: exit 1, admin-required" bash -c "[ $RC = 1 ] && grep -q admin-required <<<'$ERR'"

echo "# admin routes"
ma admin tenants list --json
check "admin tenants list" bash -c "grep -q '$ALICE_PK' <<<'$OUT'"
ma admin tenants list
check "  as a table" bash -c "head -1 <<<'$OUT' | grep -q '^PUBKEY  *STATUS  *RELAYS'"
ALICE_NPUB="$(HOME="$WORK/home" "$MARINA" key show --json | BODY="$(cat)" jget npub)"
ma admin tenants get "$ALICE_NPUB" --json
check "admin tenants get by npub, with relays" test "$(out_field pubkey) $(out_field 'relays.length')" = "$ALICE_PK 2"
ma admin tenants update "$ALICE_PK" --status suspended --json
check "admin tenants update --status suspended" test "$(out_field status)" = suspended
m relays create blocked
check "  the suspended tenant cannot create" bash -c "[ $RC = 1 ] && grep -q tenant-suspended <<<'$ERR'"
m relays list --json
check "  but can list" test "$(out_field 'items.length')" = 2
ma admin tenants update "$ALICE_PK" --status active --json
check "admin lifts it" test "$(out_field status)" = active
ma admin relays list --status active --json
check "admin relays list --status active" bash -c "grep -q '$R' <<<'$OUT' && grep -q '$R2' <<<'$OUT'"
ma admin relays get "$R" --json
check "admin relays get" test "$(out_field tenant_pubkey)" = "$ALICE_PK"
ma admin relays update "$R" --status suspended --reason abuse --json
check "admin relays update --status suspended --reason" test "$(out_field status) $(out_field status_reason)" = "suspended abuse"
ma admin relays delete "$R2" --json
check "admin relays delete" test "$(out_field status)" = inactive
m relays activity "$R" --json
check "the owner sees the admin's suspensions (tenant, then relay) in the activity" \
  test "$(node -e 'console.log(JSON.parse(process.argv[1]).items.map(a=>a.action+"/"+a.actor_role).join(" "))' "$OUT")" \
       = "created/tenant updated/tenant tenant_suspended/admin tenant_reactivated/admin suspended/admin"

echo "# the commands make run prints, as printed (the CLI with its full path)"
FIRST="$(grep -F "    $MARINA --api $API " "$E2E_STATE/platform.out")"
check "the banner has two marina commands (scripts/first-relay.txt)" test "$(wc -l <<<"$FIRST")" = 2
i=0
while IFS= read -r line; do
  i=$((i + 1))
  cmd="${line#"    $MARINA "}"
  eval "set -- $cmd"
  OUT="$(HOME="$WORK/fresh" "$MARINA" "$@" 2>&1)"; RC=$?
  check "  command $i works for a new user: marina $cmd" rc_is 0
done <<<"$FIRST"
check "  and the relay exists" bash -c "HOME='$WORK/fresh' '$MARINA' --api '$API' relays list | grep -q myrelay"

rm -rf "$WORK"
finish
