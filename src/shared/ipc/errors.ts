/**
 * How a command fails, as it crosses the IPC boundary: a stable code the UI can branch on, a message a person
 * can read, and for bad input the exact fields at fault. Errors travel inside a result envelope rather than
 * as thrown exceptions, because Electron's ipcMain.handle rewrites thrown errors into an opaque string.
 */
import type { WireIssue } from '../api/issues'
import type { ReasonParams } from '../api/reasons'

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_COMMAND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'EXPIRED',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYMENT_FAILED',
  'UNAVAILABLE',
  'USB_ERROR',
  'PERMISSION_NEEDED',
  'TIMEOUT',
  'UNSUPPORTED',
  'INTERNAL'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** One field at fault: its path, a code the app words (FIELD_ISSUE_CODES or a reason), and that code's values. */
export type FieldIssue = WireIssue

export interface IpcErrorBody {
  readonly code: ErrorCode
  readonly message: string
  readonly issues?: readonly FieldIssue[]
  /** A finer, stable reason within the code (e.g. 'code-expired'), for the UI to branch on and word. */
  readonly reason?: string
  /** The values the reason's sentence needs. */
  readonly params?: ReasonParams
}

export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcErrorBody }

/** The error a handler throws to fail on purpose, and the error the renderer's client re-throws. */
export class DialtoneError extends Error {
  readonly code: ErrorCode
  readonly issues: readonly FieldIssue[]
  readonly reason: string | undefined
  readonly params: ReasonParams | undefined

  /** `message` is English for logs; the app words `reason` (and `params`), never the message. */
  constructor(
    code: ErrorCode,
    message: string,
    issues: readonly FieldIssue[] = [],
    reason?: string,
    params?: ReasonParams
  ) {
    super(message)
    this.name = 'DialtoneError'
    this.code = code
    this.issues = issues
    this.reason = reason
    this.params = params
  }

  toBody(): IpcErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues.length > 0 ? { issues: this.issues } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.params !== undefined ? { params: this.params } : {})
    }
  }

  static fromBody(body: IpcErrorBody): DialtoneError {
    return new DialtoneError(body.code, body.message, body.issues ?? [], body.reason, body.params)
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
