/** The worked proration numbers (research billing.md §4) as one table: each convention, a DST month, leap years. */
import { describe, expect, it } from 'vitest'
import {
  applyFraction,
  localDate,
  recalculate,
  remainingFraction,
  startOfLocalDay
} from '../../../src/server/billing/proration'

const NY = 'America/New_York'
const UTC = 'UTC'
const local = (d: string, tz = NY): Date => startOfLocalDay(d, tz)

describe.each([
  // case, convention, tz, period start, period end, change day, price, [num, den], amount
  [
    'DST month, seconds (743 h)',
    'seconds',
    NY,
    '2025-03-01',
    '2025-04-01',
    '2025-03-16',
    10000,
    [384 * 3600, 743 * 3600],
    5168
  ],
  [
    'DST month, actual days',
    'actual_days',
    NY,
    '2025-03-01',
    '2025-04-01',
    '2025-03-16',
    10000,
    [16, 31],
    5161
  ],
  ['DST month, fixed 30', 'fixed_30', NY, '2025-03-01', '2025-04-01', '2025-03-16', 10000, [16, 30], 5333],
  [
    'Mega-Line seed: 12 days left in a 30-day month',
    'fixed_30',
    NY,
    '2026-11-01',
    '2026-12-01',
    '2026-11-19',
    1100,
    [12, 30],
    440
  ],
  [
    'Mega-Line: 12 days left in a 31-day month',
    'fixed_30',
    NY,
    '2026-12-01',
    '2027-01-01',
    '2026-12-20',
    1100,
    [12, 30],
    440
  ],
  [
    'fixed 30: the 1st of a 31-day month is the whole fee',
    'fixed_30',
    NY,
    '2027-01-01',
    '2027-02-01',
    '2027-01-01',
    1100,
    [30, 30],
    1100
  ],
  [
    'fixed 30: the 1st of February is the whole fee',
    'fixed_30',
    NY,
    '2027-02-01',
    '2027-03-01',
    '2027-02-01',
    1100,
    [30, 30],
    1100
  ],
  [
    'fixed 30: mid-February counts real days left',
    'fixed_30',
    NY,
    '2027-02-01',
    '2027-03-01',
    '2027-02-15',
    1100,
    [14, 30],
    513
  ],
  [
    'leap year, annual, seconds',
    'seconds',
    UTC,
    '2024-01-01',
    '2025-01-01',
    '2024-07-01',
    36600,
    [184 * 86400, 366 * 86400],
    18400
  ],
  [
    'leap year, annual, actual days',
    'actual_days',
    UTC,
    '2024-01-01',
    '2025-01-01',
    '2024-07-01',
    36600,
    [184, 366],
    18400
  ],
  [
    'Kill Bill: 2023-02-23 -> 03-15, actual',
    'actual_days',
    UTC,
    '2023-02-15',
    '2023-03-15',
    '2023-02-23',
    2800,
    [20, 28],
    2000
  ],
  [
    'Kill Bill: 2024-02-23 -> 03-15, actual (leap)',
    'actual_days',
    UTC,
    '2024-02-15',
    '2024-03-15',
    '2024-02-23',
    2900,
    [21, 29],
    2100
  ]
] as const)('%s', (_name, convention, tz, start, end, change, price, [num, den], amount) => {
  it(`gives ${num}/${den} and ${amount}`, () => {
    const period = { start: local(start, tz), end: local(end, tz) }
    const f = remainingFraction(convention, period, local(change, tz), tz)
    expect(f.num * den).toBe(num * f.den)
    expect(applyFraction(price, f)).toBe(amount)
  })
})

describe('proration arithmetic', () => {
  it('finds local midnight across DST changes', () => {
    expect(local('2025-03-09').toISOString()).toBe('2025-03-09T05:00:00.000Z')
    expect(local('2025-03-10').toISOString()).toBe('2025-03-10T04:00:00.000Z')
    expect(local('2025-11-02').toISOString()).toBe('2025-11-02T04:00:00.000Z')
    expect(localDate(new Date('2025-03-10T03:59:59Z'), NY)).toBe('2025-03-09')
  })

  it('rounds half up on exact rationals, not floats', () => {
    expect(applyFraction(2495, { num: 9, den: 31 })).toBe(724)
    expect(applyFraction(1, { num: 1, den: 2 })).toBe(1)
    expect(applyFraction(-1100, { num: 12, den: 30 })).toBe(-440)
  })

  it('nets a change to the same price to exactly zero, and an upgrade to the difference', () => {
    const period = { start: local('2026-11-01'), end: local('2026-12-01') }
    const same = recalculate({
      convention: 'fixed_30',
      oldPriceMinor: 1100,
      newPriceMinor: 1100,
      period,
      effective: local('2026-11-19'),
      tz: NY
    })
    expect(same.netMinor).toBe(0)
    const up = recalculate({
      convention: 'fixed_30',
      oldPriceMinor: 1100,
      newPriceMinor: 1500,
      period,
      effective: local('2026-11-19'),
      tz: NY
    })
    expect(up).toMatchObject({
      creditMinor: 440,
      chargeMinor: 600,
      netMinor: 160,
      effectiveDate: '2026-11-19'
    })
  })
})
