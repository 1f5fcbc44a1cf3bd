/**
 * Errors the service answers with on purpose. Each has an HTTP status, a stable code from the shared API
 * (src/shared/api/common.ts), an optional finer reason, and a message a person can act on. Anything else that
 * escapes a handler becomes a bare 500 with no detail, and is logged without the request body.
 */
import type { ApiErrorCode } from '../../shared/api/common'

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  'payment-required': 402,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503
}

export class ServiceError extends Error {
  readonly code: ApiErrorCode
  readonly reason: string | undefined
  readonly issues: { path: string; message: string }[]
  readonly retryAfterS: number | undefined

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { reason?: string; issues?: { path: string; message: string }[]; retryAfterS?: number } = {}
  ) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    this.reason = options.reason
    this.issues = options.issues ?? []
    this.retryAfterS = options.retryAfterS
  }

  get status(): number {
    return STATUS[this.code]
  }

  toBody(): {
    error: {
      code: ApiErrorCode
      reason?: string
      message: string
      issues?: { path: string; message: string }[]
    }
  } {
    return {
      error: {
        code: this.code,
        ...(this.reason ? { reason: this.reason } : {}),
        message: this.message,
        ...(this.issues.length > 0 ? { issues: this.issues } : {})
      }
    }
  }
}

export const invalid = (path: string, message: string, reason?: string): ServiceError =>
  new ServiceError('invalid-input', `${path ? `${path}: ` : ''}${message}`, {
    issues: [{ path, message }],
    ...(reason ? { reason } : {})
  })
export const notFound = (what: string): ServiceError => new ServiceError('not-found', `${what} was not found`)
export const conflict = (reason: string, message: string): ServiceError =>
  new ServiceError('conflict', message, { reason })
export const forbidden = (reason: string, message: string): ServiceError =>
  new ServiceError('forbidden', message, { reason })
