/**
 * The monthly fees job of connected services (./line-services.ts has the switches): each paid service switched on
 * is charged its monthly fee once a month, on the first run in that month (account time), at the catalog's price
 * then; the ledger's unique source makes a second run a no-op. Only the services whose fee month is before this
 * month are read (billing/due-months.ts), so a pass with nothing due is one statement, not a transaction for every
 * paid service switched on every 30 seconds.
 *
 * The whole fee when the line was in service at the month's start (covered, a current 911 address, not
 * suspended); a line that came back later in the month (a lapsed, suspended or address-less line's services are not
 * charged meanwhile) pays the rest of the month from the day it came back (fixed 30 days, as a switch on does):
 * what a pass on that day would have charged, however late this pass finds it. Whether the line is in service now
 * is asked of its coverage too, not only of its stored status, which the sweeper updates apart: a line whose
 * coverage ended a moment before the pass is not charged a month it will not use.
 *
 * A month the balance does not cover is not charged: the service is switched off instead (the tariffs' rule,
 * docs/billing.md: nothing runs the balance below zero for a month nobody paid). The line's state keeps why
 * (`off_reason`, shown beside the service with the place to top up), the history's row says the service switched
 * it (`reason`), and the account's preferred address is told once per pass, all the services switched off in one
 * email (a payment problem: the person's setting for those decides). Switching one on again is the person's
 * ordinary switch, paid from the balance like any other.
 *
 * An account's due services in one transaction under the account's lock (account-lock.ts), which every writer of
 * the balance and of a line's services holds (a switch, a minutes pack, a tariff's month): they wait for this pass
 * and see what it left, and the switches and their email commit together (when that throws, each service is tried
 * again in a transaction of its own, so one that keeps failing holds back no other: job-items.ts). No line is locked: nothing the job
 * writes is a line's, and holding several lines of one account would deadlock with a renewal of several lines that
 * locks them in its own order. The services are charged in the order they were switched on (the oldest first, then
 * by line and feature), each while the balance covers it: when the balance covers one of two services of the same
 * fee, the one the person has had longer stays on (a cheaper, newer one may still fit where an older one did not).
 */
import { type ServiceContext, inTransaction } from '../context'
import { lockAccount } from '../account-lock'
import { CURRENCY, accountZone, memoParamsOf, postEntry, spendableBalance } from '../billing/balance'
import { monthsNow } from '../billing/due-months'
import { applyFraction, remainingFraction } from '../billing/proration'
import { type LineRef, type ServiceOffItem, billingNotices, serviceName } from '../billing/notices'
import { eachItem } from '../job-items'
import { notifyPreferred } from '../mail/outbox'
import { coveredAt } from '../provisioning/line-facts'
import { newId } from '../secrets'
import type { ServiceFeature } from '../../shared/api/services'
import { monthOf, nextSwitchAt, recordSwitch } from './line-services'

interface Due {
  readonly line_id: string
  readonly feature: ServiceFeature
  readonly account_id: string
}

type Month = ReturnType<typeof monthOf>

/** Runs the job once; the number of monthly fees charged. */
export async function chargeServiceFees(ctx: ServiceContext): Promise<number> {
  const months = await monthsNow(ctx, ctx.clock.now())
  const rows = await ctx.db
    .selectFrom('line_services as ls')
    .innerJoin('service_catalog as c', 'c.code', 'ls.code')
    .innerJoin('lines as l', 'l.id', 'ls.line_id')
    .select(['ls.line_id', 'ls.feature', 'l.account_id'])
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .where('ls.enabled', '=', 1)
    .where('c.price_minor', '>', 0)
    // A line out of service (lapsed, suspended, waiting for its 911 address) uses none of its services: its
    // month is charged once it is back, not piled up meanwhile.
    .where('l.status', '=', 'in_service')
    .where((eb) =>
      eb.or(
        months.map((m) =>
          eb.and([
            ...(m.zones ? [eb('a.timezone', 'in', m.zones)] : []),
            // A month after the one paid (a later month, not merely another: a zone moved back across a month's
            // start must not make the month already paid due again).
            eb.or([eb('ls.fee_month', 'is', null), eb('ls.fee_month', '<', m.key)])
          ])
        )
      )
    )
    // The order they are charged in (the header): the oldest switched on first. `updated_at` is the last
    // switch's time (a fee marked paid does not change it), for a service on: when it was switched on.
    .orderBy('ls.updated_at')
    .orderBy('ls.line_id')
    .orderBy('ls.feature')
    .execute()
  const byAccount = new Map<string, Due[]>()
  for (const r of rows) {
    const due = byAccount.get(r.account_id)
    if (due) due.push(r)
    else byAccount.set(r.account_id, [r])
  }
  // Each account on its own (job-items.ts): one that throws does not hold back the others.
  const { done } = await eachItem(
    ctx,
    'service-fees',
    byAccount,
    ([accountId]) => accountId,
    async ([accountId, due]) => {
      try {
        return await inTransaction(ctx, (tx) => chargeAccount(tx, accountId, due))
      } catch (err) {
        if (due.length === 1) throw err
        // Nor one service the account's others: each again in a transaction of its own (one email each then).
        const alone = await eachItem(
          ctx,
          'service-fees',
          due,
          (d) => `${d.line_id}:${d.feature}`,
          (d) => inTransaction(ctx, (tx) => chargeAccount(tx, accountId, [d]))
        )
        return sum(alone.done)
      }
    }
  )
  return sum(done)
}

