/**
 * The web host: the same brain as the Electron host, served to any browser on this machine. It serves the
 * built renderer and bridges the contract over a WebSocket that opens only with the random token from the
 * URL it prints. Loopback only; the Host and Origin checks stop DNS-rebinding and other sites' pages from
 * reaching the socket even if they learn the port.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import fastifyStatic from '@fastify/static'
import Fastify from 'fastify'
import { WebSocketServer } from 'ws'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { WS_MAX_FRAME_BYTES, WS_PATH } from '../../shared/ipc/wire'
import type { DialtoneApp } from '../app'
import type { Logger } from '../log/logger'
import { bridgeSocket } from './bridge'

export const LOOPBACK = '127.0.0.1'

export interface WebHostOptions {
  readonly app: DialtoneApp
  readonly rendererDir: string
  readonly token: string
  /** 0 picks a free port. */
  readonly port: number
  readonly log: Logger
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

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { app, log, token } = options
  if (token.length < 16) throw new Error('the web host token must be at least 16 characters')
  const server = Fastify({ logger: false, bodyLimit: 64 * 1024 })
  let allowedHosts: string[] = []

  server.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      await reply.code(421).type('text/plain').send('unknown host')
    }
  })
  server.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('X-Frame-Options', 'DENY')
    reply.header('Referrer-Policy', 'no-referrer')
    reply.header('Cache-Control', 'no-store')
  })
  await server.register(fastifyStatic, { root: options.rendererDir, index: 'index.html' })

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES })
  const refuse = (socket: Duplex, status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`)
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found')
    if (!allowedHosts.includes(req.headers.host ?? '')) return refuse(socket, '421 Misdirected Request')
    const origin = req.headers.origin ?? ''
    if (!allowedHosts.some((h) => origin === `http://${h}`)) return refuse(socket, '403 Forbidden')
    if (!sameToken(url.searchParams.get('token'), token)) {
      log.warn(
        { remote: req.socket.remoteAddress },
        'web bridge refused a connection without the right token'
      )
      return refuse(socket, '401 Unauthorized')
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, app, origin, log))
  })

  await server.listen({ host: LOOPBACK, port: options.port })
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  allowedHosts = [`${LOOPBACK}:${port}`, `localhost:${port}`]
  return {
    port,
    url: `http://${LOOPBACK}:${port}/?token=${encodeURIComponent(token)}`,
    async close() {
      for (const client of wss.clients) client.terminate()
      wss.close()
      await server.close()
    }
  }
}
