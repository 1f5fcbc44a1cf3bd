/**
 * A legal entity's written plan-change request, taken by an operator (seed 003: companies change plans only by
 * written request at the office, strictly from the 1st of a month). The date is not the operator's to choose: it
 * is the next month's 1st in the account's own time zone. Everything else — the plan may replace the line's, the
 * ten-day rule, a newer request superseding a pending one, the discount's fate — is billing's own schedule path
 * (src/server/billing/plan-changes.ts, channel 'staff'), so the app shows it like any pending change. Withdrawing
 * it is a written request too (the app refuses a company's cancel with 'written-request' and drafts the letter to
 * support): an operator takes it here.
 */
import type { ServiceContext } from '../../context'
import { conflict, notFound } from '../../http/errors'
import { accountZone } from '../../billing/balance'
import { schedulePlanChange, withdrawChange } from '../../billing/plan-changes'
import { pendingChange, subscriptionOf } from '../../billing/subscriptions'
import { ownLine } from '../../numbers/own-line'
import { firstOfNextMonth, localDate } from '../../../shared/time/business-dates'

/** The account, which must be a legal entity: any other changes (and withdraws) its plan in the app. */
async function legalEntity(ctx: ServiceContext, accountId: string): Promise<void> {
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
}

export async function takeWrittenPlanChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  planId: string
) {
  await legalEntity(ctx, accountId)
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

/** A legal entity's written request to withdraw its line's scheduled change: what was withdrawn. */
export async function withdrawWrittenPlanChange(ctx: ServiceContext, accountId: string, lineId: string) {
  await legalEntity(ctx, accountId)
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  const change = sub ? await pendingChange(ctx, sub.id) : undefined
  if (!change) throw notFound('change-not-found', `a scheduled plan change of the line ${lineId}`)
  await withdrawChange(ctx, accountId, lineId, change.id)
  return { accountId, lineId, toPlan: change.to_plan_id, effectiveDate: change.effective_date }
}
