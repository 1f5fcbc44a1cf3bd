/**
 * Re-Up vouchers (research billing.md §3.3, §6): a printed serial and a secret 16-digit PIN from the CSPRNG.
 * The PIN is kept only as HMAC-SHA-256 under the service key (deterministic for lookup, useless offline without
 * the key; a 53-bit PIN is too short for a fast unkeyed hash). Lifecycle:
 *   generated -> inactive (shipped) -> active (sold at the till) -> redeemed | expired;  any non-terminal -> blocked.
 * Only active cards redeem, with one conditional UPDATE, so of two people racing one PIN exactly one wins; every
 * failure gets the same answer ("invalid or already used") and counts against per-account, per-IP and global
 * limits.
 */
import { sql } from 'kysely'
import { createHmac, randomInt } from 'node:crypto'
import type { ServiceContext } from '../context'
import { inTransaction } from '../context'
import type { VoucherState } from '../db/schema-billing'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { ownLine } from '../numbers/own-line'
import { applySync, syncLine } from '../provisioning/lines'
import { newId } from '../secrets'
import { planMonths, plansOnSale } from './catalog'
import { assertWithinCap, extendCoverage, lockLine } from './coverage'
import { idempotent } from './idempotency'
import { ensureSubscription } from './subscriptions'

/** The allowed moves, as data: anything else is refused with the states named. */
export const VOUCHER_TRANSITIONS: Readonly<Record<VoucherState, readonly VoucherState[]>> = {
  generated: ['inactive', 'blocked'],
  inactive: ['active', 'blocked'],
  active: ['redeemed', 'expired', 'blocked'],
  redeemed: [],
  expired: [],
  blocked: []
}

export const canMove = (from: VoucherState, to: VoucherState): boolean =>
  VOUCHER_TRANSITIONS[from].includes(to)

const UNIFORM = 'this code is invalid or has already been used'

export const pinHmac = (key: Buffer, pin: string): string =>
  createHmac('sha256', key).update(`voucher:${pin}`).digest('base64url')

const newPin = (): string => Array.from({ length: 16 }, () => randomInt(10)).join('')

/** Creates a batch; answers the serials and PINs once (they are never readable again). */
export async function createBatch(
  ctx: ServiceContext,
  spec: { name: string; planId: string; size: number; expiresAt: Date }
): Promise<{ batchId: string; cards: { serial: string; pin: string }[] }> {
  if (!Number.isInteger(spec.size) || spec.size < 1 || spec.size > 10_000)
    throw invalid('size', 'a batch holds 1 to 10,000 cards', 'batch-size')
  const plan = await plansOnSale(ctx, spec.planId)
  if (plan.kind !== 'line_service') throw invalid('planId', 'vouchers renew line service', 'wrong-plan-kind')
  const batchId = newId('vb')
  const now = ctx.clock.now().toISOString()
  const cards = Array.from({ length: spec.size }, (_, i) => ({
    serial: `RU${batchId.slice(3, 11).toUpperCase()}${String(i + 1).padStart(5, '0')}`,
    pin: newPin()
  }))
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .insertInto('voucher_batches')
      .values({
        id: batchId,
        name: spec.name,
        plan_id: plan.id,
        size: spec.size,
        expires_at: spec.expiresAt.toISOString(),
        created_at: now
      })
      .execute()
    for (const c of cards)
      await tx.db
        .insertInto('vouchers')
        .values({
          id: newId('vch'),
          batch_id: batchId,
          serial: c.serial,
          pin_hmac: pinHmac(tx.config.serviceKey, c.pin),
          state: 'generated',
          activated_at: null,
          redeemed_by: null,
          redeemed_line: null,
          redeemed_at: null,
          blocked_at: null,
          created_at: now
        })
        .execute()
  })
  return { batchId, cards }
}

