/**
 * Itemised call details as files: CSV and PDF (tabular-files.ts, shared with the balance statement), downloaded
 * through the API or emailed to the preferred address. Both in the app's language, with the words of
 * ../pdf/locales (the statement's, one source; the CSV as plain text, no bidi isolates); English when no language
 * is asked for. An emailed file without one is in the account's language, as the email around it is.
 */
import type { z } from 'zod'
import type { callDetail } from '../../shared/api/billing'
import type { LanguageCode } from '../../shared/i18n/languages'
import type { ServiceContext } from '../context'
import { LIMITS } from '../http/rate-limit'
import { CALL_DETAILS_MAX_DAYS, refuseLongerThan } from './period-limit'
import { notFound } from '../http/errors'
import { accountLanguage, notifyPreferred } from '../mail/outbox'
import { type PdfWords, pdfTextWords, pdfWords } from '../pdf/words'
import { CURRENCY } from './balance'
import { callDetails } from './usage'
import { billingNotices } from './notices'
import { decimal, tablePdf, toCsvText } from './tabular-files'

type Call = z.output<typeof callDetail>
type Query = { from: string; to: string; format: 'csv' | 'pdf'; language?: LanguageCode }

/**
 * The CSV's rows. The header is in the words' language; the cells are what machines read and stay the same in
 * every language: the start as ISO 8601 in UTC, the number dialled, the zone as its code ('international'),
 * seconds and minutes as plain integers, the amount as a plain decimal with a dot ('0.15') and the currency's
 * code. Spreadsheets and accounting imports read these columns as dates, codes and numbers whatever the language
 * of the header; the language's own digits, separators or zone names would break them. Only the forwarded-from
 * cell's "withheld" (no caller number to show) is a word, in the words' language.
 */
function csvRows(w: PdfWords, calls: readonly Call[]): string[][] {
  return [
    [
      w.t('calls.started'),
      w.t('calls.destination'),
      w.t('calls.zone'),
      w.t('calls.seconds'),
      w.t('calls.billedMinutes'),
      w.t('calls.packMinutes'),
      w.t('table.amount'),
      w.t('table.currency'),
      w.t('calls.forwardedFrom')
    ],
    ...calls.map((c) => [
      c.startedAt,
      c.destination,
      c.zone,
      String(c.seconds),
      String(c.billedMinutes),
      String(c.packMinutes),
      decimal(c.amount.amountMinor),
      c.amount.currency,
      // A leg the line forwarded out: the original caller, or "withheld"; empty for the line's own calls.
      c.forwardedFrom === undefined ? '' : c.forwardedFrom || w.t('calls.withheld')
    ])
  ]
}

export function toCsv(calls: readonly Call[], language: LanguageCode = 'en'): string {
  return toCsvText(csvRows(pdfTextWords(language), calls))
}

/** The PDF, for people: every word, number, amount and date in the language (English as it always was). */
export async function toPdf(
  calls: readonly Call[],
  period: { from: string; to: string },
  language: LanguageCode = 'en'
): Promise<Buffer> {
  const w = pdfWords(language)
  const total = calls.reduce((s, c) => s + c.amount.amountMinor, 0)
  return tablePdf({
    language,
    title: w.t('calls.title', { from: w.date(period.from), to: w.date(period.to) }),
    columns: [40, 170, 275, 345, 395, 450, 505],
    header: [
      w.t('calls.started'),
      w.t('calls.destination'),
      w.t('calls.zone'),
      w.t('calls.seconds'),
      w.t('calls.billedMin'),
      w.t('calls.packMin'),
      w.t('table.amount')
    ],
    rows: calls.map((c) => [
      w.stamp(c.startedAt.replace('T', ' ').slice(0, 19)),
      c.forwardedFrom === undefined ? w.id(c.destination) : w.t('calls.forwarded', { number: c.destination }),
      w.t(`zone.${c.zone}`),
      w.count(c.seconds),
      w.count(c.billedMinutes),
      w.count(c.packMinutes),
      w.money(c.amount.amountMinor, c.amount.currency)
    ]),
    footer: [
      [w.t('calls.count', { count: w.count(calls.length) }), '', '', '', '', '', w.money(total, CURRENCY)]
    ]
  })
}

export async function exportCallDetails(
  ctx: ServiceContext,
  accountId: string,
  q: Query
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const calls = await callDetails(ctx, accountId, q.from, q.to)
  const base = `dialtone-calls-${q.from}-to-${q.to}`
  const language = q.language ?? 'en'
  return q.format === 'csv'
    ? {
        filename: `${base}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: Buffer.from(toCsv(calls, language), 'utf8')
      }
    : {
        filename: `${base}.pdf`,
        contentType: 'application/pdf',
        content: await toPdf(calls, q, language)
      }
}

export async function emailCallDetails(
  ctx: ServiceContext,
  accountId: string,
  q: Query
): Promise<{ sentTo: string }> {
  // A period refused changes nothing, the hour's count of emailed files included.
  refuseLongerThan(q, CALL_DETAILS_MAX_DAYS, 'the itemised calls')
  await ctx.limiter.hit([LIMITS.fileEmailPerAccount, accountId])
  const language = q.language ?? (await accountLanguage(ctx.db, accountId))
  const file = await exportCallDetails(ctx, accountId, { ...q, language })
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
