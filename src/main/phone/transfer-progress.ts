/**
 * How a transfer this line follows is going, told to the party that asked for it (RFC 3515, section 2.4.5): a
 * NOTIFY in the REFER's dialog for each answer the new call gets, its body the answer's status line
 * (message/sipfrag), its subscription active until the final answer and terminated with it. A new call that ends
 * with no final answer heard (its INVITE never sent, a 200 that crossed its CANCEL) is told as 487.
 *
 * sip.js 0.21 sends these itself (Inviter.notifyReferer) but marks every one terminated, the first (100 Trying)
 * too: a transferor that follows the RFC takes the subscription as ended there, never hears whether the new call
 * went through, and may answer the next NOTIFY 481. followReferral puts this in its place.
 */
import { type Inviter, type Session, SessionState } from 'sip.js'

/** What this module reads of an answer to the referred INVITE (sip.js's IncomingResponse). */
interface Answer {
  readonly message: { readonly statusCode?: number; readonly reasonPhrase?: string }
}

/** How long the implicit subscription is said to last while the call rings (a carrier may ring for 3 minutes). */
const ACTIVE_FOR_S = 180
/** The target's reason phrase is the target's to choose: at most this many characters of it are passed on. */
const PHRASE_MAX = 128
/** Control characters (C0, DEL, C1), bidirectional controls and line or paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g

export interface TransferProgress {
  readonly final: boolean
  readonly extraHeaders: string[]
  readonly content: string
}

/** The NOTIFY's headers and body for an answer the new call got, or null for one not worth telling. */
export function transferProgress(statusCode: number, reasonPhrase: string): TransferProgress | null {
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 699) return null
  const final = statusCode >= 200
  const phrase = reasonPhrase.replace(UNPRINTABLE, '').slice(0, PHRASE_MAX)
  return {
    final,
    extraHeaders: [
      'Event: refer',
      final
        ? 'Subscription-State: terminated;reason=noresource'
        : `Subscription-State: active;expires=${ACTIVE_FOR_S}`
    ],
    content: `SIP/2.0 ${statusCode} ${phrase}`.trim()
  }
}

/** Tells `transferor` (the session the REFER came in) how `inviter`, the call it asked for, is going. */
export function notifyTransferor(inviter: Inviter, transferor: Session): void {
  // The final answer told, or the transferor refused a NOTIFY (the subscription ended, RFC 3515 section 2.4.4), or
  // left the call: no more are sent.
  let ended = false
  const send = (progress: TransferProgress | null): void => {
    const dialog = transferor.dialog
    if (ended || !progress || !dialog || transferor.state !== SessionState.Established) return
    if (progress.final) ended = true
    try {
      dialog.notify(
        { onReject: () => (ended = true) },
        {
          extraHeaders: progress.extraHeaders,
          body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: progress.content }
        }
      )
    } catch {
      ended = true
    }
  }
  // sip.js calls this method on every answer to the referred INVITE (trying, ringing, final), before it handles the
  // answer itself, so nothing here may throw. It is not part of sip.js's public API, which is why this is pinned to
  // sip.js 0.21 (refer.test.ts reads the NOTIFYs the line sends).
  ;(inviter as unknown as { notifyReferer: (response: Answer) => void }).notifyReferer = (response) =>
    send(transferProgress(response.message.statusCode ?? 0, response.message.reasonPhrase ?? ''))
  inviter.stateChange.addListener((state) => {
    if (state === SessionState.Terminated) send(transferProgress(487, 'Request Terminated'))
  })
}
