/**
 * What syncLine needs to know of suspensions by Dialtone support (issue 20; the operators' side is in
 * src/server/ops/accounts/suspend.ts): whether one is open on a line, and the state the line had when it was
 * suspended, so that restoring derives the line's state from where it was (a line that was only pending does not
 * come back as lapsed).
 */
import type { ServiceContext } from '../context'
import type { LineSuspensionsTable } from '../db/schema-accounts'

export async function openSuspension(
  ctx: ServiceContext,
  lineId: string
): Promise<LineSuspensionsTable | undefined> {
  return ctx.db
    .selectFrom('line_suspensions')
    .selectAll()
    .where('line_id', '=', lineId)
    .where('restored_at', 'is', null)
    .executeTakeFirst()
}

/** The state before the newest suspension, for a line that was suspended and is derived again. */
export async function statusBeforeSuspension(
  ctx: ServiceContext,
  lineId: string
): Promise<LineSuspensionsTable['status_before']> {
  const last = await ctx.db
    .selectFrom('line_suspensions')
    .select('status_before')
    .where('line_id', '=', lineId)
    .orderBy('suspended_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return last?.status_before ?? 'pending'
}
