/**
 * The number pool from the operators' side (issue 20): adding a range of numbers to one area code, and what the
 * pool holds per area code (free, assigned, resting in quarantine) and which numbers are in quarantine until
 * when. A range is checked against the North American Numbering Plan before anything is written: every number
 * of it a valid geographic NANP number in the area code given, one exchange (NXX) and at most a thousands-block
 * (the unit carriers are allocated numbers in), and 555 only in its 0100-0199 block (the rest of 555 are
 * directory and service numbers). A range that overlaps numbers already in the pool is refused whole, naming
 * them: nothing is half-added, also when two operators add overlapping ranges at the same time.
 */
import type { WireIssue } from '../../shared/api/issues'
import { areaCodeOf, countryOfAreaCode, isAssignableAreaCode, normalizeNanp } from '../../shared/numbers/nanp'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict } from '../http/errors'

/** A thousands-block: the most one add-range takes. */
export const MAX_RANGE = 1000
/** How many already-present numbers a refusal names (the count is always given). */
const NAMED = 20

export interface RangeSpec {
  readonly areaCode: string
  readonly from: string
  readonly to: string
}

export interface AddedRange {
  readonly areaCode: string
  readonly country: 'US' | 'CA'
  readonly from: string
  readonly to: string
  readonly added: number
}

const refuse = (issues: WireIssue[]): ServiceError =>
  new ServiceError('invalid-input', `nothing was added: ${issues.map((i) => i.message).join('; ')}`, {
    issues,
    reason: 'number-range-invalid'
  })

/** The range's numbers in E.164, or every reason it is not a range the pool may take. */
export function checkRange(spec: RangeSpec): { country: 'US' | 'CA'; numbers: string[] } {
  const issues: WireIssue[] = []
  const issue = (path: string, message: string) =>
    issues.push({ path, code: 'number-range-invalid', message })
  const country = isAssignableAreaCode(spec.areaCode) ? countryOfAreaCode(spec.areaCode) : null
  if (!country) issue('areaCode', `${spec.areaCode} is not a US or Canadian geographic area code`)
  const ends = { from: normalizeNanp(spec.from), to: normalizeNanp(spec.to) }
  for (const k of ['from', 'to'] as const) {
    const e = ends[k]
    if (!e) issue(k, `${spec[k]} is not a valid NANP number (NPA-NXX-XXXX, exchange 2-9 and not N11)`)
    else if (areaCodeOf(e) !== spec.areaCode) issue(k, `${spec[k]} is not in area code ${spec.areaCode}`)
  }
  const { from, to } = ends
  if (issues.length === 0 && from && to) {
    const exchange = from.slice(5, 8)
    if (to.slice(5, 8) !== exchange) issue('to', 'a range stays within one exchange (the same NPA-NXX)')
    else if (from > to) issue('to', 'the range ends before it starts')
    else {
      const first = Number(from.slice(8))
      const last = Number(to.slice(8))
      if (last - first + 1 > MAX_RANGE)
        issue('to', `a range holds at most ${MAX_RANGE} numbers (a thousands-block); add it in parts`)
      if (exchange === '555' && (first < 100 || last > 199))
        issue('from', '555 numbers other than 555-0100..0199 are directory and service numbers')
    }
  }
  if (issues.length > 0 || !country || !from || !to) throw refuse(issues)
  const first = Number(from.slice(8))
  const last = Number(to.slice(8))
  const prefix = from.slice(0, 8)
  const numbers = Array.from(
    { length: last - first + 1 },
    (_, i) => prefix + String(first + i).padStart(4, '0')
  )
  return { country, numbers }
}

