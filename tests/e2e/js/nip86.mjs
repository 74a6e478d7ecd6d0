// NIP-86 (relay management API) end to end, as an independent client would
// use it: nostr-tools signs every NIP-98 token (with the payload tag NIP-86
// requires) and every event; requests go through the real nginx to the
// relay's URL. Also: the three doors agree (a rule added by NIP-86 is listed
// by the hosting API and the other way round), the audit log records every
// NIP-86 change (and refusal) with who, what, when and result.
//
//   node nip86.mjs PORT RELAY_HOST API_HOST RELAY_ID OWNER_SK EXTRA_ADMIN_SK STRANGER_SK
import http from 'node:http'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { finalizeEvent, getPublicKey, nip98 } from 'nostr-tools'
import { check, eq, expect, finish } from './checks.mjs'
import { RelayClient } from './relay_client.mjs'

const [portText, relayHost, apiHost, relayId, ownerHex, extraHex, strangerHex] = process.argv.slice(2)
const port = Number(portText)
const secret = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'))
const owner = secret(ownerHex)
const extra = secret(extraHex)
const stranger = secret(strangerHex)
const relayUrl = `http://${relayHost}:${port}/`
const sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex')

function send(host, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, Host: `${host}:${port}` } },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => {
          let json = null
          try {
            json = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, json, text })
        })
      },
    )
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

// A token with exactly the tags given (to get one thing wrong at a time).
function rawToken(sk, tags) {
  const event = finalizeEvent({ kind: 27235, created_at: Math.floor(Date.now() / 1000), tags, content: '' }, sk)
  return 'Nostr ' + Buffer.from(JSON.stringify(event)).toString('base64')
}

// One NIP-86 call; `opts.token` overrides the Authorization header.
async function rpc(sk, method, params = [], opts = {}) {
  const request = { method, params }
  const body = JSON.stringify(request)
  const headers = { 'Content-Type': 'application/nostr+json+rpc' }
  if (opts.token !== undefined) {
    if (opts.token !== null) headers.Authorization = opts.token
  } else {
    headers.Authorization = await nip98.getToken(opts.url ?? relayUrl, 'POST', (e) => finalizeEvent(e, sk), true, request)
  }
  return send(relayHost, 'POST', '/', headers, body)
}

// The result of a call that must succeed.
async function ok(sk, method, params) {
  const r = await rpc(sk, method, params)
  if (r.status !== 200 || r.json?.error !== undefined) throw new Error(`${method}: ${r.status} ${r.text}`)
  return r.json.result
}