const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0)

/** One account's due services, in one transaction; how many were charged. */
async function chargeAccount(tx: ServiceContext, accountId: string, due: readonly Due[]): Promise<number> {
  await lockAccount(tx, accountId)
  const zone = await accountZone(tx, accountId)
  const month = monthOf(tx.clock.now(), zone)
  let charged = 0
  const off: ServiceOffItem[] = []
  for (const d of due) {
    const outcome = await chargeOne(tx, d, month, zone)
    if (outcome === 'charged') charged++
    else if (outcome !== 'skipped') off.push(outcome)
  }
  if (off.length === 0) return charged
  // What the balance holds once the pass is done (a cheaper service may have been paid after a refusal).
  const balance = await spendableBalance(tx, accountId)
  await notifyPreferred(tx.db, tx.clock, accountId, 'service-unpaid', (language) =>
    billingNotices(language).servicesOff(
      off.map((o) => ({ ...o, service: serviceName(language, o.feature) })),
      // The account's own day, as "this month" is.
      { date: month.today, balanceMinor: balance, currency: CURRENCY }
    )
  )
  return charged
}

type Outcome = 'charged' | 'skipped' | ServiceOffItem

/** One service's month: charged, switched off for want of the balance, or nothing due after all. */
async function chargeOne(tx: ServiceContext, d: Due, month: Month, zone: string): Promise<Outcome> {
  const row = await tx.db
    .selectFrom('line_services as ls')
    .innerJoin('service_catalog as c', 'c.code', 'ls.code')
    .innerJoin('lines as l', 'l.id', 'ls.line_id')
    .innerJoin('devices as d', 'd.id', 'l.device_id')
    .select(['ls.enabled', 'ls.fee_month', 'ls.code', 'c.price_minor', 'c.feature', 'c.retired_at'])
    .select(['l.status', 'l.phone_number', 'l.label', 'd.serial'])
    .where('ls.line_id', '=', d.line_id)
    .where('ls.feature', '=', d.feature)
    .executeTakeFirst()
  if (!row || row.enabled !== 1 || row.price_minor <= 0 || row.status !== 'in_service') return 'skipped'
  if (row.fee_month !== null && row.fee_month >= month.key) return 'skipped'
  const ref = `svc:${d.line_id}:${d.feature}:${month.key}`
  // The monthly price this month is charged at, what a switch off gives back a share of, and what the month took,
  // the most it gives back.
  const paid = async (price: number, took: number): Promise<void> => {
    await tx.db
      .updateTable('line_services')
      .set({ fee_month: month.key, fee_price_minor: price, fee_paid_minor: took })
      .where('line_id', '=', d.line_id)
      .where('feature', '=', d.feature)
      .execute()
  }
  // This month already charged (its entry is there, the state said otherwise): marked paid, nothing more.
  const already = await tx.db
    .selectFrom('balance_entries')
    .select(['memo_params', 'amount_minor'])
    // By the ledger's unique (kind, source_ref): one index entry.
    .where('kind', '=', 'service_fee')
    .where('source_ref', '=', ref)
    .where('account_id', '=', d.account_id)
    .executeTakeFirst()
  if (already) {
    // At the price that entry was charged at, not today's: the catalog may have changed since (review 36 L4).
    await paid(chargedPrice(already.memo_params) ?? row.price_minor, -already.amount_minor)
    return 'skipped'
  }
  const now = tx.clock.now()
  const since = await inServiceSince(tx, d.line_id, now, month.period.start)
  // Its coverage ended since the sweeper's last pass: the line is lapsing, and its month is not charged.
  if (!since) return 'skipped'
  // Back in service after the month's start: the rest of this month from that day, as a switch on charges it.
  const due =
    since <= month.period.start
      ? row.price_minor
      : applyFraction(row.price_minor, remainingFraction('fixed_30', month.period, since, zone))
  const balance = await spendableBalance(tx, d.account_id)
  if (balance < due) {
    await recordSwitch(tx, {
      id: newId('svs'),
      lineId: d.line_id,
      accountId: d.account_id,
      code: row.code,
      feature: row.feature,
      enabled: false,
      feeMonth: null,
      feePriceMinor: null,
      feePaidMinor: null,
      amountMinor: 0,
      at: await nextSwitchAt(tx, d.line_id),
      reason: 'unpaid'
    })
    // The line's id, never its number (no phone numbers in logs).
    tx.log.info(`service-fees: ${row.feature} on line ${d.line_id} switched off, its month not covered`)
    const line: LineRef = row.phone_number ?? { label: row.label, serial: row.serial }
    return {
      line,
      feature: row.feature,
      amountMinor: due,
      // No longer offered: it cannot be switched on again, and the email does not say to.
      retired: row.retired_at !== null
    }
  }
  const posted = await postEntry(tx, d.account_id, 'service_fee', -due, ref, {
    code: 'service-fee',
    // The monthly price kept with the charge: a share's amount does not give it back exactly.
    params: { service: row.feature, month: month.key, price: row.price_minor },
    text: `${row.feature}, ${month.key}`
  })
  await paid(row.price_minor, due)
  return posted ? 'charged' : 'skipped'
}

