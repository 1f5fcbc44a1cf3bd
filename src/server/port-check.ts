/**
 * Whether a port on 127.0.0.1 can be bound right now, for UDP and for TCP: what the voicemail server asks before
 * baresip binds a port, what `npm run stack` checks before it starts anything, and what the tests' port choosers
 * check. Each probe binds and closes at once; its answer is the bind's error code (EADDRINUSE, EACCES) or null.
 * A UDP socket whose bind failed stays open until closed, so the probe closes it either way: of the six copies of
 * this probe this module replaces, three left that socket open on every taken port.
 */
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'

/** Why UDP `port` cannot be bound (the error's code), or null when it can. */
export function udpPortProblem(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close()
      resolve(err.code ?? 'error')
    })
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(null)))
  })
}

/** Why TCP `port` cannot be listened on (the error's code), or null when it can. */
export function tcpPortProblem(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(null)))
  })
}

export const udpPortFree = async (port: number): Promise<boolean> => (await udpPortProblem(port)) === null
export const tcpPortFree = async (port: number): Promise<boolean> => (await tcpPortProblem(port)) === null