// A signed hosting API request.
async function api(sk, method, path, bodyObject) {
  const url = `http://${apiHost}:${port}${path}`
  const body = bodyObject === undefined ? undefined : JSON.stringify(bodyObject)
  const tags = [['u', url], ['method', method]]
  if (body !== undefined) tags.push(['payload', sha256Hex(body)])
  const headers = { Authorization: rawToken(sk, tags) }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await send(apiHost, method, path, headers, body)
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`)
  return r.json
}

// The NIP-11 document once `ready(doc)` holds: relay-query applies a change
// when its fact arrives on marina:platform, a moment after the write.
async function nip11When(ready, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const doc = (await send(relayHost, 'GET', '/', { Accept: 'application/nostr+json' })).json
    if (ready(doc) || Date.now() > deadline) return doc
    await new Promise((r) => setTimeout(r, 100))
  }
}

const someone = getPublicKey(secret('11'.repeat(32)))
const other = getPublicKey(secret('22'.repeat(32)))

await check('supportedmethods lists every method NIP-86 names that the relay has', async () => {
  const methods = await ok(owner, 'supportedmethods')
  for (const m of ['banpubkey', 'listbannedpubkeys', 'allowpubkey', 'listallowedpubkeys', 'banevent', 'allowevent',
    'listbannedevents', 'changerelayname', 'changerelaydescription', 'changerelayicon', 'allowkind', 'disallowkind',
    'listallowedkinds', 'blockip', 'unblockip', 'listblockedips']) expect(methods.includes(m), `${m} missing: ${methods}`)
})

await check('no Authorization: 401 with an error and WWW-Authenticate: Nostr', async () => {
  const r = await rpc(owner, 'supportedmethods', [], { token: null })
  eq(r.status, 401, 'status')
  expect(typeof r.json?.error === 'string' && r.json.error.length > 0, `error: ${r.text}`)
  eq(r.headers['www-authenticate'], 'Nostr', 'WWW-Authenticate')
})

await check('a payload tag over another body: 401 payload-mismatch', async () => {
  const token = rawToken(owner, [['u', relayUrl], ['method', 'POST'], ['payload', sha256Hex('{"method":"x"}')]])
  const r = await rpc(owner, 'banpubkey', [someone], { token })
  eq(r.status, 401, 'status')
  expect(r.json.error.includes('payload-mismatch'), r.text)
})

await check('no payload tag at all: 401 (NIP-86 requires it)', async () => {
  const r = await rpc(owner, 'banpubkey', [someone], { token: rawToken(owner, [['u', relayUrl], ['method', 'POST']]) })
  eq(r.status, 401, 'status')
  expect(r.json.error.includes('payload'), r.text)
})

await check('a token for another URL: 401 wrong-url', async () => {
  const r = await rpc(owner, 'supportedmethods', [], { url: `http://elsewhere.relay.localhost:${port}/` })
  eq(r.status, 401, 'status')
  expect(r.json.error.includes('wrong-url'), r.text)
})

await check("the relay's own ws:// URL is accepted as u", async () => {
  const r = await rpc(owner, 'supportedmethods', [], { url: `ws://${relayHost}:${port}` })
  eq(r.status, 200, `status ${r.text}`)
})

await check('a replayed token: 401', async () => {
  const request = { method: 'listbannedpubkeys', params: [] }
  const token = await nip98.getToken(relayUrl, 'POST', (e) => finalizeEvent(e, owner), true, request)
  eq((await rpc(owner, 'listbannedpubkeys', [], { token })).status, 200, 'first use')
  const again = await rpc(owner, 'listbannedpubkeys', [], { token })
  eq(again.status, 401, 'second use')
  expect(again.json.error.includes('replayed'), again.text)
})

await check('a non-admin is refused 403 and changes nothing', async () => {
  const r = await rpc(stranger, 'banpubkey', [someone, 'spam'])
  eq(r.status, 403, 'status')
  expect(r.json.error.includes('not an admin'), r.text)
  eq(await ok(owner, 'listbannedpubkeys'), [], 'banned list')
})

await check('banpubkey / listbannedpubkeys / unbanpubkey', async () => {
  eq(await ok(owner, 'banpubkey', [someone, 'spam']), true, 'ban')
  eq(await ok(owner, 'banpubkey', [someone, 'spam']), true, 'ban again (already banned)')
  eq(await ok(owner, 'listbannedpubkeys'), [{ pubkey: someone, reason: 'spam' }], 'list')
  eq(await ok(owner, 'unbanpubkey', [someone]), true, 'unban')
  eq(await ok(owner, 'listbannedpubkeys'), [], 'list after')
})

await check('allowpubkey / listallowedpubkeys / unallowpubkey', async () => {
  eq(await ok(owner, 'allowpubkey', [other, 'friend']), true, 'allow')
  eq(await ok(owner, 'listallowedpubkeys'), [{ pubkey: other, reason: 'friend' }], 'list')
  eq(await ok(owner, 'unallowpubkey', [other]), true, 'unallow')
  eq(await ok(owner, 'listallowedpubkeys'), [], 'list after')
})

await check('allowkind / listallowedkinds / disallowkind', async () => {
  eq(await ok(owner, 'allowkind', [1]), true, 'allow 1')
  eq(await ok(owner, 'allowkind', [30023]), true, 'allow 30023')
  eq(await ok(owner, 'listallowedkinds'), [1, 30023], 'list')
  eq(await ok(owner, 'disallowkind', [30023]), true, 'disallow')
  eq(await ok(owner, 'disallowkind', [1]), true, 'disallow')
  eq(await ok(owner, 'listallowedkinds'), [], 'list after')
})

