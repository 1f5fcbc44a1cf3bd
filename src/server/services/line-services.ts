/**
 * A line's connected services (issue 25 part 1): the catalog with this line's state, a switch's price before it
 * is confirmed, the switch itself and its history (the monthly fees job: ./service-fees.ts).
 *
 * Fees follow the tariffs' rule (seed 003, `fixed_30` in ../billing/proration.ts, exact integers): switching a
 * paid service on charges the rest of this month at once (remaining days including today over 30) and needs the
 * balance to cover it; switching it off gives back the same share of what this month was charged at, so on and
 * off the same day nets exactly zero; from then on each month's whole fee is charged on its first job run, or the
 * service switched off when the balance does not cover it.
 *
 * Races: a switch runs in one transaction under the line's lock and changes nothing when the line already has
 * the asked state, so two identical switches at once make one change and one charge; the app's idempotency key
 * makes a retried request answer the first one's result. Kamailio reads the state per call through the view
 * `kamailio_services` (resources/kamailio/services.cfg): a switch takes effect with the next call.
 */
import {
  SERVICE_FEATURE_RULES,
  type LineServiceView,
  type LineServices,
  type ServiceFeature,
  type ServiceOffReason,
  type SwitchPreview
} from '../../shared/api/services'
import { type ServiceContext, inTransaction } from '../context'
import type { ServiceCatalogTable } from '../db/schema-services'
import { conflict, notFound } from '../http/errors'
import { ownLine } from '../numbers/own-line'
import { newId } from '../secrets'
import {
  CURRENCY,
  accountZone,
  balanceOf,
  balanceTooLow,
  postEntry,
  spendableBalance
} from '../billing/balance'
import { lockAccount } from '../account-lock'
import { lockLine } from '../billing/coverage'
import { idempotent } from '../billing/idempotency'
import {
  applyFraction,
  firstOfMonth,
  firstOfNextMonth,
  localDate,
  remainingFraction,
  startOfLocalDay
} from '../billing/proration'

type LineRow = {
  feature: ServiceFeature
  code: string
  enabled: number
  updated_at: string
  off_reason: ServiceOffReason | null
}

const money = (amountMinor: number) => ({ amountMinor, currency: CURRENCY })

/** The catalog a person sees: what is offered, and retired entries a line still has switched on. */
async function catalog(ctx: ServiceContext): Promise<ServiceCatalogTable[]> {
  return ctx.db.selectFrom('service_catalog').selectAll().orderBy('created_at').orderBy('code').execute()
}

