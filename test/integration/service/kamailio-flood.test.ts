/**
 * The lines' door and floods of SIP requests, against the real Kamailio (resources/kamailio/flood.cfg, with a small
 * limit: 10 new requests in 2 s, dropped for 3 s) behind the real HAProxy with the shipped configuration
 * (resources/haproxy/sip-wss.cfg, a test certificate), as production runs it: every WebSocket reaches Kamailio from
 * the terminator's address, 127.0.0.1, and Kamailio counts each by the client's address the terminator writes. The
 * clients connect from other loopback addresses (all of 127/8 is this machine on Linux): 127.0.0.2 floods,
 * 127.0.0.3 is someone else. Checked: the flood's first requests are answered, the rest dropped, on every
 * connection of its address and whatever X-Forwarded-For it writes itself, while the other address is answered all
 * along; after the ban it is answered again; a client going around the door is counted by its own address, whatever
 * header it writes, and a connection from the door's address naming no client is counted too (without a door, this
 * machine's own clients are not counted); a connection's client address is forgotten when it closes; a line
 * registers through the door; the door lets only WebSocket upgrades through, never Kamailio's JSON-RPC (which
 * answers its own loopback, where the terminator connects from); and an address holding too many connections has
 * the next one closed at once.
 */
import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type KamailioService, startKamailioService } from '../../support/kamailio-service'
import {
  type RawSipWs,
  answeredWithin,
  optionsBurst,
  rawSipWs,
  registerOverWs,
  sendOptions
} from '../../support/raw-sip-ws'
import { trialLine } from '../../support/service-flows'
import { type SipTerminator, startSipTerminator } from '../../support/sip-terminator'

const CONNS_PER_ADDRESS = 4

let stack: KamailioService
let door: SipTerminator
const open: RawSipWs[] = []

beforeAll(async () => {
  stack = await startKamailioService('sqlite', {
    flood: { density: 10, banSeconds: 3 },
    terminatorAddr: '127.0.0.1'
  })
  door = await startSipTerminator({ kamailioWsPort: stack.kam.wsPort, connsPerAddress: CONNS_PER_ADDRESS })
}, 60_000)
afterAll(async () => {
  for (const c of open) c.close()
  await door?.stop()
  await stack?.close()
})

/** A WebSocket client through the door from `address`, writing `headers` of its own on the handshake. */
async function client(address: string, headers: Record<string, string> = {}): Promise<RawSipWs> {
  const c = await rawSipWs(door.url, undefined, { localAddress: address, rejectUnauthorized: false, headers })
  open.push(c)
  return c
}