await check('blockip / listblockedips / unblockip (stored canonical)', async () => {
  eq(await ok(owner, 'blockip', ['10.1.2.3/8', 'abuse']), true, 'block')
  eq(await ok(owner, 'listblockedips'), [{ ip: '10.0.0.0/8', reason: 'abuse' }], 'list')
  eq(await ok(owner, 'unblockip', ['10.0.0.0/8']), true, 'unblock')
  eq(await ok(owner, 'listblockedips'), [], 'list after')
})

await check('changerelayname / changerelaydescription / changerelayicon show in NIP-11', async () => {
  eq(await ok(owner, 'changerelayname', ['Renamed by NIP-86']), true, 'name')
  eq(await ok(owner, 'changerelaydescription', ['managed over HTTP']), true, 'description')
  eq(await ok(owner, 'changerelayicon', ['https://example.com/icon.png']), true, 'icon')
  const want = ['Renamed by NIP-86', 'managed over HTTP', 'https://example.com/icon.png']
  const doc = await nip11When((d) => JSON.stringify([d.name, d.description, d.icon]) === JSON.stringify(want))
  eq([doc.name, doc.description, doc.icon], want, 'NIP-11')
})

await check('bad params are a NIP-86 error naming the problem', async () => {
  for (const [method, params, word] of [
    ['banpubkey', ['zz'], 'zz'],
    ['banpubkey', [], 'params[0]'],
    ['allowkind', ['x'], 'x'],
    ['blockip', ['300.1.1.1'], '300.1.1.1'],
    ['banevent', ['abc'], 'abc'],
    ['changerelayicon', ['not a url'], 'relay_icon'],
  ]) {
    const r = await rpc(owner, method, params)
    eq(r.status, 200, `${method} status`)
    expect(r.json.result === null && typeof r.json.error === 'string' && r.json.error.includes(word),
      `${method} ${JSON.stringify(params)}: ${r.text}`)
  }
  const unknown = await rpc(owner, 'createrole', ['x'])
  expect(unknown.json.error.includes('unsupported'), unknown.text)
})

await check('banevent: the event is removed and cannot be published again; allowevent lets it back', async () => {
  const author = secret('33'.repeat(32))
  const event = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'to be banned' }, author)
  const client = await RelayClient.open(port, `${relayHost}:${port}`)
  try {
    eq((await client.publish(event)).accepted, true, 'first publish')
    eq((await client.req('before', [{ ids: [event.id] }])).events.length, 1, 'stored')
    eq(await ok(owner, 'banevent', [event.id, 'illegal']), true, 'ban')
    eq((await client.req('after', [{ ids: [event.id] }])).events.length, 0, 'gone')
    const again = await client.publish(event)
    expect(again.accepted === false && again.message.startsWith('blocked:'), `publish again: ${JSON.stringify(again)}`)
    eq(await ok(owner, 'listbannedevents'), [{ id: event.id, reason: 'illegal' }], 'list')
    eq(await ok(owner, 'allowevent', [event.id]), true, 'allow')
    eq(await ok(owner, 'listbannedevents'), [], 'list after')
    eq((await client.publish(event)).accepted, true, 'publish after allowevent')
  } finally {
    client.close()
  }
  const unknown = await rpc(owner, 'banevent', ['ab'.repeat(32)])
  expect(unknown.json.error.includes('no event'), unknown.text)
})

await check("an admin the owner named (admin_pubkeys) may manage the relay", async () => {
  eq(await ok(extra, 'blockip', ['192.0.2.7']), true, 'block')
  eq(await ok(extra, 'unblockip', ['192.0.2.7']), true, 'unblock')
})

