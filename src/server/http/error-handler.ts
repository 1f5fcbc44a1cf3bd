/**
 * Every failure as the shared error body (src/shared/api/common.ts), always with a reason code. Validation
 * failures name each field with an issue code and its values (the shared mapper, src/shared/api/issues.ts);
 * Fastify's own errors (bad JSON, wrong content type, too large) keep their meaning; anything unexpected is a
 * 500 that says nothing more and is logged without the request body, where secrets live.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { issueFromZod } from '../../shared/api/issues'
import type { Logger } from '../context'
import { ServiceError } from './errors'
import { pathOf as urlPath } from './request-log'

function pathOf(instancePath: string | undefined, part: string): string {
  const p = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  return part === 'body' ? p : [part, p].filter(Boolean).join('.')
}

/** The part of the request a validation failure is about, to tell an empty field from a wrong one. */
function partOf(request: FastifyRequest, part: string): unknown {
  if (part === 'querystring') return request.query
  if (part === 'params') return request.params
  if (part === 'headers') return request.headers
  return request.body
}

export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServiceError) {
      if (error.retryAfterS !== undefined) void reply.header('retry-after', String(error.retryAfterS))
      return reply.status(error.status).send(error.toBody())
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = (error as { validationContext?: string }).validationContext ?? 'body'
      const checked = partOf(request, part)
      // fastify-type-provider-zod splits each zod issue into keyword/instancePath/params: put it back together
      // and map it with the one mapper main uses too.
      const issues = error.validation.map((v) => {
        const zodPath = (v.instancePath ?? '').split('/').filter(Boolean)
        const issue = { ...v.params, code: v.keyword, path: zodPath, message: v.message ?? 'invalid' }
        const wire = issueFromZod(issue as unknown as z.core.$ZodIssue, checked)
        return { ...wire, path: pathOf(v.instancePath, part) }
      })
      const first = issues[0]
      const message = first
        ? `${first.path ? `${first.path}: ` : ''}${first.message}`
        : 'the request is not valid'
      return reply
        .status(400)
        .send(new ServiceError('invalid-input', message, { reason: 'invalid-input', issues }).toBody())
    }
    const known: Record<string, ServiceError> = {
      FST_ERR_CTP_BODY_TOO_LARGE: new ServiceError('payload-too-large', 'the request body is too large', {
        reason: 'payload-too-large'
      }),
      FST_ERR_CTP_INVALID_MEDIA_TYPE: new ServiceError(
        'unsupported-media-type',
        'send JSON (Content-Type: application/json)',
        { reason: 'unsupported-media-type' }
      ),
      FST_ERR_CTP_EMPTY_JSON_BODY: new ServiceError(
        'invalid-input',
        'the request body is empty; send a JSON object',
        { reason: 'empty-body' }
      ),
      FST_ERR_CTP_INVALID_JSON_BODY: new ServiceError('invalid-input', 'the request body is not valid JSON', {
        reason: 'bad-json'
      }),
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: new ServiceError(
        'invalid-input',
        'the Content-Length does not match the body',
        { reason: 'bad-content-length' }
      )
    }
    const storage = storageTrouble(error)
    if (storage) {
      log.warn(`${request.method} ${request.routeOptions.url ?? urlPath(request.url)}: ${storage.message}`)
      void reply.header('retry-after', String(storage.retryAfterS ?? 5))
      return reply.status(storage.status).send(storage.toBody())
    }
    const mapped = error.code ? known[error.code] : undefined
    if (mapped) return reply.status(mapped.status).send(mapped.toBody())
    if (error.statusCode === 400 && error.message.includes('JSON'))
      return reply.status(400).send(
        new ServiceError('invalid-input', 'the request body is not valid JSON', {
          reason: 'bad-json'
        }).toBody()
      )
    // The sender went away (or the request timeout cut it) before its body arrived: nothing failed here, nobody is
    // left to answer, and a flood of such senders must not fill the log with errors.
    if (!request.raw.complete && request.raw.destroyed) {
      const gone = known.FST_ERR_CTP_INVALID_CONTENT_LENGTH as ServiceError
      return reply.status(gone.status).send(gone.toBody())
    }
    log.error(
      `${request.method} ${request.routeOptions.url ?? urlPath(request.url)} failed: ${error.stack ?? error.message}`
    )
    return reply.status(500).send(
      new ServiceError('internal', 'something went wrong on our side; nothing was changed', {
        reason: 'internal'
      }).toBody()
    )
  })
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(
      new ServiceError('not-found', `there is no ${request.method} ${urlPath(request.url)}`, {
        reason: 'no-route'
      }).toBody()
    )
  )
}

/**
 * The database refusing for a while rather than for good: another writer holds the lock past the busy timeout
 * (SQLite BUSY/LOCKED; PostgreSQL lock_not_available, deadlock, serialization failure) or its disk is full.
 * The transaction was rolled back, so the answer is 503 with Retry-After and "nothing was changed".
 */
function storageTrouble(error: unknown): ServiceError | null {
  const code = String((error as { code?: unknown }).code ?? '')
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || ['55P03', '40P01', '40001'].includes(code))
    return new ServiceError(
      'unavailable',
      'the database is busy; try again in a moment (nothing was changed)',
      {
        reason: 'database-busy',
        retryAfterS: 2
      }
    )
  if (/^SQLITE_FULL/.test(code) || code === '53100')
    return new ServiceError('unavailable', 'the service’s disk is full; nothing was changed', {
      reason: 'storage-full',
      retryAfterS: 60
    })
  return null
}
