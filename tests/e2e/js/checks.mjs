// The end-to-end client scripts' checks: "ok   - ..." / "FAIL - ..." per
// check (the shell side counts them, lib.sh add_client_checks), a summary line, and the
// assertions they use.
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

// The summary line, and the exit status: non-zero when a check failed.
export function finish() {
  console.log(`# ${passes} passed, ${fails} failed`)
  process.exit(fails === 0 ? 0 : 1)
}
