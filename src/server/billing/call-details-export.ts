/**
 * Itemised call details as files: CSV (RFC 4180, for spreadsheets) and PDF (pdf-lib, pure JS: no headless
 * browser or native library on the server), downloaded through the API or emailed to the preferred address.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { z } from 'zod'
import type { callDetail } from '../../shared/api/billing'
import type { ServiceContext } from '../context'
import { notFound } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { callDetails } from './usage'
import { billingNotices } from './notices'

type Call = z.output<typeof callDetail>

const HEADER = [
  'Started (UTC)',
  'Destination',
  'Zone',
  'Seconds',
  'Billed minutes',
  'Pack minutes',
  'Amount',
  'Currency'
]
const amount = (minor: number): string => (minor / 100).toFixed(2)
const rowOf = (c: Call): string[] => [
  c.startedAt,
  c.destination,
  c.zone,
  String(c.seconds),
  String(c.billedMinutes),
  String(c.packMinutes),
  amount(c.amount.amountMinor),
  c.amount.currency
]

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export function toCsv(calls: readonly Call[]): string {
  return [HEADER, ...calls.map(rowOf)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

export async function toPdf(calls: readonly Call[], title: string): Promise<Buffer> {
  const doc = await PDFDocument.create()
  doc.setTitle(title)
  doc.setProducer('Dialtone')
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  const columns = [40, 170, 275, 345, 395, 450, 505]
  let page = doc.addPage([595, 842])
  let y = 800
  const line = (cells: string[], f = font): void => {
    if (y < 50) {
      page = doc.addPage([595, 842])
      y = 800
    }
    cells.slice(0, 7).forEach((text, i) => page.drawText(text, { x: columns[i] ?? 40, y, size: 8, font: f }))
    y -= 13
  }
  page.drawText(title, { x: 40, y, size: 13, font: bold })
  y -= 26
  line(['Started (UTC)', 'Destination', 'Zone', 'Seconds', 'Billed min', 'Pack min', 'Amount'], bold)
  for (const c of calls)
    line([
      c.startedAt.replace('T', ' ').slice(0, 19),
      ...rowOf(c).slice(1, 6),
      `${amount(c.amount.amountMinor)} ${c.amount.currency}`
    ])
  const total = calls.reduce((s, c) => s + c.amount.amountMinor, 0)
  y -= 6
  line([`${calls.length} calls`, '', '', '', '', '', `${amount(total)} USD`], bold)
  return Buffer.from(await doc.save())
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
    billingNotices.callDetails(q.from, q.to),
    [file]
  )
  if (!to) throw notFound('no-confirmed-email', 'a confirmed email to send to')
  return { sentTo: to }
}
