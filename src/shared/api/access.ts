/**
 * Who may call each route of a business account (issue 25 part 2), the one table the service enforces for every
 * route before its handler runs (src/server/http/route-access.ts) and the app reads to show only the parts a
 * person may use. The account's own sign-in (role 'owner') may call everything, as before businesses had
 * members. A member acts on the business's data with their role:
 * - administrator: everything of the account (lines, services, renewals, members, money, calls);
 * - billing: money (balance, cards, payments, invoices, documents) and the lines list, never calls or a line's
 *   phone data;
 * - line: their one line (its details, 911 address, credentials, forwarding, voicemail, subscription view) and
 *   the calls refused on it; never money or another line.
 * 'self' routes act on the person's own sign-in (their profile, password, sessions, support requests), never on
 * the business's. A route missing from the table is refused to every member (only the owner may call it): a new
 * route is safe until someone decides who else may use it.
 */
import type { AccountRole, MemberRole } from './business'
import type { RouteName } from './routes'

export type RouteAccess =
  /** No session needed: the same for everyone. */
  | { readonly kind: 'public' }
  /** The signed-in person's own sign-in. */
  | { readonly kind: 'self' }
  /** The account's data; these member roles may (the owner always may). */
  | { readonly kind: 'account'; readonly roles: readonly MemberRole[] }
  /** One line's data (the `lineId` of the input); a line user only their own line. */
  | { readonly kind: 'line'; readonly roles: readonly MemberRole[] }
  /** A list of the account's lines or of what happened on them: a line user sees only their line's part. */
  | { readonly kind: 'lines'; readonly roles: readonly MemberRole[] }

const PUBLIC = { kind: 'public' } as const
const SELF = { kind: 'self' } as const
const account = (...roles: MemberRole[]): RouteAccess => ({ kind: 'account', roles })
const line = (...roles: MemberRole[]): RouteAccess => ({ kind: 'line', roles })
const ADMIN = account('administrator')
const MONEY = account('administrator', 'billing')
const ANYONE = account('administrator', 'billing', 'line')
const LINE_USE = line('administrator', 'line')
const LINE_MANAGE = line('administrator')

