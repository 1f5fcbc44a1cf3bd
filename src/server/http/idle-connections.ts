/**
 * The connections of a closing service that carry no request: dropped after the grace a close gives requests in
 * flight. Node's own closeIdleConnections leaves out a connection that never carried a request (undici opens one
 * after a request it aborted; a client may simply connect and wait), and the close then waits for that connection's
 * headers timeout, a minute; closeAllConnections would also cut requests still running, and the database would be
 * closed under their handlers. So the connections and their requests in flight are counted here.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export function trackConnections(server: Server): { dropIdle(): void } {
  const open = new Set<Socket>()
  const inFlight = new Map<Socket, number>()
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => {
      open.delete(socket)
      inFlight.delete(socket)
    })
  })
  server.on('request', (req, res) => {
    const socket = req.socket
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1)
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1
      if (left > 0) inFlight.set(socket, left)
      else inFlight.delete(socket)
    })
  })
  return {
    dropIdle() {
      for (const socket of open) if (!inFlight.has(socket)) socket.destroy()
    }
  }
}
