/**
 * Business dates in three zones: America/Santiago (its clock jumps from 00:00 to 01:00 on 6 September 2026, so
 * that day has no midnight), America/Los_Angeles in the evening (20:00 there is already tomorrow in UTC) and
 * Asia/Tokyo (ahead of UTC: its morning is yesterday in UTC). The service's proration re-exports are checked to be
 * these same functions.
 */
import { describe, expect, it } from 'vitest'
import * as proration from '../../../src/server/billing/proration'
import {
  addLocalDays,
  daysBetween,
  firstOfMonth,
  firstOfNextMonth,
  isTimeZone,
  localDate,
  monthsBetween,
  startOfLocalDay,
  today,
  zoneOr
} from '../../../src/shared/time/business-dates'

describe('business dates', () => {
  it('starts Santiago’s 6 September 2026 at 01:00 that day, not 23:00 the day before', () => {
    const start = startOfLocalDay('2026-09-06', 'America/Santiago')
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z')
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06')
    // The day before is an ordinary day at UTC-4 and lasts 23 hours.
    expect(startOfLocalDay('2026-09-05', 'America/Santiago').toISOString()).toBe('2026-09-05T04:00:00.000Z')
    // The instant just before the day starts belongs to the 5th.
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05')
  })

  it('keeps Los Angeles at 20:00 on its own date while UTC has moved on', () => {
    const evening = new Date('2026-12-04T04:00:00.000Z') // 20:00 on 3 December, PST
    expect(localDate(evening, 'America/Los_Angeles')).toBe('2026-12-03')
    expect(localDate(evening, 'UTC')).toBe('2026-12-04')
    expect(today('America/Los_Angeles', evening)).toBe('2026-12-03')
    expect(startOfLocalDay('2026-12-03', 'America/Los_Angeles').toISOString()).toBe(
      '2026-12-03T08:00:00.000Z'
    )
    // The last evening of November there is still November: the 1st of next month is 1 December.
    const nov30 = new Date('2026-12-01T05:00:00.000Z')
    expect(firstOfNextMonth(localDate(nov30, 'America/Los_Angeles'))).toBe('2026-12-01')
    expect(firstOfNextMonth(localDate(nov30, 'UTC'))).toBe('2027-01-01')
  })

  it('puts Tokyo’s morning on its own date while UTC is still on yesterday', () => {
    const morning = new Date('2026-12-31T23:30:00.000Z') // 08:30 on 1 January 2027 in Tokyo
    expect(localDate(morning, 'Asia/Tokyo')).toBe('2027-01-01')
    expect(firstOfMonth(localDate(morning, 'Asia/Tokyo'))).toBe('2027-01-01')
    expect(startOfLocalDay('2027-01-01', 'Asia/Tokyo').toISOString()).toBe('2026-12-31T15:00:00.000Z')
  })

  it('counts calendar days and months without any zone’s clock changes', () => {
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addLocalDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(addLocalDays('2026-09-05', 1)).toBe('2026-09-06')
    expect(daysBetween('2026-12-19', '2027-01-01')).toBe(13)
    expect(daysBetween('2027-01-01', '2026-12-19')).toBe(-13)
    expect(daysBetween('2026-09-01', '2026-10-01')).toBe(30)
    expect(monthsBetween('2026-12-19', '2027-02-01')).toBe(2)
    expect(firstOfNextMonth('2027-01-31')).toBe('2027-02-01')
    expect(firstOfMonth('2027-02-28')).toBe('2027-02-01')
  })

  it('refuses what is not a calendar date', () => {
    expect(() => addLocalDays('2026-02-30', 1)).toThrow(RangeError)
    expect(() => startOfLocalDay('20261201', 'UTC')).toThrow(RangeError)
  })

  it('accepts real IANA zones only, and falls back to UTC', () => {
    for (const z of ['America/Santiago', 'America/Los_Angeles', 'Asia/Tokyo', 'UTC'])
      expect(isTimeZone(z)).toBe(true)
    for (const z of ['Mars/Olympus', '+03:00', '', 'x'.repeat(80), 42]) expect(isTimeZone(z)).toBe(false)
    expect(zoneOr('Mars/Olympus')).toBe('UTC')
    expect(zoneOr(null)).toBe('UTC')
    expect(zoneOr('Asia/Tokyo')).toBe('Asia/Tokyo')
  })

  it('is what the service’s proration uses, so a Santiago month starts when Santiago’s does', () => {
    expect(proration.startOfLocalDay).toBe(startOfLocalDay)
    expect(proration.localDate).toBe(localDate)
    const f = proration.remainingFraction(
      'fixed_30',
      {
        start: startOfLocalDay('2026-09-01', 'America/Santiago'),
        end: startOfLocalDay('2026-10-01', 'America/Santiago')
      },
      startOfLocalDay('2026-09-06', 'America/Santiago'),
      'America/Santiago'
    )
    expect(f).toEqual({ num: 25, den: 30 })
  })
})
