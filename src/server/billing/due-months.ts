/**
 * The month it is now in the accounts' zones, for the monthly jobs (tariff months: tariffs.ts; paid services:
 * services/service-fees.ts), which charge each month once in the account's own time. Those jobs read only what
 * is not yet charged for that month, in one statement, so they need the month per zone before the query: for
 * most of a month every zone is in the same one (one key, no zone needed); around a month's turn, the 26 hours
 * in which UTC+14 is in the new month and UTC-12 still in the old, the zones the accounts use, read in one more
 * statement, grouped by the month each is in.
 */
import type { ServiceContext } from '../context'
import { localDate } from './proration'

/** The zone where a month begins first (UTC+14) and the one where it begins last (UTC-12). */
const FIRST_ZONE = 'Etc/GMT-14'
const LAST_ZONE = 'Etc/GMT+12'

export interface ZoneMonth {
  /** The month, YYYY-MM. */
  readonly key: string
  /** The zones (accounts.timezone) in that month now; null: every zone. */
  readonly zones: readonly string[] | null
}

export async function monthsNow(ctx: ServiceContext, now: Date): Promise<ZoneMonth[]> {
  const first = localDate(now, FIRST_ZONE).slice(0, 7)
  if (localDate(now, LAST_ZONE).slice(0, 7) === first) return [{ key: first, zones: null }]
  const rows = await ctx.db.selectFrom('accounts').select('timezone').distinct().execute()
  const byMonth = new Map<string, string[]>()
  for (const { timezone } of rows) {
    const key = localDate(now, timezone).slice(0, 7)
    byMonth.set(key, [...(byMonth.get(key) ?? []), timezone])
  }
  return [...byMonth].map(([key, zones]) => ({ key, zones }))
}
