/**
 * Call transfers on the line. The ones this line makes from the screen (transferCalls: a REFER through ./transfer.ts,
 * then this line leaves its legs), and the ones another party asks of it: a REFER from the other party of a call
 * (blind or attended: the line calls whom it names), and an INVITE with Replaces (the other end of an attended
 * transfer, put through in place of the call in progress). Those two are taken only from the line's lone call in
 * progress, connected: anything else (call waiting, a three-way call, a conference) is declined (603) and the calls
 * stay as they were. What the line does with the new call is the state machine's (`transferred` and `replaced` in
 * src/shared/telephony/line-state.ts); this module decides whether, and starts it. The call controller lends it
 * what it needs (LineCalls).
 */
import {
  type Invitation,
  type Inviter,
  type Referral,
  type Session,
  SessionState,
  type UserAgent
} from 'sip.js'
import { decide } from '../../shared/telephony/dial-plan'
import { type Call, type LineEvent, type LineState, loneCall } from '../../shared/telephony/line-state'
import { type TransferOutcome, followableTarget } from '../../shared/telephony/transfer'
import type { Logger } from '../log/logger'
import { type Tracked, addressOf, track, whenEnded } from './call-session'
import { incomingEvent } from './incoming-call'
import { consultTarget, refer } from './transfer'
import { notifyTransferor } from './transfer-progress'

/** What the call controller lends the transfers: its line, its calls, and how it starts and ends one. */
export interface LineCalls {
  readonly state: () => LineState
  /** The call in progress with this id. */
  readonly call: (id: string) => Tracked | undefined
  /** The call in progress whose session this is. */
  readonly find: (session: Session) => Tracked | undefined
  readonly hangup: (id: string) => void
  readonly nextId: (direction: 'in' | 'out') => string
  readonly now: () => Date
  readonly handle: (event: LineEvent) => void
  /** Sends a new outgoing call's INVITE, with the call kept, in the history and its answers told the line. */
  readonly place: (t: Tracked) => void
  /** Keeps an incoming call that is answered at once, with its history entry saying so. */
  readonly keepAnswered: (t: Tracked, at: string) => void
  readonly failed: (id: string, err: unknown) => void
  readonly ua: () => UserAgent | null
  readonly domain: () => string | null
  readonly isBlocked: (remote: string) => boolean
  readonly log: Logger
}

/**
 * Transfers from the screen. With a number: blind, the call in progress is referred to it. Without: attended, the
 * held first party is referred to the consult call in progress (Refer-To with Replaces). On success this line leaves
 * the calls (BYE on its legs) and hangs up; otherwise the calls stay as they were.
 */
export async function transferCalls(line: LineCalls, number?: string): Promise<TransferOutcome> {
  const s = line.state()
  const current = s.call && s.phase === 'connected' ? line.call(s.call.id) : undefined
  if (!current || current.session.state !== SessionState.Established) return 'noCall'
  let outcome: TransferOutcome
  const legs = [current.call.id]
  if (number === undefined) {
    const held = s.threeWay && !s.conference && s.other?.held ? line.call(s.other.id) : undefined
    if (!held || held.session.state !== SessionState.Established) return 'noCall'
    legs.push(held.call.id)
    outcome = await refer(held.session, consultTarget(current.session))
  } else {
    const digits = number.replace(/^\+1?/, number.startsWith('+') && !number.startsWith('+1') ? '011' : '')
    const d = decide(digits, true)
    const domain = line.domain()
    const ua = line.ua()
    if (d.kind !== 'dial' || d.emergency || !domain || !ua) return 'badNumber'
    outcome = await refer(current.session, addressOf(ua, domain, d.target))
  }
  line.log.info({ outcome, attended: number === undefined }, 'call transfer')
  if (outcome === 'transferred') {
    // Leave both legs first (BYE, or the far end's own BYE for a replaced dialog), then put the line down:
    // hanging up with a held call still there would ring it back.
    const ended = legs.map((id) => whenEnded(line.call(id)))
    for (const id of legs) line.hangup(id)
    await Promise.all(ended)
    const after = line.state()
    if (after.offHook && !after.call && !after.other) line.handle({ type: 'onHook' })
  }
  return outcome
}

/** The call is the line's lone call in progress, connected, its session established. */
const lone = (s: LineState, t: Tracked): boolean =>
  loneCall(s)?.id === t.call.id && t.session.state === SessionState.Established

