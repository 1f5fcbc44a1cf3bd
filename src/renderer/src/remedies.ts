/**
 * Where a person can do what a refusal asks of them ("No dead ends"): a refusal worded by ./words.ts that sends the
 * person somewhere else ("Add a card first", "Please sign in again", "contact support and quote this reference")
 * comes with a link to that place. One table by the same code and reason that pick the sentence, so the sentence
 * and its link never part; a refusal fixed where it is shown (a wrong code, a date to choose) has none. The link is
 * left out on the very place it leads to (the refusal is already there).
 */
import type { AccountRole } from '../../shared/api/business'
import type { AppReasonCode, ReasonCode } from '../../shared/api/reasons'
import type { RouteName } from '../../shared/api/routes'
import type { CallWhy } from '../../shared/telephony/call-why'
import { isReasonCode } from '../../shared/api/reasons'
import { isErrorCode, type ErrorCode } from '../../shared/ipc/errors'
import { accountSectionFromHash, pageFromHash } from './page-from-hash'

/** A place of the app (an address the app's own pages answer) and the locale key of the link's words. */
export interface Remedy {
  readonly href: string
  readonly label: string
  /**
   * The place is the account's own sign-in's: its emails or contact details, on its Profile. A business's member
   * signs in with a Profile of their own (docs/business.md: `self` routes), where the account's addresses are not;
   * for them the sentence asks the account's owner instead (`errors.askOwner.<reason>`) and there is no link.
   */
  readonly ownerOnly?: true
}

const SIGN_IN: Remedy = { href: '#/account', label: 'account.signIn' }
/** The saved cards, on the Billing tab. */
export const CARDS: Remedy = { href: '#/account/billing', label: 'remedy.cards' }
/** The Balance card on the overview, brought into view: topping up, and the minutes packs bought from the balance. */
export const TOP_UP: Remedy = { href: '#/account/overview?focus=balance', label: 'remedy.topUp' }
const CREDIT: Remedy = { href: '#/account/overview?focus=balance', label: 'remedy.credit' }
/** Each line's renewal, on the Account page's overview. */
export const RENEW: Remedy = { href: '#/account/overview', label: 'remedy.renew' }
const CONTACT: Remedy = { href: '#/account/profile', label: 'remedy.contact', ownerOnly: true }
const EMAILS: Remedy = { href: '#/account/profile', label: 'remedy.emails' }
/** The account's confirmed addresses, where its codes and exports go (not a member's own). */
const ACCOUNT_EMAILS: Remedy = { ...EMAILS, ownerOnly: true }
/** Settings, where the account service's address and the virtual dongle are (Settings' own words for the link). */
export const SETTINGS: Remedy = { href: '#/settings', label: 'line.openSettings' }
/** The Device page: the setup wizard of the dongle plugged in, with its Allow button. */
export const DEVICE: Remedy = { href: '#/device', label: 'remedy.device' }
/** The app's own updates, in Settings' About card: where "Update Dialtone" and "Restart Dialtone" lead. */
export const UPDATES: Remedy = { href: '#/settings', label: 'remedy.update' }
/** Help: the support request form when signed in, the phone number and address otherwise. */
export const SUPPORT: Remedy = { href: '#/help', label: 'remedy.support' }
/** The business's people, on the Business tab: removed before the account can be closed. */
const PEOPLE: Remedy = { href: '#/account/business', label: 'remedy.people' }
/** Each line's connected services (international calling among them), brought into view on the overview. */
export const SERVICES: Remedy = { href: '#/account/overview?focus=services', label: 'remedy.services' }

