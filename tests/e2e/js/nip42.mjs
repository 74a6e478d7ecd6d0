// NIP-42 end to end, nostr-tools as the client (nip42.makeAuthEvent, nip59
// gift wraps), through the nginx ingress: the challenge on connect, AUTH
// accepted and refused (wrong relay, replayed, expired), several pubkeys,
// direct-message privacy (kinds 4 and 1059, stored, counted and live),
// NIP-70 with and without AUTH, and the owner's NIP-42 keys changed through
// PUT /tenant/relays/:id/config taking effect on open connections within a
// second. Prints "ok   - ..." / "FAIL - ..." per check; exits non-zero when
// one failed. Environment: see nip42_test.sh.
import http from 'node:http'
import { makeAuthEvent } from 'nostr-tools/nip42'
import { wrapEvent } from 'nostr-tools/nip59'
import { getToken } from 'nostr-tools/nip98'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { check, eq, finish } from './checks.mjs'
import { RelayClient } from './relay_client.mjs'

const env = process.env
const HTTP_PORT = Number(env.HTTP_PORT)
const HOST = `${env.SUBDOMAIN}.${env.RELAY_DOMAIN}:${HTTP_PORT}`
const RELAY_URL = `ws://${HOST}`
const OWNER = Uint8Array.from(Buffer.from(env.OWNER_SK, 'hex'))
const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const READ_REFUSED = 'auth-required: this relay serves only authenticated clients (NIP-42 AUTH)'
const WRITE_REFUSED = 'auth-required: this relay takes events only from authenticated clients (NIP-42 AUTH)'
const DMS_REFUSED =
  'auth-required: direct messages are served only to their authenticated author or recipient (NIP-42 AUTH)'

