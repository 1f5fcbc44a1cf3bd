/**
 * Business dates, pure: the calendar days an account lives by (the 1st of a month, the earliest plan-change day,
 * due dates, statement periods) are local dates (YYYY-MM-DD) in the account's IANA time zone; instants are UTC.
 * The service and the app compute them with these same functions, so both name the same day.
 *
 * Built on luxon, a maintained library carrying the IANA rules through Intl, rather than offset arithmetic by
 * hand: a zone whose clock jumps at midnight (America/Santiago, the first Sunday of September: 00:00 becomes
 * 01:00) has no local midnight that day, and hand-written "midnight minus the offset" landed at 23:00 the day
 * before. luxon's startOf('day') resolves such a gap forward to the day's first real instant.
 */
import { DateTime, IANAZone } from 'luxon'

/** A local calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** True for a real IANA zone name ('Europe/Bucharest', 'UTC'); false for offsets, abbreviations and junk. */
export function isTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length <= 64 && IANAZone.isValidZone(zone)
}

/** The zone when it is a real IANA zone, otherwise UTC (what the service assumes for an account without one). */
export function zoneOr(zone: string | null | undefined, fallback = 'UTC'): string {
  return isTimeZone(zone) ? zone : fallback
}

/** A date at the start of the day in UTC, for calendar arithmetic that must not see any zone's clock changes. */
function calendar(date: LocalDate): DateTime {
  if (!DATE.test(date)) throw new RangeError(`not a calendar date: ${date}`)
  const d = DateTime.fromISO(date, { zone: 'UTC' })
  if (!d.isValid) throw new RangeError(`not a calendar date: ${date}`)
  return d
}

const iso = (d: DateTime): LocalDate => d.toFormat('yyyy-MM-dd')

/** The account-local date of an instant. */
export function localDate(at: Date, zone: string): LocalDate {
  return iso(DateTime.fromJSDate(at, { zone }))
}

/** The instant a local date begins in a zone: midnight, or across a gap at midnight the first instant there is. */
export function startOfLocalDay(date: LocalDate, zone: string): Date {
  const d = DateTime.fromISO(date, { zone })
  if (!DATE.test(date) || !d.isValid) throw new RangeError(`not a calendar date: ${date}`)
  return d.startOf('day').toJSDate()
}

/** `days` calendar days after (or before, when negative) a local date. */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return iso(calendar(date).plus({ days }))
}

/** The first day of the month a local date is in. */
export function firstOfMonth(date: LocalDate): LocalDate {
  return iso(calendar(date).startOf('month'))
}

/** The first day of the month after a local date. */
export function firstOfNextMonth(date: LocalDate): LocalDate {
  return iso(calendar(date).startOf('month').plus({ months: 1 }))
}

/** Calendar days from a to b (negative when b is before a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round(calendar(b).diff(calendar(a), 'days').days)
}

/** Whole calendar months from a's month to b's month ('2026-12-19' to '2027-02-01' is 2). */
export function monthsBetween(a: LocalDate, b: LocalDate): number {
  const x = calendar(a)
  const y = calendar(b)
  return (y.year - x.year) * 12 + (y.month - x.month)
}

/** Today in a zone (the app passes the account's zone, never the computer's). */
export function today(zone: string, now: Date = new Date()): LocalDate {
  return localDate(now, zone)
}

/** The computer's own zone (sent at sign-up), or UTC when the runtime cannot say. */
export function systemZone(): string {
  return zoneOr(Intl.DateTimeFormat().resolvedOptions().timeZone)
}
