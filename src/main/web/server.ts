/**
 * The web host: the same brain as the Electron host, served to any browser on this machine. It serves the
 * built renderer and bridges the contract over a WebSocket that opens only with the random token from the
 * URL it prints. Loopback only; the Host and Origin checks stop DNS-rebinding and other sites' pages from
 * reaching the socket even if they learn the port.
 *
 * It listens before the app brain has loaded (`app` may be a promise): the page's files are served at once, so
 * the first paint does not wait for native modules, the store and the service client; a socket that arrives
 * before the brain is ready is upgraded when it is. KEY_CHECK_PATH answers whether a key is this start's, so a
 * page left open across a restart can say its key is old rather than "reconnecting" forever.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { KEY_CHECK_PATH, WS_MAX_FRAME_BYTES, WS_PATH } from '../../shared/ipc/wire-paths'
import type { DialtoneApp } from '../app'
import type { Logger } from '../log/logger'
import { serveFile } from './static-files'

export const LOOPBACK = '127.0.0.1'

export interface WebHostOptions {
  /** The brain, or its start still under way: sockets wait for it, files do not. */
  readonly app: DialtoneApp | Promise<DialtoneApp>
  readonly rendererDir: string
  readonly token: string
  /** 0 picks a free port. */
  readonly port: number
  /** The brain's logger, which may still be loading with it. */
  readonly log: Logger | Promise<Logger>
  /** Told of each file request and socket request (main times the brain's loading by them). */
  readonly onActivity?: (kind: 'file' | 'socket') => void
}

export interface WebHost {
  readonly port: number
  /** The address to open, token included. */
  readonly url: string
  close(): Promise<void>
}

export const sameToken = (given: string | null, expected: string): boolean => {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store'
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { token } = options
  const logger = Promise.resolve(options.log)
  const warn = (obj: object, msg: string): void =>
    void logger.then(
      (l) => l.warn(obj, msg),
      () => undefined
    )
  if (token.length < 16) throw new Error('the web host token must be at least 16 characters')
  let allowedHosts: string[] = []
  // The WebSocket library and the bridge load beside the brain, after the server listens.
  const bridge = Promise.all([options.app, logger, import('ws'), import('./bridge')]).then(
    ([app, log, { WebSocketServer }, { bridgeSocket }]) => ({
      app,
      log,
      wss: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES }),
      bridgeSocket
    })
  )
  let ready: Awaited<typeof bridge> | null = null
  // A failed start is reported by whoever awaits the app (the host's main); sockets then stay refused.
  bridge.then((r) => (ready = r)).catch(() => undefined)

  const server = createServer((req, res) => {
    options.onActivity?.('file')
    for (const [name, value] of Object.entries(HEADERS)) res.setHeader(name, value)
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('unknown host')
      return
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`)
    if (url.pathname === KEY_CHECK_PATH) {
      // A page whose socket was refused asks whether its key is still this start's (a restart makes a new one).
      res.writeHead(sameToken(url.searchParams.get('token'), token) ? 204 : 401).end()
      return
    }
    serveFile(options.rendererDir, req, res).catch((err: unknown) => {
      warn({ err }, 'the web host could not serve a file')
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end()
    })
  })
  const refuse = (socket: Duplex, status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`)
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found')
    if (!allowedHosts.includes(req.headers.host ?? '')) return refuse(socket, '421 Misdirected Request')
    const origin = req.headers.origin ?? ''
    if (!allowedHosts.some((h) => origin === `http://${h}`)) return refuse(socket, '403 Forbidden')
    if (!sameToken(url.searchParams.get('token'), token)) {
      warn({ remote: req.socket.remoteAddress }, 'web bridge refused a connection without the right token')
      return refuse(socket, '401 Unauthorized')
    }
    options.onActivity?.('socket')
    bridge.then(
      ({ app, log, wss, bridgeSocket }) => {
        if (socket.destroyed) return
        wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, app, origin, log))
      },
      () => refuse(socket, '503 Service Unavailable')
    )
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  allowedHosts = [`${LOOPBACK}:${port}`, `localhost:${port}`]
  return {
    port,
    url: `http://${LOOPBACK}:${port}/?token=${encodeURIComponent(token)}`,
    async close() {
      if (ready) {
        for (const client of ready.wss.clients) client.terminate()
        ready.wss.close()
      }
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
