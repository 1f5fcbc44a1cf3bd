/**
 * Sends one REFER for a call transfer and waits for its outcome (RFC 3515 with the implicit subscription's
 * message/sipfrag NOTIFYs): a 2xx sipfrag means the transferee reached the new party; 3xx-6xx means it could not;
 * a REFER refused outright, or nothing final in time, leaves the calls as they were. The caller (the call
 * controller) then hangs up this line's legs on success. With a Session as the target, sip.js puts Replaces for
 * that dialog into Refer-To (attended transfer); the Refer-To's address is the consulted party's address of record
 * (what this line dialled, through Kamailio), not its Contact, which the transferee often cannot reach: a WebRTC
 * app's Contact is a `.invalid` name, a SIP phone's a private address, and the transferee is usually a carrier.
 */
import type { Session, URI } from 'sip.js'
import { TRANSFER_TIMEOUT_MS, type TransferOutcome, sipfragStatus } from '../../shared/telephony/transfer'

/**
 * The consult call as sip.js's REFER wants it, with its address of record as the remote target: sip.js builds
 * `"<name>" <<remote target>?Replaces=<call-id;to-tag;from-tag>>` from these fields of a Session alone.
 */
export function consultTarget(consult: Session): Session {
  const dialog = consult.dialog
  if (!dialog) return consult
  const shaped = {
    remoteIdentity: consult.remoteIdentity,
    dialog: {
      remoteTarget: consult.remoteIdentity.uri,
      callId: dialog.callId,
      remoteTag: dialog.remoteTag,
      localTag: dialog.localTag
    }
  }
  return shaped as unknown as Session
}

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
