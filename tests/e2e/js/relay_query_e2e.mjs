// End-to-end checks of hosted relays as an independent Nostr client sees
// them, through the nginx ingress (and directly against a second
// relay-query replica). Prints "ok   - ..." / "FAIL - ..." per check and
// exits non-zero when one failed. Environment: see relay_query_test.sh.
import { execFileSync } from 'node:child_process'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import WebSocket from 'ws'
import { check, eq, expect, finish } from './checks.mjs'
import { RelayClient } from './relay_client.mjs'

const env = process.env
const HTTP_PORT = Number(env.HTTP_PORT)
const REPLICA2_PORT = Number(env.REPLICA2_PORT)
const DOMAIN = env.RELAY_DOMAIN
const host = (sub) => `${sub}.${DOMAIN}:${HTTP_PORT}`
const now = () => Math.floor(Date.now() / 1000)

const sk = generateSecretKey()
const pk = getPublicKey(sk)
let stamp = now() - 100
const sign = (kind, content = '', tags = [], created_at = ++stamp, key = sk) =>
  finalizeEvent({ kind, content, tags, created_at }, key)
const open = (sub, port = HTTP_PORT) => RelayClient.open(port, port === HTTP_PORT ? host(sub) : `${sub}.${DOMAIN}`)
const sql = (query) => execFileSync('psql', [...env.PSQL_ARGS.split(' '), '-c', query], { encoding: 'utf8' })
const redis = (...args) => execFileSync('redis-cli', ['-p', env.MARINA_REDIS_PORT, ...args], { encoding: 'utf8' })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const alpha = await open('alpha')
const beta = await open('beta')

await check('EVENT is stored: OK true', async () => {
  const r = await alpha.publish(sign(1, 'hello marina'))
  eq(r.accepted, true, 'accepted')
})

await check('the same EVENT again: OK true "duplicate:"', async () => {
  const e = sign(1, 'twice')
  eq((await alpha.publish(e)).accepted, true, 'first')
  const r = await alpha.publish(e)
  eq(r.accepted, true, 'second accepted')
  expect(r.message.startsWith('duplicate:'), `message ${r.message}`)
})

await check('a bad signature: OK false "invalid:"', async () => {
  const e = { ...sign(1, 'forged') }
  e.sig = (e.sig[0] === 'a' ? 'b' : 'a') + e.sig.slice(1)
  const r = await alpha.publish(e)
  eq(r.accepted, false, 'accepted')
  expect(r.message.startsWith('invalid:'), `message ${r.message}`)
})

await check('an id that is not the hash: OK false "invalid:" at once', async () => {
  const e = { ...sign(1, 'original'), content: 'changed' }
  const r = await alpha.publish(e, 3000)
  eq(r.accepted, false, 'accepted')
  expect(r.message.startsWith('invalid:'), `message ${r.message}`)
})

await check('unreadable message: NOTICE "invalid:"', async () => {
  alpha.send('this is not json')
  const m = await alpha.next((x) => x[0] === 'NOTICE')
  expect(m[1].startsWith('invalid:'), m[1])
})

await check('REQ: stored events newest first, limit honoured, EOSE, then live, then CLOSE', async () => {
  const author = generateSecretKey()
  const base = now() - 50
  const stored = []
  for (let i = 0; i < 5; i++) {
    const e = sign(1, `note ${i}`, [], base + i, author)
    eq((await alpha.publish(e)).accepted, true, `publish ${i}`)
    stored.push(e)
  }
  const filter = { authors: [getPublicKey(author)], kinds: [1], limit: 3 }
  const { events } = await alpha.req('feed', [filter])
  eq(events.map((e) => e.id), [stored[4].id, stored[3].id, stored[2].id], 'the 3 newest, newest first')
  const live = sign(1, 'live one', [], now(), author)
  eq((await beta.publish(sign(1, 'noise on beta'))).accepted, true, 'beta publish')
  eq((await alpha.publish(live)).accepted, true, 'live publish')
  eq((await alpha.liveEvent('feed')).id, live.id, 'live event')
  alpha.send(['CLOSE', 'feed'])
  await sleep(200)
  eq((await alpha.publish(sign(1, 'after close', [], now(), author))).accepted, true, 'publish after close')
  expect(await alpha.quiet((m) => m[0] === 'EVENT' && m[1] === 'feed', 700), 'an event arrived after CLOSE')
})

