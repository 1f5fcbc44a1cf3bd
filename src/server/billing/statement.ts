/**
 * The balance statement: every ledger entry of a period (local dates in the account's time zone, both ends
 * included), oldest first, with the balance before the period (opening), after each entry and after the period
 * (closing), a page at a time; and the same period as a CSV or PDF file, both in the app's language with the words
 * of ../pdf/locales (the CSV as plain text, no bidi isolates). A period may not start after the account's today nor
 * span more than STATEMENT_MAX_DAYS; its end may be later than today (this month so far).
 */
import type { z } from 'zod'
import { STATEMENT_MAX_DAYS, type balanceEntries } from '../../shared/api/billing'
import type { ServiceContext } from '../context'
import { invalid } from '../http/errors'
import { CURRENCY, accountZone, entryView } from './balance'
import { refuseLongerThan } from './period-limit'
import { addLocalDays, localDate, startOfLocalDay } from './proration'
import type { LanguageCode } from '../../shared/i18n/languages'
import { lineDescription } from '../pdf/line-words'
import { type PdfWords, pdfTextWords, pdfWords } from '../pdf/words'
import { decimal, tablePdf, toCsvText } from './tabular-files'

type Statement = z.output<typeof balanceEntries>
type Entry = Statement['entries'][number]

interface Period {
  readonly from: string
  readonly to: string
}

/** Refuses a period the statement cannot show, naming the field to fix. */
function checkPeriod(p: Period, today: string): void {
  if (p.from > today)
    throw invalid('from', 'the period starts after today', 'period-in-future', { date: today })
  refuseLongerThan(p, STATEMENT_MAX_DAYS, 'a statement')
}

const sumOf = (row: { total: number | string | null } | undefined): number => Number(row?.total ?? 0)

export async function statementOf(
  ctx: ServiceContext,
  accountId: string,
  q: Period & { limit: number; offset: number }
): Promise<Statement> {
  const zone = await accountZone(ctx, accountId)
  checkPeriod(q, localDate(ctx.clock.now(), zone))
  const start = startOfLocalDay(q.from, zone).toISOString()
  const end = startOfLocalDay(addLocalDays(q.to, 1), zone).toISOString()
  const mine = ctx.db.selectFrom('balance_entries').where('account_id', '=', accountId)
  const inPeriod = mine.where('created_at', '>=', start).where('created_at', '<', end)
  const before = await mine
    .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
    .where('created_at', '<', start)
    .executeTakeFirst()
  const all = await inPeriod
    .select((eb) => [
      eb.fn.sum<number | string | null>('amount_minor').as('total'),
      eb.fn.countAll<number | string>().as('n')
    ])
    .executeTakeFirst()
  // Entries of one instant (a top-up and the promised payment it repays) credits first, then by id: the same
  // order on every page and both databases (ids are random).
  const ordered = inPeriod.orderBy('created_at').orderBy('amount_minor', 'desc').orderBy('id')
  // What the entries before this page added, so each row's running balance is right on any page.
  const skipped =
    q.offset === 0
      ? undefined
      : await ctx.db
          .selectFrom(ordered.select('amount_minor').limit(q.offset).as('skipped'))
          .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
          .executeTakeFirst()
  const rows = await ordered.selectAll().limit(q.limit).offset(q.offset).execute()
  const opening = sumOf(before)
  const count = Number(all?.n ?? 0)
  let running = opening + sumOf(skipped)
  const entries: Entry[] = rows.map((r) => {
    running += r.amount_minor
    return { ...entryView(r), balanceAfter: { amountMinor: running, currency: r.currency } }
  })
  return {
    entries,
    period: {
      from: q.from,
      to: q.to,
      zone,
      opening: { amountMinor: opening, currency: CURRENCY },
      closing: { amountMinor: opening + sumOf(all), currency: CURRENCY },
      count
    },
    nextOffset: q.offset + rows.length < count ? q.offset + rows.length : null
  }
}

/** An instant as the account's local date and time ('2026-12-03 14:05'). */
function localStamp(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit'
  }).formatToParts(new Date(iso))
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

