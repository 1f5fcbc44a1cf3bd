/**
 * What a person can do about each LineProblem, and where: one table the screens read, so every reason shown comes
 * with a place to act (Try now retries the line here; the Account page signs in again or renews; Settings holds
 * the service address; Help reaches support). And the countdown to the line's next try, as whole seconds from its retryAt.
 */
import type { LineProblem } from '../ipc/phone'

/** Where the fix is: `retry` is the Try now button itself; the others are pages of the app (`support`: Help). */
export type LineAction = 'retry' | 'account' | 'settings' | 'support'

export const LINE_PROBLEM_ACTIONS: Readonly<Record<LineProblem, readonly LineAction[]>> = {
  noNetwork: ['retry'],
  serverUnreachable: ['retry'],
  credentialsRefused: ['account', 'retry'],
  serviceLapsed: ['account'],
  serviceSuspended: ['account'],
  addressMissing: ['account'],
  serviceUnreachable: ['settings', 'retry'],
  serverError: ['retry', 'support'],
  misprovisioned: ['account', 'retry', 'support'],
  stopped: ['account']
}

/** Seconds left until `retryAt` (rounded up, never negative), or null when no retry is scheduled. */
export function secondsUntil(retryAt: string | null, nowMs: number): number | null {
  if (!retryAt) return null
  const at = Date.parse(retryAt)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - nowMs) / 1000))
}
