/**
 * Errors the service answers with on purpose. Each has an HTTP status, a stable code from the shared API
 * (src/shared/api/common.ts), a stable reason (src/shared/api/reasons.ts) with the values its sentence needs,
 * and an English message for API users and logs (the app words the reason itself). Anything else that
 * escapes a handler becomes a bare 500 with no detail, and is logged without the request body.
 */
import type { ApiErrorCode } from '../../shared/api/common'
import type { WireIssue } from '../../shared/api/issues'
import type { ReasonCode as AppReason, ReasonParams } from '../../shared/api/reasons'
import type { OpsReasonCode } from '../../shared/ops/reasons'

/** The app's reasons, and the ops API's own (src/shared/ops/reasons.ts). */
type ReasonCode = AppReason | OpsReasonCode

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

type Issue = WireIssue

export class ServiceError extends Error {
  readonly code: ApiErrorCode
  readonly reason: ReasonCode
  readonly params: ReasonParams | undefined
  readonly issues: readonly Issue[]
  readonly retryAfterS: number | undefined

  /** `message` is English for API users and logs; the app words `reason` and `params` itself. */
  constructor(
    code: ApiErrorCode,
    message: string,
    options: { reason: ReasonCode; params?: ReasonParams; issues?: readonly Issue[]; retryAfterS?: number }
  ) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    this.reason = options.reason
    this.params = options.params
    this.issues = options.issues ?? []
    this.retryAfterS = options.retryAfterS
  }

  get status(): number {
    return STATUS[this.code]
  }

  toBody(): {
    error: {
      code: ApiErrorCode
      reason: ReasonCode
      params?: ReasonParams
      message: string
      issues?: readonly Issue[]
    }
  } {
    return {
      error: {
        code: this.code,
        reason: this.reason,
        ...(this.params ? { params: this.params } : {}),
        message: this.message,
        ...(this.issues.length > 0 ? { issues: this.issues } : {})
      }
    }
  }
}

/** One field refused for a reason of the service's own: the issue carries the reason as its code. */
export const invalid = (
  path: string,
  message: string,
  reason: ReasonCode,
  params?: ReasonParams
): ServiceError =>
  new ServiceError('invalid-input', `${path ? `${path}: ` : ''}${message}`, {
    issues: [{ path, code: reason, message, ...(params ? { params } : {}) }],
    reason,
    ...(params ? { params } : {})
  })
export const notFound = (reason: ReasonCode, what: string): ServiceError =>
  new ServiceError('not-found', `${what} was not found`, { reason })
export const conflict = (reason: ReasonCode, message: string, params?: ReasonParams): ServiceError =>
  new ServiceError('conflict', message, { reason, ...(params ? { params } : {}) })
export const forbidden = (reason: ReasonCode, message: string, params?: ReasonParams): ServiceError =>
  new ServiceError('forbidden', message, { reason, ...(params ? { params } : {}) })
