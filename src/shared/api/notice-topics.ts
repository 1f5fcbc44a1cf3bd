/**
 * Which setting decides each notice the service sends to an account's preferred email, by the notice's purpose
 * (the outbox row's `purpose`). The service's outbox (src/server/mail/outbox.ts) obeys it, and the Profile tab
 * offers a switch for each kind listed here, so no switch stands for a notice nothing sends. 'always' marks what
 * answers something the person just did (a receipt, the call details they asked for): switching those off would
 * leave a payment without its record. Security notices go to every confirmed address through notifyAllEmails
 * and are never switched off either. A new notice must be listed here (notifyPreferred takes only these
 * purposes), so none can be sent ignoring the setting.
 */
import { NOTIFICATION_TOPICS, type NotificationTopic } from './identity'

/** A new account's settings (and what a key missing from an older account's stored settings means). */
export const DEFAULT_NOTIFICATIONS = {
  service: true,
  billing: true,
  cardExpiring: true,
  paymentProblems: true,
  promisedPayment: true,
  security: true,
  missedCalls: true,
  offers: false
} as const satisfies Record<NotificationTopic, boolean>

export const NOTICE_TOPICS = {
  'renewal-reminder': 'billing',
  renewed: 'billing',
  // A trial about to end is a renewal reminder: it offers the plans that keep the line.
  'trial-ending': 'billing',
  'card-expiring': 'cardExpiring',
  'renewal-failed': 'paymentProblems',
  'dunning-canceled': 'paymentProblems',
  'promised-overdue': 'promisedPayment',
  // A paid service switched off because the balance did not cover its month (services/service-fees.ts).
  'service-unpaid': 'paymentProblems',
  receipt: 'always',
  // A refund is a money record like a receipt: always sent.
  refund: 'always',
  'device-order': 'always',
  'call-details': 'always',
  // support (issue 25): a reply to the request the person made
  'support-reply': 'always',
  // business accounts (issue 25): an invoice issued, a document the business asked for
  invoice: 'always',
  document: 'always'
} as const satisfies Record<string, Exclude<NotificationTopic, 'security'> | 'always'>

export type NoticePurpose = keyof typeof NOTICE_TOPICS

type Switchable = Exclude<NotificationTopic, 'security'>
const sent = new Set<string>(Object.values(NOTICE_TOPICS))

/** The kinds a person can switch that some notice belongs to, in the settings' order. */
export const SENT_TOPICS: readonly Switchable[] = NOTIFICATION_TOPICS.filter(
  (k): k is Switchable => k !== 'security' && sent.has(k)
)
