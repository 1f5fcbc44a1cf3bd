/**
 * Bearer-token authentication for the /v1 API. The desktop app sends `Authorization: Bearer dts_…`; no cookies
 * are ever set, so a web page elsewhere cannot make a signed-in request on the person's behalf (no CSRF surface).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServiceContext } from '../context'
import { type Authenticated, authenticate } from '../identity/sessions'
import { ServiceError } from './errors'

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (!header) return null
  const m = /^Bearer (\S+)$/.exec(header)
  return m?.[1] ?? null
}

/** preValidation hook (before body validation, so a caller without a session learns nothing about the body): the request must carry a live session. */
export function requireAuth(ctx: ServiceContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearer(request)
    const auth = token ? await authenticate(ctx, token, request.ip) : null
    if (!auth)
      throw new ServiceError('unauthenticated', 'sign in again: the session is missing, expired or revoked', {
        reason: 'session'
      })
    request.auth = auth
  }
}

/** preValidation hook (before body validation, so a caller without a session learns nothing about the body): a session is used when present (e.g. activating a dongle onto the signed-in account). */
export function optionalAuth(ctx: ServiceContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearer(request)
    request.auth = token ? await authenticate(ctx, token, request.ip) : null
    if (token && !request.auth)
      throw new ServiceError('unauthenticated', 'sign in again: the session is missing, expired or revoked', {
        reason: 'session'
      })
  }
}

export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth)
    throw new ServiceError('unauthenticated', 'sign in first', { reason: 'sign-in-required' })
  return request.auth
}
