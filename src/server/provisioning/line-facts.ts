/**
 * The facts a line's state is derived from, as expressions on a query of `lines`: coverage that includes now, a
 * current E911 address, an open suspension. One definition for the three places that ask them of many lines or of
 * one (syncLine's read in lines.ts, the app's view in line-view.ts, the sweeper in line-sweep.ts), so "covered"
 * means the same live grant everywhere.
 */
import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../db/schema'

type OnLines = ExpressionBuilder<Database, 'lines'>

/** A live grant of the line covers `now` (an ISO instant). */
export const coveredAt = (eb: OnLines, now: string) =>
  eb.exists(
    eb
      .selectFrom('coverage_grants as cg')
      .select('cg.id')
      .whereRef('cg.line_id', '=', 'lines.id')
      .where('cg.voided_at', 'is', null)
      .where('cg.starts_at', '<=', now)
      .where('cg.ends_at', '>', now)
  )

/** The line has a current (not superseded) E911 address. */
export const hasE911 = (eb: OnLines) =>
  eb.exists(
    eb
      .selectFrom('e911_addresses as ea')
      .select('ea.id')
      .whereRef('ea.line_id', '=', 'lines.id')
      .where('ea.superseded_at', 'is', null)
  )

/** The line's open suspension, to select a column of (`ls.id`, `ls.suspended_at`). */
export const openSuspension = (eb: OnLines) =>
  eb
    .selectFrom('line_suspensions as ls')
    .whereRef('ls.line_id', '=', 'lines.id')
    .where('ls.restored_at', 'is', null)
