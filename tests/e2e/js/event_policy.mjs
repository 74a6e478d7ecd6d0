// The client side of tests/e2e/event_policy_test.sh: events made and signed
// with nostr-tools (mined with its NIP-13 helpers), sent to a hosted relay
// through the ingress, and the relay's answers printed for the script.
//
//   node event_policy.mjs publish PORT HOST --key HEX [options]
//       prints "<accepted> <message>" of the OK. Options:
//       --kind N             (default 1)
//       --content TEXT       (default a short note; made unique per attempt)
//       --tags JSON          extra tags, e.g. '[["t","x"]]'
//       --tag-count N        N extra ["t","<i>"] tags
//       --content-bytes N    content of exactly N bytes
//       --expires-in S       an expiration tag S seconds from now (negative: past)
//       --mine BITS          mined to at least BITS leading zero bits; the nonce
//                            tag commits to --target (default BITS)
//       --target T           with --mine: the committed target
//       --claim T            a nonce tag ["nonce","0",T] without mining ("-": no target)
//       --below BITS         re-signed until its id has fewer than BITS zero bits
//       --expect REGEX       publish fresh events until the answer fully matches
//       --within MS          ... for at most MS milliseconds (default 1000); the
//                            last answer is printed for the script to compare
//   node event_policy.mjs req PORT HOST --filter JSON
//       prints the number of stored events before EOSE, or "CLOSED <message>".
import { finalizeEvent, getEventHash, getPublicKey } from 'nostr-tools'
import { getPow } from 'nostr-tools/nip13'
import { RelayClient } from './relay_client.mjs'

function options(argv) {
  const o = {}
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`)
    o[argv[i].slice(2)] = argv[i + 1]
  }
  return o
}

const secretOf = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'))
let serial = 0

// One event as the options describe it, unique (a serial and the time in its content).
function makeEvent(o) {
  const sk = secretOf(o.key)
  const now = Math.floor(Date.now() / 1000)
  const tags = o.tags ? JSON.parse(o.tags) : []
  for (let i = 0; i < Number(o['tag-count'] ?? 0); i++) tags.push(['t', String(i)])
  if (o['expires-in'] !== undefined) tags.push(['expiration', String(now + Number(o['expires-in']))])
  if (o.claim !== undefined) tags.push(o.claim === '-' ? ['nonce', '0'] : ['nonce', '0', o.claim])
  const unique = `${process.pid}.${Date.now()}.${serial++}`
  let content = o.content ?? `event policy ${unique}`
  if (o['content-bytes'] !== undefined) content = (unique + 'x'.repeat(Number(o['content-bytes']))).slice(0, Number(o['content-bytes']))
  const template = { kind: Number(o.kind ?? 1), created_at: now, tags, content, pubkey: getPublicKey(sk) }
  if (o.mine !== undefined) {
    // Mined here rather than with minePow, so the committed target can differ
    // from the work done (a NIP-13 case the relay must refuse).
    const bits = Number(o.mine)
    const nonce = ['nonce', '0', o.target ?? String(bits)]
    template.tags.push(nonce)
    for (let n = 1; ; n++) {
      nonce[1] = String(n)
      if (getPow(getEventHash(template)) >= bits) break
    }
  }
  let event = finalizeEvent(template, sk)
  if (o.below !== undefined) {
    // A random id has 8+ zero bits once in 256 tries: make sure it has not.
    for (let n = 0; getPow(event.id) >= Number(o.below); n++) {
      event = finalizeEvent({ ...template, content: `${template.content} ${n}` }, sk)
    }
  }
  return event
}

async function publish(port, host, o) {
  const client = await RelayClient.open(Number(port), host)
  try {
    const deadline = Date.now() + Number(o.within ?? 1000)
    const wanted = o.expect !== undefined ? new RegExp(`^(?:${o.expect})$`) : null
    for (;;) {
      const ok = await client.publish(makeEvent(o))
      const answer = `${ok.accepted} ${ok.message}`
      if (!wanted || wanted.test(answer) || Date.now() >= deadline) return answer
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    client.close()
  }
}

async function req(port, host, o) {
  const client = await RelayClient.open(Number(port), host)
  try {
    const r = await client.req('policy', [JSON.parse(o.filter)])
    return r.closed !== undefined ? `CLOSED ${r.closed}` : String(r.events.length)
  } finally {
    client.close()
  }
}

const [command, port, host, ...rest] = process.argv.slice(2)
const o = options(rest)
try {
  if (command === 'publish') console.log(await publish(port, host, o))
  else if (command === 'req') console.log(await req(port, host, o))
  else throw new Error(`unknown command ${command}`)
} catch (e) {
  console.log(`ERROR ${e.message}`)
}
process.exit(0)
