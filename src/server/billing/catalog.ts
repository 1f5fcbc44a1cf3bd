/**
 * The catalog: plans as versioned rows (`code@version`), never edited in place. A new price is a new version;
 * the old one is retired and keeps serving the subscriptions made on it. The embedded default seeds a small
 * catalog on first start: line service by the month, year and five years (magicJack-style prepaid coverage),
 * two monthly tariffs billed from the balance (Mega-Line-style, fixed-30-day proration), an international
 * minutes pack.
 */
import { type RawBuilder, sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { PlansTable } from '../db/schema-billing'
import { notFound } from '../http/errors'

type PlanSeed = Omit<PlansTable, 'id' | 'version' | 'published_at' | 'retired_at'>

export const SEED_PLANS: readonly PlanSeed[] = [
  {
    code: 'line-1m',
    name: 'Line service, monthly',
    kind: 'line_service',
    interval: 'month',
    interval_count: 1,
    price_minor: 499,
    currency: 'USD',
    auto_renew_eligible: 1,
    proration: 'seconds',
    change_policy: 'end_of_term',
    min_effective_delay_days: 0,
    minutes: null
  },
  {
    code: 'line-1y',
    name: 'Line service, 1 year',
    kind: 'line_service',
    interval: 'year',
    interval_count: 1,
    price_minor: 3500,
    currency: 'USD',
    auto_renew_eligible: 1,
    proration: 'actual_days',
    change_policy: 'end_of_term',
    min_effective_delay_days: 0,
    minutes: null
  },
  {
    code: 'line-5y',
    name: 'Line service, 5 years',
    kind: 'line_service',
    interval: 'year',
    interval_count: 5,
    price_minor: 10000,
    currency: 'USD',
    auto_renew_eligible: 0,
    proration: 'actual_days',
    change_policy: 'end_of_term',
    min_effective_delay_days: 0,
    minutes: null
  },
  {
    code: 'home-basic',
    name: 'Home Basic (monthly, from balance)',
    kind: 'monthly_tariff',
    interval: 'month',
    interval_count: 1,
    price_minor: 1100,
    currency: 'USD',
    auto_renew_eligible: 0,
    proration: 'fixed_30',
    change_policy: 'immediate',
    min_effective_delay_days: 1,
    minutes: null
  },
  {
    code: 'home-plus',
    name: 'Home Plus (monthly, from balance)',
    kind: 'monthly_tariff',
    interval: 'month',
    interval_count: 1,
    price_minor: 1500,
    currency: 'USD',
    auto_renew_eligible: 0,
    proration: 'fixed_30',
    change_policy: 'immediate',
    min_effective_delay_days: 1,
    minutes: null
  },
  {
    code: 'intl-100',
    name: 'International minutes: 100 for 30 days',
    kind: 'intl_minutes',
    interval: 'month',
    interval_count: 1,
    price_minor: 500,
    currency: 'USD',
    auto_renew_eligible: 0,
    proration: 'seconds',
    change_policy: 'immediate',
    min_effective_delay_days: 0,
    minutes: 100
  }
]

export const planId = (code: string, version: number): string => `${code}@${version}`

export async function seedCatalog(ctx: ServiceContext): Promise<void> {
  const now = ctx.clock.now().toISOString()
  for (const p of SEED_PLANS) {
    const exists = await ctx.db.selectFrom('plans').select('id').where('code', '=', p.code).executeTakeFirst()
    if (exists) continue
    await ctx.db
      .insertInto('plans')
      .values({ ...p, id: planId(p.code, 1), version: 1, published_at: now, retired_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/** Plans on sale now (one version per code). */
export function currentPlans(ctx: ServiceContext): Promise<PlansTable[]> {
  return ctx.db.selectFrom('plans').selectAll().where('retired_at', 'is', null).orderBy('code').execute()
}

export async function getPlan(ctx: ServiceContext, id: string): Promise<PlansTable> {
  const plan = await ctx.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst()
  if (!plan) throw notFound('plan-not-found', 'the plan')
  return plan
}

/** A plan on sale now, for new purchases; a retired version is refused with the reason. */
export async function plansOnSale(ctx: ServiceContext, id: string): Promise<PlansTable> {
  const plan = await getPlan(ctx, id)
  if (plan.retired_at !== null)
    throw notFound('plan-replaced', `the plan ${id} (it was replaced by a newer version; reload the plans)`)
  return plan
}

/** Publishes a new version of a plan: the old version is retired, never changed. Answers the new row. */
export async function publishPlanVersion(
  ctx: ServiceContext,
  code: string,
  changes: Partial<
    Pick<PlansTable, 'name' | 'price_minor' | 'auto_renew_eligible' | 'min_effective_delay_days'>
  >
): Promise<PlansTable> {
  const now = ctx.clock.now().toISOString()
  const current = await ctx.db
    .selectFrom('plans')
    .selectAll()
    .where('code', '=', code)
    .where('retired_at', 'is', null)
    .executeTakeFirst()
  if (!current) throw notFound('plan-not-found', `the plan ${code}`)
  const next: PlansTable = {
    ...current,
    ...changes,
    id: planId(code, current.version + 1),
    version: current.version + 1,
    published_at: now,
    retired_at: null
  }
  await ctx.db.updateTable('plans').set({ retired_at: now }).where('id', '=', current.id).execute()
  await ctx.db.insertInto('plans').values(next).execute()
  return next
}

/** Price per year, to tell an upgrade from a downgrade across intervals (Lago classifies this way). */
export const annualized = (p: Pick<PlansTable, 'price_minor' | 'interval' | 'interval_count'>): number =>
  p.interval === 'year' ? p.price_minor / p.interval_count : (p.price_minor * 12) / p.interval_count

/** How many months one purchase of a plan covers. */
export const planMonths = (p: Pick<PlansTable, 'interval' | 'interval_count'>): number =>
  p.interval === 'year' ? 12 * p.interval_count : p.interval_count

/** planMonths in SQL, of the plans row under `table` (for a query that selects by the plan's length). */
export function planMonthsSql(table: string): RawBuilder<number> {
  const [interval, count] = [sql.ref(`${table}.interval`), sql.ref(`${table}.interval_count`)]
  return sql<number>`CASE WHEN ${interval} = 'year' THEN 12 * ${count} ELSE ${count} END`
}
