/**
 * Promotion campaigns from the operators' side (issue 20): create (an operator's code, or an unguessable one the
 * service makes), list, show with the redemptions and what became of each discount, and end. Granting happens at
 * the subscriber's checkout (src/server/billing/promotions.ts); ending a campaign stops its code, and discounts
 * already granted keep following seed 004's rules.
 */
import type { z } from 'zod'
import type { promotionView } from '../../shared/ops/routes-promotions'
import type { ServiceContext } from '../context'
import type { PromotionAudience, PromotionEligibility, PromotionsTable } from '../db/schema-promotions'
import { conflict, invalid, notFound } from '../http/errors'
import { crockfordCode, newId } from '../secrets'
import type { OpsActor } from './actor'

type View = z.input<typeof promotionView>

/** 12 Crockford characters (60 bits) in groups of four, read aloud without confusion. */
function generatedCode(): string {
  const c = crockfordCode(12)
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`
}

export function promotionOut(p: PromotionsTable, now: Date): View {
  const at = now.toISOString()
  const state =
    p.state === 'ended' ? 'ended' : at < p.starts_at ? 'scheduled' : at >= p.ends_at ? 'expired' : 'running'
  return {
    id: p.id,
    code: p.code,
    kind: p.kind,
    percentOff: p.percent_off,
    startsAt: p.starts_at,
    endsAt: p.ends_at,
    eligible: p.eligible,
    audience: p.audience,
    limit: p.max_grants,
    used: p.grants,
    state,
    createdAt: p.created_at,
    createdBy: p.created_by,
    endedAt: p.ended_at
  }
}

export async function createPromotion(
  ctx: ServiceContext,
  spec: {
    code?: string | undefined
    kind: 'half_price_for_life'
    startsAt: string
    endsAt: string
    eligible: PromotionEligibility
    audience: PromotionAudience
    limit?: number | undefined
  },
  by: OpsActor
): Promise<View> {
  const starts = new Date(spec.startsAt)
  const ends = new Date(spec.endsAt)
  if (ends <= starts) throw invalid('endsAt', 'the campaign must end after it starts', 'invalid-input')
  if (ends <= ctx.clock.now()) throw invalid('endsAt', 'the campaign must end in the future', 'invalid-input')
  const row: PromotionsTable = {
    id: newId('prm'),
    code: spec.code ?? generatedCode(),
    kind: spec.kind,
    percent_off: 50,
    starts_at: starts.toISOString(),
    ends_at: ends.toISOString(),
    eligible: spec.eligible,
    audience: spec.audience,
    max_grants: spec.limit ?? null,
    grants: 0,
    state: 'active',
    created_by: by.id,
    created_at: ctx.clock.now().toISOString(),
    ended_at: null,
    ended_by: null
  }
  const made = await ctx.db
    .insertInto('promotions')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst()
  if (Number(made.numInsertedOrUpdatedRows ?? 0n) !== 1)
    throw conflict('promotion-exists', `a campaign with the code ${row.code} exists already`)
  return promotionOut(row, ctx.clock.now())
}

export async function listPromotions(ctx: ServiceContext): Promise<View[]> {
  const rows = await ctx.db.selectFrom('promotions').selectAll().orderBy('created_at', 'desc').execute()
  return rows.map((r) => promotionOut(r, ctx.clock.now()))
}

async function byCode(ctx: ServiceContext, code: string): Promise<PromotionsTable> {
  const row = await ctx.db.selectFrom('promotions').selectAll().where('code', '=', code).executeTakeFirst()
  if (!row) throw notFound('promotion-not-found', `the campaign ${code}`)
  return row
}

export async function showPromotion(ctx: ServiceContext, code: string) {
  const p = await byCode(ctx, code)
  const now = ctx.clock.now().toISOString()
  const rows = await ctx.db
    .selectFrom('promotion_redemptions as r')
    .leftJoin('discount_grants as g', 'g.id', 'r.discount_grant_id')
    .select([
      'r.account_id',
      'r.line_id',
      'r.order_id',
      'r.status',
      'r.created_at',
      'r.granted_at',
      'g.id as grant_id',
      'g.ends_at',
      'g.ended_reason'
    ])
    .where('r.promotion_id', '=', p.id)
    .orderBy('r.created_at')
    .execute()
  const redemptions = rows.map((r) => ({
    accountId: r.account_id,
    lineId: r.line_id,
    orderId: r.order_id,
    status: r.status,
    at: r.granted_at ?? r.created_at,
    discount: !r.grant_id
      ? null
      : r.ends_at === null
        ? ('active' as const)
        : r.ends_at > now
          ? ('ending' as const)
          : ('ended' as const),
    endedReason: r.ended_reason ?? null
  }))
  const count = (d: 'active' | 'ending' | 'ended') => redemptions.filter((r) => r.discount === d).length
  return {
    promotion: promotionOut(p, ctx.clock.now()),
    granted: redemptions.filter((r) => r.status === 'granted').length,
    reserved: redemptions.filter((r) => r.status === 'reserved').length,
    discounts: { active: count('active'), ending: count('ending'), ended: count('ended') },
    redemptions
  }
}

/** Ends a campaign now (once): the code stops working; granted discounts stay. */
export async function endPromotion(
  ctx: ServiceContext,
  code: string,
  by: OpsActor
): Promise<{ before: View; after: View }> {
  const p = await byCode(ctx, code)
  const now = ctx.clock.now().toISOString()
  const ended = await ctx.db
    .updateTable('promotions')
    .set({ state: 'ended', ended_at: now, ended_by: by.id })
    .where('id', '=', p.id)
    .where('state', '=', 'active')
    .executeTakeFirst()
  if (Number(ended.numUpdatedRows) !== 1)
    throw conflict('promotion-ended', `the campaign ${code} was ended already (${p.ended_at ?? ''})`)
  return {
    before: promotionOut(p, ctx.clock.now()),
    after: promotionOut({ ...p, state: 'ended', ended_at: now, ended_by: by.id }, ctx.clock.now())
  }
}
