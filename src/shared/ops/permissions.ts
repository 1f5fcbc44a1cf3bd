/**
 * Who may do what on the operators' side (issue 20), as one table: the ops service checks every request against
 * it (src/server/ops/serve-ops.ts), the ops route table names one permission per route, and docs/ops.md shows the
 * table rendered by `permissionsMarkdown()` (a unit test keeps the two equal). Least privilege: each role gets only
 * what its job needs; admin is the only role that manages operators, partners and the factory registry.
 */

export const ROLES = ['support', 'billing', 'retail-partner', 'admin'] as const
export type Role = (typeof ROLES)[number]

export interface PermissionRule {
  /** The roles that hold it. */
  readonly roles: readonly Role[]
  /**
   * A money or ownership change, or a look at a person's account: the request must carry a reason, kept in the
   * audit log.
   */
  readonly reason: boolean
  /** What it allows, for the docs and the CLI's `permissions` command. */
  readonly doc: string
}

export const PERMISSIONS = {
  // promotions (issue 20)
  'promotions.manage': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'create and end promotion campaigns (half price for life by code)'
  },
  'promotions.read': {
    roles: ['support', 'billing', 'admin'],
    reason: false,
    doc: 'list promotion campaigns and see one with its redemptions'
  },

  // accounts (issue 20)
  'accounts.read': {
    roles: ['support', 'billing', 'admin'],
    reason: true,
    doc: "find accounts by email, number or serial, show one (lines, numbers, dongles, status; card details only for billing and admin) and read its history of sign-ins: a person's data, so each look says why"
  },
  'plans.read': {
    roles: ['support', 'billing', 'admin'],
    reason: false,
    doc: 'list the plan versions with their ids (what plan changes and Re-Up card batches take): no personal data'
  },
  'accounts.create': {
    roles: ['billing', 'admin'],
    reason: false,
    doc: 'create a business or legal-entity account and email its invitation'
  },
  'accounts.plan-change': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: "take a legal entity's written plan-change request, effective the next 1st in its time zone"
  },
  'accounts.resend': {
    roles: ['support', 'admin'],
    reason: false,
    doc: 'send again the code waiting for an email or number (invitation, email confirmation, trial, sign-up)'
  },
  'accounts.unlock': {
    roles: ['support', 'admin'],
    reason: false,
    doc: "clear an account's sign-in delays"
  },
  'accounts.secure': {
    roles: ['support', 'admin'],
    reason: true,
    doc: "end every session of an account, or give one taken over back to its owner's confirmed address (the others removed, a reset code sent)"
  },
  'lines.suspend': {
    roles: ['support', 'admin'],
    reason: true,
    doc: 'suspend a line (no service but 911) and restore it'
  },
  'devices.move': {
    roles: ['admin'],
    reason: true,
    doc: 'move a dongle to another account (its line closes; the new owner gets a new line and number)'
  },

  // money (issue 20)
  'refunds.create': {
    roles: ['support', 'billing', 'admin'],
    reason: true,
    doc: 'refund a charge to its card or to the balance; support up to a limit per refund (DIALTONE_SUPPORT_REFUND_LIMIT_MINOR, 20.00 USD by default)'
  },
  'refunds.read': {
    roles: ['support', 'billing', 'admin'],
    reason: false,
    doc: "list an account's refunds and the charges that can still be refunded"
  },
  'settlements.read': {
    roles: ['billing', 'admin'],
    reason: false,
    doc: 'list the card orders and refunds the service could not settle on its own, and the calls it could not rate: how often it tried, why, when next'
  },
  'settlements.retry': {
    roles: ['billing', 'admin'],
    reason: false,
    doc: 'try one of those again now instead of at its next turn (the processor charges or refunds it once, a call is rated once, whatever)'
  },

  // carriers (issue 22)
  'carriers.manage': {
    roles: ['admin'],
    reason: true,
    doc: 'add, change or remove carrier and emergency gateways and the prefix rules that route calls to them (Kamailio reloads)'
  },
  'carriers.read': {
    roles: ['support', 'admin'],
    reason: false,
    doc: 'see the carrier gateways and prefix rules'
  },

  // the SIP server's flood limit (resources/kamailio/flood.cfg)
  'sip.read': {
    roles: ['support', 'admin'],
    reason: false,
    doc: 'see the client addresses the SIP server is dropping for a flood of requests, and until when'
  },
  'sip.unban': {
    roles: ['support', 'admin'],
    reason: true,
    doc: 'let one of those addresses in again before its ban ends (an office whose lines all reconnected at once)'
  },

  // support (issue 25)
  'support.read': {
    roles: ['support', 'admin'],
    reason: false,
    doc: "list people's support requests and read one with its conversation and attached diagnostics report"
  },
  'support.reply': {
    roles: ['support', 'admin'],
    reason: false,
    doc: 'answer a support request (the person is emailed the reply) and close one'
  },
  'shops.manage': {
    roles: ['support', 'admin'],
    reason: false,
    doc: "add, list and remove the retail partners' shops that sell Re-Up cards (the app's shop search)"
  },

  // services (issue 25)
  'services.read': {
    roles: ['support', 'billing', 'admin'],
    reason: false,
    doc: 'see the connected services catalog: features, monthly fees, defaults, lines switched on'
  },
  'services.manage': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'offer, reprice and retire connected services (lines pay a new price from the next month)'
  },

  // business (issue 25)
  'business.read': {
    roles: ['support', 'billing', 'admin'],
    reason: false,
    doc: 'list the documents business accounts asked for (a signed statement of a period)'
  },
  'business.fulfil': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'fulfil a document request: the signed statement is made, kept for the app and emailed'
  },
  'business.invoice': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'issue the monthly invoices of an ended month (numbered, immutable once issued, emailed)'
  },

  // numbers and reports (issue 20)
  'numbers.manage': {
    roles: ['admin'],
    reason: true,
    doc: 'add a range of numbers to the pool of an area code'
  },
  'numbers.read': {
    roles: ['support', 'admin'],
    reason: false,
    doc: 'see the number pool per area code and the numbers in quarantine'
  },
  'reports.read': {
    roles: ['billing', 'admin'],
    reason: false,
    doc: 'CSV reports: active lines, renewals and revenue per day, Re-Up cards sold and redeemed'
  },
  'operators.disable': {
    roles: ['admin'],
    reason: true,
    doc: 'disable an operator (their sessions end at once) or enable them again'
  },
  'registry.ship': {
    roles: ['admin'],
    reason: true,
    doc: "record dongles shipped from the factory's stock to a partner"
  },

  'operators.manage': {
    roles: ['admin'],
    reason: false,
    doc: 'create and list operators'
  },
  'partners.manage': {
    roles: ['admin'],
    reason: false,
    doc: 'create retail and web-shop partners and issue or rotate their API keys'
  },
  'audit.read': {
    roles: ['admin'],
    reason: false,
    doc: 'search and export the audit log'
  },
  'registry.import': {
    roles: ['admin'],
    reason: true,
    doc: 'import a factory batch into the manufacturing registry'
  },
  'registry.revoke': {
    roles: ['admin'],
    reason: true,
    doc: "revoke a dongle's leaked factory key (no activation or transfer accepts it) or restore one revoked in error"
  },
  'registry.proof': {
    roles: ['support', 'admin'],
    reason: true,
    doc: 'accept a proof of purchase for a dongle that cannot prove itself (one activation by that person), or withdraw it'
  },
  'registry.read': {
    roles: ['support', 'admin'],
    reason: false,
    doc: "look up a serial's history (made, shipped, sold, activated, transferred)"
  },
  'vouchers.create': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'create a batch of Re-Up cards'
  },
  'vouchers.export-pins': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: "export a batch's PINs for the printer (once)"
  },
  'vouchers.ship': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'ship a batch to a retail partner'
  },
  'vouchers.block': {
    roles: ['billing', 'admin'],
    reason: true,
    doc: 'block a lost or stolen batch'
  },
  'vouchers.report': {
    roles: ['billing', 'admin'],
    reason: false,
    doc: 'report per batch: cards by state, partner, PIN export'
  },
  'vouchers.activate': {
    roles: ['retail-partner'],
    reason: false,
    doc: "activate (sell) a card at the till: only cards of batches shipped to the caller's partner"
  }
} as const satisfies Record<string, PermissionRule>

export type Permission = keyof typeof PERMISSIONS

export const isRole = (v: unknown): v is Role =>
  typeof v === 'string' && (ROLES as readonly string[]).includes(v)

export function allows(role: Role, permission: Permission): boolean {
  const rule: PermissionRule = PERMISSIONS[permission]
  return rule.roles.includes(role)
}

export const needsReason = (permission: Permission): boolean => PERMISSIONS[permission].reason

/** The table as Markdown, for docs/ops.md (kept equal by test/unit/ops/permissions.test.ts). */
export function permissionsMarkdown(): string {
  const head = `| permission | ${ROLES.join(' | ')} | reason | what it allows |`
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|:-:|---|`
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((p) => {
    const r: PermissionRule = PERMISSIONS[p]
    const marks = ROLES.map((role) => (r.roles.includes(role) ? 'yes' : '')).join(' | ')
    return `| \`${p}\` | ${marks} | ${r.reason ? 'required' : ''} | ${r.doc} |`
  })
  return [head, rule, ...rows].join('\n')
}
