/** A line of the signed-in account, or not-found (never forbidden: whether someone else's line exists is not yours to know). */
import type { ServiceContext } from '../context'
import { notFound } from '../http/errors'

export async function ownLine(ctx: ServiceContext, accountId: string, lineId: string) {
  const line = await ctx.db
    .selectFrom('lines')
    .selectAll()
    .where('id', '=', lineId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!line) throw notFound('line-not-found', 'the line')
  return line
}
