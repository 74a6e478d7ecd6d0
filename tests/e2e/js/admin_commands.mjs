// The client side of tests/e2e/admin_commands_test.sh: seed 004's admin
// commands sent the way its JavaScript example sends them — the command
// NIP-44 v2 encrypted with nostr-tools to the relay's key, a kind 23456 event
// tagged ["p", relay] signed with finalizeEvent, a subscription for
// {"kinds":[23457],"#p":[me]} — and every response decrypted and checked
// field for field against the seed's shapes.
//
//   node admin_commands.mjs suite
//       every command and error code; prints "ok   - ..." / "FAIL - ..." per check.
//       Environment: HTTP_PORT, HOST (the relay's Host header), RELAY_PUBKEY,
//       OWNER_SK, EXTRA_SK (named in admin_pubkeys), STRANGER_SK, AUTHOR_SK
//       (whose events the relay stores), STORED (how many), BANNED_PK (a
//       pubkey to blacklist), REPLAY_FILE (the replayed event is written there).
//   node admin_commands.mjs send SK COMMAND_JSON
//       prints the decrypted response (or "none" when none came within 8 s).
import { finalizeEvent, getPublicKey, nip44 } from 'nostr-tools'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import { check, eq as eqOrdered, expect, finish } from './checks.mjs'
import { RelayClient } from './relay_client.mjs'

const env = process.env
const PORT = Number(env.HTTP_PORT)
const HOST = env.HOST
const RELAY_PK = env.RELAY_PUBKEY
// JSON objects compare by their fields, not by the order they were written in.
const sorted = (v) =>
  Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v
const eq = (actual, expected, what) => eqOrdered(sorted(actual), sorted(expected), what)
const secretOf = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'))
const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
let subSerial = 0

// The kind 23456 event for `command`, as the seed's example builds it.
function commandEvent(sk, command, relayPk = RELAY_PK) {
  const key = nip44.v2.utils.getConversationKey(sk, relayPk)
  const content = nip44.v2.encrypt(JSON.stringify(command), key)
  return finalizeEvent({ kind: 23456, created_at: now(), tags: [['p', relayPk]], content }, sk)
}

// Publishes `event` on a fresh connection subscribed to {kinds:[23457], #p:[me]}
// (or `filter`), and waits for the answer to it (its e tag). Returns
// {ok, response (decrypted JSON, or null when none came within waitMs), answer}.
async function exchange(sk, event, { filter, waitMs = 8000 } = {}) {
  const me = getPublicKey(sk)
  const client = await RelayClient.open(PORT, HOST)
  try {
    const sub = `adm${subSerial++}`
    const f = filter ?? { kinds: [23457], '#p': [me], since: now() - 5 }
    const stored = await client.req(sub, [f])
    expect(stored.events.length === 0, `responses are never stored, REQ returned ${stored.events.length}`)
    const ok = await client.publish(event)
    let answer = null
    try {
      const m = await client.next(
        (x) => x[0] === 'EVENT' && x[1] === sub && x[2].tags.some((t) => t[0] === 'e' && t[1] === event.id),
        waitMs,
        'the kind 23457 answer',
      )
      answer = m[2]
    } catch {
      answer = null
    }
    let response = null
    if (answer) {
      const key = nip44.v2.utils.getConversationKey(sk, answer.pubkey)
      response = JSON.parse(nip44.v2.decrypt(answer.content, key))
    }
    return { ok, answer, response }
  } finally {
    client.close()
  }
}

async function send(sk, command, options) {
  return exchange(sk, commandEvent(sk, command), options)
}

// The seed's error response: {query_type, status: "error", error, timestamp},
// `error` starting with the code (and error_code carrying it alone).
function isError(r, code) {
  expect(r !== null, 'no response')
  eq(r.status, 'error', 'status')
  eq(r.error_code, code, 'error_code')
  expect(typeof r.error === 'string' && r.error.startsWith(`${code}: `), `error '${r.error}' starts with ${code}`)
  expect(Number.isInteger(r.timestamp) && Math.abs(r.timestamp - now()) < 60, 'timestamp is now')
  expect(typeof r.query_type === 'string', 'query_type')
}

