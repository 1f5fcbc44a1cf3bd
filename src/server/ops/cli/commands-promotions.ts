/**
 * `dialtone-ops promotions ...` (issue 20): create a half-price-for-life campaign (an operator's code or a
 * generated one), list the campaigns, show one with its redemptions, end one. Dates are UTC days (a campaign runs
 * from the start of --starts to the end of --ends) or full ISO instants.
 */
import {
  PROMOTION_AUDIENCES,
  PROMOTION_ELIGIBILITY,
  PROMOTION_KINDS
} from '../../../shared/ops/promotion-kinds'
import { UsageError } from './args'
import { type Command, expiry, flag, opt, positiveInt, word } from './command'
import { record, table } from './table'

/** --starts 2027-01-01 (start of that day, UTC) or a full ISO instant. */
function startOf(v: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00:00.000Z`
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) throw new UsageError('--starts is a date (YYYY-MM-DD) or an ISO instant')
  return d.toISOString()
}

function oneOf<T extends string>(v: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} is one of: ${allowed.join(', ')}`)
  return v as T
}

const COLUMNS = ['code', 'kind', 'state', 'eligible', 'audience', 'startsAt', 'endsAt', 'used', 'limit']

export const promotionsCommands: readonly Command[] = [
  {
    name: 'promotions create',
    args: [],
    required: ['kind', 'starts', 'ends', 'eligible', 'reason'],
    optional: ['code', 'limit', 'audience'],
    help:
      'create a campaign (--kind half_price_for_life --starts 2027-01-01 --ends 2027-01-31 --eligible ' +
      'conversion|renewal|both [--code SPRING-HALF] [--limit 100] [--audience new|any]); no --code makes one',
    async run(io) {
      const code = opt(io, 'code')
      const limit = opt(io, 'limit')
      const out = await io.client().call('opsPromotionsCreate', {
        ...(code !== undefined ? { code } : {}),
        kind: oneOf(flag(io, 'kind'), PROMOTION_KINDS, 'kind'),
        startsAt: startOf(flag(io, 'starts')),
        endsAt: expiry(flag(io, 'ends')),
        eligible: oneOf(flag(io, 'eligible'), PROMOTION_ELIGIBILITY, 'eligible'),
        audience: oneOf(opt(io, 'audience') ?? 'any', PROMOTION_AUDIENCES, 'audience'),
        ...(limit !== undefined ? { limit: positiveInt(limit, 'limit') } : {}),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(out.promotion) }
    }
  },
  {
    name: 'promotions list',
    args: [],
    required: [],
    optional: [],
    help: 'every campaign, newest first, with its uses against its limit',
    async run(io) {
      const out = await io.client().call('opsPromotionsList')
      return { json: out, human: table(out.promotions, COLUMNS) }
    }
  },
  {
    name: 'promotions show',
    args: ['code'],
    required: [],
    optional: [],
    help: 'a campaign, its redemptions and what became of each discount (active, ending, ended and why)',
    async run(io) {
      const out = await io.client().call('opsPromotionsShow', { code: word(io, 0, 'code') })
      const summary = {
        ...out.promotion,
        granted: out.granted,
        reserved: out.reserved,
        discountsActive: out.discounts.active,
        discountsEnding: out.discounts.ending,
        discountsEnded: out.discounts.ended
      }
      return {
        json: out,
        human:
          record(summary) +
          '\n' +
          table(out.redemptions, ['at', 'accountId', 'lineId', 'status', 'discount', 'endedReason'])
      }
    }
  },
  {
    name: 'promotions end',
    args: ['code'],
    required: ['reason'],
    optional: [],
    help: 'end a campaign now: the code stops working; discounts already granted are kept',
    async run(io) {
      const out = await io
        .client()
        .call('opsPromotionsEnd', { code: word(io, 0, 'code'), reason: flag(io, 'reason') })
      return { json: out, human: `Campaign ${out.promotion.code} ended at ${out.promotion.endedAt ?? ''}.\n` }
    }
  }
]
