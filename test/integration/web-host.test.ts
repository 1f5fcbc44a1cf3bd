import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { describeDevice } from '../../src/main/device/usb-libusb'
import { silentLogger } from '../../src/main/log/logger'
import { startWebHost, type WebHost } from '../../src/main/web/server'
import { KEY_CHECK_PATH, serverFrameSchema, type ServerFrame } from '../../src/shared/ipc/wire'
import { type ConnectionState, createWsTransport } from '../../src/renderer/src/bridge/ws-transport'
import { recordedTigerJet } from '../support/tigerjet'
import { testApp, type TestApp } from '../support/test-app'

const TOKEN = 'integration-token-0123456789'
let host: WebHost
let t: TestApp

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-renderer-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Dialtone</title>')
  t = testApp()
  t.app.start()
  host = await startWebHost({ app: t.app, rendererDir: dir, token: TOKEN, port: 0, log: silentLogger() })
})
afterAll(async () => {
  await t.app.dispose()
  await host.close()
})

const wsUrl = (token?: string): string =>
  `ws://127.0.0.1:${host.port}/ipc${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`
const origin = (): string => `http://127.0.0.1:${host.port}`

/**
 * The renderer's own transport's socket, over ws (Node 20 has no WebSocket) with the Origin a browser sends;
 * `made()` counts the sockets made.
 */
function browserish(): { Socket: unknown; made(): number } {
  let made = 0
  const Socket = class extends WebSocket {
    constructor(url: string | URL) {
      super(url, { headers: { Origin: `http://127.0.0.1:${new URL(url).port}` } })
      made++
      this.on('error', () => undefined) // a browser's socket reports a refusal as a close event too
    }
  }
  return { Socket, made: () => made }
}