// PUT /tenant/relays/:id/config as the owner, NIP-98 signed by nostr-tools.
async function setConfig(values) {
  const path = `/tenant/relays/${env.RELAY_ID}/config`
  const url = `http://${env.MARINA_API_HOST}:${HTTP_PORT}${path}`
  const body = JSON.stringify(values)
  const token = await getToken(url, 'PUT', (e) => finalizeEvent(e, OWNER), true, values)
  const status = await new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: HTTP_PORT,
        path,
        method: 'PUT',
        headers: {
          Host: `${env.MARINA_API_HOST}:${HTTP_PORT}`,
          Authorization: token,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
  eq(status, 200, `PUT config ${body}`)
}

// Retries `probe` (true = the change is seen) for up to a second.
async function withinASecond(probe, what) {
  const deadline = Date.now() + 1000
  for (;;) {
    if (await probe()) return
    if (Date.now() > deadline) throw new Error(`${what} not seen within a second`)
    await sleep(50)
  }
}

// A connection with its challenge (the relay's first message).
async function connect() {
  const c = await RelayClient.open(HTTP_PORT, HOST)
  const m = await c.next((x) => x[0] === 'AUTH', 3000, 'the AUTH challenge')
  c.challenge = m[1]
  return c
}
async function auth(c, key, url = RELAY_URL, challenge = c.challenge) {
  const e = finalizeEvent(makeAuthEvent(url, challenge), key)
  c.send(['AUTH', e])
  const ok = await c.next((x) => x[0] === 'OK' && x[1] === e.id, 5000, 'the OK of AUTH')
  return { event: e, accepted: ok[2], message: ok[3] }
}
async function count(c, id, filter) {
  c.send(['COUNT', id, filter])
  const m = await c.next((x) => (x[0] === 'COUNT' || x[0] === 'CLOSED') && x[1] === id, 5000, `COUNT ${id}`)
  return m[0] === 'COUNT' ? m[2].count : m[2]
}

const alice = generateSecretKey()
const bob = generateSecretKey()
const carol = generateSecretKey()
const [ALICE, BOB, CAROL] = [alice, bob, carol].map((k) => getPublicKey(k))
let stamp = now() - 200
const sign = (key, kind, content, tags = []) => finalizeEvent({ kind, content, tags, created_at: ++stamp }, key)

await check('a connection opens with ["AUTH", <challenge>]: 32 random hex characters, new each time', async () => {
  const a = await connect()
  const b = await connect()
  eq(/^[0-9a-f]{32}$/.test(a.challenge), true, `challenge ${a.challenge}`)
  eq(a.challenge !== b.challenge, true, 'two connections, two challenges')
  a.close()
  b.close()
})

const asAlice = await connect()
const asBob = await connect()
const asCarol = await connect()
const anon = await connect()

await check('AUTH made by nip42.makeAuthEvent: ["OK", id, true, ""]', async () => {
  const r = await auth(asAlice, alice)
  eq([r.accepted, r.message], [true, ''], 'OK')
  eq((await auth(asBob, bob)).accepted, true, 'bob')
  eq((await auth(asCarol, carol)).accepted, true, 'carol')
})

await check('AUTH naming another relay: OK false "invalid: the relay tag does not name this relay"', async () => {
  const c = await connect()
  const r = await auth(c, alice, `ws://other.${env.RELAY_DOMAIN}:${HTTP_PORT}`)
  eq([r.accepted, r.message], [false, 'invalid: the relay tag does not name this relay'], 'OK')
  const wrong = await auth(c, alice, RELAY_URL, 'f'.repeat(32))
  eq([wrong.accepted, wrong.message], [false, "invalid: the challenge tag is not this connection's challenge"], 'OK')
  c.close()
})

await check('the same AUTH event again (a reused challenge): OK false "invalid: ... already used ..."', async () => {
  const c = await connect()
  const first = await auth(c, alice)
  eq(first.accepted, true, 'first')
  c.send(['AUTH', first.event])
  const again = await c.next((x) => x[0] === 'OK' && x[1] === first.event.id)
  eq([again[2], again[3]], [false, 'invalid: this challenge was already used by this pubkey'], 'replay')
  c.close()
})

await check('an AUTH event sent as EVENT is refused, never published', async () => {
  const r = await anon.publish(finalizeEvent(makeAuthEvent(RELAY_URL, anon.challenge), alice))
  eq([r.accepted, r.message], [false, 'invalid: kind 22242 is for AUTH messages, not for publishing'], 'OK')
})

// Direct messages: alice -> bob (kind 4), and a gift wrap to bob (kind 1059).
const note = sign(alice, 1, 'public note')
const dm = sign(alice, 4, 'ciphertext', [['p', BOB]])
const wrap = wrapEvent({ kind: 14, content: 'hi bob', tags: [['p', BOB]], created_at: now() }, alice, BOB)
await check('DMs are stored (OK true)', async () => {
  for (const e of [note, dm, wrap]) eq((await asAlice.publish(e)).accepted, true, `kind ${e.kind}`)
})

await check('REQ for kind 4 or 1059 before AUTH: CLOSED "auth-required: direct messages ..."', async () => {
  eq((await anon.req('dm4', [{ kinds: [4] }])).closed, DMS_REFUSED, 'kind 4')
  eq((await anon.req('dm1059', [{ kinds: [1059, 4] }])).closed, DMS_REFUSED, 'kinds 1059 and 4')
})

await check('stored DMs: their author and recipient get them, a stranger and an anonymous reader do not', async () => {
  eq((await asAlice.req('a4', [{ kinds: [4] }])).events.map((e) => e.id), [dm.id], 'alice, the author')
  eq((await asBob.req('b4', [{ kinds: [4] }])).events.map((e) => e.id), [dm.id], 'bob, the recipient')
  eq((await asBob.req('b1059', [{ kinds: [1059], '#p': [BOB] }])).events.map((e) => e.id), [wrap.id], 'bob, wrap')
  eq((await asCarol.req('c4', [{ kinds: [4, 1059] }])).events.length, 0, 'carol')
  eq((await asAlice.req('a1059', [{ kinds: [1059] }])).events.length, 0, "alice did not sign the wrap's outer key")
  const byAuthor = await anon.req('anon-author', [{ authors: [ALICE] }])
  eq(byAuthor.events.map((e) => e.id), [note.id], 'a filter without kinds: the DM is silently left out')
  const everything = await asBob.req('bob-all', [{ authors: [ALICE] }])
  eq(new Set(everything.events.map((e) => e.id)), new Set([note.id, dm.id]), 'bob: note and DM')
})

await check('COUNT counts only the DMs the connection may read', async () => {
  eq(await count(anon, 'n1', { kinds: [4] }), DMS_REFUSED, 'anonymous kind 4')
  eq(await count(asCarol, 'n2', { kinds: [4] }), 0, 'carol')
  eq(await count(asBob, 'n3', { kinds: [4, 1059] }), 2, 'bob')
  eq(await count(anon, 'n4', { authors: [ALICE] }), 1, 'anonymous, no kinds: the note only')
  eq(await count(asBob, 'n5', { authors: [ALICE] }), 2, 'bob, no kinds: note and DM')
})

await check('live DMs: to their author and recipient only', async () => {
  await asAlice.req('live-a', [{ kinds: [4] }])
  await asBob.req('live-b', [{ kinds: [4, 1059] }])
  await asCarol.req('live-c', [{ kinds: [4, 1059] }])
  await anon.req('live-anon', [{ authors: [ALICE] }])
  const live = sign(alice, 4, 'live ciphertext', [['p', BOB]])
  const liveWrap = wrapEvent({ kind: 14, content: 'live', tags: [['p', BOB]], created_at: now() }, alice, BOB)
  eq((await asAlice.publish(live)).accepted, true, 'publish')
  eq((await asAlice.publish(liveWrap)).accepted, true, 'publish wrap')
  eq((await asAlice.liveEvent('live-a')).id, live.id, 'alice')
  eq((await asBob.liveEvent('live-b')).id, live.id, 'bob')
  eq((await asBob.liveEvent('live-b')).id, liveWrap.id, 'bob, wrap')
  const publicNote = sign(alice, 1, 'live public')
  eq((await asAlice.publish(publicNote)).accepted, true, 'publish note')
  eq((await anon.liveEvent('live-anon')).id, publicNote.id, 'the anonymous reader gets the note, not the DM')
  eq(await asCarol.quiet((m) => m[0] === 'EVENT' && m[1] === 'live-c', 500), true, 'carol got nothing')
  for (const [c, id] of [[asAlice, 'live-a'], [asBob, 'live-b'], [asCarol, 'live-c'], [anon, 'live-anon']])
    c.send(['CLOSE', id])
})

await check('NIP-70: a ["-"] event needs its author authenticated', async () => {
  const own = sign(alice, 1, 'members only', [['-']])
  const r = await anon.publish(own)
  eq([r.accepted, r.message], [false, 'auth-required: this event may only be published by its author'], 'no AUTH')
  const other = await asBob.publish(own)
  eq([other.accepted, other.message], [false, 'restricted: this event may only be published by its author'], 'as bob')
  eq((await asAlice.publish(own)).accepted, true, 'as alice')
})

await check('several pubkeys on one connection: each reads its own DMs', async () => {
  const c = await connect()
  eq((await auth(c, carol)).accepted, true, 'carol')
  eq((await c.req('x1', [{ kinds: [4] }])).events.length, 0, 'carol alone')
  eq((await auth(c, bob)).accepted, true, 'then bob')
  eq((await c.req('x2', [{ kinds: [4] }])).events.length, 2, 'with bob')
  c.close()
})

await check('nip42_auth_required: REQ, COUNT and EVENT wait for AUTH, on an open connection within a second', async () => {
  const c = await connect()
  await setConfig({ nip42_auth_required: true })
  await withinASecond(async () => (await c.req('r', [{ kinds: [1] }])).closed === READ_REFUSED, 'CLOSED on REQ')
  eq(await count(c, 'cnt', { kinds: [1] }), READ_REFUSED, 'COUNT')
  const r = await c.publish(sign(carol, 1, 'not yet'))
  eq([r.accepted, r.message], [false, WRITE_REFUSED], 'EVENT')
  eq((await auth(c, carol)).accepted, true, 'AUTH')
  eq((await c.req('r2', [{ ids: [note.id] }])).events.length, 1, 'REQ after AUTH')
  eq((await c.publish(sign(carol, 1, 'now'))).accepted, true, 'EVENT after AUTH')
  await setConfig({ nip42_auth_required: false })
  await withinASecond(async () => !(await c.req('r3', [{ kinds: [1] }])).closed && !(await anon.req('r4', [{ kinds: [1] }])).closed, 'REQ served again')
  c.close()
})

await check('nip42_auth_required_kinds: those kinds need AUTH to be published', async () => {
  await setConfig({ nip42_auth_required_kinds: '7,30023' })
  await withinASecond(async () => {
    const r = await anon.publish(sign(carol, 7, '+'))
    return r.message === 'auth-required: kind 7 is accepted only from authenticated clients (NIP-42 AUTH)'
  }, 'the refusal of kind 7')
  eq((await anon.publish(sign(carol, 1, 'kind 1 is free'))).accepted, true, 'kind 1 without AUTH')
  eq((await asCarol.publish(sign(carol, 7, '+'))).accepted, true, 'kind 7 after AUTH')
  await setConfig({ nip42_auth_required_kinds: '' })
  await withinASecond(async () => (await anon.publish(sign(carol, 7, '+'))).accepted, 'kind 7 free again')
})

await check('nip42_challenge_timeout: an expired challenge is refused, a new one is sent and works', async () => {
  const c = await connect()
  const opened = Date.now()
  await setConfig({ nip42_challenge_timeout: 5 })
  await sleep(Math.max(0, 5300 - (Date.now() - opened)))
  const e = finalizeEvent(makeAuthEvent(RELAY_URL, c.challenge), alice)
  c.send(['AUTH', e])
  const fresh = await c.next((x) => x[0] === 'AUTH', 3000, 'a new challenge')
  const ok = await c.next((x) => x[0] === 'OK' && x[1] === e.id)
  eq([ok[2], ok[3]], [false, 'invalid: the challenge has expired; a new one was sent, authenticate with it'], 'OK')
  eq(fresh[1] !== c.challenge && /^[0-9a-f]{32}$/.test(fresh[1]), true, 'a different challenge')
  const r = await auth(c, alice, RELAY_URL, fresh[1])
  eq([r.accepted, r.message], [true, ''], 'AUTH with the new challenge')
  await setConfig({ nip42_challenge_timeout: 300 })
  c.close()
})

for (const c of [asAlice, asBob, asCarol, anon]) c.close()
finish()
