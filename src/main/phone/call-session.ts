/**
 * One call's sip.js session as the call controller tracks it (Tracked: the call, when it started and was
 * answered, how it ended), and what the line's effects do to it: refuse it with the right code, hold it with a
 * re-INVITE, send a key by RTP or else by SIP INFO, hang it up (BYE, CANCEL or reject, by how far it got); a
 * REFER from the other party goes to whoever follows the call (the controller decides; declined without one), and a
 * BYE's Reason kept when the phone service says why it ended the call.
 * Failures of these requests are logged and change nothing: the session's own end tells the line.
 */
import {
  Inviter,
  type Invitation,
  type Referral,
  type Session,
  SessionState,
  type URI,
  type UserAgent
} from 'sip.js'
import type { CallFailure, HistoryEntry } from '../../shared/ipc/phone'
import type { Call } from '../../shared/telephony/line-state'
import type { ServerEnd } from '../../shared/telephony/call-why'
import { serverEndReason } from '../../shared/telephony/server-reasons'
import type { Logger } from '../log/logger'

export interface Tracked {
  readonly session: Session
  readonly call: Call
  readonly startedAt: string
  answeredAt: string | null
  outcome: HistoryEntry['outcome'] | null
  /** Why an outgoing call did not go through. */
  failure: CallFailure | null
  /** This side ended it (hung up before an answer: cancelled, not failed). */
  hungUp: boolean
  /** Why the phone service ended the call itself, when its BYE said (creditRanOut, callTooLong). */
  endedBy: ServerEnd | null
  /** Decides a transfer (REFER) the other party asks of this call; without it the REFER is declined (603). */
  referred: ((referral: Referral) => void) | null
}

export function track(session: Session, call: Call, startedAt: string): Tracked {
  const t: Tracked = {
    session,
    call,
    startedAt,
    answeredAt: null,
    outcome: null,
    failure: null,
    hungUp: false,
    endedBy: null,
    referred: null
  }
  session.delegate = {
    ...session.delegate,
    // A REFER from the other party has this line call whom it names, on this line's account: followed only as the
    // controller decides (followReferral in call-transfers.ts), never as sip.js follows any REFER left to itself.
    onRefer: (referral) =>
      t.referred ? t.referred(referral) : void referral.reject({ statusCode: 603 }).catch(() => undefined),
    // A BYE is answered as sip.js answers it; the phone service's own says why it ended the call (its Reason:
    // server-reasons.ts), which only it can write (Kamailio removes ours from what anyone else sends).
    onBye: (bye) => {
      t.endedBy = serverEndReason(bye.request.getHeader('Reason'))
      void bye.accept().catch(() => undefined)
    }
  }
  return t
}

/**
 * A caller may hang up with a BYE on the early dialog of our 180 instead of a CANCEL (RFC 3261 §15). sip.js answers
 * it 200 and forgets the dialog but leaves the INVITE unanswered, so the phone rang on after the caller had gone
 * (until the SIP server gave up on the call) and could be picked up into nothing. Now the INVITE is answered 487,
 * as §15.1.2 recommends for a request pending on a dialog a BYE ended, and the call ends as missed: also when the
 * handset was lifted a moment before (the answer still being made), which would otherwise go out on a dialog the
 * caller has left. Only the early dialog: once answered, sip.js's own handler replaces this one.
 */
export function endOnEarlyBye(invitation: Invitation): void {
  const early = invitation.dialog
  if (!early || invitation.state !== SessionState.Initial) return
  early.delegate = {
    ...early.delegate,
    onBye: (bye) => {
      bye.accept()
      if (invitation.state !== SessionState.Initial && invitation.state !== SessionState.Establishing) return
      try {
        void invitation.reject({ statusCode: 487 }).catch(() => undefined)
      } catch {
        // sip.js throws from a transaction already answered: the session's own end tells the line.
      }
    }
  }
}

const REJECT_CODE = { busy: 486, doNotDisturb: 480, blocked: 603 } as const

/** Refuses an incoming call with the final response its reason calls for; the history records why. */
export function reject(t: Tracked, why: keyof typeof REJECT_CODE): void {
  t.outcome = why === 'busy' ? 'busy' : why === 'blocked' ? 'rejected' : 'missed'
  void (t.session as Invitation).reject({ statusCode: REJECT_CODE[why] }).catch(() => undefined)
}

export function hold(t: Tracked, on: boolean, log: Logger): void {
  if (t.session.state === SessionState.Established)
    void t.session
      .invite({ sessionDescriptionHandlerOptions: { hold: on } as object })
      .catch((err: unknown) => log.warn({ err }, 'hold re-INVITE failed'))
}

/** A key in the call: in the media (RFC 4733) when the handler can, else by SIP INFO. */
export function sendDtmf(t: Tracked, key: string, log: Logger): void {
  if (t.session.state !== SessionState.Established) return
  const sdh = t.session.sessionDescriptionHandler
  if (sdh?.sendDtmf(key)) return
  void t.session
    .info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${key}\r\nDuration=160`
        }
      }
    })
    .catch((err: unknown) => log.warn({ err }, 'DTMF by SIP INFO failed'))
}

export function hangup(t: Tracked): void {
  t.hungUp = true
  const s = t.session
  if (s.state === SessionState.Established) void s.bye().catch(() => undefined)
  else if (s instanceof Inviter) void s.cancel().catch(() => undefined)
  else if (s.state === SessionState.Initial) void (s as Invitation).reject().catch(() => undefined)
}

/**
 * The address a number is called at: the line's own address of record, with the number and the line's domain. The
 * user is the number as a North American phone dials it: a +1 number as its eleven digits, a number abroad after
 * 011, a short code as it is. The SIP server's international gate, its carrier routing and the rating all read a
 * number that way; written as its bare digits, +674 555 1234 (Nauru) was ten digits, which they read as a US number.
 */
export const dialledUser = (target: string): string =>
  target.startsWith('+1') ? target.slice(1) : target.startsWith('+') ? `011${target.slice(1)}` : target

export function addressOf(ua: UserAgent, domain: string, target: string): URI {
  const uri = ua.userAgentCore.configuration.aor.clone()
  uri.user = dialledUser(target)
  uri.host = domain
  return uri
}

/**
 * Resolves once the session has ended and the line has heard of it: the controller hands the line its progress
 * event in a setImmediate after the end, so this waits for that too. A session that has ended already (or a call
 * the controller no longer keeps, `undefined`) may have ended a moment ago, its event still on its way: two turns
 * more. Resolving at once let an attended transfer read the line before the far end's BYE reached it.
 */
export function whenEnded(t: Tracked | undefined): Promise<void> {
  const heard = (resolve: () => void): void => void setImmediate(() => setImmediate(resolve))
  if (!t || t.session.state === SessionState.Terminated) return new Promise(heard)
  return new Promise((resolve) => {
    t.session.stateChange.addListener((st) => {
      if (st === SessionState.Terminated) heard(resolve)
    })
  })
}
