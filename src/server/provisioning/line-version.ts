/**
 * The service's side of the line-changes long poll (shared/api/line-changes.ts): the version of an account's lines
 * as its app shows them, and the wait for it to move.
 *
 * The version is a digest of each line's id, state, number, label, paid-through, current E911 address and open
 * suspension, and of its subscription's plan, state, auto-renew, card and cancel at period end: what the Phone page,
 * the status bar, the line cards and the account's notices show. Anything that changes one of those moves
 * the version, whoever changed it (the person, support, a job, another process), so a poll never misses a change,
 * however the wake-up went (line-changes.ts). A line user of a business account (shared/api/access.ts) gets the
 * version of their own line only: the others' changes are not theirs to hear, not even as a moment.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { ServiceContext } from '../context'

/** Whose lines: an account's, or one line of it (a business's line user). */
export interface LinesScope {
  readonly accountId: string
  readonly lineId: string | null
}

export async function linesVersion(ctx: ServiceContext, scope: LinesScope): Promise<string> {
  const rows = await sql<Record<string, unknown>>`
    SELECT l.id, l.status, l.phone_number, l.label,
      s.plan_id, s.status AS subscription, s.auto_renew, s.cancel_at_period_end, s.payment_method_id,
      (SELECT max(g.ends_at) FROM coverage_grants g WHERE g.line_id = l.id AND g.voided_at IS NULL) AS paid_through,
      (SELECT max(e.id) FROM e911_addresses e WHERE e.line_id = l.id AND e.superseded_at IS NULL) AS e911,
      (SELECT max(u.id) FROM line_suspensions u WHERE u.line_id = l.id AND u.restored_at IS NULL) AS suspension
    FROM lines l LEFT JOIN subscriptions s ON s.line_id = l.id
    WHERE l.account_id = ${scope.accountId} ${scope.lineId === null ? sql`` : sql`AND l.id = ${scope.lineId}`}
    ORDER BY l.id
  `.execute(ctx.db)
  const facts = rows.rows.map((r) => [
    r.id,
    r.status,
    r.phone_number,
    r.label,
    r.paid_through,
    r.e911,
    r.suspension,
    r.plan_id,
    r.subscription,
    // SQLite answers 0/1, PostgreSQL the same integers: one digest on either database for the same facts.
    Number(r.auto_renew ?? -1),
    Number(r.cancel_at_period_end ?? -1),
    r.payment_method_id
  ])
  return createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 22)
}

/**
 * The lines' version once it differs from `since`, or after `holdMs`, or when `signal` aborts (the app went away),
 * whichever is first; 'busy' when the process holds as many polls as it may (line-changes.ts). The wait is set up
 * before each read of the version, so a change committed between the read and the wait still wakes it; `waiting`
 * is called once, when the poll first only waits (the route then stops counting it as work: its reads were).
 */
export async function nextLinesVersion(
  ctx: ServiceContext,
  who: LinesScope & { readonly sessionId: string; readonly personId: string },
  since: string | undefined,
  holdMs: number,
  signal: AbortSignal,
  waiting: () => void
): Promise<string | 'busy'> {
  const until = Date.now() + holdMs
  // Changes committed from here on are heard (PostgreSQL: this process's LISTEN is in place).
  await ctx.lineChanges.ready()
  let first = true
  for (;;) {
    const stop = new AbortController()
    const stopIt = () => stop.abort()
    signal.addEventListener('abort', stopIt, { once: true })
    const waited = ctx.lineChanges.next(who, Math.max(0, until - Date.now()), stop.signal)
    try {
      const version = await linesVersion(ctx, who)
      if (version !== since) return version
      if (first) waiting()
      first = false
      const end = await waited
      if (end === 'busy') return 'busy'
      if (end !== 'changed') return end === 'timeout' ? await linesVersion(ctx, who) : version
    } finally {
      stop.abort()
      signal.removeEventListener('abort', stopIt)
      await waited
    }
  }
}
