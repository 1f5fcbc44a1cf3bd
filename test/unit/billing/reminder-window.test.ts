/**
 * The renewal reminder's window by the plan's length (src/server/billing/reminder-window.ts): a year's plan and a
 * line with no plan keep 30 days, a shorter plan has the short window, and a window that would be open right after
 * a monthly renewal is refused at start with the setting's name.
 */
import { describe, expect, it } from 'vitest'
import { checkReminderWindows, reminderDaysFor } from '../../../src/server/billing/reminder-window'
import { ConfigError, DEFAULT_BILLING } from '../../../src/server/config'

describe('the reminder window', () => {
  it('is 30 days for a plan of a year or more and for no plan, 7 for a shorter one', () => {
    expect([60, 24, 12, null].map((m) => reminderDaysFor(DEFAULT_BILLING, m))).toEqual([30, 30, 30, 30])
    expect([11, 3, 1].map((m) => reminderDaysFor(DEFAULT_BILLING, m))).toEqual([7, 7, 7])
    expect(reminderDaysFor({ reminderDays: 45, shortPlanReminderDays: 3 }, 1)).toBe(3)
  })

  it('accepts the defaults', () => {
    expect(() => checkReminderWindows(DEFAULT_BILLING)).not.toThrow()
  })

  it('refuses a short window that would open right after a monthly renewal, by name', () => {
    // A renewal a day before the end moves the next one 28 days (February) less the lead away at least: 26 fits.
    expect(() => checkReminderWindows({ ...DEFAULT_BILLING, shortPlanReminderDays: 26 })).not.toThrow()
    for (const days of [27, 30, 0, -1, 6.5, Number.NaN])
      expect(() => checkReminderWindows({ ...DEFAULT_BILLING, shortPlanReminderDays: days })).toThrow(
        new ConfigError(
          `billing.shortPlanReminderDays must be a whole number of days from 1 to 26, not ${days}`
        )
      )
    // A longer renewal lead leaves less room.
    expect(() =>
      checkReminderWindows({ ...DEFAULT_BILLING, renewalLeadMs: 3 * 86_400_000, shortPlanReminderDays: 25 })
    ).toThrow(/from 1 to 24, not 25/)
  })

  it('refuses a long window that is not a whole number of days or that a yearly renewal would open at once', () => {
    expect(() => checkReminderWindows({ ...DEFAULT_BILLING, reminderDays: 0 })).toThrow(
      'billing.reminderDays must be a whole number of days from 1 to 363, not 0'
    )
    // 365 days less the one-day lead: a window of 364 would open as each yearly renewal went through.
    expect(() => checkReminderWindows({ ...DEFAULT_BILLING, reminderDays: 364 })).toThrow(
      /from 1 to 363, not 364/
    )
    expect(() => checkReminderWindows({ ...DEFAULT_BILLING, reminderDays: 363 })).not.toThrow()
  })
})
