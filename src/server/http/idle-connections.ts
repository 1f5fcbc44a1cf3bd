/**
 * The connections of a closing service that carry no request being served. Those that carry no request at all
 * are dropped as the close begins (`dropUnused`: nothing is lost, and each would otherwise hold the close for the
 * whole grace, as every test service's close did, 5 s each); those whose request's body is still arriving, after
 * the grace a close gives requests in flight (`dropIdle`). Node's own closeIdleConnections leaves out a connection
 * that never carried a request (undici opens one after a request it aborted; a client may simply connect and
 * wait), and the close then waits for that connection's headers timeout, a minute; closeAllConnections would also
 * cut requests still running, and the database would be closed under their handlers. So the connections and their
 * requests in flight are counted here. A request whose body has not arrived whole by then has no handler running
 * (one starts only once the body is read): its connection is dropped too, or a sender who never finishes a body
 * would hold the close until the server's request timeout.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'

export function trackConnections(server: Server): { dropUnused(): void; dropIdle(): void } {
  const open = new Set<Socket>()
  const inFlight = new Map<Socket, Set<IncomingMessage>>()
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => {
      open.delete(socket)
      inFlight.delete(socket)
    })
  })
  server.on('request', (req, res) => {
    const socket = req.socket
    const requests = inFlight.get(socket) ?? new Set<IncomingMessage>()
    requests.add(req)
    inFlight.set(socket, requests)
    res.once('close', () => {
      requests.delete(req)
      if (requests.size === 0 && inFlight.get(socket) === requests) inFlight.delete(socket)
    })
  })
  return {
    dropUnused() {
      for (const socket of open) if (!inFlight.has(socket)) socket.destroy()
    },
    dropIdle() {
      for (const socket of open) {
        const requests = inFlight.get(socket)
        if (!requests || [...requests].every((req) => !req.complete)) socket.destroy()
      }
    }
  }
}
