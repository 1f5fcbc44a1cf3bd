/**
 * An outgoing call on the wire: the INVITE to the number at the line's domain (with Privacy: id when the caller
 * hides its number), and what its provisional and final responses tell the line: ringing on 180 or 183, busy on
 * 486 or 600, otherwise failed with why (call-failure.ts), kept in the call's Tracked for the history.
 */
import { Inviter, type UserAgent } from 'sip.js'
import type { CallFailure } from '../../shared/ipc/phone'
import type { Call } from '../../shared/telephony/line-state'
import { failureOf } from './call-failure'
import { type Tracked, addressOf, track } from './call-session'

export interface InviteProgress {
  readonly ringing: () => void
  readonly refused: (status: 'busy' | 'failed', why: CallFailure | null) => void
  /** The INVITE could not be sent (no answer from sip.js's transaction, a transport error). */
  readonly failed: (err: unknown) => void
}

/** The session of a call to place, not sent yet: the caller follows its state before sendInvite. */
export function outgoingSession(
  ua: UserAgent,
  domain: string,
  call: Call,
  hideCallerId: boolean,
  startedAt: string
): Tracked {
  const inviter = new Inviter(ua, addressOf(ua, domain, call.remote), {
    extraHeaders: hideCallerId ? ['Privacy: id'] : []
  })
  return track(inviter, call, startedAt)
}

export function sendInvite(t: Tracked, on: InviteProgress): void {
  void (t.session as Inviter)
    .invite({
      requestDelegate: {
        onProgress: (r) => {
          if (r.message.statusCode === 180 || r.message.statusCode === 183) on.ringing()
        },
        onReject: (r) => {
          const code = r.message.statusCode ?? 0
          t.outcome = code === 486 || code === 600 ? 'busy' : 'failed'
          if (t.outcome === 'failed') t.failure = failureOf(code, r.message.getHeader('Reason'))
          on.refused(t.outcome === 'busy' ? 'busy' : 'failed', t.failure)
        }
      }
    })
    .catch(on.failed)
}
