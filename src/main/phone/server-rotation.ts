/**
 * Which of the line's SIP servers it uses, and the next when that one cannot serve it: the service's list in the
 * order to try it (SRV-style priorities and weights, sip-servers.ts), round and round. A new list (or the first)
 * starts again at its most preferred server; the same list read again keeps its place, so re-reading the
 * credentials does not send the line back to a server that just failed it.
 */
import { type SipServer, orderSipServers } from '../../shared/telephony/sip-servers'

export class ServerRotation {
  private servers: string[] = []
  private index = 0

  /** The WebSocket URL in use (or being tried); null before a list was given. */
  get current(): string | null {
    return this.servers.length > 0 ? (this.servers[this.index % this.servers.length] ?? null) : null
  }

  /** The server in use cannot serve the line: the next one, when there is another. */
  next(): void {
    if (this.servers.length > 1) this.index = (this.index + 1) % this.servers.length
  }

  /** The list the credentials name (`servers`, else `websocketUrl` alone). */
  use(servers: readonly SipServer[] | undefined, websocketUrl: string): void {
    const order = orderSipServers(servers, websocketUrl)
    const key = (urls: string[]) => [...urls].sort().join(' ')
    if (key(order) === key(this.servers)) return
    this.servers = order
    this.index = 0
  }

  reset(): void {
    this.servers = []
    this.index = 0
  }
}
