/**
 * A line's coverage: the ledger of grants (unique per source: order, voucher, auto-renew, trial, tariff month,
 * admin), paid-through derived from it, and the state a person sees. New grants stack: they start at the later
 * of now and the current paid-through, so a renewal never loses paid time and a lapsed line restarts today.
 * Callers hold the line (lockLine) inside their transaction, so two renewals cannot read the same paid-through.
 */
import { sql } from 'kysely'
import type { SubscriptionView } from '../../shared/api/billing'
import { DAY, addMonths } from '../clock'
import type { BillingConfig } from '../config'
import type { ServiceContext } from '../context'
import type { CoverageGrantsTable } from '../db/schema'
import { conflict, notFound } from '../http/errors'
import { newId } from '../secrets'
import { reminderWindowMs } from './reminder-window'

export type CoverageState = SubscriptionView['coverage']['state']

/** Serialises writers of one line: a row lock on PostgreSQL; SQLite runs one transaction at a time anyway. */
export async function lockLine(tx: ServiceContext, lineId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  const locked = await sql`SELECT id FROM lines WHERE id = ${lineId} FOR UPDATE`.execute(tx.db)
  if (locked.rows.length !== 1) throw notFound('line-not-found', 'the line')
}

/** A line's paid-through as a query: the last end of its live grants (one entry of coverage_grants_live, 0032). */
export const paidThroughQuery = (db: ServiceContext['db'], lineId: string) =>
  db
    .selectFrom('coverage_grants')
    .select((eb) => eb.fn.max('ends_at').as('end'))
    .where('line_id', '=', lineId)
    .where('voided_at', 'is', null)

export async function paidThrough(ctx: ServiceContext, lineId: string): Promise<Date | null> {
  const row = await paidThroughQuery(ctx.db, lineId).executeTakeFirst()
  return row?.end ? new Date(row.end) : null
}

/** The trial's end while a line runs on its free trial alone (every live grant is the trial's); else null. */
export async function trialEnd(ctx: ServiceContext, lineId: string): Promise<Date | null> {
  const grants = await ctx.db
    .selectFrom('coverage_grants')
    .select(['source_type', 'ends_at'])
    .where('line_id', '=', lineId)
    .where('voided_at', 'is', null)
    .execute()
  if (grants.length === 0 || grants.some((g) => g.source_type !== 'trial')) return null
  return new Date(grants.reduce((a, g) => (g.ends_at > a ? g.ends_at : a), grants[0]?.ends_at ?? ''))
}

/**
 * How far ahead a line can be paid: six years, room for the five-year plan on a line with a year left. No one
 * needs more, and an unbounded ledger (2,000 renewals reached the year 2193) is an attacker's toy.
 */
export const MAX_PREPAID_MONTHS = 72

/**
 * Refuses a purchase that would take the line past MAX_PREPAID_MONTHS from today, before any money moves or any
 * voucher is spent. (Two purchases racing for one line can both pass and end one period past the cap; the
 * ledger stays correct and the next purchase is refused.)
 */
export async function assertWithinCap(ctx: ServiceContext, lineId: string, months: number): Promise<void> {
  assertWithinCapFrom(await paidThrough(ctx, lineId), ctx.clock.now(), months)
}

/** assertWithinCap with the line's paid-through already read (a renewal reads it with the rest: renewal-facts.ts). */
export function assertWithinCapFrom(through: Date | null, now: Date, months: number): void {
  const start = through && through > now ? through : now
  if (addMonths(start, months) > addMonths(now, MAX_PREPAID_MONTHS))
    throw conflict(
      'coverage-cap',
      `a line can be paid at most ${MAX_PREPAID_MONTHS / 12} years ahead; this one is paid through ${start.toISOString().slice(0, 10)}`,
      { years: MAX_PREPAID_MONTHS / 12, date: start.toISOString().slice(0, 10) }
    )
}

/**
 * The state a person sees. "Expiring soon" starts as the renewal reminder's window does, by the length of the plan
 * the line renews on (`planMonths`; null when it has none: a trial, or coverage from a card or a retail dongle
 * alone): a week before on a monthly plan, else 30 days (reminder-window.ts). With 30 days for all, a monthly line
 * was "expiring soon" nearly all the time, and the app reminded its owner of it just after each payment.
 */
export function coverageState(
  through: Date | null,
  now: Date,
  cfg: Pick<BillingConfig, 'reminderDays' | 'shortPlanReminderDays' | 'graceDays'>,
  planMonths: number | null
): { state: CoverageState; reactivatable: boolean } {
  if (through === null) return { state: 'none', reactivatable: false }
  const left = through.getTime() - now.getTime()
  if (left > reminderWindowMs(cfg, planMonths)) return { state: 'active', reactivatable: false }
  if (left > 0) return { state: 'expiring_soon', reactivatable: false }
  if (-left <= cfg.graceDays * DAY) return { state: 'expired', reactivatable: true }
  return { state: 'deactivated', reactivatable: false }
}

export interface GrantSource {
  readonly type: CoverageGrantsTable['source_type']
  readonly id: string
}

/**
 * Adds coverage from max(now, paid-through): `months` calendar months (clamped month ends), `days`, or up to
 * `until`. Answers the new paid-through, or null when this source was already granted (a replay).
 */
export async function extendCoverage(
  tx: ServiceContext,
  lineId: string,
  source: GrantSource,
  length: { months?: number; days?: number; until?: Date },
  /** The line's paid-through when the caller read it under the line's lock already (undefined: read it here). */
  known?: Date | null
): Promise<Date | null> {
  const now = tx.clock.now()
  const current = known !== undefined ? known : await paidThrough(tx, lineId)
  const start = current && current > now ? current : now
  const end =
    length.until ??
    (length.months !== undefined
      ? addMonths(start, length.months)
      : new Date(start.getTime() + (length.days ?? 0) * DAY))
  if (end <= start) return current
  const inserted = await tx.db
    .insertInto('coverage_grants')
    .values({
      id: newId('cov'),
      line_id: lineId,
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
      source_type: source.type,
      source_id: source.id,
      voided_at: null,
      created_at: now.toISOString()
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1 ? end : null
}
