/**
 * The line's heartbeat against a real `ws` server on 127.0.0.1: a peer that answers pings keeps its connection,
 * one that stops answering has it closed within the interval and the timeout, and a stopped or closed heartbeat
 * pings no more.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { startHeartbeat } from '../../../src/main/phone/connection-heartbeat'

const BEAT = { intervalMs: 40, timeoutMs: 60 }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Waits for `ok`, failing with the test's own words after 5 s rather than at the test's timeout. */
const until = async (ok: () => boolean) => {
  const deadline = Date.now() + 5000
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('waited 5 s for the heartbeat')
    await sleep(5)
  }
}

const servers: WebSocketServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate()
    await new Promise((r) => s.close(r))
  }
})

/** A server on 127.0.0.1 that answers pings or not, counting them; a client connected to it. */
async function connected(autoPong: boolean) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong })
  servers.push(server)
  await new Promise((r) => server.once('listening', r))
  const pings = { count: 0 }
  server.on('connection', (peer) => peer.on('ping', () => pings.count++))
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`)
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
  const closed = new Promise<number>((r) => ws.once('close', () => r(Date.now())))
  return { ws, pings, closed }
}

describe('the connection heartbeat', () => {
  it('keeps a connection whose peer answers', async () => {
    const { ws, pings } = await connected(true)
    let dead = 0
    const { stop } = startHeartbeat(ws, BEAT, () => dead++)
    await sleep(500)
    expect(dead).toBe(0)
    expect(ws.readyState).toBe(WebSocket.OPEN)
    // Several rounds were asked and answered, not one ping left waiting.
    expect(pings.count).toBeGreaterThanOrEqual(5)
    stop()
    ws.close()
  })

  it('closes a connection whose peer stops answering, within the interval and the timeout', async () => {
    const { ws, pings, closed } = await connected(false)
    let dead = 0
    const started = Date.now()
    startHeartbeat(ws, BEAT, () => dead++)
    const at = await closed
    expect(dead).toBe(1)
    expect(pings.count).toBe(1)
    expect(at - started).toBeGreaterThanOrEqual(BEAT.intervalMs + BEAT.timeoutMs - 5)
    expect(at - started).toBeLessThan(BEAT.intervalMs + BEAT.timeoutMs + 400)
  })

  it('asks at once when checked, not at the next beat', async () => {
    const { ws, pings, closed } = await connected(false)
    let dead = 0
    const started = Date.now()
    const beat = startHeartbeat(ws, { intervalMs: 60_000, timeoutMs: 60 }, () => dead++)
    beat.check()
    beat.check()
    const at = await closed
    expect([dead, pings.count]).toEqual([1, 1])
    expect(at - started).toBeLessThan(60 + 400)
  })

  it('pings no more once stopped, or once its connection closes', async () => {
    const first = await connected(true)
    const { stop } = startHeartbeat(first.ws, BEAT, () => undefined)
    await sleep(150)
    stop()
    const after = first.pings.count
    expect(after).toBeGreaterThan(0)
    await sleep(200)
    expect(first.pings.count).toBe(after)
    first.ws.close()

    // A connection that closes while a ping waits is not reported dead afterwards.
    const second = await connected(false)
    let dead = 0
    startHeartbeat(second.ws, BEAT, () => dead++)
    await until(() => second.pings.count === 1)
    second.ws.terminate()
    await second.closed
    await sleep(BEAT.timeoutMs + 100)
    expect(dead).toBe(0)
  })

  it('takes any frame from the peer as its answer, and a pong read late after a stall', async () => {
    const { ws, pings } = await connected(false)
    let dead = 0
    // Wider than BEAT: this test holds its own process still on purpose, and a loaded machine (CI runs other
    // suites beside this one) must not add a stall of its own past the timeout.
    const beat = { intervalMs: 100, timeoutMs: 400 }
    startHeartbeat(ws, beat, () => dead++)
    // The peer answers no ping but sends SIP: it is there.
    const peer = [...servers[0]!.clients][0]!
    const talking = setInterval(() => peer.send('\r\n'), 20)
    await sleep(1000)
    clearInterval(talking)
    expect(dead).toBe(0)
    expect(pings.count).toBeGreaterThanOrEqual(3)
    // The main process stalls past the timeout just after the peer's pong reached this side's socket, unread.
    const before = pings.count
    peer.once('ping', () => {
      peer.pong()
      const stalled = Date.now()
      while (Date.now() - stalled < beat.timeoutMs + 50);
    })
    await until(() => pings.count > before)
    await sleep(50)
    expect(dead).toBe(0)
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
  })
})
