/**
 * A shop's opening hours (issue 25): one entry per weekday, open and close as HH:MM in the shop's own time zone,
 * null when closed that day. Pure: the ops route validates it, the CLI parses "mon-fri 09:00-18:00; sat 10:00-14:00"
 * into it, the service says whether a shop is open at an instant, and the app lays the week out.
 */
import { z } from 'zod'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM (24-hour)')

/** One day's hours; closing after midnight is not supported (a shop that does gives two days' hours). */
export const dayHours = z
  .object({ open: clock, close: clock })
  .strict()
  .refine((d) => d.open < d.close, 'the closing time must be after the opening time')
export type DayHours = z.infer<typeof dayHours>

export const weekHours = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.nullable()])) as Record<
      Weekday,
      z.ZodNullable<typeof dayHours>
    >
  )
  .strict()
export type WeekHours = z.infer<typeof weekHours>

export class HoursSyntaxError extends Error {}

/**
 * "mon-fri 09:00-18:00; sat 10:00-14:00" -> a week (days not named are closed). Ranges wrap neither way:
 * "sat-sun" is fine, "sun-mon" is not.
 */
export function parseHours(spec: string): WeekHours {
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, null])) as Record<Weekday, DayHours | null>
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
    const day = dayHours.safeParse({ open: m[3], close: m[4] })
    if (!day.success) throw new HoursSyntaxError(`"${part}": ${day.error.issues[0]?.message ?? 'bad hours'}`)
    for (let i = from; i <= to; i++) {
      const d = WEEKDAYS[i] as Weekday
      if (week[d] !== null) throw new HoursSyntaxError(`${d} is given twice`)
      week[d] = day.data
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
