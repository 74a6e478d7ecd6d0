// Raw HTTP/1.1 and WebSocket exchanges for the bad-input catalogue: the bytes
// go out exactly as written (a GET with a body, a header cut short, a frame
// header announcing 2^62 bytes), and what comes back is read off the socket,
// so that nothing between the test and the platform tidies either side up.
import net from 'node:net'

// One exchange on a fresh connection. `head` is written first; then `body`
// (a Buffer, written in pieces with back-pressure, stopped at the first write
// error: a server may answer before it has read it all); nothing more when
// `hold` is set (the connection stays open, silent, until the server acts).
// Resolves {status, headers, body, text, ms, error} once a whole answer has
// come or the connection ended; `status` is null when nothing was answered.
export function exchange({ port, head, body, localAddress, timeoutMs = 60000 }) {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket = net.connect({ host: '127.0.0.1', port, localAddress })
    let received = Buffer.alloc(0)
    let error = null
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...parseResponse(received), ms: Date.now() - started, error })
    }
    const timer = setTimeout(() => {
      error = error || 'timed out'
      finish()
    }, timeoutMs)
    socket.on('data', (d) => {
      received = Buffer.concat([received, d])
      if (parseResponse(received).complete) finish()
    })
    socket.on('error', (e) => {
      error = error || e.code || e.message
    })
    socket.on('close', finish)
    socket.on('connect', async () => {
      socket.write(head)
      if (!body) return
      const piece = 64 * 1024
      for (let at = 0; at < body.length && !socket.destroyed && !done; at += piece) {
        if (!socket.write(body.subarray(at, at + piece))) {
          await new Promise((r) => {
            socket.once('drain', r)
            socket.once('close', r)
          })
        }
      }
    })
  })
}

// {complete, status, headers, body, text} of what has arrived so far.
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return { complete: false, status: null, headers: {}, body: '', text: buf.toString('latin1') }
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(lines[0].split(' ')[1])
  const headers = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let rest = buf.subarray(end + 4)
  let complete = false
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length'])
    complete = rest.length >= n
    rest = rest.subarray(0, n)
  } else if ((headers['transfer-encoding'] || '').includes('chunked')) {
    const { body, last } = dechunk(rest)
    complete = last
    rest = body
  }
  return { complete, status, headers, body: rest.toString('utf8'), text: buf.toString('latin1') }
}

function dechunk(buf) {
  const parts = []
  let at = 0
  for (;;) {
    const eol = buf.indexOf('\r\n', at)
    if (eol < 0) return { body: Buffer.concat(parts), last: false }
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16)
    if (size === 0) return { body: Buffer.concat(parts), last: true }
    if (buf.length < eol + 2 + size + 2) return { body: Buffer.concat(parts), last: false }
    parts.push(buf.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
}

// A WebSocket opening handshake written by hand, then `frames` (raw bytes);
// resolves the first close frame the server sends {code, reason, ms} (ms
// from when the frames went out), or {code: null, ended} when the connection
// ended without one.
export function rawWebSocket({ port, host, frames, timeoutMs = 10000 }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let received = Buffer.alloc(0)
    let upgraded = false
    let sentAt = 0
    let done = false
    const finish = (result) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => finish({ code: null, ended: 'timed out' }), timeoutMs)
    socket.on('connect', () =>
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    )
    socket.on('data', (d) => {
      received = Buffer.concat([received, d])
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n')
        if (end < 0) return
        const status = received.subarray(0, end).toString('latin1').split(' ')[1]
        if (status !== '101') return finish({ code: null, ended: `upgrade answered ${status}` })
        upgraded = true
        received = received.subarray(end + 4)
        sentAt = Date.now()
        socket.write(frames)
      }
      const close = closeFrameIn(received)
      if (close) finish({ ...close, ms: Date.now() - sentAt })
    })
    socket.on('error', () => {})
    socket.on('close', () => finish({ code: null, ended: 'closed without a close frame' }))
  })
}

// The first close frame among server frames in `buf` (unmasked), if whole.
export function closeFrameIn(buf) {
  let at = 0
  while (at + 2 <= buf.length) {
    const opcode = buf[at] & 0x0f
    let len = buf[at + 1] & 0x7f
    let head = 2
    if (len === 126) {
      if (at + 4 > buf.length) return null
      len = buf.readUInt16BE(at + 2)
      head = 4
    } else if (len === 127) {
      if (at + 10 > buf.length) return null
      len = Number(buf.readBigUInt64BE(at + 2))
      head = 10
    }
    if (at + head + len > buf.length) return null
    if (opcode === 0x8) {
      const payload = buf.subarray(at + head, at + head + len)
      return { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') }
    }
    at += head + len
  }
  return null
}

// A client frame header announcing `length` payload bytes (masked, as a
// client's must be), with no payload after it.
export function frameHeader(length) {
  const b = Buffer.alloc(14)
  b[0] = 0x81 // FIN, text
  b[1] = 0x80 | 127 // masked, 64-bit length
  b.writeBigUInt64BE(BigInt(length), 2)
  b.writeUInt32BE(0x12345678, 10) // masking key
  return b
}
