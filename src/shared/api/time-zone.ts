/**
 * The account's time zone on the wire: an IANA zone name ('America/Santiago'), checked against the zone rules
 * luxon reads through Intl, so an offset ('+03:00'), an abbreviation ('EST') or junk is refused by name. Every
 * business date of the account (the 1st of a month, the earliest plan-change day, due dates, statement periods)
 * is a calendar day in this zone (src/shared/time/business-dates.ts).
 */
import { z } from 'zod'
import { isTimeZone } from '../time/business-dates'
import { custom } from './issues'

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, custom('not-allowed-value', 'not an IANA time zone, e.g. Europe/Bucharest'))

/** Sent at sign-up (the computer's zone); the service assumes UTC when it is missing. */
export const signupTimeZone = { timeZone: timeZoneSchema.optional() }

export const timeZoneRequest = z.object({ timeZone: timeZoneSchema }).strict()
