/**
 * What the ops API's stuck settlements can be (billing/settle-retries.ts): one list for the route's schema and the
 * CLI's check of `--kind`, kept out of routes-money.ts so the CLI reads it without loading zod (route-heads.ts says
 * why that matters for its start).
 */
export const SETTLE_KINDS = ['order', 'refund', 'top-up', 'device-order', 'call'] as const
export type SettleKindName = (typeof SETTLE_KINDS)[number]

export const isSettleKind = (v: string): v is SettleKindName =>
  (SETTLE_KINDS as readonly string[]).includes(v)