async function move(
  ctx: ServiceContext,
  where: { serial?: string; batchId?: string },
  to: VoucherState
): Promise<number> {
  const rows = await ctx.db
    .selectFrom('vouchers')
    .select(['id', 'state', 'serial'])
    .$if(where.serial !== undefined, (q) => q.where('serial', '=', where.serial ?? ''))
    .$if(where.batchId !== undefined, (q) => q.where('batch_id', '=', where.batchId ?? ''))
    .execute()
  if (rows.length === 0) throw notFound('voucher-not-found', 'the voucher')
  if (where.serial !== undefined) {
    const only = rows[0]
    if (only && !canMove(only.state, to))
      throw conflict(
        'voucher-state',
        only.state === to
          ? `card ${only.serial} is ${to} already`
          : `card ${only.serial} is ${only.state}: it cannot become ${to}`
      )
  }
  const now = ctx.clock.now().toISOString()
  const from = (Object.keys(VOUCHER_TRANSITIONS) as VoucherState[]).filter((s) => canMove(s, to))
  const res = await ctx.db
    .updateTable('vouchers')
    .set({
      state: to,
      ...(to === 'active' ? { activated_at: now } : {}),
      ...(to === 'blocked' ? { blocked_at: now } : {})
    })
    .where(
      'id',
      'in',
      rows.map((r) => r.id)
    )
    .where('state', 'in', from)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

/** The batch left the warehouse: its cards exist but cannot be redeemed until sold. */
export const shipBatch = (ctx: ServiceContext, batchId: string) => move(ctx, { batchId }, 'inactive')
/** Sold at the till (point-of-sale activation). */
export const activateAtTill = (ctx: ServiceContext, serial: string) => move(ctx, { serial }, 'active')
/** Stolen or recalled stock: every card of the batch not yet used stops working. */
export const blockBatch = (ctx: ServiceContext, batchId: string) => move(ctx, { batchId }, 'blocked')

/** Job: sold cards past their batch's date expire. */
export async function expireVouchers(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now().toISOString()
  const res = await ctx.db
    .updateTable('vouchers')
    .set({ state: 'expired' })
    // A literal, so both databases read the active cards of expired batches from their index (migration 0035),
    // not every card of every expired batch each pass.
    .where('state', '=', sql.lit('active'))
    .where('batch_id', 'in', (eb) =>
      eb.selectFrom('voucher_batches').select('id').where('expires_at', '<=', now)
    )
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

export async function redeemVoucher(
  ctx: ServiceContext,
  accountId: string,
  req: { idempotencyKey: string; code: string; lineId: string },
  ip: string
): Promise<{ lineId: string; planId: string; paidThrough: string }> {
  await ctx.limiter.hit(
    [LIMITS.voucherPerAccount, accountId],
    [LIMITS.voucherPerIp, ip],
    [LIMITS.voucherGlobal, 'all']
  )
  const line = await ownLine(ctx, accountId, req.lineId)
  if (line.status === 'closed') throw conflict('line-closed', 'this line is closed; it cannot be renewed')
  const pin = req.code.replace(/[\s-]/g, '')
  const answer = await idempotent(
    ctx,
    {
      accountId,
      key: req.idempotencyKey,
      endpoint: 'voucher',
      request: { line: req.lineId, pin: pinHmac(ctx.config.serviceKey, pin) }
    },
    async () => {
      if (!/^\d{16}$/.test(pin)) throw refused()
      const hmac = pinHmac(ctx.config.serviceKey, pin)
      const { result, sync } = await inTransaction(ctx, async (tx) => {
        const now = tx.clock.now().toISOString()
        const voucher = await tx.db
          .selectFrom('vouchers')
          .innerJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
          .select(['vouchers.id', 'voucher_batches.plan_id', 'voucher_batches.expires_at'])
          .where('pin_hmac', '=', hmac)
          .executeTakeFirst()
        if (!voucher || voucher.expires_at <= now) throw refused()
        await lockLine(tx, req.lineId)
        const voucherPlan = await tx.db
          .selectFrom('plans')
          .selectAll()
          .where('id', '=', voucher.plan_id)
          .executeTakeFirstOrThrow()
        // Past the cap the voucher stays unspent (this transaction rolls back).
        await assertWithinCap(tx, req.lineId, planMonths(voucherPlan))
        const taken = await tx.db
          .updateTable('vouchers')
          .set({ state: 'redeemed', redeemed_by: accountId, redeemed_line: req.lineId, redeemed_at: now })
          .where('id', '=', voucher.id)
          .where('state', '=', 'active')
          .executeTakeFirst()
        if (Number(taken.numUpdatedRows) !== 1) throw refused()
        const plan = await tx.db
          .selectFrom('plans')
          .selectAll()
          .where('id', '=', voucher.plan_id)
          .executeTakeFirstOrThrow()
        await ensureSubscription(tx, accountId, req.lineId, plan.id)
        const through = await extendCoverage(
          tx,
          req.lineId,
          { type: 'voucher', id: voucher.id },
          { months: planMonths(plan) }
        )
        await tx.audit.record('voucher.redeemed', {
          accountId,
          ip,
          detail: { line: req.lineId, voucher: voucher.id }
        })
        return {
          result: {
            lineId: req.lineId,
            planId: plan.id,
            paidThrough: (through ?? tx.clock.now()).toISOString()
          },
          sync: await syncLine(tx, req.lineId)
        }
      })
      await applySync(ctx, [sync])
      return { status: 200, body: result }
    }
  ).catch(async (err: unknown) => {
    if (err instanceof ServiceError && err.reason === 'voucher-invalid')
      await ctx.audit.record('voucher.failed', { accountId, ip, detail: { line: req.lineId } })
    throw err
  })
  return answer.body
}

const refused = (): ServiceError =>
  new ServiceError('invalid-input', UNIFORM, {
    reason: 'voucher-invalid',
    issues: [{ path: 'code', code: 'voucher-invalid', message: UNIFORM }]
  })
