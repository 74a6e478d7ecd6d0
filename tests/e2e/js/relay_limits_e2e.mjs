// A relay's owner changes its configuration and rules through the tenants API
// (NIP-98 tokens made with nostr-tools) and a Nostr client sees each change
// through the nginx ingress within a second, and on a second relay-query
// replica reached directly. Prints "ok   - ..." / "FAIL - ..." per check and
// exits non-zero when one failed. Environment: see relay_limits_test.sh.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { check, eq, expect, finish } from './checks.mjs'
import { RelayClient } from './relay_client.mjs'

const env = process.env
const HTTP_PORT = Number(env.HTTP_PORT)
const REPLICA2_PORT = Number(env.REPLICA2_PORT)
const DOMAIN = env.RELAY_DOMAIN
const API_HOST = env.API_HOST
// How long a change may take to reach a client.
const WITHIN_MS = 1000
const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const randomId = () => randomBytes(32).toString('hex')


// Polls `probe` until it returns something truthy, for at most WITHIN_MS
// after `since`; returns that value. The last value or error is named on failure.
async function within(since, probe, what) {
  let last
  for (;;) {
    try {
      const v = await probe()
      if (v) return v
      last = v
    } catch (e) {
      last = e.message
    }
    if (Date.now() - since > WITHIN_MS) throw new Error(`not within ${WITHIN_MS} ms: ${what}; last: ${JSON.stringify(last)}`)
    await sleep(40)
  }
}

function request(port, host, method, path, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, Host: host } }, (res) => {
      let data = ''
      res.on('data', (c) => (data += c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }))
    })
    req.on('error', reject)
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path} timed out`)))
    if (body !== undefined) req.write(body)
    req.end()
  })
}

// One NIP-98 signed call to the tenants API through the ingress.
async function api(secretHex, method, path, json = undefined) {
  const url = `http://${API_HOST}:${HTTP_PORT}${path}`
  const body = json === undefined ? undefined : JSON.stringify(json)
  const tags = [
    ['u', url],
    ['method', method],
  ]
  if (body !== undefined) tags.push(['payload', createHash('sha256').update(body, 'utf8').digest('hex')])
  const token = finalizeEvent({ kind: 27235, created_at: now(), tags, content: '' }, Buffer.from(secretHex, 'hex'))
  const headers = { Authorization: 'Nostr ' + Buffer.from(JSON.stringify(token)).toString('base64') }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await request(HTTP_PORT, `${API_HOST}:${HTTP_PORT}`, method, path, headers, body)
  return { status: r.status, json: r.body ? JSON.parse(r.body) : null }
}

// PUT the configuration; returns when the API answered (the clock of "within").
async function configure(owner, relay, values) {
  const r = await api(owner, 'PUT', `/tenant/relays/${relay}/config`, values)
  if (r.status !== 200) throw new Error(`PUT config ${JSON.stringify(values)}: ${r.status} ${JSON.stringify(r.json)}`)
  return Date.now()
}
async function addRule(owner, relay, rule_type, pattern_type, pattern_value) {
  const r = await api(owner, 'POST', `/tenant/relays/${relay}/rules`, { rule_type, pattern_type, pattern_value })
  if (r.status !== 201) throw new Error(`POST rule: ${r.status} ${JSON.stringify(r.json)}`)
  return { id: r.json.id, at: Date.now() }
}
async function removeRule(owner, relay, id) {
  const r = await api(owner, 'DELETE', `/tenant/relays/${relay}/rules/${id}`)
  if (r.status !== 204) throw new Error(`DELETE rule: ${r.status}`)
  return Date.now()
}

// Both ways in: through nginx (replica 1) and straight to replica 2.
const PORTS = [HTTP_PORT, REPLICA2_PORT]
const where = (port) => (port === HTTP_PORT ? 'through nginx' : 'on replica 2')
const hostOf = (sub, port) => (port === HTTP_PORT ? `${sub}.${DOMAIN}:${HTTP_PORT}` : `${sub}.${DOMAIN}`)
const open = (sub, port = HTTP_PORT) => RelayClient.open(port, hostOf(sub, port))
async function nip11(sub, port) {
  const r = await request(port, hostOf(sub, port), 'GET', '/', { Accept: 'application/nostr+json' })
  if (r.status !== 200) throw new Error(`NIP-11 ${r.status}`)
  return JSON.parse(r.body)
}
// An upgrade that is refused: its status and problem document.
async function refusedUpgrade(sub, port) {
  try {
    const c = await open(sub, port)
    c.close()
    return null
  } catch (e) {
    if (!e.status) throw e
    return { status: e.status, problem: JSON.parse(e.body) }
  }
}

