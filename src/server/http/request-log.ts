/**
 * What the service's request log says about a request: its method and path, never its query string. Searches go
 * out as GET query strings (an operator's `accounts find --email`, the app's `?q=`), so a URL logged whole puts
 * email addresses and phone numbers in the log at info level, for every request, where no erasure reaches them.
 * app.ts installs these serializers over whatever logger the service is given; the error handler logs the same
 * path.
 */
import type { FastifyRequest } from 'fastify'

/** The path of a request target, without its query string or fragment ("/a?email=x" -> "/a"). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

/** Fastify's request serializer with the path in place of the URL (the rest as Fastify logs it). */
function requestValue(req: FastifyRequest) {
  return {
    method: req.method,
    url: pathOf(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined
  }
}

export const REQUEST_LOG_SERIALIZERS = { req: requestValue }
