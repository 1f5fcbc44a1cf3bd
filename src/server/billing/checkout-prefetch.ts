/**
 * What checkout reads before the charge, for a lone renewal paid with a saved card (issue 24 goal 8), in one
 * statement: the order a request with this key left (to resume it), the line's pricing facts (renewal-facts.ts)
 * and the card. On PostgreSQL the same statement claims the request's idempotency key first (a data-modifying CTE,
 * the INSERT idempotency.ts would send), so the whole is one round trip; the reads see the database as of that
 * statement, as the separate reads after the claim did. SQLite cannot write in a CTE: there idempotency.ts claims
 * the key right after this read (both in-process; what a statement costs there is its own work, not a round trip).
 */
import { type Insertable, sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { IdempotencyKeysTable, PaymentMethodsTable } from '../db/schema-billing'
import { runCompiledOnce } from './compiled-once'
import { type PricingRow, pricingSelect } from './renewal-facts'

export interface RenewalPrefetch {
  /** PostgreSQL: whether this statement claimed the key (false: it was taken); undefined: not claimed here. */
  readonly claimed: boolean | undefined
  readonly existingOrderId: string | null
  /** The pricing statement's row (undefined: the line is not this account's; pricingFromRow words why). */
  readonly row: PricingRow | undefined
  /** The account's card by that id, not removed (undefined: none). */
  readonly method: PaymentMethodsTable | undefined
}

/** The claim's columns, each a value of the compiled statements below. */
type ClaimSlots = { readonly [k in keyof Insertable<IdempotencyKeysTable> as `claim_${k}`]-?: unknown }
type Values = {
  accountId: unknown
  lineId: unknown
  planId: unknown
  methodId: unknown
  key: unknown
} & ClaimSlots

/** The three reads, built on `db` from the values given (the placeholders of compiled-once.ts, or real values). */
function reads(db: ServiceContext['db'], v: { readonly [k in keyof Values]: string }) {
  return {
    existing: db
      .selectFrom('checkout_orders')
      .select('checkout_orders.id')
      .where('checkout_orders.account_id', '=', v.accountId)
      .where('checkout_orders.idempotency_key', '=', v.key),
    method: db
      .selectFrom('payment_methods')
      .selectAll()
      .where('payment_methods.id', '=', v.methodId)
      .where('payment_methods.account_id', '=', v.accountId)
      .where('payment_methods.removed_at', 'is', null),
    pricing: pricingSelect(db, v.accountId, v.lineId, v.planId)
  }
}

export async function prefetchRenewal(
  ctx: ServiceContext,
  accountId: string,
  item: { lineId: string; planId: string },
  methodId: string,
  claim: Insertable<IdempotencyKeysTable>
): Promise<RenewalPrefetch> {
  const values = {
    accountId,
    lineId: item.lineId,
    planId: item.planId,
    methodId,
    key: claim.key,
    ...(Object.fromEntries(Object.entries(claim).map(([k, v]) => [`claim_${k}`, v])) as ClaimSlots)
  }
  const claimOf = (v: { readonly [k in keyof Values]: string }) =>
    Object.fromEntries(
      Object.keys(claim).map((k) => [k, v[`claim_${k}` as keyof Values]])
    ) as unknown as Insertable<IdempotencyKeysTable>
  if (ctx.dialect === 'postgres') {
    // One row whatever exists; the pricing row and the card as JSON (their columns are text and integers).
    const res = await runCompiledOnce(ctx, 'renewal-prefetch', values, (v) => {
      const { existing, method, pricing } = reads(ctx.db, v)
      return ctx.db
        .with('claim', (db) =>
          db
            .insertInto('idempotency_keys')
            .values(claimOf(v))
            .onConflict((oc) => oc.doNothing())
            .returning('key')
        )
        .selectNoFrom([
          sql<string>`(SELECT count(*) FROM claim)`.as('claimed'),
          existing.as('existing_order_id'),
          sql<PricingRow | null>`(SELECT row_to_json(f) FROM (${pricing}) f)`.as('facts'),
          sql<PaymentMethodsTable | null>`(SELECT row_to_json(m) FROM (${method}) m)`.as('method')
        ])
    })
    const r = res.rows[0]
    if (!r) throw new Error('the renewal prefetch returned no row')
    return {
      claimed: Number(r.claimed) === 1,
      existingOrderId: r.existing_order_id,
      row: r.facts ?? undefined,
      method: r.method ?? undefined
    }
  }
  // SQLite: the pricing row with the other two beside it; without a row (not this account's line, an error
  // anyway) the resumable order is read on its own.
  const row = (
    await runCompiledOnce(ctx, 'renewal-prefetch', values, (v) => {
      const { existing, pricing } = reads(ctx.db, v)
      return pricing
        .leftJoin('payment_methods as pm', (j) =>
          j.on('pm.id', '=', v.methodId).on('pm.account_id', '=', v.accountId).on('pm.removed_at', 'is', null)
        )
        .select([
          'pm.id as pm_id',
          'pm.account_id as pm_account_id',
          'pm.gateway_token as pm_gateway_token',
          'pm.brand as pm_brand',
          'pm.last4 as pm_last4',
          'pm.exp_month as pm_exp_month',
          'pm.exp_year as pm_exp_year',
          'pm.is_default as pm_is_default',
          'pm.created_at as pm_created_at',
          'pm.removed_at as pm_removed_at'
        ])
        .select(existing.as('existing_order_id'))
    })
  ).rows[0]
  if (!row)
    return {
      claimed: undefined,
      existingOrderId: (await reads(ctx.db, values as never).existing.executeTakeFirst())?.id ?? null,
      row: undefined,
      method: undefined
    }
  const {
    existing_order_id,
    pm_id,
    pm_account_id,
    pm_gateway_token,
    pm_brand,
    pm_last4,
    pm_exp_month,
    pm_exp_year,
    pm_is_default,
    pm_created_at,
    pm_removed_at,
    ...pricingRow
  } = row
  return {
    claimed: undefined,
    existingOrderId: existing_order_id,
    row: pricingRow,
    method:
      pm_id === null
        ? undefined
        : ({
            id: pm_id,
            account_id: pm_account_id,
            gateway_token: pm_gateway_token,
            brand: pm_brand,
            last4: pm_last4,
            exp_month: pm_exp_month,
            exp_year: pm_exp_year,
            is_default: pm_is_default,
            created_at: pm_created_at,
            removed_at: pm_removed_at
          } as PaymentMethodsTable)
  }
}