type Money = { amountMinor: number; currency: string }

/**
 * The statement as CSV rows: the header, the opening balance, each entry, the closing balance. What a person
 * reads is in the words' language, worded as the PDF words it (../pdf/line-words.ts, the catalogs of ../pdf/locales),
 * English too: the header and the balance rows are the bytes they always were, and an entry reads as the English
 * PDF and the app read it, which is its stored English memo except for a connected service's fee or credit (the
 * memo says the feature's code, 'voicemail, 2026-12'; the catalog its name, 'Voicemail, 2026-12'). An entry
 * without a memo code keeps its stored text. What a machine reads is the same in every language: the local date
 * and time as ISO ('2027-03-31 22:30'), the kind as its code, and amounts as plain decimals with a dot ('-5.00'),
 * never the language's own digits, separators or currency format: spreadsheets and accounting imports read these
 * columns as numbers and dates whatever the language of the words around them.
 */
function csvRows(w: PdfWords, s: Statement, p: NonNullable<Statement['period']>): string[][] {
  const edge = (kind: 'opening_balance' | 'closing_balance', day: string, m: Money) => [
    day,
    kind,
    w.t(kind === 'opening_balance' ? 'statement.opening' : 'closingBalance'),
    '',
    m.currency,
    decimal(m.amountMinor)
  ]
  return [
    [
      w.t('table.date'),
      w.t('table.kind'),
      w.t('table.description'),
      w.t('table.amount'),
      w.t('table.currency'),
      w.t('table.balance')
    ],
    edge('opening_balance', p.from, p.opening),
    ...s.entries.map((e) => [
      localStamp(e.at, p.zone),
      e.kind,
      lineDescription(w, { code: e.memoCode, params: e.memoParams, memo: e.memo }),
      decimal(e.amount.amountMinor),
      e.amount.currency,
      decimal(e.balanceAfter?.amountMinor ?? 0)
    ]),
    edge('closing_balance', p.to, p.closing)
  ]
}

export async function exportStatement(
  ctx: ServiceContext,
  accountId: string,
  q: Period & { format: 'csv' | 'pdf'; language?: LanguageCode }
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  // The whole period in one file: a year of entries is a few thousand rows at most.
  const s = await statementOf(ctx, accountId, { ...q, limit: 1_000_000, offset: 0 })
  const p = s.period
  if (!p) throw new Error('a statement of a period has its period')
  const base = `dialtone-statement-${q.from}-to-${q.to}`
  const language = q.language ?? 'en'
  if (q.format === 'csv') {
    return {
      filename: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      content: Buffer.from(toCsvText(csvRows(pdfTextWords(language), s, p)), 'utf8')
    }
  }
  const w = pdfWords(language)
  const pdf = await tablePdf({
    language,
    title: w.t('statement.title', { from: w.date(q.from), to: w.date(q.to) }),
    intro: [
      w.t('datesIn', { zone: p.zone }),
      w.t('openingBalance', { amount: w.money(p.opening.amountMinor, p.opening.currency) })
    ],
    columns: [40, 120, 220, 430, 505],
    header: [
      w.t('table.date'),
      w.t('table.kind'),
      w.t('table.description'),
      w.t('table.amount'),
      w.t('table.balance')
    ],
    rows: s.entries.map((e) => [
      w.stamp(localStamp(e.at, p.zone)),
      w.t(`kind.${e.kind}`),
      lineDescription(w, { code: e.memoCode, params: e.memoParams, memo: e.memo }),
      w.money(e.amount.amountMinor, e.amount.currency),
      w.amount(e.balanceAfter?.amountMinor ?? 0)
    ]),
    footer: [
      [
        w.t('statement.entries', { count: w.count(p.count) }),
        '',
        w.t('closingBalance'),
        '',
        w.money(p.closing.amountMinor, p.closing.currency)
      ]
    ]
  })
  return { filename: `${base}.pdf`, contentType: 'application/pdf', content: pdf }
}