// REQ on a connection: 'EOSE' when accepted (then CLOSEd again, so probes
// leave nothing open), else the CLOSED message.
async function probeReq(client, subId, filter = { ids: [randomId()] }) {
  const r = await client.req(subId, [filter])
  if (r.closed !== undefined) return r.closed
  client.send(['CLOSE', subId])
  return 'EOSE'
}

const key = generateSecretKey()
let stamp = now() - 100
const sign = (kind, content = '', tags = [], created_at = ++stamp) => finalizeEvent({ kind, content, tags, created_at }, key)

const { ALICE, BOB, CAROL, A, B, C } = env

// ---------------------------------------------------------------- NIP-11
await check('NIP-11: pubkey is the owner, self is the relay\'s own key (both replicas)', async () => {
  for (const port of PORTS) {
    const d = await nip11('limits-a', port)
    eq([d.pubkey, d.self], [env.ALICE_PK, env.A_SELF], `keys ${where(port)}`)
  }
})

// [key, value, what the document then shows]
const documentKeys = [
  ['relay_name', 'Limits relay', (d) => d.name, 'Limits relay'],
  ['relay_description', 'Bounds, live', (d) => d.description, 'Bounds, live'],
  ['relay_contact', 'mailto:ops@example.com', (d) => d.contact, 'mailto:ops@example.com'],
  ['relay_icon', 'https://example.com/icon.png', (d) => d.icon, 'https://example.com/icon.png'],
  ['relay_software', 'https://example.com/software', (d) => d.software, 'https://example.com/software'],
  ['relay_version', '7.7.7', (d) => d.version, '7.7.7'],
  ['supported_nips', '45, 1,11,40, 29', (d) => d.supported_nips, [1, 11, 40, 45]],
  ['language_tags', 'en,fr', (d) => d.language_tags, ['en', 'fr']],
  ['relay_countries', 'us,ca', (d) => d.relay_countries, ['US', 'CA']],
  ['posting_policy', 'https://example.com/policy', (d) => d.posting_policy, 'https://example.com/policy'],
  ['payments_url', 'https://example.com/pay', (d) => d.payments_url, 'https://example.com/pay'],
  ['max_message_length', 2048, (d) => d.limitation.max_message_length, 2048],
  ['max_subscriptions_per_client', 7, (d) => d.limitation.max_subscriptions, 7],
  ['max_event_tags', 30, (d) => d.limitation.max_event_tags, 30],
  ['max_content_length', 500, (d) => d.limitation.max_content_length, 500],
  ['nip42_auth_required', true, (d) => [d.limitation.auth_required, d.limitation.restricted_writes], [true, true]],
  ['pow_min_difficulty', 8, (d) => d.limitation.min_pow_difficulty, 0],
  ['pow_mode', 'required', (d) => d.limitation.min_pow_difficulty, 8],
]
for (const [name, value, shown, expected] of documentKeys) {
  await check(`NIP-11 ${name}=${JSON.stringify(value)}: shown within a second on both replicas`, async () => {
    const since = await configure(ALICE, A, { [name]: value })
    for (const port of PORTS) {
      await within(since, async () => JSON.stringify(shown(await nip11('limits-a', port))) === JSON.stringify(expected),
        `${name} ${where(port)}`)
    }
  })
}

await check('NIP-11 supported_nips: without 13 while pow_mode is disabled, without 40 while expiration is disabled', async () => {
  let since = await configure(ALICE, A, { supported_nips: null, pow_mode: 'disabled' })
  for (const port of PORTS)
    await within(since, async () => JSON.stringify((await nip11('limits-a', port)).supported_nips) ===
      JSON.stringify([1, 9, 11, 40, 42, 45, 50, 62, 70]), `no 13 ${where(port)}`)
  since = await configure(ALICE, A, { pow_mode: null, nip40_expiration_enabled: false })
  for (const port of PORTS)
    await within(since, async () => JSON.stringify((await nip11('limits-a', port)).supported_nips) ===
      JSON.stringify([1, 9, 11, 13, 42, 45, 50, 62, 70]), `no 40 ${where(port)}`)
})

