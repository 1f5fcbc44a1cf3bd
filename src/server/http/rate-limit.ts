/**
 * Rate limits kept in the database, so every service instance behind a load balancer counts the same attempts
 * (@fastify/rate-limit counts per process, or needs Redis, and only per route and IP; we need per account, per
 * identifier, per IP and global budgets inside one handler). Fixed windows: one row per key and window, bumped
 * with a single atomic upsert, so two concurrent attempts can never both see the last free slot.
 */
import { sql, type Kysely } from 'kysely'
import type { Clock } from '../clock'
import type { Database } from '../db/schema'
import { budgetSubject } from './client-network'
import { ServiceError } from './errors'

export interface Limit {
  readonly name: string
  readonly max: number
  readonly windowMs: number
  /**
   * Why a person is refused when it runs out, when the budget is not theirs alone: everyone's (`many-requests`: many
   * people are trying), or an area code's SMS (`sms-area-paused`). "Too many attempts" told someone on their first try
   * that they had made too many, when others (a flood, an SMS pumper) had spent the budget.
   */
  readonly reason?: 'many-requests' | 'sms-area-paused'
}

/** The budgets, in one place (documented in docs/service.md). */
export const LIMITS = {
  signInPerIdentifier: { name: 'signin-id', max: 10, windowMs: 15 * 60_000 },
  signInPerIp: { name: 'signin-ip', max: 100, windowMs: 15 * 60_000 },
  signInGlobal: { name: 'signin-all', max: 5000, windowMs: 60_000, reason: 'many-requests' },
  /** Password checks inside a session (change password, release a dongle): a stolen session cannot guess on. */
  passwordCheckPerAccount: { name: 'pw-check', max: 8, windowMs: 15 * 60_000 },
  resetPerIdentifier: { name: 'reset-id', max: 3, windowMs: 60 * 60_000 },
  resetPerIp: { name: 'reset-ip', max: 30, windowMs: 60 * 60_000 },
  codePerIp: { name: 'code-ip', max: 30, windowMs: 10 * 60_000 },
  codeGlobal: { name: 'code-all', max: 2000, windowMs: 60_000, reason: 'many-requests' },
  /**
   * Binding one dongle (a trial, an activation) from one address, and from all addresses together. Per address too,
   * so whoever read a serial off its box cannot lock its owner out with three bad tries an hour; and all addresses
   * together count only the tries past the dongle's own proof (or a proof of purchase support accepted, or a web-shop
   * order with its email: all a model that cannot prove itself has), counted after that check: tries without it,
   * from thirty addresses, spent the dongle's hour and locked its owner out (devices/purchase.ts).
   */
  trialPerDevice: { name: 'trial-dev', max: 3, windowMs: 60 * 60_000 },
  bindingPerSerial: { name: 'bind-serial', max: 30, windowMs: 60 * 60_000 },
  trialPerIp: { name: 'trial-ip', max: 20, windowMs: 60 * 60_000 },
  /** Proofs of purchase an operator accepts: a day's honest work, not a way to hand out lines. */
  proofPerOperator: { name: 'proof-op', max: 20, windowMs: 24 * 60 * 60_000 },
  /**
   * Device lookups (public: the activation wizard asks before sign-in): each says whether a serial is owned or
   * waiting for a transfer, so no walking the serials from one address.
   */
  lookupPerIp: { name: 'lookup-ip', max: 120, windowMs: 10 * 60_000 },
  /** Attestation challenges: enough for every retry of an honest app, not a store of them. */
  challengePerIp: { name: 'challenge-ip', max: 120, windowMs: 10 * 60_000 },
  /** The trial form asks as the person types; generous, but no enumerating the pool from one address. */
  areaCodePerIp: { name: 'area-ip', max: 300, windowMs: 10 * 60_000 },
  trialResendPerTrial: { name: 'trial-resend', max: 5, windowMs: 60 * 60_000 },
  signupPerPhone: { name: 'signup-phone', max: 3, windowMs: 60 * 60_000 },
  signupPerIp: { name: 'signup-ip', max: 20, windowMs: 60 * 60_000 },
  /**
   * Sign-up codes by SMS a day to one area code, and to all numbers: SMS pumping (codes asked for numbers whose
   * operator shares the revenue) costs per message, from any number of addresses.
   */
  signupPerArea: { name: 'signup-area', max: 30, windowMs: 24 * 60 * 60_000, reason: 'sms-area-paused' },
  signupSmsDaily: { name: 'signup-sms-all', max: 2000, windowMs: 24 * 60 * 60_000, reason: 'many-requests' },
  emailPerAccount: { name: 'email-acct', max: 10, windowMs: 60 * 60_000 },
  /** Files the account has emailed to itself (its calls, an invoice): each is rendered and queued with the file. */
  fileEmailPerAccount: { name: 'file-email-acct', max: 20, windowMs: 60 * 60_000 },
  transferPerAccount: { name: 'transfer-acct', max: 5, windowMs: 24 * 60 * 60_000 },
  /**
   * Transfer requests for one dongle emailed to its owner a day, whoever asks (the owner's inbox). Not a refusal:
   * the requests past it are kept with no code sent, and the owner has the code emailed from the app
   * (devices/transfer.ts). A refusal let anyone who read the serial spend the day before its real buyer asked.
   */
  transferPerDevice: { name: 'transfer-dev', max: 5, windowMs: 24 * 60 * 60_000 },
  /** Transfer codes the owner has emailed to themselves from the app (a request past the above, or a lost email). */
  transferCodePerOwner: { name: 'transfer-code', max: 10, windowMs: 24 * 60 * 60_000 },
  /**
   * Member invitations (issue 25): each answers whether the address already has a Dialtone account and sends an
   * email, so a business may not ask address by address; enough to bring a team in.
   */
  invitePerAccount: { name: 'invite-acct', max: 30, windowMs: 60 * 60_000 },
  invitePerAccountDaily: { name: 'invite-acct-day', max: 200, windowMs: 24 * 60 * 60_000 },
  voucherPerAccount: { name: 'voucher-acct', max: 10, windowMs: 60 * 60_000 },
  voucherPerIp: { name: 'voucher-ip', max: 30, windowMs: 60 * 60_000 },
  voucherGlobal: { name: 'voucher-all', max: 1000, windowMs: 60_000, reason: 'many-requests' },
  /** Promotion codes (issue 20): a quote and a checkout each count; enough for typos, not for guessing. */
  promoPerAccount: { name: 'promo-acct', max: 10, windowMs: 60 * 60_000 },
  promoPerIp: { name: 'promo-ip', max: 30, windowMs: 60 * 60_000 },
  /** Support requests (issue 25): a few new ones an hour is plenty for a person, and stops a flood. */
  supportRequestPerAccount: { name: 'support-new', max: 5, windowMs: 60 * 60_000 },
  supportRequestPerIp: { name: 'support-new-ip', max: 30, windowMs: 60 * 60_000 },
  supportMessagePerAccount: { name: 'support-msg', max: 30, windowMs: 60 * 60_000 },
  /**
   * Number changes: each takes a free number from the pool and puts the old one in quarantine for 90 days
   * (numbers/pool.ts), so a line changing in a loop would empty an area code for everyone. A person trying a few
   * numbers is fine. Counted from the number history itself (numbers/number-changes.ts), not by a row here: a
   * sliding window, and a change that fails is none.
   */
  numberChangePerLine: { name: 'number-line', max: 3, windowMs: 30 * 24 * 60 * 60_000 },
  numberChangePerAccount: { name: 'number-acct', max: 20, windowMs: 24 * 60 * 60_000 },
  /**
   * Cards given (saved, replaced, or paid with once): each is checked with the issuer, and a yes or a decline is
   * what someone testing stolen cards wants to learn; processors penalise the merchant whose form they use.
   * Counted per account before the card goes to the processor, declines included.
   */
  cardPerAccount: { name: 'card-acct', max: 10, windowMs: 60 * 60_000 },
  cardPerAccountDaily: { name: 'card-acct-day', max: 25, windowMs: 24 * 60 * 60_000 },
  /**
   * Operators' sign-in: each attempt with an unknown email still costs a password hash (so a wrong email takes as
   * long as a wrong password), and the per-email throttle gives every new email fresh tries: bounded per address
   * and overall, before the hash, as the subscribers' sign-in is.
   */
  opsSignInPerIp: { name: 'ops-signin-ip', max: 30, windowMs: 15 * 60_000 },
  opsSignInGlobal: { name: 'ops-signin-all', max: 600, windowMs: 60_000 },
  /**
   * Ops requests without a valid session or key (or a partner's delivery without a valid signature): each is
   * kept in the append-only ops audit, so from one address (and overall) only so many are, and the rest are
   * answered 429 with nothing written.
   */
  opsRefusedPerIp: { name: 'ops-refused-ip', max: 60, windowMs: 10 * 60_000 },
  opsRefusedGlobal: { name: 'ops-refused-all', max: 1000, windowMs: 60_000 },
  /**
   * Operators' enrolment (`enrol` and `enrol-confirm`, public): every attempt, counted per address and overall
   * before the token is looked up (ops/http/serve-ops.ts). Budgets of their own rather than the strangers' above:
   * these count every attempt, a new operator's own included, not only refusals that are audit rows (a token no
   * operator has is not audited at all), and an enrolment takes two requests and a few typos, far fewer than the
   * strangers' budgets allow. Shared, a flood of made-up tokens would spend the budget that keeps bad sessions in
   * the audit, and a flood of bad sessions would keep a new operator from enrolling.
   */
  opsEnrolPerIp: { name: 'ops-enrol-ip', max: 30, windowMs: 10 * 60_000 },
  opsEnrolGlobal: { name: 'ops-enrol-all', max: 300, windowMs: 60_000, reason: 'many-requests' },
  /**
   * A token that opens an enrolment an admin gave is counted here instead of overall (ops/http/enrol-budget.ts):
   * a flood of made-up tokens fills the overall budget and must not keep the real operator out. Two steps and a
   * few typos of the password or the authenticator's code; past it, whoever has the token is guessing.
   */
  opsEnrolPerEnrolment: { name: 'ops-enrol-token', max: 20, windowMs: 10 * 60_000 },
  /** Signed statements a business asks for: each waits for an operator, so a few a day, not a flood. */
  documentRequestPerAccount: { name: 'document-acct', max: 10, windowMs: 24 * 60 * 60_000 },
  /** The shop search is public: generous for people, bounded for scrapers. */
  shopSearchPerIp: { name: 'shops-ip', max: 120, windowMs: 10 * 60_000 }
} as const satisfies Record<string, Limit>

