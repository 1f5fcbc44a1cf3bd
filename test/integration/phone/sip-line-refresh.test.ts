/**
 * The app's SIP line when a re-REGISTER fails on a connection that stays up: it says it is no longer registered and
 * registers again, instead of saying "registered" until the connection itself fails (minutes, for a server or a
 * NAT that stops answering). The real Kamailio cannot be made to refuse one refresh and accept the next, so the
 * registrar here is a WebSocket server written to RFC 3261 section 10.3's answers (the Via, From, To with a tag,
 * Call-ID, CSeq and Contact of the request, the binding's expiry on the Contact), as Kamailio answers a line
 * (sip-line.test.ts registers against the real one): the first REGISTER gets 200 with a 2 s expiry, the refresh 503,
 * and the REGISTER of the next connection 200 again.
 */
import { type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { SipLine } from '../../../src/main/phone/sip-line'
import type { LineStatus } from '../../../src/shared/ipc/phone'
import { header, responseTo } from '../../support/raw-sip'

let wss: WebSocketServer
let url = ''
/** The REGISTERs received, in order, each with the connection it came on. */
const registers: { connection: number; cseq: number }[] = []

/** The registrar's answer to a REGISTER: `status`, with the binding's 2 s expiry on the Contact of a 200. */
function answer(request: string, status: string): string {
  const contact = header(request, 'Contact').replace(/;expires=\d+/, '')
  const headers = status.startsWith('200') ? [`Contact: ${contact};expires=2`] : []
  // responseTo writes LF line ends (a raw endpoint's send makes them CRLF); a WebSocket message goes as it is.
  return responseTo(request, status, { toTag: 'registrar', headers }).replace(/\r?\n/g, '\r\n')
}

beforeAll(async () => {
  let connections = 0
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'sip' })
  wss.on('connection', (socket) => {
    const connection = ++connections
    socket.on('message', (data) => {
      const request = String(data)
      if (!request.startsWith('REGISTER ')) return
      const cseq = Number.parseInt(header(request, 'CSeq'), 10)
      registers.push({ connection, cseq })
      // The first connection's refresh is refused; everything else is accepted.
      const refresh = registers.filter((r) => r.connection === connection).length > 1
      socket.send(answer(request, connection === 1 && refresh ? '503 Service Unavailable' : '200 OK'))
    })
  })
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()))
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const client of wss.clients) client.terminate()
  await new Promise((resolve) => wss.close(resolve))
})

describe('the SIP line whose re-REGISTER is refused', () => {
  it('says it is not registered, then registers again on a new connection', async () => {
    const seen: LineStatus[] = []
    const line = new SipLine({
      credentials: async () => ({
        uri: 'sip:12015550100@dialtone.test',
        username: '12015550100',
        authorizationUsername: '12015550100',
        password: 'not-asked-for',
        displayName: 'Test',
        websocketUrl: url,
        number: '+12015550100'
      }),
      backoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 },
      registerExpiresS: 2,
      onStatus: (s) => void seen.push(s)
    })
    try {
      await line.start()
      const deadline = Date.now() + 8000
      const states = () => seen.map((s) => s.state)
      while (Date.now() < deadline && states().filter((s) => s === 'registered').length < 2)
        await new Promise((resolve) => setTimeout(resolve, 50))
      // Registered, the refresh refused (unregistered, said why), then registered again on a second connection.
      const first = states().indexOf('registered')
      const lost = states().indexOf('unregistered', first)
      expect(first).toBeGreaterThanOrEqual(0)
      expect(lost).toBeGreaterThan(first)
      expect(seen[lost]?.reason).toMatch(/^the registration could not be renewed; retrying in/)
      expect(states().indexOf('registered', lost)).toBeGreaterThan(lost)
      expect(registers.map((r) => r.connection)).toEqual([1, 1, 2])
    } finally {
      await line.stop()
    }
  }, 20_000)
})