await check('NIP-11 restricted_writes: a kind whitelist restricts writes only while auth_enabled', async () => {
  await configure(ALICE, A, { nip42_auth_required: null, pow_mode: null, pow_min_difficulty: null, nip40_expiration_enabled: null })
  const rule = await addRule(ALICE, A, 'whitelist', 'kind', '1')
  await within(rule.at, async () => (await nip11('limits-a', HTTP_PORT)).limitation.restricted_writes === false,
    'unrestricted without auth_enabled')
  const since = await configure(ALICE, A, { auth_enabled: true })
  for (const port of PORTS)
    await within(since, async () => (await nip11('limits-a', port)).limitation.restricted_writes === true, where(port))
  const gone = await removeRule(ALICE, A, rule.id)
  for (const port of PORTS)
    await within(gone, async () => (await nip11('limits-a', port)).limitation.restricted_writes === false, where(port))
})

await check('NIP-11: back to the defaults', async () => {
  const since = await configure(ALICE, A, {
    auth_enabled: null, max_message_length: null, max_subscriptions_per_client: null, max_event_tags: null,
    max_content_length: null, supported_nips: null,
  })
  await within(since, async () => {
    const d = await nip11('limits-a', HTTP_PORT)
    return d.limitation.max_message_length === 131072 && d.limitation.max_subscriptions === 50 &&
      d.limitation.auth_required === false && d.limitation.min_pow_difficulty === 0 &&
      JSON.stringify(d.supported_nips) === JSON.stringify([1, 9, 11, 13, 40, 42, 45, 50, 62, 70])
  }, 'defaults')
})

// ---------------------------------------------------- subscriptions per client
await check('max_subscriptions_per_client: a lowered bound refuses the next REQ (CLOSED), on both replicas', async () => {
  const clients = [await open('limits-a', HTTP_PORT), await open('limits-a', REPLICA2_PORT)]
  for (const c of clients) for (const id of ['s1', 's2']) eq((await c.req(id, [{ kinds: [30999] }])).closed, undefined, id)
  for (const c of clients) eq(await probeReq(c, 'x'), 'EOSE', 'a third subscription under the default bound')
  let since = await configure(ALICE, A, { max_subscriptions_per_client: 2 })
  for (const [i, c] of clients.entries())
    await within(since, async () => (await probeReq(c, 'x')) === 'error: too many subscriptions (at most 2 per connection)',
      `CLOSED ${where(PORTS[i])}`)
  since = await configure(ALICE, A, { max_subscriptions_per_client: 3 })
  for (const [i, c] of clients.entries())
    await within(since, async () => (await probeReq(c, 'x')) === 'EOSE', `raised again ${where(PORTS[i])}`)
  for (const c of clients) eq((await c.req('s1', [{ kinds: [30999] }])).closed, undefined, 'open subscriptions stay usable')
  for (const c of clients) c.close()
  await configure(ALICE, A, { max_subscriptions_per_client: null })
})

// ------------------------------------------------------------ message length
await check('max_message_length: a lowered bound answers a longer message with NOTICE, on both replicas', async () => {
  const big = JSON.stringify(['REQ', 'big', { ids: Array.from({ length: 22 }, randomId) }])
  expect(big.length > 1024 && big.length < 2048, `message of ${big.length} bytes`)
  const clients = [await open('limits-a', HTTP_PORT), await open('limits-a', REPLICA2_PORT)]
  const answer = async (c) => {
    c.send(big)
    const m = await c.next((x) => (x[0] === 'NOTICE') || (x[1] === 'big' && (x[0] === 'EOSE' || x[0] === 'CLOSED')))
    if (m[0] === 'EOSE') c.send(['CLOSE', 'big'])
    return m[0] === 'NOTICE' ? m[1] : m[0]
  }
  for (const c of clients) eq(await answer(c), 'EOSE', `${big.length} bytes under the default bound`)
  let since = await configure(ALICE, A, { max_message_length: 1024 })
  for (const [i, c] of clients.entries())
    await within(since, async () => (await answer(c)) === 'invalid: message larger than 1024 bytes', `NOTICE ${where(PORTS[i])}`)
  since = await configure(ALICE, A, { max_message_length: 4096 })
  for (const [i, c] of clients.entries())
    await within(since, async () => (await answer(c)) === 'EOSE', `raised again ${where(PORTS[i])}`)
  for (const c of clients) c.close()
  await configure(ALICE, A, { max_message_length: null })
})

