/**
 * Proration, pure: what fraction of a period remains after a change, by the plan's convention, and the amount in
 * integer minor units (rounded half-up once, per line, from an exact rational; never a float). Business dates
 * are the account's local dates (its IANA time zone), instants are UTC. Conventions (research billing.md §4):
 *   seconds      (e - t) / (e - s) over UTC instants (Stripe);
 *   actual_days  local calendar days (t..e) / (s..e) (Kill Bill actual, Lago);
 *   fixed_30     the Mega-Line rule: remaining local days (the change day included) / 30 per month, capped at
 *                the whole period, so a change 12 days before a month's end costs 1100 / 30 x 12 = 440, and a
 *                change on the period's first day is the whole fee whether the month has 28 or 31 days.
 * Dates come from src/shared/time/business-dates.ts (luxon), re-exported here under the names the billing
 * helpers use: a maintained time-zone library, because hand-written offset math put "start of day" at 23:00 the
 * day before in a zone whose clock changes at midnight (America/Santiago).
 */
import type { Proration } from '../db/schema-billing'
import { daysBetween, localDate, monthsBetween } from '../../shared/time/business-dates'

export {
  addLocalDays,
  daysBetween,
  firstOfMonth,
  firstOfNextMonth,
  localDate,
  startOfLocalDay
} from '../../shared/time/business-dates'

export interface Fraction {
  readonly num: number
  readonly den: number
}

/** The remaining fraction of [start, end) after `effective`, by convention. */
export function remainingFraction(
  convention: Proration,
  period: { start: Date; end: Date },
  effective: Date,
  tz: string
): Fraction {
  const t = Math.min(Math.max(effective.getTime(), period.start.getTime()), period.end.getTime())
  if (convention === 'seconds')
    return {
      num: Math.round((period.end.getTime() - t) / 1000),
      den: Math.round((period.end.getTime() - period.start.getTime()) / 1000)
    }
  const s = localDate(period.start, tz)
  const e = localDate(period.end, tz)
  const at = localDate(new Date(t), tz)
  if (convention === 'actual_days') return { num: daysBetween(at, e), den: daysBetween(s, e) }
  const den = 30 * Math.max(1, monthsBetween(s, e))
  return { num: at === s ? den : Math.min(den, daysBetween(at, e)), den }
}

/** price x fraction, rounded half-up to the minor unit with exact integer arithmetic. */
export function applyFraction(priceMinor: number, f: Fraction): number {
  if (f.den <= 0) throw new Error('a proration period must have a length')
  const n = BigInt(priceMinor) * BigInt(f.num)
  const d = BigInt(f.den)
  const sign = n < 0n ? -1n : 1n
  const abs = n < 0n ? -n : n
  return Number(sign * ((2n * abs + d) / (2n * d)))
}

export interface Recalculation {
  readonly convention: Proration
  readonly effectiveDate: string
  readonly periodEndDate: string
  readonly fraction: Fraction
  /** Returned for the old plan's unused time (a credit, >= 0). */
  readonly creditMinor: number
  /** Charged for the new plan's remaining time (>= 0). */
  readonly chargeMinor: number
  readonly netMinor: number
}

/**
 * A prepaid plan change inside its period: the old plan's unused share back, the new plan's share charged,
 * each rounded on its own line (so a change to the same price nets exactly 0).
 */
export function recalculate(input: {
  convention: Proration
  oldPriceMinor: number
  newPriceMinor: number
  period: { start: Date; end: Date }
  effective: Date
  tz: string
}): Recalculation {
  const fraction = remainingFraction(input.convention, input.period, input.effective, input.tz)
  const creditMinor = applyFraction(input.oldPriceMinor, fraction)
  const chargeMinor = applyFraction(input.newPriceMinor, fraction)
  return {
    convention: input.convention,
    effectiveDate: localDate(input.effective, input.tz),
    periodEndDate: localDate(input.period.end, input.tz),
    fraction,
    creditMinor,
    chargeMinor,
    netMinor: chargeMinor - creditMinor
  }
}
