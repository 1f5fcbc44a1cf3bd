/**
 * How a transfer this line follows is going, told to the party that asked for it (RFC 3515, section 2.4.5): a
 * NOTIFY in the REFER's dialog for each answer the new call gets, its body the answer's status line
 * (message/sipfrag), its subscription active until the final answer and terminated with it.
 *
 * sip.js 0.21 sends these itself (Inviter.notifyReferer) but marks every one terminated, the first (100 Trying)
 * too: a transferor that follows the RFC takes the subscription as ended there, never hears whether the new call
 * went through, and may answer the next NOTIFY 481. followReferral puts this in its place.
 */
import type { Inviter, Session } from 'sip.js'

/** What this module reads of an answer to the referred INVITE (sip.js's IncomingResponse). */
interface Answer {
  readonly message: { readonly statusCode?: number; readonly reasonPhrase?: string }
}

/** How long the implicit subscription is said to last while the call rings; the final answer ends it sooner. */
const ACTIVE_FOR_S = 60

/** The NOTIFY's headers and body for an answer the new call got, or null for one not worth telling. */
export function transferProgress(
  statusCode: number,
  reasonPhrase: string
): { final: boolean; extraHeaders: string[]; content: string } | null {
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 699) return null
  const final = statusCode >= 200
  return {
    final,
    extraHeaders: [
      'Event: refer',
      final
        ? 'Subscription-State: terminated;reason=noresource'
        : `Subscription-State: active;expires=${ACTIVE_FOR_S}`
    ],
    // The target's own words, on the one line a status line has (sip.js read them to the end of it).
    content: `SIP/2.0 ${statusCode} ${reasonPhrase.replace(/[^\x20-\x7e\u0080-\uffff]/g, '')}`.trim()
  }
}

/** Tells `transferor` (the session the REFER came in) how `inviter`, the call it asked for, is going. */
export function notifyTransferor(inviter: Inviter, transferor: Session): void {
  // A transferor that refuses a NOTIFY has ended the subscription (RFC 3515, section 2.4.4): no more are sent.
  let ended = false
  // sip.js calls this method on every answer to the referred INVITE (trying, ringing, final), before it handles the
  // answer itself, so nothing here may throw. It is not part of sip.js's public API, which is why this is pinned to
  // sip.js 0.21 (refer.test.ts reads the NOTIFYs the line sends).
  ;(inviter as unknown as { notifyReferer: (response: Answer) => void }).notifyReferer = (response) => {
    const progress = transferProgress(response.message.statusCode ?? 0, response.message.reasonPhrase ?? '')
    const dialog = transferor.dialog
    if (ended || !progress || !dialog) return
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
}
