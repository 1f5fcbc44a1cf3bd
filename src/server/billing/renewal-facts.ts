/**
 * What a renewal must know about a line, each in ONE statement instead of six (issue 24 goal 8: a renewal's cost
 * is mostly its round trips). `pricingFacts` before the charge: the line (of this account; for one without a
 * number also its label and dongle's serial, which name it in its receipt), the plan bought, the line's
 * paid-through, its subscription's lease, the plan it is on now and its newest discount grant.
 * `fulfilFacts` inside the fulfilment's transaction: the same line held (lockLine, which every writer of a line's
 * coverage takes), then its subscription, the interval of the plan it is on and its paid-through, read under that
 * lock so two renewals never stack on the same paid-through.
 */
import type { QueryCreator } from 'kysely'
import type { ServiceContext } from '../context'
import type { Database } from '../db/schema'
import type { DiscountGrantsTable, PlansTable, SubscriptionsTable } from '../db/schema-billing'
import { notFound } from '../http/errors'
import { plansOnSale } from './catalog'
import { lockLine } from './coverage'

/** The fields of a discount grant that price a charge (discounts.ts). */
export type GrantTerms = Pick<DiscountGrantsTable, 'percent_off' | 'starts_at' | 'ends_at'>

export interface PricingFacts {
  readonly plan: PlansTable
  /** label and serial (its dongle's) name a line without a number in its receipt; serial is null with a number. */
  readonly line: {
    id: string
    status: string
    phone_number: string | null
    label: string | null
    serial: string | null
  }
  readonly paidThrough: Date | null
  readonly renewalLeaseUntil: string | null
  /** The plan the line's subscription is on now; null without a subscription. */
  readonly subscriptionPlanId: string | null
  /** The interval of the plan the line's subscription is on; null without a subscription. */
  readonly currentInterval: PlansTable['interval'] | null
  readonly grant: GrantTerms | undefined
  /** The account's message language (accounts.language, raw): read here so the receipt costs no statement. */
  readonly language: string | null
}

/** One statement: the line of `accountId` with the plan bought beside it; errors as plansOnSale and ownLine give. */
export async function pricingFacts(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  planId: string
): Promise<PricingFacts> {
  return pricingFromRow(
    ctx,
    await pricingSelect(ctx.db, accountId, lineId, planId).executeTakeFirst(),
    planId
  )
}

/** The pricing statement, built on `qc` (the database, or a query with the request's claim in front). */
export function pricingSelect(qc: QueryCreator<Database>, accountId: string, lineId: string, planId: string) {
  return qc
    .selectFrom('lines')
    .leftJoin('plans as p', (j) => j.on('p.id', '=', planId))
    .leftJoin('subscriptions as s', 's.line_id', 'lines.id')
    .leftJoin('plans as cur', 'cur.id', 's.plan_id')
    .selectAll('p')
    .select([
      'lines.id as line_id',
      'lines.status as line_status',
      'lines.phone_number as line_phone_number',
      'lines.label as line_label',
      's.renewal_lease_until as sub_lease',
      's.plan_id as sub_plan_id',
      'cur.interval as cur_interval'
    ])
    .select((eb) => [
      // What names a line without a number in its receipt (notices.ts): its dongle's serial, read only then.
      eb
        .case()
        .when('lines.phone_number', 'is', null)
        .then(
          eb.selectFrom('devices').select('devices.serial').whereRef('devices.id', '=', 'lines.device_id')
        )
        .end()
        .as('line_serial'),
      // The language the receipt is worded in, with the read the renewal makes anyway.
      eb
        .selectFrom('accounts')
        .select('accounts.language')
        .whereRef('accounts.id', '=', 'lines.account_id')
        .as('account_language'),
      eb
        .selectFrom('coverage_grants')
        .select((g) => g.fn.max('ends_at').as('m'))
        .whereRef('coverage_grants.line_id', '=', 'lines.id')
        .where('voided_at', 'is', null)
        .as('paid_through'),
      // The newest grant of the subscription (currentDiscount's order), one column at a time.
      ...(['percent_off', 'starts_at', 'ends_at'] as const).map((c) =>
        eb
          .selectFrom('discount_grants as d')
          .select(`d.${c}`)
          .whereRef('d.subscription_id', '=', 's.id')
          .orderBy('d.starts_at', 'desc')
          .limit(1)
          .as(`grant_${c}`)
      )
    ])
    .where('lines.id', '=', lineId)
    .where('lines.account_id', '=', accountId)
}

export type PricingRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof pricingSelect>['executeTakeFirst']>>
>

