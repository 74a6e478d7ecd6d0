// The checks of the end-to-end client scripts: each prints "ok   - <name>"
// or "FAIL - <name>: <why>" (counted by lib.sh's add_client_checks), and
// done() prints the totals and exits non-zero when one failed.
let passes = 0
let fails = 0

export async function check(name, fn) {
  try {
    await fn()
    passes++
    console.log(`ok   - ${name}`)
  } catch (e) {
    fails++
    console.log(`FAIL - ${name}: ${e && e.message ? e.message : e}`)
  }
}

export function expect(cond, what) {
  if (!cond) throw new Error(what)
}

export function eq(actual, expected, what) {
  const a = JSON.stringify(actual)
  const b = JSON.stringify(expected)
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`)
}

export function done() {
  console.log(`# ${passes} passed, ${fails} failed`)
  process.exit(fails === 0 ? 0 : 1)
}
