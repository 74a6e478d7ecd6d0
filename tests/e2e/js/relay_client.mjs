// A raw Nostr client for the relay end-to-end tests: one WebSocket (the `ws`
// package) to 127.0.0.1 with the relay's Host header, an inbox of parsed
// relay messages, and waits that are always bounded.
import WebSocket from 'ws'

export class RelayClient {
  constructor(ws) {
    this.ws = ws
    this.inbox = []
    this.waiters = []
    this.closed = null
    ws.on('message', (data) => {
      try {
        this.inbox.push(JSON.parse(data.toString()))
      } catch {
        this.inbox.push(['UNPARSEABLE', data.toString()])
      }
      this.wake()
    })
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.wake()
    })
    ws.on('error', () => {})
  }

  // Opens ws://127.0.0.1:<port>/ as <host>. Rejects with err.status set when
  // the upgrade is answered with an HTTP status instead.
  static open(port, host, timeoutMs = 5000, headers = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { ...headers, Host: host } })
      const timer = setTimeout(() => {
        ws.terminate()
        reject(new Error(`connect to ${host} timed out`))
      }, timeoutMs)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve(new RelayClient(ws))
      })
      ws.once('unexpected-response', (req, res) => {
        clearTimeout(timer)
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => {
          const e = new Error(`upgrade answered ${res.statusCode}`)
          e.status = res.statusCode
          e.body = body
          reject(e)
        })
      })
      ws.once('error', (e) => {
        clearTimeout(timer)
        reject(e)
      })
    })
  }

  wake() {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  send(message) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  // The first inbox message matching `pred` (removed from the inbox), waiting
  // up to timeoutMs; rejects on timeout or when the connection closed.
  async next(pred, timeoutMs = 5000, what = 'a message') {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const i = this.inbox.findIndex(pred)
      if (i >= 0) return this.inbox.splice(i, 1)[0]
      if (this.closed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}; inbox: ${JSON.stringify(this.inbox).slice(0, 400)}`)
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  // True when nothing matching `pred` arrives within ms.
  async quiet(pred, ms) {
    try {
      await this.next(pred, ms)
      return false
    } catch {
      return true
    }
  }

  async publish(event, timeoutMs = 8000) {
    this.send(['EVENT', event])
    const ok = await this.next((m) => m[0] === 'OK' && m[1] === event.id, timeoutMs, `OK for ${event.id.slice(0, 8)}`)
    return { accepted: ok[2], message: ok[3] }
  }

  // REQ, then the stored events up to EOSE (or a CLOSED, returned as closed).
  async req(subId, filters, timeoutMs = 8000) {
    this.send(['REQ', subId, ...filters])
    const events = []
    for (;;) {
      const m = await this.next(
        (x) => (x[0] === 'EVENT' || x[0] === 'EOSE' || x[0] === 'CLOSED') && x[1] === subId,
        timeoutMs,
        `EOSE of ${subId}`,
      )
      if (m[0] === 'EVENT') events.push(m[2])
      else if (m[0] === 'EOSE') return { events }
      else return { events, closed: m[2] }
    }
  }

  liveEvent(subId, timeoutMs = 5000) {
    return this.next((m) => m[0] === 'EVENT' && m[1] === subId, timeoutMs, `a live event on ${subId}`).then((m) => m[2])
  }

  waitClosed(timeoutMs = 5000) {
    return this.next(() => false, timeoutMs, 'the close').catch(() => this.closed)
  }

  close() {
    this.ws.close()
  }
}