/** Adds the range to the pool as available numbers: all of it, or (naming what is in the way) none of it. */
export async function addNumberRange(ctx: ServiceContext, spec: RangeSpec): Promise<AddedRange> {
  const { country, numbers } = checkRange(spec)
  const from = numbers[0] ?? ''
  const to = numbers.at(-1) ?? ''
  const present = (c: ServiceContext) =>
    c.db
      .selectFrom('number_pool')
      .select(['e164', 'status'])
      .where('e164', '>=', from)
      .where('e164', '<=', to)
      .orderBy('e164')
      .execute()
  const inTheWay = (rows: { e164: string; status: string }[]): ServiceError =>
    new ServiceError(
      'conflict',
      `nothing was added: ${rows.length} number(s) of this range are in the pool already`,
      {
        reason: 'numbers-present',
        params: { count: rows.length },
        issues: rows.slice(0, NAMED).map((r) => ({
          path: r.e164,
          code: 'numbers-present',
          message: `in the pool already (${r.status})`
        }))
      }
    )
  return inTransaction(ctx, async (tx) => {
    const already = await present(tx)
    if (already.length > 0) throw inTheWay(already)
    let added = 0
    for (let i = 0; i < numbers.length; i += 200) {
      const r = await tx.db
        .insertInto('number_pool')
        .values(
          numbers.slice(i, i + 200).map((e164) => ({
            e164,
            area_code: spec.areaCode,
            country,
            status: 'available' as const,
            line_id: null,
            available_from: null
          }))
        )
        .onConflict((oc) => oc.column('e164').doNothing())
        .executeTakeFirst()
      added += Number(r.numInsertedOrUpdatedRows ?? 0n)
    }
    // Another operator's overlapping range got there between our look and our insert: undo ours whole.
    if (added !== numbers.length)
      throw conflict(
        'numbers-present',
        'nothing was added: another range took some of these numbers just now'
      )
    return { areaCode: spec.areaCode, country, from, to, added }
  })
}

export interface AreaCounts {
  readonly areaCode: string
  readonly country: string
  readonly free: number
  readonly assigned: number
  readonly quarantine: number
  readonly total: number
}

/**
 * Per area code: free (never assigned, or out of quarantine: what a subscriber can get now), assigned, and
 * resting in quarantine. One area code, or all of them.
 */
export async function poolCounts(ctx: ServiceContext, areaCode?: string): Promise<AreaCounts[]> {
  const now = ctx.clock.now().toISOString()
  let q = ctx.db
    .selectFrom('number_pool')
    .select((eb) => [
      'area_code',
      'country',
      'status',
      eb
        .case()
        .when('status', '=', 'quarantine')
        .then(eb.case().when('available_from', '<=', now).then(1).else(0).end())
        .else(0)
        .end()
        .as('rested'),
      eb.fn.countAll<number | string>().as('n')
    ])
    .groupBy(['area_code', 'country', 'status', 'rested'])
  if (areaCode !== undefined) q = q.where('area_code', '=', areaCode)
  const rows = await q.execute()
  const by = new Map<
    string,
    { areaCode: string; country: string; free: number; assigned: number; quarantine: number }
  >()
  for (const r of rows) {
    const a = by.get(r.area_code) ?? {
      areaCode: r.area_code,
      country: r.country,
      free: 0,
      assigned: 0,
      quarantine: 0
    }
    const n = Number(r.n)
    if (r.status === 'assigned') a.assigned += n
    else if (r.status === 'available' || Number(r.rested) === 1) a.free += n
    else a.quarantine += n
    by.set(r.area_code, a)
  }
  return [...by.values()]
    .sort((x, y) => x.areaCode.localeCompare(y.areaCode))
    .map((a) => ({ ...a, total: a.free + a.assigned + a.quarantine }))
}

export interface QuarantinedNumber {
  readonly number: string
  readonly areaCode: string
  /** When its last line let it go (from the number's history). */
  readonly since: string | null
  /** When anyone may get it again. */
  readonly until: string
}

/** Numbers still resting in quarantine (released less than 90 days ago), soonest free first. */
export async function quarantined(
  ctx: ServiceContext,
  areaCode: string | undefined,
  limit: number
): Promise<QuarantinedNumber[]> {
  const now = ctx.clock.now().toISOString()
  let q = ctx.db
    .selectFrom('number_pool')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('number_history')
          .select((h) => ['e164', h.fn.max('released_at').as('released_at')])
          .groupBy('e164')
          .as('h'),
      (join) => join.onRef('h.e164', '=', 'number_pool.e164')
    )
    .select(['number_pool.e164', 'number_pool.area_code', 'number_pool.available_from', 'h.released_at'])
    .where('number_pool.status', '=', 'quarantine')
    .where('number_pool.available_from', '>', now)
  if (areaCode !== undefined) q = q.where('number_pool.area_code', '=', areaCode)
  const rows = await q
    .orderBy('number_pool.available_from')
    .orderBy('number_pool.e164')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    number: r.e164,
    areaCode: r.area_code,
    since: r.released_at ?? null,
    until: r.available_from ?? ''
  }))
}