/** The reasons whose sentence sends the person elsewhere (test/unit/renderer/remedies.test.ts reads them all). */
export const REASON_REMEDIES: Readonly<Partial<Record<ReasonCode | AppReasonCode, Remedy>>> = {
  session: SIGN_IN,
  'sign-in-required': SIGN_IN,
  'phone-taken': SIGN_IN,
  'no-card': CARDS,
  'card-expires-first': CARDS,
  'balance-too-low': TOP_UP,
  'line-lapsed': RENEW,
  'period-ended': RENEW,
  dunning: RENEW,
  // A plan change refused while the last renewal's payment is failing: renewing now settles it.
  'past-due': RENEW,
  // No phone sign-up outside the US and Canada: activating the dongle makes an account by email.
  'phone-not-included': DEVICE,
  // The account's billing address (an upgrade ships there) and its addresses (a transfer's code, call details).
  'no-billing-address': CONTACT,
  'no-confirmed-email': ACCOUNT_EMAILS,
  'not-verified': EMAILS,
  'preferred-email': EMAILS,
  'host-not-allowed': SETTINGS,
  'no-virtual-dongle': SETTINGS,
  'device-not-recognised': SUPPORT,
  // "Bought in a shop: send your receipt to Dialtone support" (support accepts it: docs/ops.md, Registry).
  'proof-of-purchase-required': SUPPORT,
  'proof-withdrawn': SUPPORT,
  // A web-shop order naming no dongle, for one that cannot prove itself: support accepts a proof for its serial.
  'order-names-no-serial': SUPPORT,
  // The app and the service no longer speak the same version: a newer app is the way out.
  'unsupported-media-type': UPDATES,
  'no-route': UPDATES,
  'bad-response': UPDATES,
  'unknown-command': UPDATES,
  'update-not-ready': UPDATES,
  'support-request-closed': SUPPORT,
  // "…by written request to support": the request is written on Help.
  'written-request': SUPPORT,
  // closing an account (src/server/identity/closure.ts)
  'business-has-people': PEOPLE,
  'legal-entity-closure': SUPPORT
}

/**
 * A call that did not go through, or ended, because of something the account can change, whose sentence names the
 * place ("international calling is switched off for this line (Account, Connected services)", "calls are held until
 * the promised payment is repaid": a top-up repays it; "not enough credit for this international call: buy
 * international minutes or top up the balance (Account, Balance)", and the same when a call's credit ran out). The
 * link shows only to a person whose role may act there (`routes`, src/shared/api/access.ts): a business's line user
 * is not the one who switches services or tops up.
 */
export const CALL_FAILURE_REMEDIES: Readonly<
  Partial<Record<CallWhy, Remedy & { readonly routes: readonly RouteName[] }>>
> = {
  internationalOff: { ...SERVICES, routes: ['previewServiceSwitch', 'switchService'] },
  callsHeld: { ...TOP_UP, routes: ['topUp'] },
  noCredit: { ...CREDIT, routes: ['topUp', 'buyMinutes'] },
  creditRanOut: { ...CREDIT, routes: ['topUp', 'buyMinutes'] }
}

/** The same for the codes worded without a reason. */
export const CODE_REMEDIES: Readonly<Partial<Record<ErrorCode, Remedy>>> = {
  UNAUTHENTICATED: SIGN_IN,
  UNKNOWN_COMMAND: UPDATES
}

/** Whether a refusal's place is the account owner's and `role` is not the owner: the sentence asks the owner. */
export function asksOwner(reason: string | undefined, role: AccountRole): boolean {
  return role !== 'owner' && isReasonCode(reason) && REASON_REMEDIES[reason]?.ownerOnly === true
}

/**
 * The place to act on a refusal, following words.ts's choice of sentence: its reason's, else its code's, else the
 * generic sentence, which asks to contact support. None for a member when the place is the owner's.
 */
export function remedyFor(
  error: { readonly code: string; readonly reason?: string | undefined },
  role: AccountRole = 'owner'
): Remedy | undefined {
  if (asksOwner(error.reason, role)) return undefined
  if (isReasonCode(error.reason)) return REASON_REMEDIES[error.reason]
  if (error.reason === undefined && isErrorCode(error.code)) return CODE_REMEDIES[error.code]
  return SUPPORT
}

/** Whether two addresses show the same place: the same page, and on the Account page the same part. */
export function samePlace(a: string, b: string): boolean {
  const page = pageFromHash(a)
  return (
    page === pageFromHash(b) &&
    (page !== 'account' || accountSectionFromHash(a) === accountSectionFromHash(b))
  )
}