/**
 * A REFER from the other party of call `t`: followed when the target is a number the line may call for it
 * (followableTarget; the SIP server refused what only its NANP table knows before it got here), else declined.
 * Followed: accepted (202), the new call placed through sip.js's referral (an attended transfer's Replaces goes with
 * it; NOTIFYs tell the transferring party how the call goes, transfer-progress.ts), and the line takes it as a
 * three-way call's second leg: the transferring party waits on hold, and is left once the new call answers.
 */
export function followReferral(line: LineCalls, t: Tracked, referral: Referral): void {
  const domain = line.domain()
  const alone = lone(line.state(), t)
  const target = line.ua() && domain && alone ? referTargetOf(referral, domain) : null
  if (!target) {
    line.log.info({ call: t.call.id, alone }, 'a transfer asked of this line was declined')
    void referral.reject({ statusCode: 603 }).catch(() => undefined)
    return
  }
  let inviter: Inviter
  try {
    inviter = referral.makeInviter()
  } catch (err) {
    // What sip.js could not make a call of (its Replaces, decoded): declined before anything was promised.
    line.log.info({ call: t.call.id, err }, 'a transfer asked of this line could not be followed')
    void referral.reject({ statusCode: 603 }).catch(() => undefined)
    return
  }
  notifyTransferor(inviter, t.session)
  void referral.accept().catch(() => undefined)
  const call: Call = { id: line.nextId('out'), direction: 'out', remote: target, referredBy: t.call.remote }
  line.log.info({ from: t.call.id, call: call.id }, 'a transfer asked of this line is followed')
  const tracked = track(inviter, call, line.now().toISOString())
  line.handle({ type: 'transferred', call })
  line.place(tracked)
}

/**
 * An INVITE replacing `replacee` (RFC 3891 Replaces; sip.js matched the dialog, and answered 481 to one it does not
 * have): taken without ringing, the person being on the line already, when the replaced call is the lone call in
 * progress and the caller is not blocked; else declined. Answered, sip.js ends the replaced call (BYE) and the line
 * goes on with the new one, which the Phone page says the replaced party transferred. Knowing a dialog's Call-ID and
 * both tags is what lets a request replace it (RFC 3891, section 8): the call's two parties and the SIP server see
 * them, and so does the party an attended transfer hands them to (that is how it works); a transferee that kept them
 * after a transfer that failed could replace the call later, and the page would say who transferred it.
 */
export function takeReplacing(line: LineCalls, invitation: Invitation, replacee: Session): void {
  const old = line.find(replacee)
  const id = line.nextId('in')
  const at = line.now()
  const incoming = incomingEvent(invitation, id, at, line.isBlocked)
  const alone = old !== undefined && lone(line.state(), old)
  if (!old || !alone || incoming.blocked) {
    line.log.info({ replaces: old?.call.id ?? null, alone }, 'a call replacing one of this line was declined')
    void invitation.reject({ statusCode: 603 }).catch(() => undefined)
    return
  }
  const call: Call = { ...incoming.call, referredBy: old.call.remote }
  const tracked = track(invitation, call, at.toISOString())
  line.log.info({ replaces: old.call.id, call: id }, 'a call replaces one of this line')
  line.keepAnswered(tracked, at.toISOString())
  // The line takes it once it is answered, just before sip.js ends the replaced call: an answer that fails (its
  // media) leaves the replaced call where it was. Should the line have changed meanwhile (a call waiting came in, a
  // flash), the new call is hung up and the replaced one kept.
  invitation.stateChange.addListener((state) => {
    if (state !== SessionState.Established) return
    line.handle({ type: 'replaced', replaces: old.call.id, call })
    if (line.state().call?.id === id) return
    // Not taken: sip.js must not end the call it would have replaced (it does so right after this listener).
    ;(invitation as unknown as { _replacee?: Session })._replacee = undefined
    line.hangup(id)
  })
  void invitation.accept().catch((err: unknown) => line.failed(id, err))
}

/** The number a REFER's Refer-To names, if the line may call it for the other party (null when it does not parse). */
function referTargetOf(referral: Referral, domain: string): string | null {
  try {
    const uri = referral.referTo.uri
    return followableTarget(
      {
        scheme: uri.scheme,
        user: uri.user,
        host: uri.host,
        port: uri.port ?? null,
        params: Object.entries(uri.parameters).map(([name, value]) =>
          value === null ? name : `${name}=${value}`
        ),
        headers: Object.keys(uri.headers),
        replaces: referral.replaces ?? null
      },
      domain
    )
  } catch {
    return null
  }
}
