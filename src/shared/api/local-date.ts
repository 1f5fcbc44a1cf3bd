/**
 * A local date of a period the service reads (usage, call details, statements, business documents): YYYY-MM-DD, a
 * day that is on the calendar (not 30 February) in 1900-2199. The service steps through such periods a day at a
 * time: a date past them (the day after 9999-12-31 is none) answered 500, and a daily series over centuries held
 * the event loop for seconds, hence MAX_SERIES_DAYS (and MAX_SERIES_MONTHS for a monthly one, stepped a month at a time).
 */
import type { z } from 'zod'
import { FORMATS, matches } from './formats'
import { custom } from './issues'

/** The years a date of a period may be in. */
const DATE_YEARS = { first: 1900, last: 2199 } as const

/** Whether `s` (YYYY-MM-DD) is a day on the calendar within DATE_YEARS. */
export function isCalendarDate(s: string): boolean {
  const [y = NaN, m = NaN, d = NaN] = s.split('-').map(Number)
  if (!(y >= DATE_YEARS.first && y <= DATE_YEARS.last)) return false
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

export const localDateSchema = matches('date').refine(
  isCalendarDate,
  custom('bad-format', FORMATS.date.message, { format: 'date' })
)

/** Days from `from` to `to` (both YYYY-MM-DD), or NaN when either is not a date. */
export const daysBetween = (from: string, to: string): number =>
  (Date.parse(to) - Date.parse(from)) / 86_400_000

/** The longest daily usage series: two years of points (the app asks for 30 days). */
export const MAX_SERIES_DAYS = 731

/** The longest monthly usage series: a century of points (the app asks for 12 months). */
export const MAX_SERIES_MONTHS = 1200

/** The last day a monthly series from `from` may end on: the last day of its MAX_SERIES_MONTHS-th month. */
export function lastMonthlySeriesDay(from: string): string {
  const [y = NaN, m = NaN] = from.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 + MAX_SERIES_MONTHS, 0)).toISOString().slice(0, 10)
}

/**
 * A usage series' range, checked where the query is parsed: each day (or month) is a point the service builds, and
 * a range of centuries held the event loop for seconds. The issue names the last day the series may end on.
 */
export function seriesWithinBounds(
  q: { readonly granularity: 'day' | 'month'; readonly from: string; readonly to: string },
  ctx: z.RefinementCtx
): void {
  if (q.granularity === 'day' && daysBetween(q.from, q.to) >= MAX_SERIES_DAYS) {
    const last = new Date(Date.parse(q.from) + (MAX_SERIES_DAYS - 1) * 86_400_000).toISOString().slice(0, 10)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      ...custom('too-big', `a daily series covers at most ${MAX_SERIES_DAYS} days`, { max: last })
    })
  }
  if (q.granularity === 'month' && q.to > lastMonthlySeriesDay(q.from))
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      ...custom('too-big', `a monthly series covers at most ${MAX_SERIES_MONTHS} months`, {
        max: lastMonthlySeriesDay(q.from)
      })
    })
}
