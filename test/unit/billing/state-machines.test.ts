/**
 * Billing's state machines as tables: every voucher move (allowed and forbidden), coverage states over time (by the
 * plan's length), rates.
 */
import { describe, expect, it } from 'vitest'
import { coverageState } from '../../../src/server/billing/coverage'
import { classifyDestination } from '../../../src/server/billing/rates'
import { VOUCHER_TRANSITIONS, canMove } from '../../../src/server/billing/vouchers'
import { DEFAULT_BILLING } from '../../../src/server/config'
import type { VoucherState } from '../../../src/server/db/schema-billing'

const STATES: VoucherState[] = ['generated', 'inactive', 'active', 'redeemed', 'blocked', 'expired']
const ALLOWED = new Set([
  'generated>inactive',
  'generated>blocked',
  'inactive>active',
  'inactive>blocked',
  'active>redeemed',
  'active>expired',
  'active>blocked'
])

describe('voucher lifecycle', () => {
  it.each(STATES.flatMap((from) => STATES.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    expect(canMove(from, to)).toBe(ALLOWED.has(`${from}>${to}`))
  })
  it('has terminal states with no way out', () => {
    for (const s of ['redeemed', 'blocked', 'expired'] as const) expect(VOUCHER_TRANSITIONS[s]).toEqual([])
  })
})

describe('coverage states', () => {
  const now = new Date('2026-11-22T12:00:00Z')
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000)
  // A plan of a year or more, and a line with no plan (its trial, or a card's coverage alone): 30 days' notice.
  describe.each([12, 60, null])('on a plan of %s months', (months) => {
    it.each([
      [null, 'none', false],
      [at(31), 'active', false],
      [at(30), 'expiring_soon', false],
      [at(8), 'expiring_soon', false],
      [at(0.001), 'expiring_soon', false],
      [at(0), 'expired', true],
      [at(-30), 'expired', true],
      [at(-30.001), 'deactivated', false]
    ] as const)('paid through %s is %s', (through, state, reactivatable) => {
      expect(coverageState(through, now, DEFAULT_BILLING, months)).toEqual({ state, reactivatable })
    })
  })
  // Shorter than a year: a week's. A monthly line just renewed (28 days and more left) is not "expiring soon".
  describe.each([1, 11])('on a plan of %s months', (months) => {
    it.each([
      [null, 'none', false],
      [at(30), 'active', false],
      [at(28), 'active', false],
      [at(7.001), 'active', false],
      [at(7), 'expiring_soon', false],
      [at(0.001), 'expiring_soon', false],
      [at(0), 'expired', true],
      [at(-30), 'expired', true],
      [at(-30.001), 'deactivated', false]
    ] as const)('paid through %s is %s', (through, state, reactivatable) => {
      expect(coverageState(through, now, DEFAULT_BILLING, months)).toEqual({ state, reactivatable })
    })
  })
})

describe('destinations', () => {
  it.each([
    ['2125550101', 'domestic', '12125550101', 0],
    ['12125550101', 'domestic', '12125550101', 0],
    ['+1 416 555 0101', 'domestic', '14165550101', 0],
    ['011442071234567', 'international', '442071234567', 2],
    ['+38514800000', 'international', '38514800000', 9],
    ['+3614800000', 'international', '3614800000', 15],
    ['5215512345678', 'international', '5215512345678', 5],
    // Short codes reach services here, never abroad: 911 is not India (91), 933 (the address test) not the default.
    ['911', 'domestic', '911', 0],
    ['933', 'domestic', '933', 0],
    ['988', 'domestic', '988', 0],
    ['711', 'domestic', '711', 0],
    ['411', 'domestic', '411', 0],
    // Dialled in international form it is a number abroad like any other (India's 91, then 1…).
    ['+9111234567', 'international', '9111234567', 4],
    ['9110', 'international', '9110', 4]
  ] as const)('%s is %s', (dialled, zone, digits, rate) => {
    expect(classifyDestination(dialled)).toEqual({ zone, digits, ratePerMinute: rate })
  })
})
