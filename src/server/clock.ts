/** Time for the service: one injectable clock so tests can move past a code's ten minutes without waiting. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string = '2026-11-22T12:00:00.000Z') {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  advance(ms: number): void {
    this.t += ms
  }
  /** Moves to an instant (tests of dated rules: the 1st of a month, 12 days before its end). */
  set(at: Date | string): void {
    this.t = new Date(at).getTime()
  }
}

export const iso = (d: Date): string => d.toISOString()
export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** Calendar months added in UTC, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: Date, months: number): Date {
  const day = d.getUTCDate()
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds()
    )
  )
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(day, last))
  return target
}