/** New requests over `c` (counted by the flood limit), each answered or not within `ms`. */
const pinger = (c: RawSipWs) => ({
  send: (): string => sendOptions(c),
  answered: (id: string, ms = 400): Promise<boolean> => answeredWithin(c, id, ms)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the lines’ door and floods of new SIP requests', () => {
  it('answers an address up to the limit, then drops its new requests for the ban; others are answered', async () => {
    const floodWs = await client('127.0.0.2')
    // A second connection of the same address, claiming another client's address: the door writes the real one.
    const disguised = await client('127.0.0.2', { 'X-Forwarded-For': '198.51.100.77' })
    const otherWs = await client('127.0.0.3')
    const flood = pinger(floodWs)
    const answered = await optionsBurst(floodWs, 40)
    const count = answered.filter(Boolean).length
    expect(count).toBeGreaterThanOrEqual(5)
    expect(count).toBeLessThanOrEqual(20)
    expect(answered[0]).toBe(true)
    expect(answered.at(-1)).toBe(false)
    expect(stack.kam.output()).toMatch(
      /a flood of SIP requests from 127\.0\.0\.2: its new requests are dropped for 3 s/
    )
    // Banned by address: its other connection too; the other address is answered.
    const d = pinger(disguised)
    const o = pinger(otherWs)
    const [dId, oId] = [d.send(), o.send()]
    expect(await d.answered(dId)).toBe(false)
    expect(await o.answered(oId)).toBe(true)
    // The ban over (and a new window), the address is answered again.
    await sleep(3500)
    const after = flood.send()
    expect(await flood.answered(after, 1000)).toBe(true)
  }, 30_000)

  it('counts a client that goes around the door by its own address, and one from the door naming no client', async () => {
    // Straight to Kamailio from 127.0.0.8, claiming another address: the header is not the door's, so not believed.
    const direct = await rawSipWs(stack.kam.wsUrl, undefined, {
      localAddress: '127.0.0.8',
      headers: { 'X-Forwarded-For': '198.51.100.78' }
    })
    open.push(direct)
    expect((await optionsBurst(direct, 40)).filter(Boolean).length).toBeLessThanOrEqual(20)
    expect(stack.kam.output()).toMatch(/a flood of SIP requests from 127\.0\.0\.8:/)
    expect(stack.kam.output()).not.toMatch(/a flood of SIP requests from (198\.51\.100\.78|0):/)
    // From the door's own address with no client named (none should come so): counted together, not let through.
    const unnamed = await rawSipWs(stack.kam.wsUrl)
    open.push(unnamed)
    expect((await optionsBurst(unnamed, 40)).filter(Boolean).length).toBeLessThanOrEqual(20)
    expect(stack.kam.output()).toMatch(/a flood of SIP requests from the door:/)
  }, 20_000)

  it('without a door (the dev stack), does not count this machine’s own clients', async () => {
    const bare = await startKamailioService('sqlite', { flood: { density: 10, banSeconds: 3 } })
    try {
      const local = await rawSipWs(bare.kam.wsUrl)
      open.push(local)
      expect((await optionsBurst(local, 40)).every(Boolean)).toBe(true)
      expect(bare.kam.output()).not.toMatch(/a flood of SIP requests/)
    } finally {
      await bare.close()
    }
  }, 40_000)

  it('forgets a connection’s client address when the connection closes', async () => {
    // Kamailio's own table, asked over its JSON-RPC from this machine (as the service asks it).
    const known = async (): Promise<string> => {
      const r = await fetch(`http://127.0.0.1:${stack.kam.wsPort}/RPC`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'htable.dump', params: ['ws_client'], id: 1 })
      })
      return r.text()
    }
    // Closed with a close frame, and cut with none (a client gone): both forgotten as the connection ends.
    for (const [address, end] of [
      ['127.0.0.9', (c: RawSipWs) => c.close()],
      ['127.0.0.10', (c: RawSipWs) => c.drop()]
    ] as const) {
      const c = await client(address)
      // The address is kept once the handshake succeeded; a request makes sure the connection is in use.
      const p = pinger(c)
      expect(await p.answered(p.send())).toBe(true)
      expect(await known()).toContain(`"${address}"`)
      end(c)
      // At once (tcpops's events), not the websocket module's own close event 5 s later, nor never for a cut one.
      const deadline = Date.now() + 2000
      while ((await known()).includes(`"${address}"`) && Date.now() < deadline) await sleep(100)
      expect(await known(), address).not.toContain(`"${address}"`)
    }
  }, 20_000)

  it('carries a line’s registration through the door', async () => {
    const line = await stack.creds(await trialLine(stack.svc))
    const ws = await client('127.0.0.4')
    await registerOverWs(ws, line)
  }, 20_000)

  it('lets only WebSocket upgrades through: never Kamailio’s JSON-RPC', async () => {
    const { port } = new URL(door.url)
    const get = (
      path: string,
      method: string,
      body?: string,
      headers?: Record<string, string>
    ): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method,
            headers,
            rejectUnauthorized: false,
            localAddress: '127.0.0.5'
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (c: string) => (text += c))
            // HAProxy's own refusal, not one from Kamailio behind it.
            res.on('end', () =>
              resolve(`${res.statusCode} ${/administrative rules/.test(text) ? 'door' : text}`)
            )
          }
        )
        req.on('error', reject)
        req.end(body)
      })
    const rpc = JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 })
    expect(await get('/RPC', 'POST', rpc)).toBe('403 door')
    expect(
      await get('/rpc', 'GET', undefined, {
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13'
      })
    ).toBe('403 door')
    expect(await get('/', 'GET')).toBe('403 door')
    // Kamailio itself, asked through a terminator on its own machine, refuses it too.
    const direct = await fetch(`http://127.0.0.1:${stack.kam.wsPort}/RPC`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5' },
      body: rpc
    })
    expect(direct.status).toBe(403)
  })

  it('closes at once a connection past the number one address may hold', async () => {
    const held = []
    for (let i = 0; i < CONNS_PER_ADDRESS; i++) held.push(await client('127.0.0.6'))
    await expect(client('127.0.0.6')).rejects.toThrow()
    // Another address still gets in.
    const other = pinger(await client('127.0.0.7'))
    expect(await other.answered(other.send())).toBe(true)
  })
})
