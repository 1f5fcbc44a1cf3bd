/**
 * A flood of SIP requests from one address, against the real Kamailio (resources/kamailio/flood.cfg) with a small
 * limit (10 requests in 2 s, dropped for 3 s): the flood's first requests are answered, the rest dropped unanswered,
 * and its address stays dropped for the ban's time, while another address and this machine's own go on being
 * answered; after the ban the address is answered again. The flood comes from 127.0.0.2 (all of 127/8 is this
 * machine's loopback on Linux): the server's own address, 127.0.0.1, is never counted.
 */
import { type Socket, createSocket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SipStack, startSipStack } from '../../support/sip-stack'

let stack: SipStack
const sockets: Socket[] = []

beforeAll(async () => {
  stack = await startSipStack({ flood: { density: 10, banSeconds: 3 } })
}, 60_000)
afterAll(async () => {
  for (const s of sockets) s.close()
  await stack?.close()
})

/** A UDP endpoint on `address` that sends OPTIONS pings to Kamailio and counts the answers to each. */
async function pinger(address: string) {
  const sock = createSocket('udp4')
  sockets.push(sock)
  await new Promise<void>((resolve) => sock.bind(0, address, () => resolve()))
  const answered = new Set<string>()
  sock.on('message', (buf) => {
    const m = buf.toString()
    const id = /^Call-ID:\s*(\S+)/im.exec(m)?.[1]
    if (m.startsWith('SIP/2.0 200') && id) answered.add(id)
  })
  const port = sock.address().port
  let n = 0
  const ping = (): string => {
    const id = `flood-${address}-${++n}`
    const target = `sip:127.0.0.1:${stack.kam.sipPort}`
    sock.send(
      Buffer.from(
        [
          `OPTIONS ${target} SIP/2.0`,
          `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bK-${id};rport`,
          `From: <sip:probe@${address}>;tag=${id}`,
          `To: <${target}>`,
          `Call-ID: ${id}`,
          'CSeq: 1 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          ''
        ].join('\r\n')
      ),
      stack.kam.sipPort,
      '127.0.0.1'
    )
    return id
  }
  return { answered, ping }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a flood of SIP requests from one address', () => {
  it('is answered up to the limit, then dropped for the ban; other addresses are answered all along', async () => {
    const flood = await pinger('127.0.0.2')
    const other = await pinger('127.0.0.3')
    const local = await pinger('127.0.0.1')
    const sent = Array.from({ length: 40 }, () => flood.ping())
    await sleep(500)
    // The first requests are answered, the flood's rest dropped (nothing comes back to measure it by).
    expect(flood.answered.size).toBeGreaterThanOrEqual(5)
    expect(flood.answered.size).toBeLessThan(25)
    expect(flood.answered.has(sent[0] ?? '')).toBe(true)
    expect(flood.answered.has(sent.at(-1) ?? '')).toBe(false)
    expect(stack.kam.output()).toMatch(
      /a flood of SIP requests from 127\.0\.0\.2: its requests are dropped for 3 s/
    )
    // Banned: one request a second later is dropped too, while the others are answered.
    await sleep(1000)
    const banned = flood.ping()
    const otherPing = other.ping()
    const localPings = Array.from({ length: 30 }, () => local.ping())
    await sleep(500)
    expect(flood.answered.has(banned)).toBe(false)
    expect(other.answered.has(otherPing)).toBe(true)
    // This machine's own address is never counted, however many it sends.
    expect(localPings.filter((id) => local.answered.has(id))).toHaveLength(30)
    // The ban over (and pike's window passed), the address is answered again.
    await sleep(5000)
    const after = flood.ping()
    await sleep(500)
    expect(flood.answered.has(after)).toBe(true)
  }, 30_000)
})
