/**
 * `dialtone-ops` commands of the money topic (issue 20): the charges of an account that can be refunded, a refund
 * to the card or to the balance, and the account's refunds. Amounts are typed as money ("12.50") and sent as
 * exact cents; a refund without --key gets a fresh one, printed, so the operator can repeat the command safely.
 */
import { randomUUID } from 'node:crypto'
import { isSettleKind, SETTLE_KINDS } from '../../../shared/ops/settle-kinds'
import { UsageError } from './args'
import { type Command, flag, opt } from './command'
import { record, table } from './table'

/** "12.50" -> 1250, exactly (no floating point); at most two decimals. */
export function amountMinor(v: string): number {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(v.trim())
  if (!m) throw new UsageError('--amount is an amount like 12.50 (at most two decimals)')
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  if (minor === 0) throw new UsageError('--amount must be more than 0')
  return minor
}

const money = (minor: number, currency: string): string => `${(minor / 100).toFixed(2)} ${currency}`
const cardOf = (c: { brand: string; last4: string } | null): string => (c ? `${c.brand} ${c.last4}` : '-')

/** What the items of each kind are called in the list's notes. */
const STUCK_NOUNS = { order: 'card orders', refund: 'refunds', call: 'calls' } as const

/**
 * A line for each kind whose list was cut (the service lists at most `listed` of each, the longest failing), said
 * above the table so that nobody reads the table as all there is.
 */
function cutNotes(out: { stuck: Record<keyof typeof STUCK_NOUNS, number>; listed: number }): string {
  return (Object.keys(STUCK_NOUNS) as (keyof typeof STUCK_NOUNS)[])
    .filter((kind) => out.stuck[kind] > out.listed)
    .map(
      (kind) =>
        `Only the ${out.listed} longest-failing of ${out.stuck[kind]} stuck ${STUCK_NOUNS[kind]} are listed; ` +
        `the others come up as these settle.\n`
    )
    .join('')
}

/** A stuck settlement's code in words (docs/ops.md lists them): the code stays beside it for a search. */
export function settleReasonWords(code: string): string {
  const m = /^(system|database|error)-(.+)$/.exec(code)
  if (!m) return `refused: ${code}`
  const what = m[2] ?? ''
  if (m[1] === 'system')
    return /^(econnrefused|econnreset|etimedout|enotfound|eai_again|ehostunreach|enetunreach)$/.test(what)
      ? `unreachable (${what.toUpperCase()}): the card processor, or the service's database`
      : `system error ${what.toUpperCase()}`
  if (m[1] === 'database') return `database error SQLSTATE ${what.toUpperCase()}`
  return `unexpected ${what}`
}

export const moneyCommands: readonly Command[] = [
  {
    name: 'refunds candidates',
    args: [],
    required: ['account'],
    optional: [],
    help: 'what the account paid (orders, device orders, top-ups) and what is left to refund of each',
    async run(io) {
      const out = await io.client().call('opsRefundsCandidates', { accountId: flag(io, 'account') })
      const rows = out.charges.map((c) => ({
        ...c,
        paid: money(c.amountMinor, c.currency),
        refunded: money(c.refundedMinor, c.currency),
        refundable: money(c.refundableMinor, c.currency),
        card: cardOf(c.card)
      }))
      return {
        json: out,
        human:
          table(rows, ['id', 'kind', 'at', 'paid', 'refunded', 'refundable', 'card']) +
          `Balance: ${money(out.balanceMinor, 'USD')}\n`
      }
    }
  },
  {
    name: 'refunds create',
    args: [],
    required: ['account', 'charge', 'amount', 'to', 'reason'],
    optional: ['key'],
    help: 'refund part or all of a charge --to card|balance (amount like 12.50); --key makes a repeat the same refund',
    async run(io) {
      const to = flag(io, 'to')
      if (to !== 'card' && to !== 'balance') throw new UsageError('--to is card or balance')
      const key = opt(io, 'key') ?? randomUUID()
      const out = await io.client().call('opsRefundsCreate', {
        accountId: flag(io, 'account'),
        chargeId: flag(io, 'charge'),
        amountMinor: amountMinor(flag(io, 'amount')),
        to,
        reason: flag(io, 'reason'),
        idempotencyKey: key
      })
      const r = out.refund
      return {
        json: out,
        human:
          record({
            refund: r.id,
            status: r.status,
            amount: money(r.amountMinor, r.currency),
            to: r.to === 'card' ? `card ${cardOf(r.card)}` : 'balance',
            charge: r.chargeId,
            key: r.idempotencyKey,
            balance: money(out.balanceMinor, 'USD')
          }) + `Repeating this command with --key ${r.idempotencyKey} answers this same refund.\n`
      }
    }
  },
  {
    name: 'settlements stuck',
    args: [],
    required: [],
    optional: [],
    help: 'card orders and refunds the service could not settle on its own, and calls it could not rate: tries, why, next try (the 200 longest-failing of each kind, and how many there are)',
    async run(io) {
      const out = await io.client().call('opsSettlementsStuck', {})
      const rows = out.settlements.map((x) => ({
        ...x,
        // A call is priced only when rated: its two ends say which call it is instead.
        'amount or call':
          x.kind === 'call'
            ? `${x.call.from || '?'} -> ${x.call.to || '?'}`
            : money(x.amountMinor, x.currency),
        why: settleReasonWords(x.reason)
      }))
      return {
        json: out,
        human:
          rows.length === 0
            ? 'Nothing is stuck: every card order and refund settled, every call rated.\n'
            : cutNotes(out) +
              table(rows, [
                'kind',
                'id',
                'accountId',
                'amount or call',
                'attempts',
                'firstFailedAt',
                'why',
                'nextAt'
              ]) +
              'Try one again now: dialtone-ops settlements retry --kind <order|refund|call> --id <id>\n'
      }
    }
  },
  {
    name: 'settlements retry',
    args: [],
    required: ['kind', 'id'],
    optional: [],
    help: 'try a stuck order, refund or call (--kind order|refund|call) again now; the processor charges or refunds it once, a call is rated once',
    async run(io) {
      const kind = flag(io, 'kind')
      if (!isSettleKind(kind)) throw new UsageError(`--kind is one of ${SETTLE_KINDS.join(', ')}`)
      const out = await io.client().call('opsSettlementsRetry', { kind, id: flag(io, 'id') })
      const next = out.settlement
      return {
        json: out,
        human: out.settled
          ? `${kind === 'call' ? 'Rated' : 'Settled'}: ${kind} ${flag(io, 'id')}.\n`
          : next
            ? record({
                still: `stuck after ${next.attempts} tries`,
                why: settleReasonWords(out.reason ?? next.reason),
                'next try': next.nextAt
              })
            : `Closed without settling (${settleReasonWords(out.reason ?? '')}): nothing more to try.\n`
      }
    }
  },
  {
    name: 'refunds list',
    args: [],
    required: ['account'],
    optional: [],
    help: "the account's refunds, newest first",
    async run(io) {
      const out = await io.client().call('opsRefundsList', { accountId: flag(io, 'account') })
      const rows = out.refunds.map((r) => ({
        ...r,
        amount: money(r.amountMinor, r.currency),
        to: r.to === 'card' ? `card ${cardOf(r.card)}` : 'balance'
      }))
      return {
        json: out,
        human: table(rows, ['id', 'createdAt', 'chargeId', 'amount', 'to', 'status', 'operatorId', 'reason'])
      }
    }
  }
]