export class RateLimiter {
  private lastSweep = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock
  ) {}

  /** Count one attempt against each limit; throws rate-limited (with Retry-After) when any is exhausted. */
  async hit(...checks: [Limit, string][]): Promise<void> {
    const now = this.clock.now().getTime()
    for (const [limit, subject] of checks) {
      const window = Math.floor(now / limit.windowMs)
      if ((await this.count(this.db, limit, subject, window)) > limit.max)
        throw rateLimited((window + 1) * limit.windowMs - now, limit.name, limit.reason)
    }
    await this.sweep(now)
  }

  /**
   * Count one use of a budget that refuses nothing (what is past it is done another way), through `db`: inside a
   * transaction, the count is undone with what it counted. Whether this use was within the budget.
   */
  async within(db: Kysely<Database>, limit: Limit, subject: string): Promise<boolean> {
    const now = this.clock.now().getTime()
    const used = await this.count(db, limit, subject, Math.floor(now / limit.windowMs))
    return used <= limit.max
  }

  private async count(db: Kysely<Database>, limit: Limit, subject: string, window: number): Promise<number> {
    // A client's IPv6 address counts by its /64, wherever a subject holds one (client-network.ts).
    const key = `${limit.name}:${budgetSubject(subject)}:${window}`
    const expires = new Date((window + 1) * limit.windowMs).toISOString()
    const row = await db
      .insertInto('rate_limits')
      .values({ key, count: 1, expires_at: expires })
      .onConflict((oc) => oc.column('key').doUpdateSet({ count: sql`rate_limits.count + 1` }))
      .returning('count')
      .executeTakeFirstOrThrow()
    return row.count
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now
      await this.db.deleteFrom('rate_limits').where('expires_at', '<', new Date(now).toISOString()).execute()
    }
  }
}

/**
 * The answer to an attempt over a budget: 429, with the wait (at least a second) to retry after, and why: the
 * person's own attempts (`rate-limited`) unless the budget is shared (Limit's reason).
 */
export function rateLimited(
  waitMs: number,
  limit: string,
  reason: 'rate-limited' | NonNullable<Limit['reason']> = 'rate-limited'
): ServiceError {
  const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000))
  const why = {
    'rate-limited': 'too many attempts',
    'many-requests': 'too many requests from everyone',
    'sms-area-paused': "the day's sign-up codes to this area code are spent"
  }[reason]
  return new ServiceError('rate-limited', `${why}; try again in ${humanDelay(retryAfterS)}`, {
    retryAfterS,
    reason,
    params: { retryAfterS, limit }
  })
}

function humanDelay(s: number): string {
  if (s < 90) return `${s} seconds`
  return `${Math.ceil(s / 60)} minutes`
}