await check('several filters in one REQ are OR-ed', async () => {
  const a = sign(7, '+')
  const b = sign(30001, '', [['d', 'list']])
  await alpha.publish(a)
  await alpha.publish(b)
  const { events } = await alpha.req('or', [{ ids: [a.id] }, { ids: [b.id] }])
  eq(new Set(events.map((e) => e.id)), new Set([a.id, b.id]), 'both')
  eq(events.length, 2, 'count')
  alpha.send(['CLOSE', 'or'])
})

await check('a REQ with an open subscription id replaces it (a refused one closes it)', async () => {
  await alpha.req('swap', [{ kinds: [1], authors: [pk] }])
  await alpha.req('swap', [{ kinds: [7], authors: [pk] }])
  await alpha.publish(sign(1, 'not for swap any more'))
  const reaction = sign(7, '+')
  await alpha.publish(reaction)
  eq((await alpha.liveEvent('swap')).id, reaction.id, 'only the new filter delivers')
  expect(await alpha.quiet((m) => m[0] === 'EVENT' && m[1] === 'swap', 300), 'something else arrived')
  const refused = await alpha.req('swap', [{ kinds: [1], unknown_field: true }])
  expect(refused.closed && refused.closed.startsWith('unsupported:'), `refused: ${refused.closed}`)
  await alpha.publish(sign(7, '+'))
  expect(await alpha.quiet((m) => m[0] === 'EVENT' && m[1] === 'swap', 500), 'a CLOSED subscription still delivers')
})

await check('replaceable and addressable events keep only the newest', async () => {
  const key = generateSecretKey()
  const t = now() - 30
  await alpha.publish(sign(0, '{"name":"old"}', [], t, key))
  const newest = sign(0, '{"name":"new"}', [], t + 1, key)
  await alpha.publish(newest)
  const r = await alpha.publish(sign(0, '{"name":"older"}', [], t - 5, key))
  eq(r.accepted, true, 'an older version is acknowledged')
  const profile = await alpha.req('profile', [{ kinds: [0], authors: [getPublicKey(key)] }])
  eq(profile.events.map((e) => e.id), [newest.id], 'kind 0')
  await alpha.publish(sign(30023, 'draft', [['d', 'post']], t, key))
  const article = sign(30023, 'final', [['d', 'post']], t + 2, key)
  await alpha.publish(article)
  const other = sign(30023, 'other post', [['d', 'other']], t, key)
  await alpha.publish(other)
  const articles = await alpha.req('articles', [{ kinds: [30023], authors: [getPublicKey(key)] }])
  eq(new Set(articles.events.map((e) => e.id)), new Set([article.id, other.id]), 'one per d tag')
})

await check('ephemeral events are delivered live and never stored', async () => {
  const watcher = await open('alpha')
  await watcher.req('eph', [{ kinds: [20001], authors: [pk] }])
  const e = sign(20001, 'now or never')
  eq((await alpha.publish(e)).accepted, true, 'accepted')
  eq((await watcher.liveEvent('eph')).id, e.id, 'live')
  const later = await alpha.req('eph-later', [{ kinds: [20001], authors: [pk] }])
  eq(later.events.length, 0, 'stored ephemeral events')
  watcher.close()
})

await check('NIP-09 deletion by e and by a', async () => {
  const note = sign(1, 'regret')
  const article = sign(30023, 'to delete', [['d', 'gone']])
  await alpha.publish(note)
  await alpha.publish(article)
  const del = sign(5, '', [['e', note.id], ['a', `30023:${pk}:gone`]])
  eq((await alpha.publish(del)).accepted, true, 'deletion accepted')
  const r = await alpha.req('deleted', [{ ids: [note.id, article.id] }])
  eq(r.events.length, 0, 'deleted events returned')
  const again = await alpha.publish(note)
  eq(again.accepted, false, 'a deleted event cannot come back')
})

