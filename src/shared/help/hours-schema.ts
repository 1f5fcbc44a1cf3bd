/**
 * The zod schemas of a shop's opening hours (./hours.ts has the rules and the types), for the routes that take
 * and give them (shared/api/support.ts, shared/ops/routes-support.ts).
 */
import { z } from 'zod'
import {
  CLOCK_MESSAGE,
  CLOCK_PATTERN,
  type DayHours,
  ORDER_MESSAGE,
  WEEKDAYS,
  type WeekHours,
  type Weekday,
  closesAfterOpening
} from './hours'

const clock = z.string().regex(CLOCK_PATTERN, CLOCK_MESSAGE)

export const dayHours = z
  .object({ open: clock, close: clock })
  .strict()
  .refine(closesAfterOpening, ORDER_MESSAGE) satisfies z.ZodType<DayHours>

export const weekHours = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.nullable()])) as Record<
      Weekday,
      z.ZodNullable<typeof dayHours>
    >
  )
  .strict() satisfies z.ZodType<WeekHours>
