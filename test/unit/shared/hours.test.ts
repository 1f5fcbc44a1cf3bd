/** A shop's week (issue 25): the CLI's "mon-fri 09:00-18:00; sat 10:00-14:00", open-now, and the distance. */
import { describe, expect, it } from 'vitest'
import { HoursSyntaxError, milesBetween, openAt, parseHours } from '../../../src/shared/help/hours'

describe('shop hours', () => {
  const week = parseHours('mon-fri 09:00-18:00; sat 10:00-14:00')

  it('reads day ranges and single days; days not named are closed', () => {
    expect(week.mon).toEqual({ open: '09:00', close: '18:00' })
    expect(week.fri).toEqual({ open: '09:00', close: '18:00' })
    expect(week.sat).toEqual({ open: '10:00', close: '14:00' })
    expect(week.sun).toBeNull()
    expect(parseHours('SUN 10:00-16:00, wed 08:30-12:00').wed).toEqual({ open: '08:30', close: '12:00' })
  })

  it('refuses what it cannot read, saying why', () => {
    for (const [spec, says] of [
      ['', 'no hours'],
      ['mon-fri 9-18', 'mon-fri 09:00-18:00'],
      ['fri-mon 09:00-18:00', 'in order'],
      ['xyz 09:00-18:00', 'in order'],
      ['mon 18:00-09:00', 'after the opening'],
      ['mon 24:00-25:00', 'HH:MM'],
      ['mon-tue 09:00-10:00; tue 11:00-12:00', 'tue is given twice']
    ] as const)
      expect(() => parseHours(spec), spec).toThrow(says)
    expect(() => parseHours('mon 18:00-09:00')).toThrow(HoursSyntaxError)
  })

  it('is open from the opening minute up to, not including, the closing minute', () => {
    expect(openAt(week, 1, '08:59')).toBe(false)
    expect(openAt(week, 1, '09:00')).toBe(true)
    expect(openAt(week, 1, '17:59')).toBe(true)
    expect(openAt(week, 1, '18:00')).toBe(false)
    expect(openAt(week, 6, '12:00')).toBe(true)
    expect(openAt(week, 7, '12:00')).toBe(false)
  })

  it('measures miles over the earth’s surface', () => {
    // Midtown Manhattan (10001) to Hoboken (07030): about 2 miles; to Los Angeles (90001): about 2,450.
    expect(milesBetween({ lat: 40.7484, lon: -73.9967 }, { lat: 40.745, lon: -74.0324 })).toBeCloseTo(1.9, 0)
    const la = milesBetween({ lat: 40.7484, lon: -73.9967 }, { lat: 33.9731, lon: -118.2479 })
    expect(la).toBeGreaterThan(2400)
    expect(la).toBeLessThan(2500)
    expect(milesBetween({ lat: 1, lon: 1 }, { lat: 1, lon: 1 })).toBe(0)
  })
})