await check('NIP-40: an expired event is no longer returned', async () => {
  const e = sign(1, 'short lived', [['expiration', String(now() + 2)]], now())
  eq((await alpha.publish(e)).accepted, true, 'accepted')
  eq((await alpha.req('exp1', [{ ids: [e.id] }])).events.length, 1, 'before expiry')
  await sleep(3200)
  eq((await alpha.req('exp2', [{ ids: [e.id] }])).events.length, 0, 'after expiry')
})

await check('NIP-45 COUNT', async () => {
  const key = generateSecretKey()
  for (let i = 0; i < 3; i++) await alpha.publish(sign(1, `count ${i}`, [], now() - i, key))
  alpha.send(['COUNT', 'c1', { kinds: [1], authors: [getPublicKey(key)] }])
  const m = await alpha.next((x) => x[0] === 'COUNT' && x[1] === 'c1')
  eq(m[2], { count: 3 }, 'count')
})

await check('NIP-50 search', async () => {
  const key = generateSecretKey()
  const fox = sign(1, 'The quick brown fox jumps', [], now(), key)
  await alpha.publish(fox)
  await alpha.publish(sign(1, 'a lazy dog sleeps', [], now(), key))
  const r = await alpha.req('search', [{ search: 'brown FOX', authors: [getPublicKey(key)] }])
  eq(r.events.map((e) => e.id), [fox.id], 'search results')
})

await check('an event published to alpha is never visible from beta', async () => {
  await beta.req('spy', [{ authors: [pk] }])
  const secret = sign(1, 'alpha only')
  await alpha.publish(secret)
  expect(await beta.quiet((m) => m[0] === 'EVENT' && m[1] === 'spy', 800), 'beta received it live')
  eq((await beta.req('spy2', [{ ids: [secret.id] }])).events.length, 0, 'beta stored')
  beta.send(['CLOSE', 'spy'])
})

await check('bounds: too many filters, too many subscriptions, too long a subscription id', async () => {
  const c = await open('alpha')
  const tooMany = await c.req('f', Array.from({ length: 11 }, () => ({ kinds: [1] })))
  expect(tooMany.closed && tooMany.closed.startsWith('invalid:'), `filters: ${tooMany.closed}`)
  for (let i = 0; i < 50; i++) c.send(['REQ', `s${i}`, { ids: ['0'.repeat(64)] }])
  for (let i = 0; i < 50; i++) await c.next((m) => m[0] === 'EOSE' && m[1] === `s${i}`)
  const over = await c.req('s50', [{ kinds: [1] }])
  expect(over.closed && over.closed.startsWith('error:') && over.closed.includes('subscriptions'), `subs: ${over.closed}`)
  c.send(['CLOSE', 's0'])
  const fits = await c.req('s50', [{ ids: ['0'.repeat(64)] }])
  expect(!fits.closed, 'a closed slot is free again')
  c.send(['REQ', 'x'.repeat(65), { kinds: [1] }])
  const notice = await c.next((m) => m[0] === 'NOTICE' || m[0] === 'CLOSED')
  expect(String(notice[notice.length - 1]).startsWith('invalid:'), `long id: ${notice}`)
  c.close()
})

await check('a message over max_message_length: NOTICE "invalid:", the connection stays usable', async () => {
  const c = await open('alpha')
  c.send(['REQ', 'big', { search: 'x'.repeat(200 * 1024) }])
  const notice = await c.next((m) => m[0] === 'NOTICE')
  expect(notice[1].startsWith('invalid:') && notice[1].includes('131072'), notice[1])
  const after = await c.req('after', [{ ids: ['0'.repeat(64)] }])
  expect(!after.closed, 'REQ after the big message')
  c.close()
})

await check('a suspended relay: EVENT gets OK false "blocked: <reason>", REQ still works', async () => {
  const g = await open('gamma')
  const r = await g.publish(sign(1, 'write to suspended'))
  eq(r.accepted, false, 'accepted')
  eq(r.message, 'blocked: unpaid invoice', 'message')
  const q = await g.req('read', [{ kinds: [1] }])
  expect(!q.closed, 'REQ closed')
  g.close()
})

