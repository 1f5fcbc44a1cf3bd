/**
 * Call transfer from the screen (issue 23 item 5), the codes both sides share: how a transfer ended, as a code
 * the Phone page words (`transfer.outcome.*`). Blind: the call in progress is sent a REFER to the number typed.
 * Attended: the person first calls the new party (hook flash or the screen's "Consult": the first call waits on
 * hold), then the held party is sent a REFER whose Refer-To carries Replaces for the consult call, so the two
 * are joined and this line leaves both calls.
 */
export const TRANSFER_OUTCOMES = [
  /** The transferee reached the new party (NOTIFY 200): this line has left the call. */
  'transferred',
  /** There is no call to transfer (or, attended, no consult call answered with a held call behind it). */
  'noCall',
  /** The number typed is not one the line can dial (or an emergency number, never transferred). */
  'badNumber',
  /** The other party refused the REFER (it does not do transfers). */
  'refused',
  /** The other party tried and could not reach the new party (busy, no answer, not found). */
  'failed',
  /** No final word from the other party in time: the calls stay as they were. */
  'timeout'
] as const
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number]

/** How long the transferee may take to reach the new party before the transfer is given up (ms). */
export const TRANSFER_TIMEOUT_MS = 30_000

/** The final status line of a message/sipfrag NOTIFY body ("SIP/2.0 200 OK"), or null when not final yet. */
export function sipfragStatus(body: string): number | null {
  const m = /^SIP\/2\.0 (\d{3})/.exec(body.trim())
  const code = m ? Number(m[1]) : null
  return code !== null && code >= 200 ? code : null
}
