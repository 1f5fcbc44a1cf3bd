/**
 * The connected services catalog as operators keep it (issue 25 part 1; `dialtone-ops services`): list, offer,
 * reprice, retire. At most one offered entry per feature, so a line's state per feature has one price. A new
 * price applies from each line's next monthly charge (services/service-fees.ts reads the catalog then); this month's
 * charges and their refunds stay at the price they were made at. Audited by serve-ops.ts with the reason.
 */
import type { ServiceFeature } from '../../shared/api/services'
import type { ServiceContext } from '../context'
import type { ServiceCatalogTable } from '../db/schema-services'
import { conflict, notFound } from '../http/errors'
import { CURRENCY } from '../billing/balance'

export async function opsServiceView(ctx: ServiceContext, c: ServiceCatalogTable) {
  const on = await ctx.db
    .selectFrom('line_services')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('code', '=', c.code)
    .where('enabled', '=', 1)
    .executeTakeFirst()
  return {
    code: c.code,
    feature: c.feature,
    priceMinor: c.price_minor,
    currency: c.currency,
    defaultOn: c.default_on === 1,
    linesOn: Number(on?.n ?? 0),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    retiredAt: c.retired_at
  }
}

export async function listCatalog(ctx: ServiceContext) {
  const rows = await ctx.db
    .selectFrom('service_catalog')
    .selectAll()
    .orderBy('created_at')
    .orderBy('code')
    .execute()
  return Promise.all(rows.map((r) => opsServiceView(ctx, r)))
}

async function entry(ctx: ServiceContext, code: string): Promise<ServiceCatalogTable> {
  const row = await ctx.db
    .selectFrom('service_catalog')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
  if (!row) throw notFound('service-not-found', `the connected service ${code}`)
  return row
}

/**
 * A service on by default is on for every line that never switched it: no line asked for it, and the monthly job
 * charges only what a line switched on (services/service-fees.ts). So only a free service may be on by default.
 */
const paidDefaultOn = () =>
  conflict(
    'service-paid-default-on',
    'a service on by default must be free: offer a paid one off by default, for lines to switch on'
  )

export async function addService(
  ctx: ServiceContext,
  s: { code: string; feature: ServiceFeature; priceMinor: number; defaultOn: boolean }
) {
  if (s.defaultOn && s.priceMinor > 0) throw paidDefaultOn()
  if (await ctx.db.selectFrom('service_catalog').select('code').where('code', '=', s.code).executeTakeFirst())
    throw conflict('service-exists', 'a service with this code exists (retired ones keep their code)')
  const offered = await ctx.db
    .selectFrom('service_catalog')
    .select('code')
    .where('feature', '=', s.feature)
    .where('retired_at', 'is', null)
    .executeTakeFirst()
  if (offered)
    throw conflict(
      'service-feature-offered',
      `${offered.code} already offers this feature; retire it first`,
      {
        code: offered.code
      }
    )
  const now = ctx.clock.now().toISOString()
  const row: ServiceCatalogTable = {
    code: s.code,
    feature: s.feature,
    price_minor: s.priceMinor,
    currency: CURRENCY,
    default_on: s.defaultOn ? 1 : 0,
    created_at: now,
    updated_at: now,
    retired_at: null
  }
  await ctx.db.insertInto('service_catalog').values(row).execute()
  return opsServiceView(ctx, row)
}

export async function priceService(ctx: ServiceContext, code: string, priceMinor: number) {
  const before = await entry(ctx, code)
  if (before.retired_at) throw conflict('service-retired', 'a retired service keeps its last price')
  if (before.default_on === 1 && priceMinor > 0) throw paidDefaultOn()
  await ctx.db
    .updateTable('service_catalog')
    .set({ price_minor: priceMinor, updated_at: ctx.clock.now().toISOString() })
    .where('code', '=', code)
    .execute()
  return {
    before: await opsServiceView(ctx, before),
    after: await opsServiceView(ctx, await entry(ctx, code))
  }
}

export async function retireService(ctx: ServiceContext, code: string) {
  const before = await entry(ctx, code)
  if (before.retired_at) throw conflict('service-retired', 'this service is already retired')
  const now = ctx.clock.now().toISOString()
  await ctx.db
    .updateTable('service_catalog')
    .set({ retired_at: now, updated_at: now })
    .where('code', '=', code)
    .execute()
  return {
    before: await opsServiceView(ctx, before),
    after: await opsServiceView(ctx, await entry(ctx, code))
  }
}
