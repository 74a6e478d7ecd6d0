// The bad-input catalogue: malformed, oversized and hostile requests sent from
// outside, as an attacker or a careless client would, each with the exact
// answer expected. Through the real nginx ingress unless the point is a caller
// that bypasses it (then straight to a service's port, as anything on the
// machine could). One table of {name, request, expect}; prints "ok   - ..." /
// "FAIL - ..." per entry. Environment: see bad_input_test.sh.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import WebSocket from 'ws'
import { exchange, frameHeader, rawWebSocket } from './bad_input_http.mjs'

const env = process.env
const HTTP_PORT = Number(env.HTTP_PORT)
const API_HOST = `${env.MARINA_API_HOST}:${HTTP_PORT}`
const DOMAIN = env.RELAY_DOMAIN
const PORTS = {
  ingress: HTTP_PORT,
  auth: Number(env.MARINA_AUTH_PORT),
  tenants: Number(env.MARINA_TENANTS_PORT),
  relayQuery: Number(env.MARINA_RELAY_QUERY_PORT),
}
const MB = 1024 * 1024
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')
const secretOf = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'))

// People: a tenant, another tenant, and the platform admin (HOSTING_ADMIN_PUBKEYS).
const people = { alice: generateSecretKey(), bob: generateSecretKey(), admin: secretOf(env.ADMIN_SK) }
const pubkey = (who) => getPublicKey(people[who])

// --- requests ---------------------------------------------------------------

// The NIP-98 header for `method path` as `who`; `payload`: the body its
// payload tag covers (omitted when undefined); `tamper: 'sig'` spoils the signature.
function token(who, method, path, { payload, tamper } = {}) {
  const tags = [['u', `http://${API_HOST}${path}`], ['method', method]]
  if (payload !== undefined) tags.push(['payload', sha256(payload)])
  const event = finalizeEvent({ kind: 27235, created_at: Math.floor(Date.now() / 1000), tags, content: '' }, people[who])
  if (tamper === 'sig') event.sig = event.sig.slice(0, -1) + (event.sig.endsWith('0') ? '1' : '0')
  return 'Nostr ' + Buffer.from(JSON.stringify(event)).toString('base64')
}

// An API request through the ingress (or `port`), signed as `as` unless
// `authorization` is given; a body is bound to the token by its payload tag
// unless `payloadOf` names other bytes. `chunked` sends the body without a
// Content-Length.
function api({ method, path, body, as = 'alice', authorization, payloadOf, chunked = false, port = PORTS.ingress, headers = {} }) {
  const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body)
  const auth = authorization ?? (as ? token(as, method, path, { payload: payloadOf ?? bytes }) : undefined)
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${API_HOST}`, 'Connection: close']
  if (auth) lines.push(`Authorization: ${auth}`)
  if (bytes) {
    lines.push('Content-Type: application/json')
    lines.push(chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes.length}`)
  }
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  const wire = bytes && chunked ? chunkedBody(bytes) : bytes
  return exchange({ port, head: lines.join('\r\n') + '\r\n\r\n', body: wire })
}

