/**
 * Why a call did not go through or ended, and why the line gave reorder, as codes the app words in the person's
 * language (the English `reason` next to them is technical detail). The dial plan's refusals, the line's own
 * reasons, and an outgoing call's failure (CALL_FAILURES, also kept in the call history).
 */

/**
 * noLine (the line was not registered), notFound (no such number), unavailable (the other side could not be
 * reached or did not answer in time), declined (refused by the other side), forbidden (the service does not allow
 * this call), incomplete (the number is incomplete), serverError (the phone service failed), connectionLost (the
 * connection to the server dropped during the call), notSent (the call could not be sent), notInService (the SIP
 * server allows this line 911 and 933 only: it is not in service), callsHeld (the SIP server holds calls while a
 * promised payment is overdue; see server-reasons.ts), internationalOff (the line switched international calling
 * off, which also covers the other NANP countries such as Jamaica), premiumRate (the SIP server refuses premium-rate
 * numbers, NANP 900, for every line), highCost (satellite and international premium numbers, refused for every
 * line), tooManyCalls (the line has as many calls up as a phone may: MAX_LINE_CALLS, 3, in policy.cfg), noCredit (an
 * international call the account has no credit for: neither international minutes nor a balance covering one minute
 * at the destination's rate; a 402 from credit.cfg), appClosed (the app stopped — quit, killed, crashed, or the
 * computer lost power — before an outgoing call was answered; src/main/phone/call-history.ts), unknown.
 */
export const CALL_FAILURES = [
  'noLine',
  'notFound',
  'unavailable',
  'declined',
  'forbidden',
  'incomplete',
  'serverError',
  'connectionLost',
  'notSent',
  'notInService',
  'callsHeld',
  'internationalOff',
  'premiumRate',
  'highCost',
  'tooManyCalls',
  'noCredit',
  'appClosed',
  'unknown'
] as const
export type CallFailure = (typeof CALL_FAILURES)[number]

/** The dial plan's refusals: not a number it can dial, a service not offered, too many digits, nothing dialled. */
export const DIAL_REFUSALS = ['notANumber', 'notOffered', 'tooLong', 'nothingDialled'] as const
export type DialRefusal = (typeof DIAL_REFUSALS)[number] | 'incomplete'

/** The phone service ended an answered call itself: its credit abroad ran out, or it reached the longest a call lasts. */
export const SERVER_ENDS = ['creditRanOut', 'callTooLong'] as const
export type ServerEnd = (typeof SERVER_ENDS)[number]

/**
 * Every reason the line can show: the dial plan's, the lapsed service (only 911 goes out), the dongle unplugged,
 * the other party hanging up, the phone service ending a call itself (creditRanOut: a call abroad's credit ran out;
 * callTooLong: the call reached the longest a call may last; server-reasons.ts, SERVER_END_REASONS), the window
 * carrying the audio closed, a star code that could not be carried out (featureFailed: the Phone page says which and
 * why), and the failures above.
 */
export const CALL_WHYS = [
  ...DIAL_REFUSALS,
  'serviceLapsed',
  'unplugged',
  'hungUp',
  ...SERVER_ENDS,
  'mediaGone',
  'featureFailed',
  ...CALL_FAILURES
] as const
export type CallWhy = (typeof CALL_WHYS)[number]

export const isCallFailure = (why: CallWhy): why is CallFailure =>
  (CALL_FAILURES as readonly string[]).includes(why)