/** PricingFacts from the pricing statement's row (none: the line is not this account's), with its errors. */
export async function pricingFromRow(
  ctx: ServiceContext,
  row: PricingRow | undefined,
  planId: string
): Promise<PricingFacts> {
  // No row: the line is not this account's. The plan's own error comes first, as it did.
  if (!row) {
    await plansOnSale(ctx, planId)
    throw notFound('line-not-found', 'the line')
  }
  const {
    line_id,
    line_status,
    line_phone_number,
    line_label,
    line_serial,
    sub_lease,
    sub_plan_id,
    cur_interval,
    paid_through,
    grant_percent_off,
    grant_starts_at,
    grant_ends_at,
    account_language,
    ...planColumns
  } = row
  if (planColumns.id === null) throw notFound('plan-not-found', 'the plan')
  const plan = planColumns as PlansTable
  if (plan.retired_at !== null) await plansOnSale(ctx, planId) // throws plan-replaced, worded in one place
  return {
    plan,
    line: {
      id: line_id,
      status: line_status,
      phone_number: line_phone_number,
      label: line_label,
      serial: line_serial ?? null
    },
    paidThrough: paid_through ? new Date(paid_through) : null,
    renewalLeaseUntil: sub_lease,
    subscriptionPlanId: sub_plan_id,
    currentInterval: cur_interval,
    language: account_language ?? null,
    grant:
      grant_percent_off !== null && grant_starts_at !== null
        ? ({
            percent_off: grant_percent_off,
            starts_at: grant_starts_at,
            ends_at: grant_ends_at
          } as GrantTerms)
        : undefined
  }
}

export interface FulfilFacts {
  readonly plan: Pick<PlansTable, 'id' | 'interval' | 'interval_count' | 'auto_renew_eligible'>
  readonly subscription: SubscriptionsTable | undefined
  readonly currentInterval: PlansTable['interval'] | null
  readonly paidThrough: Date | null
  /** The account's message language (accounts.language, raw), for the receipt: no statement of its own. */
  readonly language: string | null
}

/**
 * Inside the fulfilment's transaction: the line held, then its subscription and paid-through in one statement.
 * On PostgreSQL the lock is a statement of its own on purpose: a statement that waited for a row lock still reads
 * the other tables as of its own start (READ COMMITTED), so a paid-through read beside the FOR UPDATE would miss
 * the grant of the renewal it waited for. The read after the lock sees it.
 */
export async function fulfilFacts(tx: ServiceContext, lineId: string, planId: string): Promise<FulfilFacts> {
  await lockLine(tx, lineId)
  const row = await tx.db
    .selectFrom('lines')
    .leftJoin('subscriptions as s', 's.line_id', 'lines.id')
    .leftJoin('plans as cur', 'cur.id', 's.plan_id')
    .selectAll('s')
    .select(['lines.id as held_line_id', 'cur.interval as cur_interval'])
    // What fulfilment needs of the plan bought (a plan row never changes but for retired_at: catalog.ts).
    .leftJoin('plans as np', (j) => j.on('np.id', '=', planId))
    .select([
      'np.id as plan_id_bought',
      'np.interval as plan_interval',
      'np.interval_count as plan_interval_count',
      'np.auto_renew_eligible as plan_auto_renew_eligible'
    ])
    .select((eb) => [
      eb
        .selectFrom('coverage_grants')
        .select((g) => g.fn.max('ends_at').as('m'))
        .whereRef('coverage_grants.line_id', '=', 'lines.id')
        .where('voided_at', 'is', null)
        .as('paid_through'),
      eb
        .selectFrom('accounts')
        .select('accounts.language')
        .whereRef('accounts.id', '=', 'lines.account_id')
        .as('account_language')
    ])
    .where('lines.id', '=', lineId)
    .executeTakeFirst()
  if (!row) throw notFound('line-not-found', 'the line')
  const {
    held_line_id: _held,
    cur_interval,
    paid_through,
    plan_id_bought,
    plan_interval,
    plan_interval_count,
    plan_auto_renew_eligible,
    account_language,
    ...s
  } = row
  if (plan_id_bought === null || plan_interval === null) throw notFound('plan-not-found', 'the plan')
  return {
    plan: {
      id: plan_id_bought,
      interval: plan_interval,
      interval_count: plan_interval_count ?? 1,
      auto_renew_eligible: plan_auto_renew_eligible ?? 0
    },
    subscription: s.id === null ? undefined : (s as unknown as SubscriptionsTable),
    currentInterval: cur_interval,
    paidThrough: paid_through ? new Date(paid_through) : null,
    language: account_language ?? null
  }
}
