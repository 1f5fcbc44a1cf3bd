/**
 * The reasons Dialtone's SIP server gives when its policy refuses a call (resources/kamailio/policy.cfg), carried as
 * the text of a Reason header (`Reason: SIP;cause=403;text="calls-held"`), and the failure the app words for each.
 * All come with a 403 but no-credit, which comes with a 402 (`Reason: SIP;cause=402;text="no-credit"`;
 * src/main/phone/call-failure.ts takes each only with its status). One table: the app reads it, docs/emergency.md
 * lists it.
 */
import type { CallFailure } from './call-why'

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

/** The failure a Reason header names, or null when it names none of ours (or there is none). */
export function serverReason(header: string | undefined | null): CallFailure | null {
  const text = /(?:^|;)\s*text="([^"]*)"/.exec(header ?? '')?.[1]
  return text && Object.hasOwn(SERVER_REASONS, text)
    ? SERVER_REASONS[text as keyof typeof SERVER_REASONS]
    : null
}
