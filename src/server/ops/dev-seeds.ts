/**
 * The dev stack's demo data (issue 20 item 4), made on the first start of a fresh data folder so a newcomer can
 * try the operators' side and the journeys that need records only operators create: the first admin (through
 * bootstrapAdmin, the path `dialtone-ops bootstrap` takes, so it still enrols with its own password and TOTP), a
 * retail partner with a Re-Up batch created, its PINs taken out once, shipped to it and one card sold at its till,
 * and a web-shop order that online activation matches by number and email. Every step is the service's own
 * function and is written to the ops audit log as the system actor `dev-seeds`.
 *
 * Development mode only: refused in production. Seeds only a database with no operator and no partner yet, so a
 * second start (or a folder someone already runs for real) gets nothing new, and the secrets it answers — the
 * enrolment token and the sold card's PIN — exist only in this one answer, for the launcher to print once.
 */
import type { ServiceContext } from '../context'
import type { OpsActor } from './actor'
import { recordOps } from './audit-log'
import { bootstrapAdmin } from './operators'
import { parseHours } from '../../shared/help/hours'
import { addShop } from '../support/shops'
import { createPartner } from './partners'
import { createOpsBatch, exportPins, shipOpsBatch, tillActivate } from './vouchers-ops'
import { recordOrder } from './webshop'

/** What a newcomer types: fixed, so the docs can name them. */
export const DEV_SEEDS = {
  admin: { email: 'admin@dialtone.test', name: 'Demo admin (development only)' },
  shop: 'Demo corner shop (development only)',
  batch: { name: 'Demo Re-Up cards', plan: 'line-1m', size: 3 },
  order: { orderNumber: 'WEB-DEMO-1', email: 'newcomer@example.test', model: '06e6:c200', includedMonths: 12 }
} as const

const REASON = 'development demo data, made at the first start of the dev stack'
const SYSTEM = { kind: 'system', id: null, label: 'dev-seeds', role: null } as const

export interface DevSeeds {
  readonly admin: { email: string; enrolmentToken: string; enrolmentExpiresAt: string }
  readonly shop: { partnerId: string; name: string }
  readonly card: { batchId: string; serial: string; pin: string; planCode: string; unsold: number }
  readonly order: { orderNumber: string; email: string; model: string; includedMonths: number }
}

/** Seeds a fresh database; null when it is not fresh (someone is, or was, here already). */
export async function seedDevData(ctx: ServiceContext): Promise<DevSeeds | null> {
  if (ctx.config.mode !== 'development')
    throw new Error('demo data is made in development mode only (DIALTONE_MODE=development)')
  const someone =
    (await ctx.db.selectFrom('operators').select('id').executeTakeFirst()) ??
    (await ctx.db.selectFrom('partners').select('id').executeTakeFirst())
  if (someone) return null

  const admin = await bootstrapAdmin(ctx, DEV_SEEDS.admin)
  const by: OpsActor = {
    kind: 'operator',
    id: admin.operator.id,
    label: admin.operator.email,
    name: admin.operator.name,
    role: 'admin',
    partnerId: null,
    sessionId: null,
    expiresAt: null
  }
  const audit = (action: string, target: string, after: unknown) =>
    recordOps(ctx.db, ctx.clock, { actor: SYSTEM, action, target, reason: REASON, outcome: 'ok', after })

  const shop = await createPartner(ctx, { name: DEV_SEEDS.shop, kind: 'retail' })
  await audit('partners-create', shop.id, shop)
  // Its store front, so the app's "Where to buy Re-Up cards" finds something near New York (ZIP 10001).
  const store = await addShop(
    ctx,
    {
      partnerId: shop.id,
      name: DEV_SEEDS.shop,
      street: '350 5th Ave',
      city: 'New York',
      state: 'NY',
      zip: '10001',
      hours: parseHours('mon-sat 08:00-20:00; sun 10:00-16:00')
    },
    admin.operator.id
  )
  await audit('shops-add', store.id, store)

  const plan = await ctx.db
    .selectFrom('plans')
    .select('id')
    .where('code', '=', DEV_SEEDS.batch.plan)
    .where('retired_at', 'is', null)
    .executeTakeFirstOrThrow()
  const expiresAt = new Date(ctx.clock.now().getTime() + 365 * 86_400_000).toISOString()
  const batch = await createOpsBatch(
    ctx,
    { name: DEV_SEEDS.batch.name, planId: plan.id, size: DEV_SEEDS.batch.size, expiresAt },
    by
  )
  await audit('vouchers-create', batch.batchId, { ...batch, planId: plan.id, expiresAt })
  // The PINs leave the service once, here, as they would for the printer; only the sold card's is kept.
  const { cards } = await exportPins(ctx, batch.batchId, by)
  await audit('vouchers-export-pins', batch.batchId, { pins: 'exported and erased', cards: cards.length })
  const shipped = await shipOpsBatch(ctx, batch.batchId, shop.id)
  await audit('vouchers-ship', batch.batchId, {
    partnerId: shop.id,
    state: 'inactive',
    cards: shipped.shipped
  })

  const sold = cards[0]
  if (!sold) throw new Error('the demo batch has no cards')
  const till: OpsActor = {
    ...by,
    kind: 'partner',
    id: shop.id,
    label: shop.name,
    name: shop.name,
    role: 'retail-partner'
  }
  await tillActivate(ctx, { ...till, partnerId: shop.id }, sold.serial)
  await audit('till-activate', sold.serial, { state: 'active', batchId: batch.batchId })

  const order = await recordOrder(ctx, { ...DEV_SEEDS.order })
  await audit('webshop-order', order.orderNumber, { ...DEV_SEEDS.order })

  return {
    admin: {
      email: admin.operator.email,
      enrolmentToken: admin.enrolmentToken,
      enrolmentExpiresAt: admin.enrolmentExpiresAt
    },
    shop: { partnerId: shop.id, name: shop.name },
    card: {
      batchId: batch.batchId,
      serial: sold.serial,
      pin: sold.pin,
      planCode: DEV_SEEDS.batch.plan,
      unsold: cards.length - 1
    },
    order: { ...DEV_SEEDS.order, orderNumber: order.orderNumber }
  }
}