function isSuccess(r, queryType, message) {
  expect(r !== null, 'no response')
  eq(Object.keys(r).sort(), ['message', 'query_type', 'status', 'timestamp'].sort(), 'fields of a success response')
  eq([r.query_type, r.status, r.message], [queryType, 'success', message], 'query_type, status, message')
  expect(Math.abs(r.timestamp - now()) < 60, 'timestamp is now')
}

function isQuery(r, queryType) {
  expect(r !== null, 'no response')
  eq(r.query_type, queryType, 'query_type')
  expect(Array.isArray(r.data), 'data is a list')
  eq(r.total_results, r.data.length, 'total_results counts data')
  expect(Math.abs(r.timestamp - now()) < 60, 'timestamp is now')
}

// GET the relay's NIP-11 document (the third door's view of relay_name).
function nip11() {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, path: '/', headers: { Host: HOST, Accept: 'application/nostr+json' } },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve(JSON.parse(body)))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

async function suite() {
  const owner = secretOf(env.OWNER_SK)
  const extra = secretOf(env.EXTRA_SK)
  const stranger = secretOf(env.STRANGER_SK)
  const author = getPublicKey(secretOf(env.AUTHOR_SK))
  const stored = Number(env.STORED)
  const banned = env.BANNED_PK

  console.log('# configuration')
  await check('config_query all: config_all with every key as the seed lists them', async () => {
    const { ok, answer, response: r } = await send(owner, ['config_query', 'all'])
    eq([ok.accepted, ok.message], [true, ''], 'the command is accepted with OK true')
    isQuery(r, 'config_all')
    eq(answer.kind, 23457, 'answer kind')
    eq(answer.pubkey, RELAY_PK, 'signed by the relay key')
    expect(answer.tags.some((t) => t[0] === 'p' && t[1] === getPublicKey(owner)), 'tagged p = the admin')
    expect(r.total_results >= 29, `every catalogue key (${r.total_results})`)
    for (const e of r.data) {
      for (const f of ['key', 'value', 'data_type', 'category', 'description'])
        expect(typeof e[f] === 'string', `${e.key}.${f} is a string`)
    }
    const auth = r.data.find((e) => e.key === 'auth_enabled')
    eq([auth.value, auth.data_type, auth.category], ['false', 'boolean', 'auth'], 'auth_enabled entry')
  })
  await check('config_query <key>: that one entry', async () => {
    const { response: r } = await send(owner, ['config_query', 'max_subscriptions_per_client'])
    isQuery(r, 'config_single')
    eq([r.total_results, r.data[0].key, r.data[0].data_type], [1, 'max_subscriptions_per_client', 'integer'], 'entry')
  })
  await check('config_query of an unknown key: validation_failed', async () => {
    isError((await send(owner, ['config_query', 'relay_port'])).response, 'validation_failed')
  })
  await check('config_update (the seed\'s two keys): success with per-key results', async () => {
    const { response: r } = await send(owner, [
      'config_update',
      [
        { key: 'relay_name', value: 'My Awesome Relay', data_type: 'string', category: 'relay' },
        { key: 'max_subscriptions_per_client', value: '50', data_type: 'integer', category: 'limits' },
      ],
    ])
    eq([r.query_type, r.status, r.total_results], ['config_update', 'success', 2], 'query_type, status, total_results')
    eq(r.data, [
      { key: 'relay_name', value: 'My Awesome Relay', status: 'updated' },
      { key: 'max_subscriptions_per_client', value: '50', status: 'updated' },
    ], 'data')
  })
  await check('  the relay serves the new name in NIP-11 within a second (the same store)', async () => {
    const deadline = Date.now() + 1000
    let doc
    do {
      doc = await nip11()
      if (doc.name === 'My Awesome Relay') return
      await sleep(100)
    } while (Date.now() < deadline)
    eq(doc.name, 'My Awesome Relay', 'NIP-11 name')
  })
  await check('config_update with one bad value: validation_failed, nothing applied, per-key results', async () => {
    const { response: r } = await send(owner, [
      'config_update',
      [
        { key: 'relay_name', value: 'Should not stick' },
        { key: 'max_subscriptions_per_client', value: '0' },
      ],
    ])
    isError(r, 'validation_failed')
    expect(r.error.includes('max_subscriptions_per_client'), `the error names the key: ${r.error}`)
    eq(r.data.map((d) => d.status), ['not_applied', 'rejected'], 'per-key statuses')
    const after = (await send(owner, ['config_query', 'relay_name'])).response
    eq(after.data[0].value, 'My Awesome Relay', 'relay_name unchanged')
  })
  await check('config_update of an unknown key: validation_failed naming it', async () => {
    const { response: r } = await send(owner, ['config_update', [{ key: 'relay_port', value: '80' }]])
    isError(r, 'validation_failed')
    expect(r.error.includes('relay_port'), r.error)
  })
  await check('config_update without a list: validation_failed', async () => {
    isError((await send(owner, ['config_update', 'relay_name=x'])).response, 'validation_failed')
  })

  console.log('# auth rules')
  await check('blacklist pubkey: auth_add "Blacklist rule added successfully"', async () => {
    isSuccess((await send(owner, ['blacklist', 'pubkey', banned])).response, 'auth_add',
      'Blacklist rule added successfully')
  })
  await check('whitelist kind: auth_add "Whitelist rule added successfully"', async () => {
    isSuccess((await send(owner, ['whitelist', 'kind', '1'])).response, 'auth_add', 'Whitelist rule added successfully')
  })
  await check('blacklist ip: a CIDR is taken', async () => {
    isSuccess((await send(owner, ['blacklist', 'ip', '10.1.2.3/8'])).response, 'auth_add',
      'Blacklist rule added successfully')
  })
  await check('the same rule again: validation_failed', async () => {
    isError((await send(owner, ['blacklist', 'pubkey', banned])).response, 'validation_failed')
  })
  await check('a pubkey that is not 64 hex: validation_failed', async () => {
    isError((await send(owner, ['blacklist', 'pubkey', 'abc123'])).response, 'validation_failed')
  })
  await check('an unknown pattern type: validation_failed', async () => {
    isError((await send(owner, ['whitelist', 'country', 'FR'])).response, 'validation_failed')
  })
  await check('auth_query all: auth_rules_all with the seed\'s four fields', async () => {
    const { response: r } = await send(owner, ['auth_query', 'all'])
    isQuery(r, 'auth_rules_all')
    eq(r.total_results, 3, 'three rules')
    for (const rule of r.data)
      eq(Object.keys(rule).sort(), ['action', 'pattern_type', 'pattern_value', 'rule_type'], 'rule fields')
    eq(r.data[0], { rule_type: 'blacklist', pattern_type: 'pubkey', pattern_value: banned, action: 'deny' }, 'first')
    eq(r.data[2].pattern_value, '10.0.0.0/8', 'ip stored canonical')
  })
  await check('auth_query whitelist: only the whitelist', async () => {
    const { response: r } = await send(owner, ['auth_query', 'whitelist'])
    isQuery(r, 'auth_rules_whitelist')
    eq(r.data, [{ rule_type: 'whitelist', pattern_type: 'kind', pattern_value: '1', action: 'allow' }], 'data')
  })
  await check('auth_query pattern <value>: the rules with that pattern', async () => {
    const { response: r } = await send(owner, ['auth_query', 'pattern', banned])
    isQuery(r, 'auth_rules_pattern')
    eq(r.data.map((x) => x.rule_type), ['blacklist'], 'one blacklist rule')
  })
  await check('auth_query of something else: validation_failed', async () => {
    isError((await send(owner, ['auth_query', 'everything'])).response, 'validation_failed')
  })
  await check('delete_auth_rule: auth_delete "Auth rule deleted successfully"', async () => {
    isSuccess((await send(owner, ['delete_auth_rule', 'blacklist', 'pubkey', banned])).response, 'auth_delete',
      'Auth rule deleted successfully')
    eq((await send(owner, ['auth_query', 'all'])).response.total_results, 2, 'two rules left')
  })
  await check('delete_auth_rule of a rule the relay does not have: validation_failed', async () => {
    isError((await send(owner, ['delete_auth_rule', 'blacklist', 'pubkey', banned])).response, 'validation_failed')
  })

  console.log('# system and statistics')
  await check('system_command system_status: the seed\'s fields, live counts from relay-query', async () => {
    // A second connection with a subscription, so the relay has clients
    // whatever the timing of the presence report.
    const watcher = await RelayClient.open(PORT, HOST)
    try {
      await watcher.req('w', [{ kinds: [7] }])
      await sleep(2500) // RELAY_QUERY_PRESENCE_INTERVAL=1s in this test
      const { response: r } = await send(owner, ['system_command', 'system_status'])
      eq(Object.keys(r).sort(), ['active_connections', 'active_subscriptions', 'database_size_bytes', 'query_type',
        'relay_pubkey', 'status', 'timestamp', 'total_events', 'uptime_seconds', 'version'].sort(), 'fields')
      eq([r.query_type, r.status, r.relay_pubkey], ['system_status', 'running', RELAY_PK], 'status and key')
      eq(r.total_events, stored, 'total_events counts this relay\'s events')
      expect(r.database_size_bytes > 0, `database_size_bytes ${r.database_size_bytes}`)
      expect(r.active_connections >= 1 && r.active_subscriptions >= 1,
        `connections ${r.active_connections}, subscriptions ${r.active_subscriptions}`)
      expect(typeof r.version === 'string' && r.version.length > 0, 'version')
      expect(Number.isInteger(r.uptime_seconds) && r.uptime_seconds >= 0, 'uptime_seconds')
    } finally {
      watcher.close()
    }
  })
  await check('stats_query: this relay\'s totals, kinds with percentages, time_stats, top_pubkeys', async () => {
    const { response: r } = await send(owner, ['stats_query'])
    eq(r.query_type, 'stats_query', 'query_type')
    eq(r.total_events, stored, 'total_events')
    eq(r.time_stats, { total: stored, last_24h: stored, last_7d: stored, last_30d: stored }, 'time_stats')
    const kind1 = r.event_kinds.find((k) => k.kind === 1)
    const kind0 = r.event_kinds.find((k) => k.kind === 0)
    eq([kind1.count, kind0.count], [stored - 1, 1], 'kind counts')
    eq(kind1.percentage, Math.round((1000 * (stored - 1)) / stored) / 10, 'kind 1 percentage (one decimal)')
    eq(r.top_pubkeys, [{ pubkey: author, event_count: stored, percentage: 100 }], 'top_pubkeys')
    expect(r.latest_event_at > 0 && r.database_created_at > 0 && r.database_size_bytes > 0, 'times and size')
  })
  await check('system_command clear_all_auth_rules: "All auth rules cleared", and they are', async () => {
    const { response: r } = await send(owner, ['system_command', 'clear_all_auth_rules'])
    eq([r.query_type, r.status, r.message], ['system_command', 'success', 'All auth rules cleared'], 'response')
    eq((await send(owner, ['auth_query', 'all'])).response.total_results, 0, 'no rules left')
  })
  await check('an unknown system command: invalid_command', async () => {
    isError((await send(owner, ['system_command', 'reboot'])).response, 'invalid_command')
  })

  console.log('# errors')
  await check('an unknown command: invalid_command naming it', async () => {
    const { response: r } = await send(owner, ['frobnicate', 'all'])
    isError(r, 'invalid_command')
    eq(r.query_type, 'frobnicate', 'query_type is the command')
  })
  await check('content that is not a JSON array: invalid_command', async () => {
    const key = nip44.v2.utils.getConversationKey(owner, RELAY_PK)
    const ev = finalizeEvent({ kind: 23456, created_at: now(), tags: [['p', RELAY_PK]],
      content: nip44.v2.encrypt('{"command":"config_query"}', key) }, owner)
    isError((await exchange(owner, ev)).response, 'invalid_command')
  })
  await check('content not encrypted to the relay\'s key: invalid_command (the admin can read why)', async () => {
    const key = nip44.v2.utils.getConversationKey(owner, getPublicKey(stranger))
    const ev = finalizeEvent({ kind: 23456, created_at: now(), tags: [['p', RELAY_PK]],
      content: nip44.v2.encrypt('["config_query","all"]', key) }, owner)
    isError((await exchange(owner, ev)).response, 'invalid_command')
  })
  await check('a non-admin: unauthorized, encrypted to them, with no data', async () => {
    const { ok, response: r, answer } = await send(stranger, ['config_query', 'all'])
    eq(ok.accepted, true, 'OK true (the relay does not tell who its admins are on the socket)')
    isError(r, 'unauthorized')
    eq(r.query_type, 'config_query', 'query_type is the command')
    expect(!('data' in r), 'no data')
    expect(answer.tags.some((t) => t[0] === 'p' && t[1] === getPublicKey(stranger)), 'to the sender')
  })
  await check('a non-admin whose content is not for this relay: no answer at all', async () => {
    const key = nip44.v2.utils.getConversationKey(stranger, getPublicKey(owner))
    const ev = finalizeEvent({ kind: 23456, created_at: now(), tags: [['p', RELAY_PK]],
      content: nip44.v2.encrypt('["config_query","all"]', key) }, stranger)
    const { ok, response } = await exchange(stranger, ev, { waitMs: 2000 })
    eq([ok.accepted, response], [true, null], 'OK true, no answer')
  })
  await check('invalid_signature: refused with OK false by the relay, never answered', async () => {
    const ev = commandEvent(owner, ['config_query', 'all'])
    const bad = { ...ev, sig: ev.sig.slice(0, -2) + (ev.sig.endsWith('00') ? '11' : '00') }
    const { ok, response } = await exchange(owner, bad, { waitMs: 2000 })
    eq([ok.accepted, ok.message, response], [false, 'invalid: bad signature', null], 'OK and answer')
  })

  console.log('# admins, replays, delivery')
  await check('an admin named in admin_pubkeys runs commands', async () => {
    isSuccess((await send(extra, ['whitelist', 'pubkey', getPublicKey(extra)])).response, 'auth_add',
      'Whitelist rule added successfully')
  })
  await check('a replayed command (same id) is executed once and answered once', async () => {
    const ev = commandEvent(owner, ['blacklist', 'kind', '30000'])
    writeFileSync(env.REPLAY_FILE, ev.id)
    const first = await exchange(owner, ev)
    isSuccess(first.response, 'auth_add', 'Blacklist rule added successfully')
    const again = await exchange(owner, ev, { waitMs: 2500 })
    eq([again.ok.accepted, again.response], [true, null], 'the replay: OK, no second answer')
  })
  await check('the answer also reaches {"kinds":[23457],"authors":[relay]} (the seed\'s Python filter)', async () => {
    const { response } = await send(owner, ['config_query', 'relay_name'], {
      filter: { kinds: [23457], authors: [RELAY_PK], since: now() - 5 },
    })
    eq(response?.data?.[0]?.value, 'My Awesome Relay', 'decrypted answer')
  })
  await check('a command is not broadcast: a {"kinds":[23456]} subscriber does not see it', async () => {
    const watcher = await RelayClient.open(PORT, HOST)
    try {
      await watcher.req('all23456', [{ kinds: [23456] }])
      const { response } = await send(owner, ['config_query', 'relay_name'])
      expect(response !== null, 'answered')
      expect(await watcher.quiet((m) => m[0] === 'EVENT', 800), 'the watcher got an event')
    } finally {
      watcher.close()
    }
  })
  await check('a 23456 addressed to someone else is an ordinary ephemeral event, never answered', async () => {
    const watcher = await RelayClient.open(PORT, HOST)
    try {
      await watcher.req('other', [{ kinds: [23456] }])
      const other = getPublicKey(stranger)
      const ev = commandEvent(owner, ['config_query', 'all'], other)
      const { ok, response } = await exchange(owner, ev, { waitMs: 1500 })
      eq([ok.accepted, response], [true, null], 'OK true, no answer')
      const seen = await watcher.liveEvent('other', 3000)
      eq(seen.id, ev.id, 'broadcast to the 23456 subscriber')
    } finally {
      watcher.close()
    }
  })
  await check('neither kind is ever stored: REQ for 23456 and 23457 returns nothing', async () => {
    const c = await RelayClient.open(PORT, HOST)
    try {
      eq((await c.req('kinds', [{ kinds: [23456, 23457] }])).events.length, 0, 'stored events')
    } finally {
      c.close()
    }
  })
  finish()
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'suite') {
  await suite()
} else if (mode === 'send') {
  const { response } = await send(secretOf(rest[0]), JSON.parse(rest[1]), { waitMs: Number(env.WAIT_MS ?? 8000) })
  console.log(response === null ? 'none' : JSON.stringify(response))
  process.exit(0)
} else {
  console.error('usage: admin_commands.mjs suite | send SK COMMAND_JSON')
  process.exit(2)
}
