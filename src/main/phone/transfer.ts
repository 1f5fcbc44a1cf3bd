/**
 * Sends one REFER for a call transfer and waits for its outcome (RFC 3515 with the implicit subscription's
 * message/sipfrag NOTIFYs): a 2xx sipfrag means the transferee reached the new party; 3xx-6xx means it could not;
 * a REFER refused outright, or nothing final in time, leaves the calls as they were. The caller (the call
 * controller) then hangs up this line's legs on success. With a Session as the target, sip.js puts Replaces for
 * that dialog into Refer-To (attended transfer).
 */
import type { Session, URI } from 'sip.js'
import { TRANSFER_TIMEOUT_MS, type TransferOutcome, sipfragStatus } from '../../shared/telephony/transfer'

export function refer(
  from: Session,
  to: URI | Session,
  timeoutMs = TRANSFER_TIMEOUT_MS
): Promise<TransferOutcome> {
  return new Promise((resolve) => {
    let settled = false
    const done = (outcome: TransferOutcome): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const timer = setTimeout(() => done('timeout'), timeoutMs)
    timer.unref?.()
    from
      .refer(to, {
        requestDelegate: { onReject: () => done('refused') },
        onNotify: (notification) => {
          void notification.accept().catch(() => undefined)
          const code = sipfragStatus(notification.request.body ?? '')
          if (code !== null) done(code < 300 ? 'transferred' : 'failed')
        }
      })
      .catch(() => done('refused'))
  })
}