export const ROUTE_ACCESS: { readonly [N in RouteName]?: RouteAccess } = {
  health: PUBLIC,
  legal: PUBLIC,
  terms: PUBLIC,
  e911Disclosure: PUBLIC,
  plans: PUBLIC,
  signIn: PUBLIC,
  forgotPassword: PUBLIC,
  resetPassword: PUBLIC,
  startPhoneSignup: PUBLIC,
  finishPhoneSignup: PUBLIC,
  deviceChallenge: PUBLIC,
  startTrial: PUBLIC,
  resendTrialCode: PUBLIC,
  activateTrial: PUBLIC,
  areaCodeAvailability: PUBLIC,
  supportContact: PUBLIC,
  shopSearch: PUBLIC,

  signOut: SELF,
  sessions: SELF,
  revokeSession: SELF,
  changePassword: SELF,
  profile: SELF,
  updateContact: SELF,
  updateTimeZone: SELF,
  updateMessageLanguage: SELF,
  updateNotifications: SELF,
  addEmail: SELF,
  resendEmailCode: SELF,
  verifyEmail: SELF,
  setPreferredEmail: SELF,
  removeEmail: SELF,
  supportRequests: SELF,
  createSupportRequest: SELF,
  replySupportRequest: SELF,
  closeSupportRequest: SELF,

  membership: ANYONE,
  availableNumbers: ANYONE,

  // Devices and the account-wide phone settings: the administrator's.
  lookupDevice: ADMIN,
  activatePurchased: ADMIN,
  releaseDevice: ADMIN,
  transfers: ADMIN,
  requestTransfer: ADMIN,
  sendTransferCode: ADMIN,
  approveTransfer: ADMIN,
  // The account's blocked callers apply to every line: a line user's phone reads them; the administrator edits.
  blocked: account('administrator', 'line'),
  block: ADMIN,
  unblock: ADMIN,
  upgradeOffers: ADMIN,
  orderUpgrade: ADMIN,
  deviceOrders: ADMIN,
  members: ADMIN,
  inviteMember: ADMIN,
  changeMember: ADMIN,
  resendInvitation: ADMIN,
  removeMember: ADMIN,
  // Every line's calls: the administrator's (billing sees money, not calls).
  usageSeries: ADMIN,
  callDetails: ADMIN,
  exportCallDetails: ADMIN,
  emailCallDetails: ADMIN,

  paymentMethods: MONEY,
  addPaymentMethod: MONEY,
  removePaymentMethod: MONEY,
  setDefaultPaymentMethod: MONEY,
  quote: MONEY,
  checkout: MONEY,
  redeemVoucher: MONEY,
  balance: MONEY,
  balanceEntries: MONEY,
  exportStatement: MONEY,
  orders: MONEY,
  topUp: MONEY,
  promisedPayment: MONEY,
  buyMinutes: MONEY,
  invoices: MONEY,
  invoicePdf: MONEY,
  emailInvoice: MONEY,
  documentRequests: MONEY,
  requestDocument: MONEY,
  documentFile: MONEY,

  lines: { kind: 'lines', roles: ['administrator', 'billing', 'line'] },
  // Whoever may list the lines may hear that they changed; a line user hears only of their own (lines route).
  lineChanges: account('administrator', 'billing', 'line'),
  refusedCalls: { kind: 'lines', roles: ['administrator', 'line'] },

  line: LINE_USE,
  setLineLabel: LINE_USE,
  setE911: LINE_USE,
  e911History: LINE_USE,
  numberHistory: LINE_USE,
  sipCredentials: LINE_USE,
  forwarding: LINE_USE,
  setForwarding: LINE_USE,
  voicemailBox: LINE_USE,
  voicemailMessageAudio: LINE_USE,
  voicemailMarkHeard: LINE_USE,
  voicemailDeleteMessage: LINE_USE,
  voicemailGreetingAudio: LINE_USE,
  voicemailSetGreeting: LINE_USE,
  voicemailDeleteGreeting: LINE_USE,
  subscription: line('administrator', 'billing', 'line'),
  // Connected services (issue 25 part 1): everyone of the line sees them and their fees; switching costs money
  // and is the administrator's, like the line's renewals.
  lineServices: line('administrator', 'billing', 'line'),
  serviceHistory: line('administrator', 'billing', 'line'),

  // Lines, services and renewals: the administrator manages them for all.
  changeNumber: LINE_MANAGE,
  setAutoRenew: LINE_MANAGE,
  cancelSubscription: LINE_MANAGE,
  resumeSubscription: LINE_MANAGE,
  subscribeTariff: LINE_MANAGE,
  previewPlanChange: LINE_MANAGE,
  schedulePlanChange: LINE_MANAGE,
  cancelPlanChange: LINE_MANAGE,
  previewServiceSwitch: LINE_MANAGE,
  switchService: LINE_MANAGE,

  // The account's own data, downloaded: a member's download is their own sign-in's (its profile, emails, sessions,
  // activity, memberships), never the business's. Closing the account: its owner only. A member's sign-in is erased
  // by their removal from the business (src/server/business/member-removal.ts); the app tells them so.
  exportAccountData: SELF,
  accountClosure: account(),
  closeAccount: account(),
  keepAccount: account()
}

/** What a route refuses a member who is not in its table: only the owner may call it. */
export const OWNER_ONLY: RouteAccess = { kind: 'account', roles: [] }

export const accessOf = (name: RouteName): RouteAccess => ROUTE_ACCESS[name] ?? OWNER_ONLY

/** Whether this role may call the route at all (a line user's line is checked by the service besides). */
export function mayCall(role: AccountRole, name: RouteName): boolean {
  if (role === 'owner') return true
  const a = accessOf(name)
  return a.kind === 'public' || a.kind === 'self' || a.roles.includes(role)
}