/** Opens a socket, or resolves with the HTTP status that refused it. */
function open(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

async function connected(): Promise<{ ws: WebSocket; frames: ServerFrame[]; next(): Promise<ServerFrame> }> {
  const ws = await open(wsUrl(TOKEN), { Origin: origin() })
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`)
  const frames: ServerFrame[] = []
  const waiters: ((f: ServerFrame) => void)[] = []
  ws.on('message', (data) => {
    const frame = serverFrameSchema.parse(JSON.parse(data.toString()))
    const waiter = waiters.shift()
    if (waiter) waiter(frame)
    else frames.push(frame)
  })
  const next = (): Promise<ServerFrame> => {
    const queued = frames.shift()
    return queued ? Promise.resolve(queued) : new Promise((r) => waiters.push(r))
  }
  return { ws, frames, next }
}

describe('the web host', () => {
  it('serves the renderer with the CSP and refuses other Host names (DNS rebinding)', async () => {
    const ok = await fetch(`http://127.0.0.1:${host.port}/`)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(ok.headers.get('x-frame-options')).toBe('DENY')
    // fetch may not set Host; node:http may, as a rebinding browser effectively does.
    const status = await new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port: host.port, path: '/', headers: { Host: 'attacker.example' } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }
      )
        .on('error', reject)
        .end()
    })
    expect(status).toBe(421)
  })

  it('refuses the socket without the token, with a wrong token, from another origin or another path', async () => {
    expect(await open(wsUrl(), { Origin: origin() })).toBe(401)
    expect(await open(wsUrl('integration-token-0123456780'), { Origin: origin() })).toBe(401)
    expect(await open(wsUrl(TOKEN), { Origin: 'https://evil.example' })).toBe(403)
    expect(await open(wsUrl(TOKEN), {})).toBe(403)
    expect(await open(`ws://127.0.0.1:${host.port}/other?token=${TOKEN}`, { Origin: origin() })).toBe(404)
  })

  it('answers contract calls over the socket, and refuses a bad argument with a clear error', async () => {
    const { ws, next } = await connected()
    ws.send(JSON.stringify({ kind: 'call', id: 1, channel: 'app.info' }))
    const info = await next()
    expect(info).toMatchObject({
      kind: 'result',
      id: 1,
      result: { ok: true, value: { name: 'Dialtone', host: 'web' } }
    })
    ws.send(
      JSON.stringify({ kind: 'call', id: 2, channel: 'app.settings.set', payload: { language: 'klingon' } })
    )
    const bad = await next()
    expect(bad).toMatchObject({
      kind: 'result',
      id: 2,
      result: { ok: false, error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'language' }] } }
    })
    ws.close()
  })

  it('answers a malformed frame with a protocol error and keeps the connection', async () => {
    const { ws, next } = await connected()
    ws.send('not json')
    expect(await next()).toEqual({ kind: 'protocolError', message: 'a frame must be JSON' })
    ws.send(JSON.stringify({ kind: 'call', id: -1, channel: 'app.info' }))
    expect(await next()).toMatchObject({ kind: 'protocolError' })
    ws.send(JSON.stringify({ kind: 'call', id: 3, channel: 'device.list' }))
    expect(await next()).toMatchObject({
      kind: 'result',
      id: 3,
      result: { ok: true, value: { devices: [] } }
    })
    ws.close()
  })

  it('pushes device.changed to every connected page when a dongle is plugged in', async () => {
    const a = await connected()
    const b = await connected()
    const dongle = describeDevice(recordedTigerJet())
    t.usb.plug(dongle)
    for (const page of [a, b]) {
      const nextChange = async () => {
        let frame = await page.next()
        // The hotplug log's diagnostics.event frames come between.
        while (frame.kind === 'event' && frame.event !== 'device.changed') frame = await page.next()
        return frame
      }
      // First the device as the attach event names it (vendor, product, port), at once; then the same device with
      // what its configuration descriptor says (power, interfaces), read on the next turn.
      const { interfaceClasses: _i, maxPowerMa: _m, selfPowered: _s, ...identity } = dongle
      expect(await nextChange()).toMatchObject({
        kind: 'event',
        event: 'device.changed',
        payload: { change: { kind: 'attached', id: dongle.id }, usb: [identity] }
      })
      expect(await nextChange()).toMatchObject({
        kind: 'event',
        event: 'device.changed',
        payload: { change: { kind: 'updated', id: dongle.id }, usb: [dongle] }
      })
    }
    t.usb.unplug(dongle.id)
    a.ws.close()
    b.ws.close()
  })

  it('refuses a token shorter than 16 characters at start', async () => {
    await expect(
      startWebHost({ app: t.app, rendererDir: '/tmp', token: 'short', port: 0, log: silentLogger() })
    ).rejects.toThrow('at least 16 characters')
  })

  it('answers whether a key is its own (204, 401), for a page whose socket was refused', async () => {
    const check = (token: string) =>
      fetch(`http://127.0.0.1:${host.port}${KEY_CHECK_PATH}?token=${encodeURIComponent(token)}`)
    expect((await check(TOKEN)).status).toBe(204)
    expect((await check('integration-token-0123456780')).status).toBe(401)
  })

  it('tells a page left open across a restart that its key is old, not "reconnecting" forever', async () => {
    const g = globalThis as { WebSocket?: unknown }
    const had = g.WebSocket
    g.WebSocket = browserish().Socket
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-renderer-'))
    const start = (token: string, port: number) =>
      startWebHost({ app: t.app, rendererDir: dir, token, port, log: silentLogger() })
    const first = await start('first-start-token-0123456789', 0)
    const port = first.port
    const seen: ConnectionState[] = []
    const page = createWsTransport(`http://127.0.0.1:${port}`, 'first-start-token-0123456789')
    page.onState((s) => seen.push(s))
    const reached = (s: ConnectionState) =>
      expect.poll(() => seen.at(-1), { timeout: 10_000, interval: 50 }).toBe(s)
    let second: WebHost | undefined
    try {
      await reached('open')
      await first.close()
      await reached('closed') // Dialtone stopped: reconnecting
      second = await start('second-start-token-0123456789', port) // a new start, a new key
      await reached('stale')
      // It stays said (no flicker back to "connecting") while retrying.
      await new Promise((r) => setTimeout(r, 700))
      expect(seen.at(-1)).toBe('stale')
      // A key this host never had, in a tab that never connected: refused (not "restarted").
      const fresh: ConnectionState[] = []
      const other = createWsTransport(`http://127.0.0.1:${port}`, 'first-start-token-0123456789')
      other.onState((s) => fresh.push(s))
      await expect.poll(() => fresh.at(-1), { timeout: 10_000, interval: 50 }).toBe('refused')
      other.close()
      // A tab that had connected before a reload says "restarted" too.
      const reloaded: ConnectionState[] = []
      const again = createWsTransport(`http://127.0.0.1:${port}`, 'first-start-token-0123456789', {
        connectedBefore: () => true
      })
      again.onState((s) => reloaded.push(s))
      await expect.poll(() => reloaded.at(-1), { timeout: 10_000, interval: 50 }).toBe('stale')
      again.close()
    } finally {
      page.close()
      await second?.close()
      g.WebSocket = had
    }
  })
  it('stays closed once the page closes it, even with a reconnect waiting', async () => {
    const sockets = browserish()
    const g = globalThis as { WebSocket?: unknown }
    const had = g.WebSocket
    g.WebSocket = sockets.Socket
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-renderer-'))
    const alone = await startWebHost({
      app: t.app,
      rendererDir: dir,
      token: TOKEN,
      port: 0,
      log: silentLogger()
    })
    const seen: ConnectionState[] = []
    const page = createWsTransport(`http://127.0.0.1:${alone.port}`, TOKEN)
    page.onState((s) => seen.push(s))
    try {
      await expect.poll(() => seen.at(-1), { timeout: 10_000, interval: 50 }).toBe('open')
      await alone.close()
      // 'closed' is said as the reconnect is scheduled (250 ms, then longer).
      await expect.poll(() => seen.at(-1), { timeout: 10_000, interval: 20 }).toBe('closed')
      page.close()
      const made = sockets.made()
      await new Promise((r) => setTimeout(r, 1000))
      expect(sockets.made(), 'a socket made after close').toBe(made)
    } finally {
      page.close()
      g.WebSocket = had
    }
  })
})
