/**
 * Billing's background work, in the order one pass needs it: vouchers past their date, orders and refunds a
 * crash left half-done, scheduled plan changes, tariff months, paid services' fees, promised payments due, call
 * rating, auto-renewals, notices of trials ending, accounts closing at the end of their grace period, business
 * invoices of ended months. Each job is idempotent, so two service instances or a restart mid-pass do no harm.
 *
 * One job's failure does not stop the others: each runs whatever the ones before it did, and its error is logged
 * with its name (a fault in one order's fulfilment once held up every renewal, fee and invoice behind it). The
 * invoices wait for a pass in which everything before them ran: an invoice is final, and a month's fees or
 * renewals not yet charged would be missing from it for good. The pass then fails with the names of its failed
 * jobs, and the next pass (30 s later) runs them all again.
 */
import type { ServiceContext } from '../context'
import { runAutoRenew } from './auto-renew'
import { settlePromisedPayments } from './balance'
import { chargeMonthlyFees } from './tariffs'
import { chargeServiceFees } from '../services/service-fees'
import { issueEndedMonths } from '../business/invoices'
import { applyDueChanges } from './plan-changes'
import { reasonOf } from '../job-items'
import { forgetSettled } from './settle-retries'
import {
  settleStrandedDeviceOrders,
  settleStrandedOrders,
  settleStrandedRefunds,
  settleStrandedTopUps
} from './stranded'
import { noticeTrialsEnding } from './trial-notices'
import { rateCalls } from './usage'
import { expireVouchers } from './vouchers'
import { completeDueClosures } from '../identity/closure'

export interface BillingJob {
  readonly name: string
  readonly run: (ctx: ServiceContext) => Promise<unknown>
  /** Runs only when every job before it succeeded in this pass. */
  readonly afterAll?: boolean
}

export const BILLING_JOBS: readonly BillingJob[] = [
  { name: 'vouchers', run: expireVouchers },
  { name: 'settled-retries', run: forgetSettled },
  { name: 'stranded-orders', run: settleStrandedOrders },
  { name: 'stranded-refunds', run: settleStrandedRefunds },
  { name: 'stranded-top-ups', run: settleStrandedTopUps },
  { name: 'stranded-device-orders', run: settleStrandedDeviceOrders },
  { name: 'plan-changes', run: applyDueChanges },
  { name: 'tariff-fees', run: chargeMonthlyFees },
  { name: 'service-fees', run: chargeServiceFees },
  { name: 'promised-payments', run: settlePromisedPayments },
  { name: 'call-rating', run: rateCalls },
  { name: 'auto-renew', run: runAutoRenew },
  { name: 'trial-notices', run: noticeTrialsEnding },
  // Accounts whose 30 days of grace after a closure request are over (../identity/closure.ts).
  { name: 'account-closures', run: completeDueClosures },
  // Last: a month's invoice shows what the jobs above charged in it.
  { name: 'invoices', run: issueEndedMonths, afterAll: true }
]

export class BillingPassError extends Error {
  constructor(readonly failed: readonly string[]) {
    // The scheduler logs it as "billing jobs failed: <this>".
    super(failed.join(', '))
    this.name = 'BillingPassError'
  }
}

/** One pass of `jobs` (the billing jobs by default); throws BillingPassError naming the jobs that failed. */
export async function runBillingJobs(
  ctx: ServiceContext,
  jobs: readonly BillingJob[] = BILLING_JOBS
): Promise<void> {
  const failed: string[] = []
  for (const job of jobs) {
    if (job.afterAll && failed.length > 0) {
      ctx.log.warn(`billing job ${job.name} waits for a pass without failures (${failed.join(', ')} failed)`)
      continue
    }
    try {
      await job.run(ctx)
    } catch (err) {
      failed.push(job.name)
      // A code, not the message: a message may carry a row's values.
      ctx.log.error(`billing job ${job.name} failed (${reasonOf(err)})`)
    }
  }
  if (failed.length > 0) throw new BillingPassError(failed)
}
