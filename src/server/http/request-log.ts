/**
 * What the service's request log says about a request: its method and path, never its query string. Searches go
 * out as GET query strings (an operator's `accounts find --email`, the app's `?q=`), so a URL logged whole puts
 * email addresses and phone numbers in the log at info level, for every request, where no erasure reaches them.
 * app.ts installs these serializers over whatever logger the service is given; the error handler logs the same
 * path. Nor the client's whole address: the log keeps the network it came from (an IPv4 /24, an IPv6 /48), enough to
 * see a flood come from one place, not to name a person's connection. Where the address is needed whole (a sign-in,
 * a change to the account), the audit log keeps it, which a person downloads with their data and erasure reaches.
 */
import type { FastifyRequest } from 'fastify'
import ipaddr from 'ipaddr.js'

/** The path of a request target, without its query string or fragment ("/a?email=x" -> "/a"). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

/** The network an address is in, as the request log keeps it: "203.0.113.0/24", "2001:db8:85a3::/48". */
export function networkOf(address: string): string {
  if (!ipaddr.isValid(address)) return 'unknown'
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') {
    const [a, b, c] = (parsed as ipaddr.IPv4).octets
    return `${a}.${b}.${c}.0/24`
  }
  const [a = 0, b = 0, c = 0] = (parsed as ipaddr.IPv6).parts
  return `${new ipaddr.IPv6([a, b, c, 0, 0, 0, 0, 0]).toString()}/48`
}

/** Fastify's request serializer with the path in place of the URL and the network in place of the address. */
function requestValue(req: FastifyRequest) {
  return {
    method: req.method,
    url: pathOf(req.url),
    host: req.host,
    remoteNetwork: networkOf(req.ip)
  }
}

export const REQUEST_LOG_SERIALIZERS = { req: requestValue }
