/**
 * Itemised call details as files: CSV and PDF (tabular-files.ts, shared with the balance statement), downloaded
 * through the API or emailed to the preferred address.
 */
import type { z } from 'zod'
import type { callDetail } from '../../shared/api/billing'
import type { ServiceContext } from '../context'
import { notFound } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { callDetails } from './usage'
import { billingNotices } from './notices'
import { decimal, tablePdf, toCsvText } from './tabular-files'

type Call = z.output<typeof callDetail>

const HEADER = [
  'Started (UTC)',
  'Destination',
  'Zone',
  'Seconds',
  'Billed minutes',
  'Pack minutes',
  'Amount',
  'Currency',
  'Forwarded from'
]
/** A leg the line forwarded out: the original caller, or "withheld"; empty for the line's own calls. */
const forwardedFrom = (c: Call): string =>
  c.forwardedFrom === undefined ? '' : c.forwardedFrom || 'withheld'
const rowOf = (c: Call): string[] => [
  c.startedAt,
  c.destination,
  c.zone,
  String(c.seconds),
  String(c.billedMinutes),
  String(c.packMinutes),
  decimal(c.amount.amountMinor),
  c.amount.currency,
  forwardedFrom(c)
]

export function toCsv(calls: readonly Call[]): string {
  return toCsvText([HEADER, ...calls.map(rowOf)])
}

export async function toPdf(calls: readonly Call[], title: string): Promise<Buffer> {
  const total = calls.reduce((s, c) => s + c.amount.amountMinor, 0)
  return tablePdf({
    title,
    columns: [40, 170, 275, 345, 395, 450, 505],
    header: ['Started (UTC)', 'Destination', 'Zone', 'Seconds', 'Billed min', 'Pack min', 'Amount'],
    rows: calls.map((c) => [
      c.startedAt.replace('T', ' ').slice(0, 19),
      c.forwardedFrom === undefined ? c.destination : `fwd ${c.destination}`,
      ...rowOf(c).slice(2, 6),
      `${decimal(c.amount.amountMinor)} ${c.amount.currency}`
    ]),
    footer: [[`${calls.length} calls`, '', '', '', '', '', `${decimal(total)} USD`]]
  })
}

export async function exportCallDetails(
  ctx: ServiceContext,
  accountId: string,
  q: { from: string; to: string; format: 'csv' | 'pdf' }
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const calls = await callDetails(ctx, accountId, q.from, q.to)
  const base = `dialtone-calls-${q.from}-to-${q.to}`
  return q.format === 'csv'
    ? {
        filename: `${base}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: Buffer.from(toCsv(calls), 'utf8')
      }
    : {
        filename: `${base}.pdf`,
        contentType: 'application/pdf',
        content: await toPdf(calls, `Itemised calls, ${q.from} to ${q.to}`)
      }
}

export async function emailCallDetails(
  ctx: ServiceContext,
  accountId: string,
  q: { from: string; to: string; format: 'csv' | 'pdf' }
): Promise<{ sentTo: string }> {
  const file = await exportCallDetails(ctx, accountId, q)
  const to = await notifyPreferred(
    ctx.db,
    ctx.clock,
    accountId,
    'call-details',
    (l) => billingNotices(l).callDetails(q.from, q.to),
    [file]
  )
  if (!to) throw notFound('no-confirmed-email', 'a confirmed email to send to')
  return { sentTo: to }
}
