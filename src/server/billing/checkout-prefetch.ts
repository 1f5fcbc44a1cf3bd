/**
 * What checkout reads before the charge, for a lone renewal paid with a saved card (issue 24 goal 8), in one
 * statement: whether the request's key is held by an idempotency record or by an order (checkout-keyed.ts: a
 * replay, a retry to resume, or the same key with another request), the line's pricing facts (renewal-facts.ts)
 * and the card. Nothing is claimed here: since migration 0031 the order itself holds the key, so the common
 * renewal writes no `idempotency_keys` row at all.
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { PaymentMethodsTable } from '../db/schema-billing'
import { runCompiledOnce } from './compiled-once'
import { type PricingRow, pricingSelect } from './renewal-facts'

export interface RenewalPrefetch {
  /** An `idempotency_keys` row holds the key (a stored refusal, another endpoint's, an older request's). */
  readonly keyTaken: boolean
  /** The order a request with this key made (a replay, or a retry of a request that died). */
  readonly existingOrderId: string | null
  /** The pricing statement's row (undefined: the line is not this account's; pricingFromRow words why). */
  readonly row: PricingRow | undefined
  /** The account's card by that id, not removed (undefined: none). */
  readonly method: PaymentMethodsTable | undefined
}

type Values = {
  accountId: unknown
  lineId: unknown
  planId: unknown
  methodId: unknown
  key: unknown
}

/** The reads, built on `db` from the values given (the placeholders of compiled-once.ts, or real values). */
function reads(db: ServiceContext['db'], v: { readonly [k in keyof Values]: string }) {
  return {
    keyTaken: db
      .selectFrom('idempotency_keys')
      .select(sql<number>`1`.as('taken'))
      .where('idempotency_keys.account_id', '=', v.accountId)
      .where('idempotency_keys.key', '=', v.key),
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
  key: string
): Promise<RenewalPrefetch> {
  const values = { accountId, lineId: item.lineId, planId: item.planId, methodId, key }
  if (ctx.dialect === 'postgres') {
    // One row whatever exists; the pricing row and the card as JSON (their columns are text and integers).
    const res = await runCompiledOnce(ctx, 'renewal-prefetch', values, (v) => {
      const { keyTaken, existing, method, pricing } = reads(ctx.db, v)
      return ctx.db.selectNoFrom([
        keyTaken.as('key_taken'),
        existing.as('existing_order_id'),
        sql<PricingRow | null>`(SELECT row_to_json(f) FROM (${pricing}) f)`.as('facts'),
        sql<PaymentMethodsTable | null>`(SELECT row_to_json(m) FROM (${method}) m)`.as('method')
      ])
    })
    const r = res.rows[0]
    if (!r) throw new Error('the renewal prefetch returned no row')
    return {
      keyTaken: r.key_taken !== null,
      existingOrderId: r.existing_order_id,
      row: r.facts ?? undefined,
      method: r.method ?? undefined
    }
  }
  // SQLite: the pricing row with the others beside it. Without a row (not this account's line, an error anyway)
  // the general path runs (keyTaken): it prices again, words the refusal and stores it under the key.
  const row = (
    await runCompiledOnce(ctx, 'renewal-prefetch', values, (v) => {
      const { keyTaken, existing, pricing } = reads(ctx.db, v)
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
        .select([keyTaken.as('key_taken'), existing.as('existing_order_id')])
    })
  ).rows[0]
  if (!row) return { keyTaken: true, existingOrderId: null, row: undefined, method: undefined }
  const {
    key_taken,
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
    keyTaken: key_taken !== null,
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