await check('a relay suspended while connected blocks writes after its platform fact', async () => {
  const e = await open('epsilon')
  eq((await e.publish(sign(1, 'before'))).accepted, true, 'before suspension')
  sql(`UPDATE relays SET status = 'suspended', status_reason = 'payment overdue' WHERE id = '${env.EPSILON_ID}'`)
  redis('XADD', 'marina:platform', '*', 'v', '1', 'type', 'relay.suspended', 'relay', env.EPSILON_ID, 'tenant', '', 'data', '{}')
  let last
  for (let i = 0; i < 20; i++) {
    last = await e.publish(sign(1, `after ${i}`))
    if (!last.accepted) break
    await sleep(100)
  }
  eq(last.accepted, false, 'accepted after suspension')
  eq(last.message, 'blocked: payment overdue', 'message')
  e.close()
})

await check('a relay deactivated while connected: its connections are closed (1001)', async () => {
  const z = await open('zeta')
  await z.req('s', [{ kinds: [1] }])
  sql(`UPDATE relays SET status = 'inactive', status_reason = 'closed by its owner' WHERE id = '${env.ZETA_ID}'`)
  redis('XADD', 'marina:platform', '*', 'v', '1', 'type', 'relay.deactivated', 'relay', env.ZETA_ID, 'tenant', '', 'data', '{}')
  const closed = await z.waitClosed(5000)
  expect(closed && closed.code === 1001, `close ${JSON.stringify(closed)}`)
  let status
  try {
    ;(await open('zeta')).close()
  } catch (err) {
    status = err.status
  }
  eq(status, 404, 'a new connection')
})

await check('unknown and inactive relays: the upgrade is answered 404', async () => {
  for (const sub of ['nosuchrelay', 'delta']) {
    try {
      const c = await open(sub)
      c.close()
      throw new Error(`${sub} accepted the upgrade`)
    } catch (err) {
      eq(err.status, 404, `${sub} status`)
    }
  }
})

await check('nostr-tools Relay: publish, subscribe to stored then live, COUNT', async () => {
  class HostWebSocket extends WebSocket {
    constructor(url) {
      const u = new URL(url)
      super(`ws://127.0.0.1:${HTTP_PORT}${u.pathname}`, { headers: { Host: u.host } })
    }
  }
  useWebSocketImplementation(HostWebSocket)
  const relay = await Relay.connect(`ws://alpha.${DOMAIN}:${HTTP_PORT}`)
  const key = generateSecretKey()
  const first = sign(1, 'via nostr-tools', [], now() - 1, key)
  await relay.publish(first)
  const seen = []
  let eose = false
  const second = sign(1, 'live via nostr-tools', [], now(), key)
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`saw ${seen.length} events, eose ${eose}`)), 5000)
    const sub = relay.subscribe([{ authors: [getPublicKey(key)] }], {
      onevent: (e) => {
        seen.push(e.id)
        if (seen.length === 2) {
          clearTimeout(timer)
          sub.close()
          resolve()
        }
      },
      oneose: () => {
        eose = true
        relay.publish(second).catch(reject)
      },
    })
  })
  eq(seen, [first.id, second.id], 'stored then live')
  eq(await relay.count([{ authors: [getPublicKey(key)] }], {}), 2, 'count')
  relay.close()
})

await check('a second relay-query replica delivers the same live events', async () => {
  const one = await open('alpha')
  const two = await open('alpha', REPLICA2_PORT)
  await one.req('both', [{ kinds: [1], authors: [pk] }])
  await two.req('both', [{ kinds: [1], authors: [pk] }])
  const e = sign(1, 'for every replica')
  eq((await one.publish(e)).accepted, true, 'publish via replica 1')
  eq((await one.liveEvent('both')).id, e.id, 'replica 1')
  eq((await two.liveEvent('both')).id, e.id, 'replica 2')
  const f = sign(1, 'published through replica 2')
  eq((await two.publish(f)).accepted, true, 'OK comes back to replica 2')
  eq((await one.liveEvent('both')).id, f.id, 'replica 1 sees it')
  eq((await two.liveEvent('both')).id, f.id, 'replica 2 sees it')
  one.close()
  two.close()
})

