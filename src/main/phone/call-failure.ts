/**
 * Why a call the SIP server or the far end refused failed, as the CallFailure code the history and the screen
 * word it from: decided from the final response's status code and, when the server's policy refused it, the
 * Reason header it named (server-reasons.ts), taken only with the status the server sends it with (a 402 for
 * no-credit, a 403 for the rest). Pure, so the mapping is a unit test (line-problem.test.ts).
 */
import type { CallFailure } from '../../shared/ipc/phone'
import { serverReason } from '../../shared/telephony/server-reasons'

/** The status the SIP server refuses with for each of its reasons: want of credit is a 402 (credit.cfg). */
const statusOf = (policy: CallFailure): number => (policy === 'noCredit' ? 402 : 403)

export function failureOf(status: number, reason?: string | null): CallFailure {
  const policy = serverReason(reason)
  if (policy && status === statusOf(policy)) return policy
  if (status === 404 || status === 410 || status === 604) return 'notFound'
  if (status === 484) return 'incomplete'
  if (status === 401 || status === 402 || status === 403 || status === 407) return 'forbidden'
  if (status === 603) return 'declined'
  if (status === 408 || status === 480 || status === 487) return 'unavailable'
  if (status >= 500 && status < 600) return 'serverError'
  return 'unknown'
}
