/**
 * The monthly fees job of connected services (./line-services.ts has the switches): each paid service switched on
 * is charged its whole monthly fee once a month, on the first run in that month (account time), at the catalog's
 * price then; the ledger's unique source makes a second run a no-op. Only the services whose fee month is not this
 * month are read (billing/due-months.ts), so a pass with nothing due is one or two statements, not a transaction
 * for every paid service switched on every 30 seconds.
 *
 * A line back in service after a whole month or more out of it pays the rest of this month (fixed 30 days, as a
 * switch on does). A month the balance does not cover is not charged: the service is switched off instead (the tariffs' rule,
 * docs/billing.md: nothing runs the balance below zero for a month nobody paid). The line's state keeps why
 * (`off_reason`, shown beside the service with the place to top up), the history's row says the service switched
 * it (`reason`), and the account's preferred address is told (a payment problem: the person's setting for those
 * decides). Switching it on again is the person's ordinary switch, paid from the balance like any other.
 *
 * Each service on its own transaction, the account's balance locked before the line (account-lock.ts): a top-up,
 * a minutes pack or a switch on another line of the account reads the balance this charge leaves.
 */
import { type ServiceContext, inTransaction } from '../context'
import { lockAccount } from '../account-lock'
import { CURRENCY, accountZone, postEntry, spendableBalance } from '../billing/balance'
import { lockLine } from '../billing/coverage'
import { monthsNow } from '../billing/due-months'
import { applyFraction, remainingFraction } from '../billing/proration'
import { type LineRef, billingNotices, serviceName } from '../billing/notices'
import { eachItem } from '../job-items'
import { notifyPreferred } from '../mail/outbox'
import { newId } from '../secrets'
import { monthOf, nextSwitchAt, recordSwitch } from './line-services'

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
    .execute()
  let charged = 0
  // Each on its own (job-items.ts): one that throws does not hold back the others.
  await eachItem(
    ctx,
    'service-fees',
    rows,
    (r) => `${r.line_id}:${r.feature}`,
    (r) =>
      inTransaction(ctx, async (tx) => {
        await lockAccount(tx, r.account_id)
        await lockLine(tx, r.line_id)
        const zone = await accountZone(tx, r.account_id)
        const month = monthOf(tx.clock.now(), zone)
        const row = await tx.db
          .selectFrom('line_services as ls')
          .innerJoin('service_catalog as c', 'c.code', 'ls.code')
          .innerJoin('lines as l', 'l.id', 'ls.line_id')
          .innerJoin('devices as d', 'd.id', 'l.device_id')
          .select(['ls.enabled', 'ls.fee_month', 'ls.code', 'c.price_minor', 'c.feature', 'c.retired_at'])
          .select(['l.status', 'l.phone_number', 'l.label', 'd.serial'])
          .where('ls.line_id', '=', r.line_id)
          .where('ls.feature', '=', r.feature)
          .executeTakeFirst()
        if (!row || row.enabled !== 1 || row.price_minor <= 0 || row.status !== 'in_service') return
        if (row.fee_month !== null && row.fee_month >= month.key) return
        const ref = `svc:${r.line_id}:${r.feature}:${month.key}`
        const paid = async (): Promise<void> => {
          await tx.db
            .updateTable('line_services')
            .set({ fee_month: month.key, fee_price_minor: row.price_minor })
            .where('line_id', '=', r.line_id)
            .where('feature', '=', r.feature)
            .execute()
        }
        // This month already charged (its entry is there, the state said otherwise): marked paid, nothing more.
        const already = await tx.db
          .selectFrom('balance_entries')
          .select('id')
          // By the ledger's unique (kind, source_ref): one index entry.
          .where('kind', '=', 'service_fee')
          .where('source_ref', '=', ref)
          .where('account_id', '=', r.account_id)
          .executeTakeFirst()
        if (already) return paid()
        // Back in service after a whole month or more out of it (a lapsed or suspended line's services are not
        // charged meanwhile): the rest of this month, as switching a service on charges it, not the whole.
        const back = row.fee_month !== null && row.fee_month < previousMonth(month.key)
        const due = back
          ? applyFraction(row.price_minor, remainingFraction('fixed_30', month.period, tx.clock.now(), zone))
          : row.price_minor
        const balance = await spendableBalance(tx, r.account_id)
        if (balance < due) {
          await recordSwitch(tx, {
            id: newId('svs'),
            lineId: r.line_id,
            accountId: r.account_id,
            code: row.code,
            feature: row.feature,
            enabled: false,
            feeMonth: null,
            feePriceMinor: null,
            amountMinor: 0,
            at: await nextSwitchAt(tx, r.line_id),
            reason: 'unpaid'
          })
          // The line's id, never its number (no phone numbers in logs).
          tx.log.info(`service-fees: ${row.feature} on line ${r.line_id} switched off, its month not covered`)
          const lineRef: LineRef = row.phone_number ?? { label: row.label, serial: row.serial }
          await notifyPreferred(tx.db, tx.clock, r.account_id, 'service-unpaid', (language) =>
            billingNotices(language).serviceOff(lineRef, serviceName(language, row.feature), {
              // The account's own day, as "this month" is.
              date: month.today,
              amountMinor: due,
              balanceMinor: balance,
              currency: CURRENCY,
              // No longer offered: it cannot be switched on again, and the email does not say to.
              retired: row.retired_at !== null
            })
          )
          return
        }
        if (
          await postEntry(tx, r.account_id, 'service_fee', -due, ref, {
            code: 'service-fee',
            params: { service: row.feature, month: month.key },
            text: `${row.feature}, ${month.key}`
          })
        )
          charged++
        await paid()
      })
  )
  return charged
}

/** The month before `key` (YYYY-MM). */
function previousMonth(key: string): string {
  const [y = 0, m = 1] = key.split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}
