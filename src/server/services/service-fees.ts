/**
 * The monthly fees job of connected services (./line-services.ts has the switches): each paid service switched on
 * is charged its whole monthly fee once a month, on the first run in that month (account time), at the catalog's
 * price then; the ledger's unique source makes a second run a no-op. Only the services whose fee month is not this
 * month are read (billing/due-months.ts), so a pass with nothing due is one or two statements, not a transaction
 * for every paid service switched on every 30 seconds.
 *
 * A month the balance does not cover is not charged: the service is switched off instead (the tariffs' rule,
 * docs/billing.md: nothing runs the balance below zero for a month nobody paid). The line's state keeps why
 * (`off_reason`, shown beside the service with the place to top up), the history's row says the service switched
 * it (`reason`), and the account's preferred address is told (a payment problem: the person's setting for those
 * decides). Switching it on again is the person's ordinary switch, paid from the balance like any other.
 *
 * Each service on its own transaction, the account's balance locked before the line (account-lock.ts): a top-up,
 * a minutes pack or a switch on another line of the account reads the balance this charge leaves.
 */
import type { ServiceFeature } from '../../shared/api/services'
import { type ServiceContext, inTransaction } from '../context'
import { lockAccount } from '../account-lock'
import { CURRENCY, accountZone, postEntry, spendableBalance } from '../billing/balance'
import { lockLine } from '../billing/coverage'
import { monthsNow } from '../billing/due-months'
import { type LineRef, billingNotices, serviceName } from '../billing/notices'
import { eachItem } from '../job-items'
import { notifyPreferred } from '../mail/outbox'
import { newId } from '../secrets'
import { monthOf, nextSwitchAt } from './line-services'

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
            eb.or([eb('ls.fee_month', 'is', null), eb('ls.fee_month', '!=', m.key)])
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
        const month = monthOf(tx.clock.now(), await accountZone(tx, r.account_id))
        const row = await tx.db
          .selectFrom('line_services as ls')
          .innerJoin('service_catalog as c', 'c.code', 'ls.code')
          .innerJoin('lines as l', 'l.id', 'ls.line_id')
          .innerJoin('devices as d', 'd.id', 'l.device_id')
          .select(['ls.enabled', 'ls.fee_month', 'ls.code', 'c.price_minor', 'c.feature'])
          .select(['l.status', 'l.phone_number', 'l.label', 'd.serial'])
          .where('ls.line_id', '=', r.line_id)
          .where('ls.feature', '=', r.feature)
          .executeTakeFirst()
        if (!row || row.enabled !== 1 || row.fee_month === month.key || row.price_minor <= 0) return
        if (row.status !== 'in_service') return
        const balance = await spendableBalance(tx, r.account_id)
        if (balance < row.price_minor) {
          await switchOffUnpaid(tx, r.account_id, r.line_id, row)
          const lineRef: LineRef = row.phone_number ?? { label: row.label, serial: row.serial }
          await notifyPreferred(tx.db, tx.clock, r.account_id, 'service-unpaid', (language) =>
            billingNotices(language).serviceOff(
              lineRef,
              serviceName(language, row.feature),
              tx.clock.now().toISOString(),
              row.price_minor,
              balance,
              CURRENCY
            )
          )
          return
        }
        const ref = `svc:${r.line_id}:${r.feature}:${month.key}`
        if (
          await postEntry(tx, r.account_id, 'service_fee', -row.price_minor, ref, {
            code: 'service-fee',
            params: { service: row.feature, month: month.key },
            text: `${row.feature}, ${month.key}`
          })
        )
          charged++
        await tx.db
          .updateTable('line_services')
          .set({ fee_month: month.key, fee_price_minor: row.price_minor })
          .where('line_id', '=', r.line_id)
          .where('feature', '=', r.feature)
          .execute()
      })
  )
  return charged
}

/** The service off for want of its month, said in the line's state and its history (nothing charged or given). */
async function switchOffUnpaid(
  tx: ServiceContext,
  accountId: string,
  lineId: string,
  row: { readonly code: string; readonly feature: ServiceFeature }
): Promise<void> {
  const now = await nextSwitchAt(tx, lineId)
  await tx.db
    .updateTable('line_services')
    .set({ enabled: 0, fee_month: null, fee_price_minor: null, updated_at: now, off_reason: 'unpaid' })
    .where('line_id', '=', lineId)
    .where('feature', '=', row.feature)
    .execute()
  await tx.db
    .insertInto('service_switches')
    .values({
      id: newId('svs'),
      line_id: lineId,
      account_id: accountId,
      code: row.code,
      feature: row.feature,
      enabled: 0,
      amount_minor: 0,
      currency: CURRENCY,
      at: now,
      reason: 'unpaid'
    })
    .execute()
  // The line's id, never its number (no phone numbers in logs).
  tx.log.info(
    `service-fees: ${row.feature} on line ${lineId} switched off, its month not covered by the balance`
  )
}