/** Features whose state comes from elsewhere: forwarding rules set, minutes packs left. */
async function derivedState(ctx: ServiceContext, accountId: string, lineId: string) {
  const fwd = await ctx.db
    .selectFrom('line_forwarding')
    .select(['always_to', 'busy_to', 'no_answer_to', 'unavailable_to'])
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  const packs = await ctx.db
    .selectFrom('minute_packs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .whereRef('used', '<', 'minutes')
    .executeTakeFirst()
  return {
    forwarding: !!fwd && [fwd.always_to, fwd.busy_to, fwd.no_answer_to, fwd.unavailable_to].some((t) => t),
    'minutes-packs': !!packs
  } as Partial<Record<ServiceFeature, boolean>>
}

export async function listLineServices(
  ctx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<LineServices> {
  await ownLine(ctx, accountId, lineId)
  const [entries, rows, derived] = await Promise.all([
    catalog(ctx),
    ctx.db
      .selectFrom('line_services')
      .select(['feature', 'code', 'enabled', 'updated_at', 'off_reason'])
      .where('line_id', '=', lineId)
      .execute() as Promise<LineRow[]>,
    derivedState(ctx, accountId, lineId)
  ])
  const byFeature = new Map(rows.map((r) => [r.feature, r]))
  const services: LineServiceView[] = []
  for (const c of entries) {
    const row = byFeature.get(c.feature)
    const rules = SERVICE_FEATURE_RULES[c.feature]
    const enabled = rules.switchable
      ? row
        ? row.enabled === 1
        : c.default_on === 1
      : (derived[c.feature] ?? true)
    // A retired entry is listed only while the line still has it on with that code.
    if (c.retired_at && !(enabled && row?.code === c.code)) continue
    services.push({
      code: c.code,
      feature: c.feature,
      monthlyFee: money(c.price_minor),
      free: c.price_minor === 0,
      switchable: rules.switchable,
      conditions: [...rules.conditions],
      enabled,
      // Switched off by the service: said on the feature's row, whichever entry offers it now.
      since: row && (row.code === c.code || (!enabled && row.off_reason)) ? row.updated_at : null,
      retired: c.retired_at !== null,
      offReason: !enabled && row ? row.off_reason : null
    })
  }
  const monthlyTotal = services.filter((s) => s.enabled).reduce((sum, s) => sum + s.monthlyFee.amountMinor, 0)
  return { lineId, services, monthlyTotal: money(monthlyTotal) }
}

/** The month this instant is in, in the account's time zone, as the proration period. */
export function monthOf(now: Date, tz: string) {
  const today = localDate(now, tz)
  return {
    today,
    key: today.slice(0, 7),
    next: firstOfNextMonth(today),
    period: {
      start: startOfLocalDay(firstOfMonth(today), tz),
      end: startOfLocalDay(firstOfNextMonth(today), tz)
    }
  }
}

interface Plan {
  readonly entry: ServiceCatalogTable
  readonly unchanged: boolean
  readonly chargeMinor: number
  readonly creditMinor: number
  readonly month: ReturnType<typeof monthOf>
  /** The price the month is charged at after the switch (on), or null (off). */
  readonly feePrice: number | null
}

/** What switching `code` to `enabled` would do now; refuses what cannot be switched. */
async function planSwitch(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  code: string,
  enabled: boolean
): Promise<Plan> {
  const line = await ownLine(ctx, accountId, lineId)
  const entry = await ctx.db
    .selectFrom('service_catalog')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
  if (!entry) throw notFound('service-not-found', 'the service')
  if (!SERVICE_FEATURE_RULES[entry.feature].switchable)
    throw conflict('service-not-switchable', 'this service is not switched on and off here')
  if (line.status === 'closed') throw conflict('line-closed', 'this line is closed')
  const row = await ctx.db
    .selectFrom('line_services')
    .selectAll()
    .where('line_id', '=', lineId)
    .where('feature', '=', entry.feature)
    .executeTakeFirst()
  const current = row ? row.enabled === 1 : entry.default_on === 1
  const zone = await accountZone(ctx, accountId)
  const month = monthOf(ctx.clock.now(), zone)
  if (enabled && entry.retired_at) throw conflict('service-retired', 'this service is no longer offered')
  if (current === enabled)
    return { entry, unchanged: true, chargeMinor: 0, creditMinor: 0, month, feePrice: null }
  const share = remainingFraction('fixed_30', month.period, ctx.clock.now(), zone)
  if (enabled) {
    const chargeMinor = applyFraction(entry.price_minor, share)
    return { entry, unchanged: false, chargeMinor, creditMinor: 0, month, feePrice: entry.price_minor }
  }
  // Off: back the unused share of what this month was charged at (nothing when this month was not charged), never
  // more than the month took: the share is counted in today's zone, the charge may have been in another.
  const thisMonth = row?.fee_month === month.key
  const price = thisMonth ? (row.fee_price_minor ?? 0) : 0
  const took = thisMonth ? (row.fee_paid_minor ?? Number.POSITIVE_INFINITY) : 0
  return {
    entry,
    unchanged: false,
    chargeMinor: 0,
    creditMinor: Math.min(applyFraction(price, share), took),
    month,
    feePrice: null
  }
}

export async function previewSwitch(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  code: string,
  enabled: boolean
): Promise<SwitchPreview> {
  const p = await planSwitch(ctx, accountId, lineId, code, enabled)
  return {
    code,
    enabled,
    unchanged: p.unchanged,
    charge: money(p.chargeMinor),
    credit: money(p.creditMinor),
    monthlyFee: money(enabled ? p.entry.price_minor : 0),
    effectiveDate: p.month.today,
    nextPeriodDate: p.month.next,
    balance: money(await balanceOf(ctx, accountId))
  }
}

/**
 * When a line's next switch is recorded: now, or strictly after the line's last switch (read under the line's
 * lock), so the history's order is the order of the switches even within one millisecond.
 */
export async function nextSwitchAt(tx: ServiceContext, lineId: string): Promise<string> {
  const last = await tx.db
    .selectFrom('service_switches')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  const lastMs = last?.at ? Date.parse(last.at) : 0
  return new Date(Math.max(tx.clock.now().getTime(), lastMs + 1)).toISOString()
}

export async function switchService(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  req: {
    code: string
    enabled: boolean
    idempotencyKey: string
    expected?: { readonly chargeMinor: number; readonly creditMinor: number } | undefined
  }
): Promise<LineServices> {
  await ownLine(ctx, accountId, lineId)
  await idempotent(
    ctx,
    {
      accountId,
      key: req.idempotencyKey,
      endpoint: 'service-switch',
      // The amounts agreed to are part of the request: the same key with others is another request (409
      // idempotency-mismatch), not a replay of the first answer. Left out when not sent, so a request without them
      // hashes as before.
      request: {
        lineId,
        code: req.code,
        enabled: req.enabled,
        ...(req.expected ? { expected: req.expected } : {})
      }
    },
    async () => {
      await inTransaction(ctx, async (tx) => {
        // The account's balance first, then the line: switches on two lines of one account spend one balance.
        await lockAccount(tx, accountId)
        await lockLine(tx, lineId)
        // Planned again under the lock: a switch that got here first leaves nothing to do.
        const p = await planSwitch(tx, accountId, lineId, req.code, req.enabled)
        if (p.unchanged) return
        // Not what the person agreed to (an operator repriced it since the preview, or a day or a month began):
        // nothing changes, and the app shows the amounts again (attacker review 37, L1).
        const e = req.expected
        if (e && (e.chargeMinor !== p.chargeMinor || e.creditMinor !== p.creditMinor))
          throw conflict('price-changed', 'the amounts differ from the ones shown; look at them again')
        if (p.chargeMinor > 0 && (await spendableBalance(tx, accountId)) < p.chargeMinor)
          throw balanceTooLow('this month’s share')
        const id = newId('svs')
        const now = await nextSwitchAt(tx, lineId)
        const memo = { service: p.entry.feature, month: p.month.key }
        if (p.chargeMinor > 0)
          await postEntry(tx, accountId, 'service_fee', -p.chargeMinor, id, {
            code: 'service-fee',
            params: memo,
            text: `${p.entry.code}, ${p.month.key}`
          })
        if (p.creditMinor > 0)
          await postEntry(tx, accountId, 'service_credit', p.creditMinor, id, {
            code: 'service-unused-days',
            params: memo,
            text: `${p.entry.code}: unused days of ${p.month.key}`
          })
        await recordSwitch(tx, {
          id,
          lineId,
          accountId,
          code: p.entry.code,
          feature: p.entry.feature,
          enabled: req.enabled,
          // On: this month is paid (free services too, so the job has nothing to do); off: nothing is owed.
          feeMonth: req.enabled ? p.month.key : null,
          feePriceMinor: p.feePrice,
          feePaidMinor: req.enabled ? p.chargeMinor : null,
          amountMinor: p.creditMinor - p.chargeMinor,
          at: now,
          reason: null
        })
      })
      return { status: 200, body: null }
    }
  )
  return listLineServices(ctx, accountId, lineId)
}

/** A switch as it is kept: the line's state of the feature, and its row in the history (one transaction). */
export async function recordSwitch(
  tx: ServiceContext,
  sw: {
    readonly id: string
    readonly lineId: string
    readonly accountId: string
    readonly code: string
    readonly feature: ServiceFeature
    readonly enabled: boolean
    /** The month whose fee is paid (YYYY-MM), and the price it was paid at; null when nothing is owed. */
    readonly feeMonth: string | null
    readonly feePriceMinor: number | null
    /** What this month's fee took from the balance: the most a switch off gives back. */
    readonly feePaidMinor: number | null
    /** What the switch charged (negative) or gave back (positive). */
    readonly amountMinor: number
    readonly at: string
    /** Null: the person switched it; else why the service did. */
    readonly reason: ServiceOffReason | null
  }
): Promise<void> {
  const state = {
    code: sw.code,
    enabled: sw.enabled ? 1 : 0,
    fee_month: sw.feeMonth,
    fee_price_minor: sw.feePriceMinor,
    fee_paid_minor: sw.feePaidMinor,
    updated_at: sw.at,
    off_reason: sw.reason
  }
  await tx.db
    .insertInto('line_services')
    .values({ line_id: sw.lineId, feature: sw.feature, ...state })
    .onConflict((oc) => oc.columns(['line_id', 'feature']).doUpdateSet(state))
    .execute()
  await tx.db
    .insertInto('service_switches')
    .values({
      id: sw.id,
      line_id: sw.lineId,
      account_id: sw.accountId,
      code: sw.code,
      feature: sw.feature,
      enabled: sw.enabled ? 1 : 0,
      amount_minor: sw.amountMinor,
      currency: CURRENCY,
      at: sw.at,
      reason: sw.reason
    })
    .execute()
}

export async function switchHistory(ctx: ServiceContext, accountId: string, lineId: string) {
  await ownLine(ctx, accountId, lineId)
  const rows = await ctx.db
    .selectFrom('service_switches')
    .selectAll()
    .where('line_id', '=', lineId)
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute()
  return {
    switches: rows.map((r) => ({
      id: r.id,
      code: r.code,
      feature: r.feature,
      enabled: r.enabled === 1,
      amount: { amountMinor: r.amount_minor, currency: r.currency },
      at: r.at,
      reason: r.reason
    }))
  }
}