await check('three doors agree: a NIP-86 ban is listed by GET /tenant/relays/:id/rules', async () => {
  eq(await ok(owner, 'banpubkey', [other, 'from nip86']), true, 'ban')
  const rules = (await api(owner, 'GET', `/tenant/relays/${relayId}/rules`)).data
  const found = rules.find((r) => r.rule_type === 'blacklist' && r.pattern_type === 'pubkey' && r.pattern_value === other)
  expect(found && found.reason === 'from nip86', JSON.stringify(rules))
})

await check('three doors agree: a rule added over HTTP is listed by NIP-86', async () => {
  await api(owner, 'POST', `/tenant/relays/${relayId}/rules`, { rule_type: 'blacklist', pattern_type: 'ip', pattern_value: '198.51.100.0/24' })
  eq(await ok(owner, 'listblockedips'), [{ ip: '198.51.100.0/24', reason: '' }], 'listblockedips')
  await api(owner, 'PUT', `/tenant/relays/${relayId}/config`, { relay_name: 'Named over HTTP' })
  const doc = await nip11When((d) => d.name === 'Named over HTTP')
  eq(doc.name, 'Named over HTTP', 'NIP-11 name')
})

// One admin command over Nostr (kind 23456 -> 23457, NIP-44), sent by
// admin_commands.mjs as the seed's JavaScript example does; the decrypted answer.
async function adminCommand(sk, command) {
  const self = (await nip11When((d) => d.self)).self
  const out = execFileSync('node', ['admin_commands.mjs', 'send', Buffer.from(sk).toString('hex'), JSON.stringify(command)], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...process.env, HTTP_PORT: String(port), HOST: `${relayHost}:${port}`, RELAY_PUBKEY: self },
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

await check('three doors agree: a NIP-86 ban is listed by the admin commands over Nostr (auth_query)', async () => {
  const answer = await adminCommand(owner, ['auth_query', 'all'])
  expect(answer.data.some((r) => r.rule_type === 'blacklist' && r.pattern_type === 'pubkey' && r.pattern_value === other),
    JSON.stringify(answer))
})

await check('three doors agree: a blacklist added by an admin command is listed by NIP-86', async () => {
  const target = getPublicKey(secret('33'.repeat(32)))
  const answer = await adminCommand(owner, ['blacklist', 'pubkey', target])
  eq(answer.status, 'success', JSON.stringify(answer))
  const banned = await ok(owner, 'listbannedpubkeys')
  expect(banned.some((b) => b.pubkey === target), JSON.stringify(banned))
})

await check('the audit log (GET /tenant/relays/:id/activity) has every NIP-86 change with who, door and result', async () => {
  const items = []
  let cursor = ''
  for (;;) {
    const page = await api(owner, 'GET', `/tenant/relays/${relayId}/activity?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    items.push(...page.items)
    if (!page.next_cursor) break
    cursor = encodeURIComponent(page.next_cursor)
  }
  const nip86 = items.filter((a) => a.door === 'nip86')
  const ownerPk = getPublicKey(owner)
  const extraPk = getPublicKey(extra)
  expect(nip86.some((a) => a.action === 'rule_added' && a.actor_pubkey === ownerPk && a.actor_role === 'tenant' && a.result === 'ok'), 'owner rule_added')
  expect(nip86.some((a) => a.action === 'rule_added' && a.actor_pubkey === extraPk && a.actor_role === 'relay_admin'), 'extra admin rule_added')
  expect(nip86.some((a) => a.action === 'event_banned' && a.details.reason === 'illegal'), 'event_banned')
  expect(nip86.some((a) => a.action === 'event_allowed'), 'event_allowed')
  expect(nip86.some((a) => a.action === 'config_updated' && a.details.relay_name), 'config_updated')
  expect(nip86.some((a) => a.action === 'banpubkey' && a.result.startsWith('error:')), 'a refused change with its error')
  expect(items.some((a) => a.door === 'http' && a.action === 'rule_added'), 'the HTTP door too')
  expect(!items.some((a) => a.actor_pubkey === getPublicKey(stranger)), 'nothing by the non-admin')
  expect(nip86.every((a) => a.created_at), 'every row has its time')
})

finish()
