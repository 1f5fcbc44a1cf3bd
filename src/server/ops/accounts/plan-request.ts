/**
 * A legal entity's written plan-change request, taken by an operator (seed 003: companies change plans only by
 * written request at the office, strictly from the 1st of a month). The date is not the operator's to choose: it
 * is the next month's 1st in the account's own time zone. Everything else — the plan may replace the line's, the
 * ten-day rule, a newer request superseding a pending one, the discount's fate — is billing's own schedule path
 * (src/server/billing/plan-changes.ts, channel 'staff'), so the app shows it like any pending change.
 */
import type { ServiceContext } from '../../context'
import { conflict, notFound } from '../../http/errors'
import { accountZone } from '../../billing/balance'
import { schedulePlanChange } from '../../billing/plan-changes'
import { firstOfNextMonth, localDate } from '../../../shared/time/business-dates'

export async function takeWrittenPlanChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  planId: string
) {
  const account = await ctx.db
    .selectFrom('accounts')
    .select('type')
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!account) throw notFound('account-not-found', `the account ${accountId}`)
  if (account.type !== 'legal_entity')
    throw conflict(
      'not-legal-entity',
      `this account is ${account.type === 'business' ? 'a business' : 'an individual'}: its owner changes the plan in the app`
    )
  const effectiveDate = firstOfNextMonth(localDate(ctx.clock.now(), await accountZone(ctx, accountId)))
  const preview = await schedulePlanChange(ctx, accountId, lineId, planId, effectiveDate, 'staff')
  return {
    accountId,
    lineId,
    fromPlan: preview.fromPlan.id,
    toPlan: preview.toPlan.id,
    effectiveDate: preview.effectiveDate
  }
}
