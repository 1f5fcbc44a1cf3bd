/**
 * Carries out the handset's star codes that are not calls (issue 23; the dial plan decides them:
 * src/shared/telephony/star-codes.ts): *72 + a number turns "forward every call" on, *73 turns it off (both through
 * the service, which Kamailio reads: resources/kamailio/forwarding.cfg), *69 calls back the last caller in the
 * call history, *60 blocks the last caller (the account's blocked numbers, which the SIP server enforces too).
 * Each outcome goes to the screen as `forwarding.starCode`, so the Phone page says in words what the confirmation
 * or reorder tone told the ear.
 */
import { DialtoneError } from '../../shared/ipc/errors'
import type { StarCodeFailure, StarCodeOutcome } from '../../shared/ipc/forwarding'
import type { HistoryEntry } from '../../shared/ipc/phone'
import { normalizeNanp } from '../../shared/numbers/nanp'
import type { StarFeature } from '../../shared/telephony/star-codes'
import type { AccountService } from '../account/account-service'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'

export interface StarCodePorts {
  readonly account: Pick<AccountService, 'call'>
  /** The line the phone registered, or null (not signed in, no line). */
  readonly lineId: () => string | null
  readonly history: () => readonly HistoryEntry[]
  readonly events: EventBus
  readonly log: Logger
  /** The blocked numbers changed: the phone reads them again. */
  readonly blockedChanged: () => void
  readonly now?: () => Date
}

/** What the line does next: confirmation (ok), a call (*69), or reorder with the English reason. */
export interface StarCodeResult {
  readonly ok: boolean
  readonly dial?: string
  readonly reason?: string
}

/** The caller's number of the newest incoming call that carried one (anonymous callers cannot be returned). */
export function lastCaller(history: readonly HistoryEntry[]): string | null {
  for (const h of history) {
    if (h.direction !== 'in') continue
    const digits = h.remote.replace(/^\+/, '')
    if (!/^\d{7,15}$/.test(digits)) return null
    return normalizeNanp(h.remote) ?? `+${digits}`
  }
  return null
}

function failureOf(err: unknown): { failure: StarCodeFailure; reason: string | null } {
  if (err instanceof DialtoneError) {
    if (err.reason === 'unreachable' || err.reason === 'timeout' || err.code === 'TIMEOUT')
      return { failure: 'serviceUnreachable', reason: null }
    if (err.code === 'UNAUTHENTICATED') return { failure: 'notSignedIn', reason: null }
    return { failure: 'serviceRefused', reason: err.reason ?? null }
  }
  return { failure: 'serviceUnreachable', reason: null }
}

export async function runStarCode(
  p: StarCodePorts,
  feature: StarFeature,
  number: string | null
): Promise<StarCodeResult> {
  const at = (p.now?.() ?? new Date()).toISOString()
  const tell = (o: Omit<StarCodeOutcome, 'feature' | 'at'>): void =>
    p.events.emit('forwarding.starCode', { feature, at, ...o })
  const fail = (
    failure: StarCodeFailure,
    reason: string | null,
    n: string | null = number
  ): StarCodeResult => {
    tell({ ok: false, number: n, failure, reason })
    return { ok: false, reason: `star code ${feature} failed: ${failure}${reason ? ` (${reason})` : ''}` }
  }
  if (feature === 'callBack') {
    const back = lastCaller(p.history())
    if (!back) return fail('noCallToReturn', null, null)
    tell({ ok: true, number: back, failure: null, reason: null })
    return { ok: true, dial: back }
  }
  const lineId = p.lineId()
  if (!lineId) return fail('notSignedIn', null)
  try {
    if (feature === 'forwardOn' || feature === 'forwardOff') {
      await p.account.call('setForwarding', { lineId, always: feature === 'forwardOn' ? number : null })
      tell({ ok: true, number, failure: null, reason: null })
      return { ok: true }
    }
    const caller = lastCaller(p.history())
    if (!caller) return fail('noCallerToBlock', null, null)
    await p.account.call('block', { number: caller })
    p.blockedChanged()
    tell({ ok: true, number: caller, failure: null, reason: null })
    return { ok: true }
  } catch (err) {
    p.log.warn({ err, feature }, 'a star code could not be carried out')
    const f = failureOf(err)
    return fail(f.failure, f.reason)
  }
}
