/**
 * The number pool: assigning a number by area code, changing it (with history), and releasing it. A released
 * number rests in quarantine for 90 days before anyone else gets it, so the previous owner's callers do not
 * reach a stranger the next morning. Claiming is one conditional UPDATE, so two lines can never get one number.
 */
import { nearestAreaCodes, regionOfAreaCode } from '../../shared/numbers/area-regions'
import {
  countryOfAreaCode,
  countryOfNumber,
  isAssignableAreaCode,
  normalizeNanp
} from '../../shared/numbers/nanp'
import type { ExpressionBuilder } from 'kysely'
import type { ServiceContext } from '../context'
import type { Database } from '../db/schema'
import { ServiceError, conflict, invalid } from '../http/errors'
import { newId } from '../secrets'

export const QUARANTINE_MS = 90 * 24 * 60 * 60_000
/** Area codes the embedded default seeds: a few US cities and two Canadian ones. */
export const SEED_AREA_CODES = ['201', '212', '312', '415', '617', '713', '416', '604'] as const

/** Fictitious numbers (NXX-555-0100..0199 are reserved for fiction), so a dev stack never hands out a real one. */
export async function seedNumberPool(
  ctx: ServiceContext,
  areaCodes: readonly string[] = SEED_AREA_CODES
): Promise<number> {
  const any = await ctx.db.selectFrom('number_pool').select('e164').limit(1).executeTakeFirst()
  if (any) return 0
  const rows = areaCodes.flatMap((area) =>
    Array.from({ length: 100 }, (_, i) => {
      const e164 = `+1${area}555${String(100 + i).padStart(4, '0')}`
      return {
        e164,
        area_code: area,
        country: countryOfNumber(e164) ?? 'US',
        status: 'available' as const,
        line_id: null,
        available_from: null
      }
    })
  )
  for (let i = 0; i < rows.length; i += 200)
    await ctx.db
      .insertInto('number_pool')
      .values(rows.slice(i, i + 200))
      .execute()
  return rows.length
}

/** A pool row anyone may take now: never assigned, or out of its quarantine. */
const isFree = (now: string) => (eb: ExpressionBuilder<Database, 'number_pool'>) =>
  eb.or([
    eb('status', '=', 'available'),
    eb.and([eb('status', '=', 'quarantine'), eb('available_from', '<=', now)])
  ])

/**
 * Whether an area code has a free number now and, when it has none, the nearest area codes that do (same state or
 * province first, then the nearest ones, same country only). Asked by the trial form before anything is sent.
 */
export async function areaCodeAvailability(ctx: ServiceContext, areaCode: string) {
  if (!isAssignableAreaCode(areaCode) || countryOfAreaCode(areaCode) === null)
    throw invalid('areaCode', 'this area code has no assignable numbers', 'area-code')
  const rows = await ctx.db
    .selectFrom('number_pool')
    .select('area_code')
    .where(isFree(ctx.clock.now().toISOString()))
    .groupBy('area_code')
    .execute()
  const free = rows.map((r) => r.area_code)
  const available = free.includes(areaCode)
  return {
    areaCode,
    region: regionOfAreaCode(areaCode),
    available,
    nearby: available
      ? []
      : nearestAreaCodes(areaCode, free, countryOfAreaCode).map((code) => ({
          areaCode: code,
          region: regionOfAreaCode(code)
        }))
  }
}

/** The refusal when an area code has no free number: said before any email goes out, and at assignment. */
export const areaExhausted = (areaCode: string): ServiceError =>
  new ServiceError('conflict', `no numbers are free in area code ${areaCode}; try a nearby one`, {
    reason: 'area-exhausted',
    params: { areaCode },
    issues: [
      {
        path: 'areaCode',
        code: 'area-exhausted',
        params: { areaCode },
        message: 'no numbers are free in this area code'
      }
    ]
  })

export async function availableNumbers(ctx: ServiceContext, areaCode: string, limit = 10): Promise<string[]> {
  if (!isAssignableAreaCode(areaCode))
    throw invalid('areaCode', 'this area code has no assignable numbers', 'area-code')
  const now = ctx.clock.now().toISOString()
  const rows = await ctx.db
    .selectFrom('number_pool')
    .select('e164')
    .where('area_code', '=', areaCode)
    .where(isFree(now))
    .orderBy('e164')
    .limit(limit)
    .execute()
  return rows.map((r) => r.e164)
}

async function claim(ctx: ServiceContext, e164: string, lineId: string): Promise<boolean> {
  const now = ctx.clock.now().toISOString()
  const r = await ctx.db
    .updateTable('number_pool')
    .set({ status: 'assigned', line_id: lineId, available_from: null })
    .where('e164', '=', e164)
    .where('line_id', 'is', null)
    .where(isFree(now))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Give a line a number: a specific available one, or the first free one in an area code. */
export async function assignNumber(
  ctx: ServiceContext,
  lineId: string,
  want: { areaCode?: string | undefined; number?: string | undefined },
  reason: string
): Promise<string> {
  let chosen: string | null = null
  if (want.number !== undefined) {
    const e164 = normalizeNanp(want.number)
    if (!e164) throw invalid('number', 'not a US or Canadian phone number', 'not-nanp-number')
    if (!(await claim(ctx, e164, lineId)))
      throw conflict('number-unavailable', 'this number is not available; pick another')
    chosen = e164
  } else {
    const area = want.areaCode ?? ''
    // A few tries: a concurrent assignment may take the first candidate between our read and our claim.
    for (let attempt = 0; attempt < 5 && chosen === null; attempt++) {
      const [candidate] = await availableNumbers(ctx, area, 1)
      if (!candidate) throw areaExhausted(area)
      if (await claim(ctx, candidate, lineId)) chosen = candidate
    }
    if (chosen === null)
      throw new ServiceError('unavailable', 'numbers are being assigned very fast right now; try again', {
        reason: 'busy'
      })
  }
  const now = ctx.clock.now().toISOString()
  const line = await ctx.db
    .selectFrom('lines')
    .select('phone_number')
    .where('id', '=', lineId)
    .executeTakeFirstOrThrow()
  if (line.phone_number) await releaseNumber(ctx, lineId, line.phone_number)
  await ctx.db.updateTable('lines').set({ phone_number: chosen }).where('id', '=', lineId).execute()
  await ctx.db
    .insertInto('number_history')
    .values({ id: newId('nhi'), line_id: lineId, e164: chosen, assigned_at: now, released_at: null, reason })
    .execute()
  return chosen
}

export async function releaseNumber(ctx: ServiceContext, lineId: string, e164: string): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db
    .updateTable('number_pool')
    .set({
      status: 'quarantine',
      line_id: null,
      available_from: new Date(now.getTime() + QUARANTINE_MS).toISOString()
    })
    .where('e164', '=', e164)
    .where('line_id', '=', lineId)
    .execute()
  await ctx.db
    .updateTable('number_history')
    .set({ released_at: now.toISOString() })
    .where('line_id', '=', lineId)
    .where('e164', '=', e164)
    .where('released_at', 'is', null)
    .execute()
  await ctx.db
    .updateTable('lines')
    .set({ phone_number: null })
    .where('id', '=', lineId)
    .where('phone_number', '=', e164)
    .execute()
}
