/**
 * How long before an auto-renewal its reminder goes, and how long before a line's end the app calls it "ends
 * soon": both by the length of the plan the line renews on. A plan of a year or more keeps `reminderDays` (30): a
 * yearly charge is one a person may have forgotten, and the automatic-renewal laws that ask for a notice before
 * each renewal ask it of such terms (California's Bus. & Prof. Code 17602 since July 2022: an initial term of a
 * year or more renewing for more than a month, 15 to 45 days before; 30 is inside), not of a monthly one. A
 * shorter plan gets `shortPlanReminderDays` (7, as the trial's last-week notice: enough to change the
 * card or cancel, close enough to be news): 30 days is longer than a month, so a monthly subscriber was told "your
 * line renews soon" the moment each renewal went through, and the line showed "ends soon" all month. Services
 * that remind of renewals do it for yearly plans or a few days ahead (the Pay gem's renewal mail is for yearly
 * plans only; Stripe's `invoice.upcoming` and Recurly's pre-renewal notice come a configured number of days before).
 *
 * A fixed week rather than a share of the period: the only short plans sold are monthly, a week reads the same in
 * February and in March, and the app can say it in words ("7 days before a monthly renewal").
 *
 * No plan (a line on its trial, or paid by a Re-Up card or a retail dongle's included months with no subscription
 * yet): `reminderDays`, as before. A trial's end has its own notice a week before (trial-notices.ts) and the app
 * shows the trial's days left; "ends soon" for the whole 30-day trial is true, as it ends unless the person pays.
 */
import { DAY } from '../clock'
import { type BillingConfig, ConfigError } from '../config'

/** A plan this many months or longer is a long one (`planMonths` in catalog.ts: a yearly plan is 12). */
export const LONG_PLAN_MONTHS = 12

/** The least a month's renewal moves a paid-through (from the 31st of January to the 28th of February). */
const SHORTEST_MONTH_DAYS = 28
/** The least a year's renewal moves a paid-through. */
const SHORTEST_YEAR_DAYS = 365

type WindowConfig = Pick<BillingConfig, 'reminderDays' | 'shortPlanReminderDays'>

/** The days of the reminder's window (and of "ends soon") for a plan of `months`; null: the line has no plan. */
export function reminderDaysFor(cfg: WindowConfig, months: number | null): number {
  return months === null || months >= LONG_PLAN_MONTHS ? cfg.reminderDays : cfg.shortPlanReminderDays
}

/**
 * Refuses windows that cannot work, at start: a monthly window must close before the next renewal's window opens,
 * else the reminder goes at once after each renewal again. Right after a renewal the next renewal instant is at
 * least the shortest month less the renewal lead away (a lapsed line renewed late starts its month then).
 */
export function checkReminderWindows(cfg: WindowConfig & Pick<BillingConfig, 'renewalLeadMs'>): void {
  const whole = (name: string, days: number, most: number) => {
    if (!Number.isInteger(days) || days < 1 || days > most)
      throw new ConfigError(`billing.${name} must be a whole number of days from 1 to ${most}, not ${days}`)
  }
  // The same for a year's window: at most the shortest year less the lead (a longer one opened at each renewal).
  const mostIn = (days: number) => Math.ceil((days * DAY - cfg.renewalLeadMs) / DAY) - 1
  whole('reminderDays', cfg.reminderDays, mostIn(SHORTEST_YEAR_DAYS))
  whole('shortPlanReminderDays', cfg.shortPlanReminderDays, mostIn(SHORTEST_MONTH_DAYS))
}

/** The window's length in milliseconds. */
export const reminderWindowMs = (cfg: WindowConfig, months: number | null): number =>
  reminderDaysFor(cfg, months) * DAY
