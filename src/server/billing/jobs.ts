/**
 * Billing's background work, in the order one pass needs it: vouchers past their date, orders and refunds a
 * crash left half-done, scheduled plan changes, tariff months, promised payments due, call rating, auto-renewals, notices of trials ending, business invoices of ended months. Each job
 * is idempotent, so two service instances or a restart mid-pass do no harm.
 */
import type { ServiceContext } from '../context'
import { runAutoRenew } from './auto-renew'
import { settlePromisedPayments } from './balance'
import { chargeMonthlyFees } from './tariffs'
import { chargeServiceFees } from '../services/line-services'
import { issueEndedMonths } from '../business/invoices'
import { settleStrandedOrders } from './checkout-settle'
import { applyDueChanges } from './plan-changes'
import { noticeTrialsEnding } from './trial-notices'
import { settleStrandedRefunds } from './refunds'
import { rateCalls } from './usage'
import { expireVouchers } from './vouchers'

export async function runBillingJobs(ctx: ServiceContext): Promise<void> {
  await expireVouchers(ctx)
  await settleStrandedOrders(ctx)
  await settleStrandedRefunds(ctx)
  await applyDueChanges(ctx)
  await chargeMonthlyFees(ctx)
  await chargeServiceFees(ctx)
  await settlePromisedPayments(ctx)
  await rateCalls(ctx)
  await runAutoRenew(ctx)
  await noticeTrialsEnding(ctx)
  // Last: a month's invoice shows what the passes above charged in it.
  await issueEndedMonths(ctx)
}
