/**
 * How many times a line's number may change (LIMITS.numberChangePerLine and numberChangePerAccount say why):
 * counted from the number history in the change's own transaction, so the window slides (no two budgets across a
 * window's edge) and a change that fails, rolled back, counts for nothing. The line is held first, so two changes
 * of one line at once cannot both see a free place; across an account's lines the count is a bound, not a lock.
 */
import { lockLine } from '../billing/coverage'
import type { ServiceContext } from '../context'
import { LIMITS, type Limit, rateLimited } from '../http/rate-limit'

/** The reason assignNumber records for a change (an activation's first number is not one). */
export const NUMBER_CHANGE = 'number change'

export async function assertNumberChangeLeft(
  tx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<void> {
  await lockLine(tx, lineId)
  const now = tx.clock.now().getTime()
  const changes = (limit: Limit) =>
    tx.db
      .selectFrom('number_history')
      .innerJoin('lines', 'lines.id', 'number_history.line_id')
      .select('number_history.assigned_at')
      .where('number_history.reason', '=', NUMBER_CHANGE)
      .where('number_history.assigned_at', '>', new Date(now - limit.windowMs).toISOString())
      .orderBy('number_history.assigned_at', 'desc')
      .limit(limit.max)
  const check = (limit: Limit, rows: readonly { assigned_at: string }[]) => {
    // Full: the next change waits until the oldest of the newest `max` leaves the window.
    const oldest = rows[limit.max - 1]
    if (oldest) throw rateLimited(Date.parse(oldest.assigned_at) + limit.windowMs - now, limit.name)
  }
  const line = LIMITS.numberChangePerLine
  check(line, await changes(line).where('number_history.line_id', '=', lineId).execute())
  const account = LIMITS.numberChangePerAccount
  check(account, await changes(account).where('lines.account_id', '=', accountId).execute())
}