/** The monthly price a fee entry recorded (entries written before it was kept: none, so today's). */
function chargedPrice(memoParams: string): number | null {
  // Read as every stored memo is (memoParamsOf: anything but an object of strings and numbers reads as none).
  const price = memoParamsOf(memoParams).price
  return typeof price === 'number' && Number.isSafeInteger(price) && price >= 0 ? price : null
}

/**
 * Since when the line has been in service this month, from its facts rather than its stored status: the month's
 * start when it was covered, had a current 911 address and was not suspended then; else the first moment after
 * the start that each missing fact came right (a grant began, an address was registered, a suspension lifted),
 * the latest of those. Null when it is not covered now.
 */
async function inServiceSince(
  tx: ServiceContext,
  lineId: string,
  now: Date,
  monthStart: Date
): Promise<Date | null> {
  const start = monthStart.toISOString()
  const at = now.toISOString()
  const row = await tx.db
    .selectFrom('lines')
    .select((eb) => [
      coveredAt(eb, at).as('covered_now'),
      coveredAt(eb, start).as('covered_at_start'),
      eb
        .selectFrom('coverage_grants as cg')
        .select((g) => g.fn.min('cg.starts_at').as('t'))
        .whereRef('cg.line_id', '=', 'lines.id')
        .where('cg.voided_at', 'is', null)
        .where('cg.starts_at', '>', start)
        .where('cg.starts_at', '<=', at)
        .as('covered_from'),
      eb
        .exists(
          eb
            .selectFrom('e911_addresses as ea')
            .select('ea.id')
            .whereRef('ea.line_id', '=', 'lines.id')
            .where('ea.registered_at', '<=', start)
            .where((w) => w.or([w('ea.superseded_at', 'is', null), w('ea.superseded_at', '>', start)]))
        )
        .as('address_at_start'),
      eb
        .selectFrom('e911_addresses as ea')
        .select((g) => g.fn.min('ea.registered_at').as('t'))
        .whereRef('ea.line_id', '=', 'lines.id')
        .where('ea.registered_at', '>', start)
        .where('ea.registered_at', '<=', at)
        .as('address_from'),
      eb
        .exists(
          eb
            .selectFrom('line_suspensions as s')
            .select('s.id')
            .whereRef('s.line_id', '=', 'lines.id')
            .where('s.suspended_at', '<=', start)
            .where((w) => w.or([w('s.restored_at', 'is', null), w('s.restored_at', '>', start)]))
        )
        .as('suspended_at_start'),
      eb
        .selectFrom('line_suspensions as s')
        .select((g) => g.fn.min('s.restored_at').as('t'))
        .whereRef('s.line_id', '=', 'lines.id')
        .where('s.restored_at', '>', start)
        .where('s.restored_at', '<=', at)
        .as('restored_from')
    ])
    .where('lines.id', '=', lineId)
    .executeTakeFirstOrThrow()
  if (!row.covered_now) return null
  // Each fact's own "since": the start when it held then, else when it first came right (now when never: a fact
  // the stored status says holds but whose moment is unknown charges the least).
  const from = (atStart: unknown, after: string | null): string => (atStart ? start : (after ?? at))
  const since = [
    from(row.covered_at_start, row.covered_from),
    from(row.address_at_start, row.address_from),
    from(!row.suspended_at_start, row.restored_from)
  ].reduce((a, b) => (b > a ? b : a))
  return new Date(since)
}
