// Signed Nostr events as NDJSON for the tenants import/export tests, made with
// nostr-tools (independent of Marina's C++ code):
//   node tenants_events.mjs COUNT [--bad] [--since-years Y]
// prints COUNT kind-1 events by one fresh key, each with distinct content and
// created_at, oldest first; with --since-years, spread evenly from Y years ago
// to now (an archive), else one second apart up to now. With --bad, also three
// lines the import must refuse (not JSON, a wrong id, a wrong signature) after
// the good ones.
import { finalizeEvent, generateSecretKey } from 'nostr-tools';

const count = Number(process.argv[2] ?? 10);
const sk = generateSecretKey();
const now = Math.floor(Date.now() / 1000);
const yearsAt = process.argv.indexOf('--since-years');
const span = yearsAt > 0 ? Math.round(Number(process.argv[yearsAt + 1]) * 365 * 86400) : count;
const out = [];
for (let i = 0; i < count; i++) {
  const e = finalizeEvent({ kind: 1, created_at: now - Math.max(count - i, Math.round((span * (count - i)) / count)), tags: [['t', 'import']], content: `event ${i}` }, sk);
  out.push(JSON.stringify(e));
  if (out.length >= 1000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
}
if (process.argv.includes('--bad')) {
  out.push('this is not json');
  const e = finalizeEvent({ kind: 1, created_at: now, tags: [], content: 'tampered id' }, sk);
  out.push(JSON.stringify({ ...e, id: e.id.slice(0, -1) + (e.id.endsWith('0') ? '1' : '0') }));
  const f = finalizeEvent({ kind: 1, created_at: now, tags: [], content: 'tampered sig' }, sk);
  out.push(JSON.stringify({ ...f, sig: f.sig.slice(0, -1) + (f.sig.endsWith('0') ? '1' : '0') }));
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