await check('connections per client address are bounded: 429 past RELAY_MAX_CONNECTIONS_PER_IP', async () => {
  // Replica 2 allows 4 per address; its peer is loopback, a trusted proxy, so
  // X-Real-IP names the client as nginx would.
  const as = (ip) => RelayClient.open(REPLICA2_PORT, `alpha.${DOMAIN}`, 5000, { 'X-Real-IP': ip })
  const held = []
  for (let i = 0; i < 4; i++) held.push(await as('198.51.100.7'))
  let status
  try {
    ;(await as('198.51.100.7')).close()
  } catch (err) {
    status = err.status
  }
  eq(status, 429, 'fifth connection from one address')
  const other = await as('198.51.100.8')
  other.close()
  held.pop().close()
  await sleep(300)
  const again = await as('198.51.100.7')
  again.close()
  for (const c of held) c.close()
  await sleep(300)
})

await check('no OK from relay-ingest in time: OK false "error: timed out storing the event"', async () => {
  // Replica 2 waits 1.5 s for an outcome; relay-ingest is paused meanwhile.
  const c = await open('alpha', REPLICA2_PORT)
  process.kill(Number(env.INGEST_PID), 'SIGSTOP')
  let r
  try {
    r = await c.publish(sign(1, 'nobody stores me in time'), 5000)
  } finally {
    process.kill(Number(env.INGEST_PID), 'SIGCONT')
  }
  eq(r, { accepted: false, message: 'error: timed out storing the event' }, 'OK')
  c.close()
})

await check('AUTH (NIP-42) with a challenge that is not the connection\'s: OK false "invalid:" (nip42_test.sh has the rest)', async () => {
  const auth = sign(22242, '', [['relay', `ws://alpha.${DOMAIN}:${HTTP_PORT}`], ['challenge', 'x']])
  alpha.send(['AUTH', auth])
  const ok = await alpha.next((m) => m[0] === 'OK' && m[1] === auth.id)
  eq([ok[2], ok[3]], [false, "invalid: the challenge tag is not this connection's challenge"], 'OK')
})

await check('a client that stops reading is dropped instead of growing memory', async () => {
  // Replica 2 runs with RELAY_MAX_PENDING_BYTES=65536. Events are added to
  // marina:events directly (as relay-ingest would) so that megabytes arrive
  // faster than a paused client can take them.
  const author = '11'.repeat(32)
  const slow = await open('alpha', REPLICA2_PORT)
  await slow.req('firehose', [{ authors: [author] }])
  slow.ws._socket.pause()
  const content = 'z'.repeat(256 * 1024)
  const metrics = async () => (await (await fetch(`http://127.0.0.1:${env.REPLICA2_ADMIN}/metrics`)).text())
  const drops = (text) => Number((text.match(/^marina_relay_query_slow_reader_drops_total (\S+)/m) || [0, 0])[1])
  const before = drops(await metrics())
  let dropped = false
  for (let i = 0; i < 120 && !dropped; i++) {
    const ev = { id: (Date.now() * 1000 + i).toString(16).padStart(64, '0'), pubkey: author, created_at: now(), kind: 1, tags: [], content, sig: 'ab'.repeat(64) }
    // -x: the event (too long for a command-line argument) comes on stdin.
    execFileSync('redis-cli', ['-p', env.MARINA_REDIS_PORT, '-x', 'XADD', 'marina:events', 'MAXLEN', '~', '1000', '*',
      'v', '1', 'relay', env.ALPHA_ID, 'event'], { input: JSON.stringify(ev) })
    if (i % 10 === 9) dropped = drops(await metrics()) > before
  }
  for (let i = 0; i < 50 && !dropped; i++) {
    await sleep(100)
    dropped = drops(await metrics()) > before
  }
  expect(dropped, 'marina_relay_query_slow_reader_drops_total did not grow')
  slow.ws._socket.resume()
  const closed = await slow.waitClosed(10000)
  expect(closed, 'the slow connection is still open')
})

alpha.close()
beta.close()
finish()
