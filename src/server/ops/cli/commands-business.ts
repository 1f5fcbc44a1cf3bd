/**
 * `dialtone-ops business ...` (issue 25 part 2): the documents businesses asked for (list, fulfil) and the
 * monthly invoices (issue for an ended month; they are not issued automatically). Fulfilling and issuing take
 * --reason (they make money records); every call is audited by the service.
 */
import { UsageError } from './args'
import { type Command, flag, opt, word } from './command'
import { safe } from './support-text'
import { table } from './table'

export const businessCommands: readonly Command[] = [
  {
    name: 'business requests',
    args: [],
    required: [],
    optional: ['status'],
    help: 'documents businesses asked for, oldest first: those waiting [--status requested|fulfilled|all]',
    async run(io) {
      const s = opt(io, 'status') ?? 'requested'
      if (s !== 'requested' && s !== 'fulfilled' && s !== 'all')
        throw new UsageError('--status is one of: requested, fulfilled, all')
      const out = await io.client().call('opsBusinessRequests', { status: s })
      const rows = out.requests.map((r) => ({
        ...r,
        company: safe(r.company),
        note: r.note === null ? null : safe(r.note)
      }))
      return {
        json: out,
        human: table(rows, ['id', 'status', 'company', 'kind', 'from', 'to', 'note', 'createdAt'])
      }
    }
  },
  {
    name: 'business fulfil',
    args: ['id'],
    required: ['reason'],
    optional: [],
    help: 'fulfil a document request: the signed statement is made, kept for the app and emailed',
    async run(io) {
      const out = await io.client().call('opsBusinessFulfil', {
        requestId: word(io, 0, 'document request id'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Fulfilled ${out.id}: ${out.filename} emailed to the account.\n` }
    }
  },
  {
    name: 'business issue-invoices',
    args: [],
    required: ['period', 'reason'],
    optional: ['account'],
    help: 'issue the invoices of an ended month (--period YYYY-MM) for every business without one [--account id]',
    async run(io) {
      const account = opt(io, 'account')
      const out = await io.client().call('opsBusinessIssueInvoices', {
        period: flag(io, 'period'),
        reason: flag(io, 'reason'),
        ...(account ? { accountId: account } : {})
      })
      return {
        json: out,
        human:
          out.invoices.length === 0
            ? 'no invoice to issue: every business account has this month’s'
            : table(
                out.invoices.map((i) => ({
                  ...i,
                  total: `${(i.total.amountMinor / 100).toFixed(2)} ${i.total.currency}`
                })),
                ['number', 'accountId', 'period', 'total', 'issuedAt']
              )
      }
    }
  }
]
