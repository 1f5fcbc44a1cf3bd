/**
 * The reasons Dialtone's SIP server gives when its policy refuses a call (resources/kamailio/policy.cfg), carried as
 * the text of a Reason header (`Reason: SIP;cause=403;text="calls-held"`), and the failure the app words for each.
 * All come with a 403 but no-credit, which comes with a 402 (`Reason: SIP;cause=402;text="no-credit"`;
 * src/main/phone/call-failure.ts takes each only with its status). One table: the app reads it, docs/emergency.md
 * lists it. Beside it, the reasons the server gives when it ends a call itself (SERVER_END_REASONS).
 */
import type { CallFailure, ServerEnd } from './call-why'

export const SERVER_REASONS = {
  /** The line is not in service (lapsed, pending, suspended...): only 911 and 933 go out. */
  'line-not-in-service': 'notInService',
  /** A promised payment is overdue: every call but 911 and 933 is held until it is repaid. */
  'calls-held': 'callsHeld',
  /** The line switched international calling off (Account, connected services; resources/kamailio/services.cfg). */
  'international-off': 'internationalOff',
  /** A premium-rate number (NANP 900): refused for every line (resources/kamailio/services.cfg). */
  'premium-rate': 'premiumRate',
  /** A satellite or international premium number (Inmarsat, +881...): refused for every line (services.cfg). */
  'high-cost': 'highCost',
  /** The line has as many calls up as a phone may (MAX_LINE_CALLS, 3, in resources/kamailio/policy.cfg; the words say three). */
  'too-many-calls': 'tooManyCalls',
  /**
   * An international call the account has no credit for, refused with a 402 (resources/kamailio/credit.cfg): it
   * needs international minutes, or a balance covering at least one minute at the destination's rate.
   */
  'no-credit': 'noCredit'
} as const satisfies Record<string, CallFailure>

/**
 * Why the SIP server ended an answered call, carried as the text of the Reason of the BYE it sends both sides
 * (resources/kamailio/kamailio.cfg, route[SERVER_BYE_REASON]), and what the app tells its person for each.
 */
export const SERVER_END_REASONS = {
  /** A call abroad whose credit ran out (resources/kamailio/credit.cfg): `Reason: SIP;cause=402;text="no-credit"`. */
  'no-credit': 'creditRanOut',
  /** A call that reached MAX_CALL_SECONDS (4 hours): `Reason: SIP;cause=200;text="max-call-length"`. */
  'max-call-length': 'callTooLong'
} as const satisfies Record<string, ServerEnd>

/**
 * Every text of ours a Reason may carry. Kamailio removes a Reason naming one of them from whatever it relays (a
 * line, a carrier or another app could otherwise have the app say the person's credit ran out or their calls are
 * held): kamailio.cfg's SERVER_REASON_TEXTS, held equal to this by test/unit/server/server-reasons-cfg.test.ts.
 */
export const SERVER_REASON_TEXTS: readonly string[] = [
  ...new Set([...Object.keys(SERVER_REASONS), ...Object.keys(SERVER_END_REASONS)])
]

const textOf = (header: string | undefined | null): string | undefined =>
  /(?:^|;)\s*text="([^"]*)"/.exec(header ?? '')?.[1]

/** The failure a Reason header names, or null when it names none of ours (or there is none). */
export function serverReason(header: string | undefined | null): CallFailure | null {
  const text = textOf(header)
  return text && Object.hasOwn(SERVER_REASONS, text)
    ? SERVER_REASONS[text as keyof typeof SERVER_REASONS]
    : null
}

/** Why the server ended a call, from its BYE's Reason header; null when it names none of ours. */
export function serverEndReason(header: string | undefined | null): ServerEnd | null {
  const text = textOf(header)
  return text && Object.hasOwn(SERVER_END_REASONS, text)
    ? SERVER_END_REASONS[text as keyof typeof SERVER_END_REASONS]
    : null
}