function chunkedBody(bytes) {
  const parts = []
  for (let at = 0; at < bytes.length; at += 64 * 1024) {
    const piece = bytes.subarray(at, at + 64 * 1024)
    parts.push(Buffer.from(piece.length.toString(16) + '\r\n'), piece, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from('0\r\n\r\n'))
  return Buffer.concat(parts)
}

// auth's /verify asked directly, as the ingress would, from `localAddress`.
function verifyDirect({ localAddress, authorization, forwardedFor, realIp }) {
  const lines = ['GET /verify HTTP/1.1', `Host: ${API_HOST}`, 'Connection: close', 'X-Original-Method: GET',
    'X-Original-URI: /tenant/whoami', 'X-Forwarded-Proto: http', `Authorization: ${authorization}`]
  if (forwardedFor) lines.push(`X-Forwarded-For: ${forwardedFor}`)
  if (realIp) lines.push(`X-Real-IP: ${realIp}`)
  return exchange({ port: PORTS.auth, localAddress, head: lines.join('\r\n') + '\r\n\r\n' })
}

// --- expected answers -------------------------------------------------------

// A problem answer: status, application/problem+json, code, and (when given) the exact detail.
function problem(status, code, detail) {
  return (r) => {
    const where = `got ${r.status ?? 'no answer'}${r.error ? ` (${r.error})` : ''}: ${r.body.slice(0, 300)}`
    if (r.status !== status) throw new Error(`wanted ${status} ${code}, ${where}`)
    if (r.headers['content-type'] !== 'application/problem+json') throw new Error(`content-type ${r.headers['content-type']}; ${where}`)
    const p = JSON.parse(r.body)
    if (p.code !== code || p.status !== status) throw new Error(`wanted ${status} ${code}, ${where}`)
    if (p.type !== `https://marina.dev/problems/${code}`) throw new Error(`type ${p.type}`)
    if (detail !== undefined && p.detail !== detail) throw new Error(`detail ${JSON.stringify(p.detail)}, wanted ${JSON.stringify(detail)}`)
  }
}

// A JSON answer with `status` whose body has every field of `fields`.
function json(status, fields = {}) {
  return (r) => {
    if (r.status !== status) throw new Error(`wanted ${status}, got ${r.status ?? 'no answer'}: ${r.body.slice(0, 300)}`)
    const body = JSON.parse(r.body)
    for (const [k, v] of Object.entries(fields)) {
      if (JSON.stringify(body[k]) !== JSON.stringify(v)) throw new Error(`${k}: wanted ${JSON.stringify(v)}, got ${JSON.stringify(body[k])}`)
    }
  }
}

// A close frame with `code` and a reason starting with `reason`, within `ms`.
function closeFrame(code, reason, ms) {
  return (r) => {
    if (r.code !== code) throw new Error(`wanted close ${code}, got ${r.code ?? r.ended} ${r.reason ?? ''}`)
    if (!(r.reason ?? '').startsWith(reason)) throw new Error(`reason ${JSON.stringify(r.reason)}, wanted it to start ${JSON.stringify(reason)}`)
    if (ms !== undefined && r.ms > ms) throw new Error(`after ${r.ms} ms, wanted within ${ms}`)
  }
}

const textRule = 'text may contain no control characters but tab, line feed and carriage return.'
const invalidText = (pointer, codePoint) =>
  problem(400, 'invalid-text', `The text at "${pointer}" contains the control character ${codePoint}; ${textRule}`)
const tooLarge = (limit) => problem(413, 'payload-too-large', `The request body exceeds ${limit} bytes.`)
const adminRequired = problem(403, 'admin-required', 'this route is for platform admins')

// --- setup ------------------------------------------------------------------

const ctx = {}
async function setup() {
  for (const who of ['alice', 'bob']) json(200)(await api({ method: 'GET', path: '/tenant', as: who }))
  ctx.sub = `probe-${Date.now().toString(36)}`
  const created = await api({ method: 'POST', path: '/tenant/relays', body: JSON.stringify({ subdomain: ctx.sub, name: 'Probe', description: 'kept whole' }) })
  json(201)(created)
  ctx.relay = JSON.parse(created.body).id
  ctx.relayHost = `${ctx.sub}.${DOMAIN}`
  // relay-query learns of the relay from the platform stream: wait until it serves it.
  for (let i = 0; i < 50; i++) {
    const r = await exchange({ port: PORTS.ingress, head: `GET / HTTP/1.1\r\nHost: ${ctx.relayHost}:${HTTP_PORT}\r\nAccept: application/nostr+json\r\nConnection: close\r\n\r\n` })
    if (r.status === 200) return
    await sleep(100)
  }
  throw new Error(`relay ${ctx.sub} is not served`)
}

// Counted per clock minute: starts a sequence of failures early in one.
async function earlyInAMinute() {
  const second = new Date().getSeconds()
  if (second >= 30) await sleep((61 - second) * 1000)
}

// --- the catalogue ----------------------------------------------------------

const relayPath = () => `/tenant/relays/${ctx.relay}`
const big = (bytes) => Buffer.alloc(bytes, 'a')

const catalogue = [
  // Control characters: one rule for every text field of every JSON body,
  // in http::parse_json. Refused, never truncated, never a 500.
  { name: 'PUT a relay name with U+0000', request: () => api({ method: 'PUT', path: relayPath(), body: '{"name":"a\\u0000b"}' }), expect: invalidText('/name', 'U+0000') },
  { name: 'POST a relay whose name has U+0000 (was 201, cut at the NUL)', request: () => api({ method: 'POST', path: '/tenant/relays', body: '{"subdomain":"nul-name","name":"a\\u0000b"}' }), expect: invalidText('/name', 'U+0000') },
  { name: 'POST a relay whose description has U+0007', request: () => api({ method: 'POST', path: '/tenant/relays', body: '{"subdomain":"bel-desc","description":"ring\\u0007"}' }), expect: invalidText('/description', 'U+0007') },
  { name: 'PUT a description with a raw DEL byte', request: () => api({ method: 'PUT', path: relayPath(), body: '{"description":"x\x7f"}' }), expect: invalidText('/description', 'U+007F') },
  { name: 'PUT a name with the C1 control U+0085', request: () => api({ method: 'PUT', path: relayPath(), body: '{"name":"next\\u0085line"}' }), expect: invalidText('/name', 'U+0085') },
  { name: 'a key with U+0000', request: () => api({ method: 'PUT', path: relayPath(), body: '{"na\\u0000me":"x"}' }), expect: invalidText('/na\u0000me', 'U+0000') },
  { name: 'admin PUT of a tenant status with U+0000', request: () => api({ method: 'PUT', path: `/admin/tenants/${pubkey('alice')}`, as: 'admin', body: '{"status":"active\\u0000"}' }), expect: invalidText('/status', 'U+0000') },
  // nginx itself refuses a %00 in the path while reading the request line, too early for an
  // error_page: its own 400 page (the services behind it refuse one too, as a problem).
  { name: 'a path with %00', request: () => api({ method: 'GET', path: '/tenant/relays/a%00b' }), expect: statusOnly(400) },
  { name: 'a path parameter with %00 (straight to tenants)', request: () => api({ method: 'GET', path: '/tenant/relays/a%00b', port: PORTS.tenants }), expect: problem(400, 'invalid-text', `The text at the path parameter "id" contains the control character U+0000; ${textRule}`) },
  { name: 'a path parameter with %07', request: () => api({ method: 'GET', path: '/tenant/relays/a%07b' }), expect: problem(400, 'invalid-text', `The text at the path parameter "id" contains the control character U+0007; ${textRule}`) },
  { name: 'a query parameter with %00', request: () => api({ method: 'GET', path: '/tenant/relays?cursor=x%00' }), expect: problem(400, 'invalid-text', `The text at the query parameter "cursor" contains the control character U+0000; ${textRule}`) },
  { name: 'an admin path parameter with %1F', request: () => api({ method: 'GET', path: '/admin/tenants/%1F', as: 'admin' }), expect: problem(400, 'invalid-text', `The text at the path parameter "pubkey" contains the control character U+001F; ${textRule}`) },
  { name: 'the refused writes changed nothing', request: () => api({ method: 'GET', path: relayPath() }), expect: json(200, { name: 'Probe', description: 'kept whole' }) },
  { name: 'tab, line feed and carriage return are text: stored whole', request: () => api({ method: 'PUT', path: relayPath(), body: '{"description":"a\\tb\\nc\\r\\nd"}' }), expect: json(200, { description: 'a\tb\nc\r\nd' }) },

  // Duplicate keys: refused, as the relays refuse them.
  { name: 'POST with "subdomain" twice', request: () => api({ method: 'POST', path: '/tenant/relays', body: '{"subdomain":"dup-one","subdomain":"dup-two"}' }), expect: problem(400, 'duplicate-key', 'The key "subdomain" appears more than once in the object at the top level; each key may appear once.') },
  { name: 'PUT with "name" twice', request: () => api({ method: 'PUT', path: relayPath(), body: '{"name":"first","description":"d","name":"second"}' }), expect: problem(400, 'duplicate-key', 'The key "name" appears more than once in the object at the top level; each key may appear once.') },

  // Bodies over the limit: always the 413 problem naming the limit, never a 502.
  ...[2 * MB, 10 * MB].flatMap((size) => [
    { name: `POST /tenant/relays with ${size / MB} MB, 10 times`, times: 10, request: () => api({ method: 'POST', path: '/tenant/relays', body: big(size) }), expect: tooLarge(1048576) },
    { name: `PUT /tenant/relays/:id with ${size / MB} MB, 10 times`, times: 10, request: () => api({ method: 'PUT', path: relayPath(), body: big(size) }), expect: tooLarge(1048576) },
  ]),
  { name: 'POST /tenant/relays with 2 MB chunked (no Content-Length), 10 times', times: 10, request: () => api({ method: 'POST', path: '/tenant/relays', body: big(2 * MB), chunked: true }), expect: tooLarge(1048576) },
  { name: 'an import of 2 MB is within the import limit (16 MiB): answered line by line', request: () => api({ method: 'POST', path: `${relayPath()}/import`, body: big(2 * MB) }), expect: json(200, { imported: 0, invalid: 1 }) },
  ...[17 * MB, 24 * MB].map((size) => ({ name: `an import of ${size / MB} MB, 10 times`, times: 10, request: () => api({ method: 'POST', path: `${relayPath()}/import`, body: big(size) }), expect: tooLarge(16777216) })),
  { name: 'straight to tenants (no ingress) with 2 MB: still the 413, 10 times', times: 10, request: () => api({ method: 'PUT', path: relayPath(), body: big(2 * MB), port: PORTS.tenants }), expect: tooLarge(1048576) },
  { name: 'straight to tenants with 10 MB chunked: still the 413, 10 times', times: 10, request: () => api({ method: 'PUT', path: relayPath(), body: big(10 * MB), chunked: true, port: PORTS.tenants }), expect: tooLarge(1048576) },

  // NIP-98 payload tags hold for any method.
  { name: 'GET with a body and a matching payload tag', request: () => api({ method: 'GET', path: '/tenant/whoami', body: '{"why":"not"}' }), expect: json(200, { role: 'tenant' }) },
  { name: 'GET with a body and a payload tag over other bytes', request: () => api({ method: 'GET', path: '/tenant/whoami', body: '{"why":"not"}', payloadOf: 'else' }), expect: problem(401, 'payload-mismatch') },

  // Admin routes: 403 to a tenant, every one of them, billing's too.
  ...['GET /admin/billing', 'GET /admin/billing/plans', 'GET /admin/invoices', 'POST /admin/invoices', 'GET /admin/tenants',
    'GET /admin/relays', 'DELETE /admin/relays/1', 'GET /admin/no-such-route', 'GET /admin'].map((route) => {
    const [method, path] = route.split(' ')
    return { name: `a tenant on ${route}`, request: () => api({ method, path }), expect: adminRequired }
  }),
  { name: 'the admin on a billing admin route billing does not have: 404', request: () => api({ method: 'GET', path: '/admin/billing', as: 'admin' }), expect: problem(404, 'not-found') },

  // A WebSocket frame header announcing 2^62 bytes: refused at the header.
  { name: 'a frame header announcing 2^62 bytes: close 1009 at once', request: () => rawWebSocket({ port: PORTS.ingress, host: `${ctx.relayHost}:${HTTP_PORT}`, frames: frameHeader(2n ** 62n) }), expect: closeFrame(1009, '', 2000) },
  { name: '... also straight to relay-query', request: () => rawWebSocket({ port: PORTS.relayQuery, host: ctx.relayHost, frames: frameHeader(2n ** 62n) }), expect: closeFrame(1009, '', 2000) },

  // Slow clients are told before they are dropped.
  { name: 'a request header never finished (straight to tenants): 408 at HTTP_READ_TIMEOUT', request: () => exchange({ port: PORTS.tenants, head: 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' }), expect: [problem(408, 'request-timeout', 'The request was not received within 10000 ms.'), within(9000, 12000)] },
  { name: 'a body never finished (straight to tenants): 408', request: () => exchange({ port: PORTS.tenants, head: 'PUT /tenant/relays/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"na' }), expect: [problem(408, 'request-timeout'), within(9000, 12000)] },
  // (Through the ingress nginx cuts such a client off at its own client_header_timeout /
  // client_body_timeout without an answer: nginx never sends a 408.)
  { name: 'a WebSocket upgrade never finished (straight to relay-query): 408', request: () => exchange({ port: PORTS.relayQuery, head: `GET / HTTP/1.1\r\nHost: ${ctx.relayHost}\r\nUpgrade: websocket\r\n` }), expect: [problem(408, 'request-timeout', 'The request was not received within 10000 ms.'), within(9000, 12000)] },
  { name: 'a reader that stops reading (straight to relay-query) and reads again once closed: its data, then a close frame "too slow"', request: slowReader, expect: closeFrame(1008, 'too slow: more than 65536 bytes waiting to be sent') },

  // Only the ingress names the client: anything else is counted as itself.
  { name: 'straight to auth from 127.0.0.2 claiming 31 addresses: the 31st failure is rate-limited', request: async () => {
    await earlyInAMinute()
    let last
    for (let i = 1; i <= 31; i++) {
      last = await verifyDirect({ localAddress: '127.0.0.2', authorization: 'Nostr %%%', forwardedFor: `198.51.100.${i}`, realIp: `198.51.100.${i}` })
      if (i <= 30 && last.status !== 401) throw new Error(`failure ${i}: ${last.status} ${last.body}`)
    }
    return last
  }, expect: problem(403, 'rate-limited') },
  { name: 'straight to relay-query from 127.0.0.2 claiming other addresses: counted as 127.0.0.2 (RELAY_MAX_CONNECTIONS_PER_IP=4)', request: async () => {
    const open = []
    try {
      for (let i = 1; i <= 4; i++) open.push(await connect(PORTS.relayQuery, ctx.relayHost, { localAddress: '127.0.0.2', headers: { 'X-Real-IP': `203.0.113.${i}`, 'X-Forwarded-For': `203.0.113.${i}` } }))
      return await upgradeRefusal(PORTS.relayQuery, ctx.relayHost, { localAddress: '127.0.0.2', headers: { 'X-Real-IP': '203.0.113.99' } })
    } finally {
      for (const ws of open) ws.terminate()
    }
  }, expect: problem(429, 'too-many-connections') },

  // Neighbours' failures never lock out a valid token (30 bad tokens per minute per address).
  { name: '31 bad tokens through the ingress: the first 30 are 401, then 429', request: async () => {
    await earlyInAMinute()
    for (let i = 1; i <= 30; i++) {
      const r = await api({ method: 'GET', path: '/tenant/whoami', authorization: 'Nostr %%%' })
      if (r.status !== 401) throw new Error(`failure ${i}: ${r.status} ${r.body}`)
    }
    return api({ method: 'GET', path: '/tenant/whoami', authorization: 'Nostr %%%' })
  }, expect: problem(429, 'rate-limited', 'too many failed authentications from this address') },
  { name: '... a forged token from that address: 429 too', request: () => api({ method: 'GET', path: '/tenant/whoami', authorization: token('bob', 'GET', '/tenant/whoami', { tamper: 'sig' }) }), expect: problem(429, 'rate-limited') },
  { name: '... a valid token from that address: accepted', request: () => api({ method: 'GET', path: '/tenant/whoami', as: 'bob' }), expect: json(200, { role: 'tenant' }) },
  { name: '... a valid write from that address: accepted', request: () => api({ method: 'PUT', path: relayPath(), body: '{"name":"Still mine"}' }), expect: json(200, { name: 'Still mine' }) },
]

function statusOnly(status) {
  return (r) => {
    if (r.status !== status) throw new Error(`wanted ${status}, got ${r.status ?? 'no answer'}: ${r.body.slice(0, 300)}`)
  }
}

function within(min, max) {
  return (r) => {
    if (r.ms < min || r.ms > max) throw new Error(`answered after ${r.ms} ms, wanted ${min}-${max}`)
  }
}

// A WebSocket through `port` as `host`; resolves once open.
function connect(port, host, { localAddress, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { ...headers, Host: host }, localAddress })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_, res) => reject(new Error(`upgrade answered ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

// The HTTP answer to an upgrade that is refused, as {status, headers, body}.
function upgradeRefusal(port, host, { localAddress, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { ...headers, Host: host }, localAddress })
    ws.once('open', () => {
      ws.terminate()
      reject(new Error('the upgrade was accepted'))
    })
    ws.once('unexpected-response', (_, res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
    })
    ws.once('error', () => {})
  })
}

// A subscriber straight on relay-query that stops reading while events of
// 256 KiB pour in (added to marina:events as relay-ingest would), until
// relay-query has dropped it (RELAY_MAX_PENDING_BYTES=65536) and closed the
// socket (the drop is counted then); then it reads again and reports how the
// connection ended.
async function slowReader() {
  const ws = await connect(PORTS.relayQuery, ctx.relayHost)
  const author = 'ab'.repeat(32)
  let closed = null
  ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }))
  ws.on('error', () => {})
  await new Promise((resolve) => {
    ws.send(JSON.stringify(['REQ', 'firehose', { authors: [author] }]))
    ws.on('message', (m) => {
      if (m.toString().startsWith('["EOSE"')) resolve()
    })
  })
  ws._socket.pause()
  const drops = () => {
    const text = execFileSync('curl', ['-fsS', `http://127.0.0.1:${env.MARINA_RELAY_QUERY_ADMIN_PORT}/metrics`], { encoding: 'utf8' })
    return Number((text.match(/^marina_relay_query_slow_reader_drops_total (\S+)/m) || [0, 0])[1])
  }
  const before = drops()
  const content = 'z'.repeat(256 * 1024)
  let dropped = false
  for (let i = 0; i < 200 && !dropped; i++) {
    const ev = { id: (Date.now() * 1000 + i).toString(16).padStart(64, '0'), pubkey: author, created_at: Math.floor(Date.now() / 1000), kind: 1, tags: [], content, sig: 'ab'.repeat(64) }
    execFileSync('redis-cli', ['-p', env.MARINA_REDIS_PORT, '-x', 'XADD', 'marina:events', 'MAXLEN', '~', '1000', '*',
      'v', '1', 'relay', ctx.relay, 'event'], { input: JSON.stringify(ev) })
    if (i % 5 === 4) dropped = drops() > before
  }
  for (let i = 0; i < 50 && !dropped; i++) {
    await sleep(100)
    dropped = drops() > before
  }
  if (!dropped) throw new Error('relay-query never dropped the reader')
  const droppedAt = Date.now()
  ws._socket.resume()
  for (let i = 0; i < 100 && !closed; i++) await sleep(100)
  if (!closed) throw new Error('still open 10 s after it was dropped')
  return { code: closed.code === 1006 ? null : closed.code, ended: 'no close frame (1006)', reason: closed.reason, ms: Date.now() - droppedAt }
}

// --- run --------------------------------------------------------------------

let passes = 0
let fails = 0
await setup()
for (const entry of catalogue) {
  const checks = Array.isArray(entry.expect) ? entry.expect : [entry.expect]
  try {
    for (let i = 0; i < (entry.times ?? 1); i++) {
      const answer = await entry.request()
      try {
        for (const c of checks) c(answer)
      } catch (e) {
        throw new Error(entry.times ? `try ${i + 1} of ${entry.times}: ${e.message}` : e.message)
      }
    }
    passes++
    console.log(`ok   - ${entry.name}`)
  } catch (e) {
    fails++
    console.log(`FAIL - ${entry.name}: ${e.message}`)
  }
}
console.log(`# ${passes} passed, ${fails} failed`)
process.exit(fails === 0 ? 0 : 1)
