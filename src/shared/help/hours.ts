/**
 * A shop's opening hours (issue 25): one entry per weekday, open and close as HH:MM in the shop's own time zone,
 * null when closed that day. Pure and without zod, so the ops CLI parses hours without loading it (its start-up:
 * issue 24); the ops route validates with ./hours-schema.ts, built from the rules here. The CLI parses
 * "mon-fri 09:00-18:00; sat 10:00-14:00" into it, the service says whether a shop is open at an instant, and the app
 * lays the week out.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** A time of day, HH:MM on the 24-hour clock. */
export const CLOCK_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/
export const CLOCK_MESSAGE = 'a time is HH:MM (24-hour)'
export const ORDER_MESSAGE = 'the closing time must be after the opening time'

/** One day's hours; closing after midnight is not supported (a shop that does gives two days' hours). */
export interface DayHours {
  open: string
  close: string
}
export type WeekHours = Record<Weekday, DayHours | null>

/** The rule between a day's two times, one place for the schema and the CLI's parser. */
export const closesAfterOpening = (d: DayHours): boolean => d.open < d.close

export class HoursSyntaxError extends Error {}

/**
 * "mon-fri 09:00-18:00; sat 10:00-14:00" -> a week (days not named are closed). Ranges wrap neither way:
 * "sat-sun" is fine, "sun-mon" is not.
 */
export function parseHours(spec: string): WeekHours {
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, null])) as WeekHours
  const parts = spec
    .split(/[;,]/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
  if (parts.length === 0) throw new HoursSyntaxError('no hours given')
  for (const part of parts) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(part)
    if (!m) throw new HoursSyntaxError(`"${part}" is not like "mon-fri 09:00-18:00"`)
    const from = WEEKDAYS.indexOf(m[1] as Weekday)
    const to = m[2] === undefined ? from : WEEKDAYS.indexOf(m[2] as Weekday)
    if (from < 0 || to < 0 || to < from) throw new HoursSyntaxError(`"${part}": days are mon..sun, in order`)
    const day = { open: m[3] ?? '', close: m[4] ?? '' }
    if (!CLOCK_PATTERN.test(day.open) || !CLOCK_PATTERN.test(day.close))
      throw new HoursSyntaxError(`"${part}": ${CLOCK_MESSAGE}`)
    if (!closesAfterOpening(day)) throw new HoursSyntaxError(`"${part}": ${ORDER_MESSAGE}`)
    for (let i = from; i <= to; i++) {
      const d = WEEKDAYS[i] as Weekday
      if (week[d] !== null) throw new HoursSyntaxError(`${d} is given twice`)
      week[d] = { ...day }
    }
  }
  return week
}

/** Whether the shop is open at a local weekday (1 = Monday, as luxon counts) and HH:MM. */
export function openAt(week: WeekHours, isoWeekday: number, hhmm: string): boolean {
  const day = week[WEEKDAYS[isoWeekday - 1] as Weekday]
  return day !== null && day.open <= hhmm && hhmm < day.close
}

/** Great-circle distance in miles (the US shops' unit), to 0.1. */
export function milesBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (x: number) => (x * Math.PI) / 180
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2
  return Math.round(2 * 3958.7613 * Math.asin(Math.min(1, Math.sqrt(h))) * 10) / 10
}