// ------------------------------------------------------------------ NIP-40
await check('NIP-40 filter and grace period on REQ and COUNT, on both replicas', async () => {
  const clients = [await open('limits-a', HTTP_PORT), await open('limits-a', REPLICA2_PORT)]
  // Kept while expired: the filter is off (the grace period is 300 s).
  await configure(ALICE, A, { nip40_expiration_filter: false })
  const expires = now() + 2
  const e = sign(1, 'expires soon', [['expiration', String(expires)]], now())
  eq((await clients[0].publish(e)).accepted, true, 'accepted before its expiration')
  while (now() <= expires + 1) await sleep(100)
  let n = 0
  const served = async (c) => {
    const r = await c.req(`exp${++n}`, [{ ids: [e.id] }])
    c.send(['CLOSE', `exp${n}`])
    c.send(['COUNT', `cnt${n}`, { ids: [e.id] }])
    const count = await c.next((m) => m[0] === 'COUNT' && m[1] === `cnt${n}`)
    return `${r.events.length}/${count[2].count}`
  }
  for (const c of clients) eq(await served(c), '1/1', 'expired but stored, filter off: served (REQ/COUNT)')
  const expect_ = async (values, wanted, what) => {
    const since = await configure(ALICE, A, values)
    for (const [i, c] of clients.entries()) await within(since, async () => (await served(c)) === wanted, `${what} ${where(PORTS[i])}`)
  }
  await expect_({ nip40_expiration_grace_period: 1 }, '0/0', 'grace 1 s, expired longer ago: hidden')
  await expect_({ nip40_expiration_grace_period: 300 }, '1/1', 'grace 300 s: served again')
  await expect_({ nip40_expiration_filter: true }, '0/0', 'filter on: hidden')
  await expect_({ nip40_expiration_enabled: false }, '1/1', 'expiration disabled: the tag is ignored')
  await expect_({ nip40_expiration_enabled: null, nip40_expiration_filter: null, nip40_expiration_grace_period: null },
    '0/0', 'the defaults: hidden')
  for (const c of clients) c.close()
})

// ---------------------------------------------------- relay-wide subscriptions
await check('max_total_subscriptions: counted over the relay\'s connections on one replica', async () => {
  const c1 = await open('limits-c')
  const c2 = await open('limits-c')
  const c3 = await open('limits-c')
  for (let i = 0; i < 50; i++) {
    c1.send(['REQ', `a${i}`, { kinds: [30999] }])
    c2.send(['REQ', `b${i}`, { kinds: [30999] }])
  }
  await c1.next((m) => m[0] === 'EOSE' && m[1] === 'a49', 8000, 'EOSE a49')
  await c2.next((m) => m[0] === 'EOSE' && m[1] === 'b49', 8000, 'EOSE b49')
  eq(await probeReq(c3, 'x'), 'EOSE', 'the 101st under the default 5000')
  let since = await configure(CAROL, C, { max_total_subscriptions: 100 })
  await within(since, async () =>
    (await probeReq(c3, 'x')) === 'error: too many subscriptions on this relay (at most 100 at once); try again later',
    'CLOSED for the 101st')
  const other = await open('limits-c', REPLICA2_PORT)
  eq(await probeReq(other, 'y'), 'EOSE', 'replica 2 counts its own subscriptions')
  // A CLOSE on one connection makes room on another (a COUNT after it on
  // the same connection tells when it was handled).
  c1.send(['CLOSE', 'a0'])
  c1.send(['COUNT', 'barrier', { ids: [randomId()] }])
  await c1.next((m) => m[0] === 'COUNT' && m[1] === 'barrier')
  eq((await c3.req('fill', [{ kinds: [30999] }])).closed, undefined, 'one closed: room for one more')
  since = await configure(CAROL, C, { max_total_subscriptions: 150 })
  await within(since, async () => (await probeReq(c3, 'x')) === 'EOSE', 'the 101st once raised')
  for (const c of [c1, c2, c3, other]) c.close()
  await configure(CAROL, C, { max_total_subscriptions: null })
})

