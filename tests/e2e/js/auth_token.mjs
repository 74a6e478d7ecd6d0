// NIP-98 Authorization headers for the auth end-to-end tests, made with
// nostr-tools (a client independent of Marina's C++ code):
//
//   node auth_token.mjs keygen
//       prints "<secret hex> <pubkey hex> <npub>"
//   node auth_token.mjs gettoken --key HEX --url URL --method M [--body-json JSON]
//       nostr-tools' own nip98.getToken (with a payload tag over JSON.stringify(body))
//   node auth_token.mjs token --key HEX --url URL --method M [--kind N] [--age SECONDS]
//       [--payload-of BODY] [--tamper id|sig]
//       a token built field by field with finalizeEvent, so that exactly one
//       thing can be wrong: another kind, created_at SECONDS ago (negative: in
//       the future), a payload tag over BODY, or an id / signature edited after
//       signing.
// Tokens print as the whole header value, "Nostr <base64>".
import { createHash } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getPublicKey, nip19, nip98 } from 'nostr-tools';

function options(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    o[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['key', 'url', 'method']) {
    if (o[required] === undefined) throw new Error(`--${required} is required`);
  }
  return o;
}

const secretOf = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
const sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

// Changes the last hex digit of a 64/128-char hex field: same shape, wrong value.
function flipLastDigit(hex) {
  return hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'keygen') {
    const sk = generateSecretKey();
    const pk = getPublicKey(sk);
    console.log(`${Buffer.from(sk).toString('hex')} ${pk} ${nip19.npubEncode(pk)}`);
    return;
  }
  const o = options(rest);
  const sk = secretOf(o.key);
  if (command === 'gettoken') {
    const payload = o['body-json'] === undefined ? undefined : JSON.parse(o['body-json']);
    console.log(await nip98.getToken(o.url, o.method, (e) => finalizeEvent(e, sk), true, payload));
    return;
  }
  if (command !== 'token') throw new Error(`unknown command ${command}`);
  const tags = [['u', o.url], ['method', o.method]];
  if (o['payload-of'] !== undefined) tags.push(['payload', sha256Hex(o['payload-of'])]);
  const event = finalizeEvent(
    {
      kind: o.kind === undefined ? 27235 : Number(o.kind),
      created_at: Math.floor(Date.now() / 1000) - Number(o.age ?? 0),
      tags,
      content: '',
    },
    sk,
  );
  if (o.tamper === 'id') event.id = flipLastDigit(event.id);
  else if (o.tamper === 'sig') event.sig = flipLastDigit(event.sig);
  else if (o.tamper !== undefined) throw new Error(`--tamper takes id or sig`);
  console.log('Nostr ' + Buffer.from(JSON.stringify(event), 'utf8').toString('base64'));
}

main().catch((e) => {
  console.error(`auth_token.mjs: ${e.message}`);
  process.exit(2);
});