// ------------------------------------------------------------- connections
await check('max_connections: a lowered limit refuses new connections (503 relay-full) and leaves the open ones', async () => {
  const open1 = [await open('limits-b'), await open('limits-b')]
  const open2 = [await open('limits-b', REPLICA2_PORT), await open('limits-b', REPLICA2_PORT)]
  const since = await configure(BOB, B, { max_connections: 2 })
  const want = {
    status: 503,
    code: 'relay-full',
    detail: 'This relay takes at most 2 connections at once here; try again later.',
  }
  for (const port of PORTS) {
    const r = await within(since, () => refusedUpgrade('limits-b', port), `refused ${where(port)}`)
    eq({ status: r.status, code: r.problem.code, detail: r.problem.detail }, want, `the refusal ${where(port)}`)
  }
  for (const c of [...open1, ...open2]) eq(await probeReq(c, 'still'), 'EOSE', 'an open connection still works')
  const raised = await configure(BOB, B, { max_connections: 3 })
  for (const port of PORTS) await within(raised, async () => (await refusedUpgrade('limits-b', port)) === null, `admitted ${where(port)}`)
  for (const c of [...open1, ...open2]) c.close()
  await configure(BOB, B, { max_connections: null })
})

// ----------------------------------------------------------------- ip rules
await check('ip rules: a blacklisted address is refused (403 ip-blocked) and its connections closed, once auth_enabled', async () => {
  const banned = 'blocked: your address is banned from this relay'
  const c1 = await open('limits-b')
  const c2 = await open('limits-b', REPLICA2_PORT)
  const rule = await addRule(BOB, B, 'blacklist', 'ip', '127.0.0.1')
  await sleep(300)
  expect(!c1.closed && !c2.closed, 'a rule without auth_enabled closes nothing')
  eq(await refusedUpgrade('limits-b', HTTP_PORT), null, 'and refuses nothing')
  const since = await configure(BOB, B, { auth_enabled: true })
  for (const [i, c] of [c1, c2].entries()) {
    const closed = await c.waitClosed(WITHIN_MS + 500)
    expect(Date.now() - since <= WITHIN_MS, `closed after ${Date.now() - since} ms ${where(PORTS[i])}`)
    eq(closed, { code: 1008, reason: banned }, `close ${where(PORTS[i])}`)
  }
  for (const port of PORTS) {
    const r = await refusedUpgrade('limits-b', port)
    eq(r && { status: r.status, code: r.problem.code, detail: r.problem.detail },
      { status: 403, code: 'ip-blocked', detail: banned }, `refused ${where(port)}`)
  }
  const removed = await removeRule(BOB, B, rule.id)
  for (const port of PORTS) await within(removed, async () => (await refusedUpgrade('limits-b', port)) === null, `admitted ${where(port)}`)
})

await check('ip rules: with an ip whitelist only listed addresses connect', async () => {
  const unlisted = 'blocked: this relay admits only listed addresses'
  const c1 = await open('limits-b')
  const other = await addRule(BOB, B, 'whitelist', 'ip', '10.0.0.0/8')
  const closed = await c1.waitClosed(WITHIN_MS + 500)
  expect(Date.now() - other.at <= WITHIN_MS, `closed after ${Date.now() - other.at} ms`)
  eq(closed, { code: 1008, reason: unlisted }, 'close of an unlisted address')
  for (const port of PORTS) {
    const r = await refusedUpgrade('limits-b', port)
    eq(r && { status: r.status, code: r.problem.code, detail: r.problem.detail },
      { status: 403, code: 'ip-blocked', detail: unlisted }, `refused ${where(port)}`)
  }
  const listed = await addRule(BOB, B, 'whitelist', 'ip', '127.0.0.1')
  for (const port of PORTS) await within(listed.at, async () => (await refusedUpgrade('limits-b', port)) === null, `listed ${where(port)}`)
  await removeRule(BOB, B, listed.id)
  const off = await configure(BOB, B, { auth_enabled: false })
  for (const port of PORTS) await within(off, async () => (await refusedUpgrade('limits-b', port)) === null, `auth off ${where(port)}`)
  await removeRule(BOB, B, other.id)
})

finish()
