/**
 * Monthly invoices of business accounts (issue 25 part 2). An invoice covers one calendar month in the account's
 * time zone: every charge of its balance ledger that month (plans, renewals, usage, minutes packs, fees) and what
 * was paid by card (checkout, devices, auto-renewals; invoice-card-lines.ts), net of refunds, with the legal
 * entity's details (company, contact, billing address) and the seller's. It is numbered
 * from one running sequence (DT-<yyyymm>-<seq>), at most one per account and month, and immutable once issued:
 * the table has no UPDATE path here, and a trigger refuses UPDATE and DELETE on both databases (0025). What it
 * says is fixed at issue and stored with it (`content`, 0029; the seller's details from the service's
 * configuration, DIALTONE_SELLER_*); only its wording follows the reader's language (./invoice-pdf.ts): the download
 * takes the app's language, the email the account's. The same invoice in the same language is the same bytes
 * every time. Invoices issued before 0029 keep their stored English PDF. The billing pass issues each
 * account's invoice once its month has ended in the account's zone (issueEndedMonths); an operator can issue one
 * earlier or again after a failure (`dialtone-ops business issue-invoices`). It is emailed to the account at once.
 */
import { postalAddress } from '../../shared/api/identity'
import type { InvoiceView } from '../../shared/api/business'
import type { LanguageCode } from '../../shared/i18n/languages'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { CURRENCY, accountZone, memoParamsOf } from '../billing/balance'
import { firstOfMonth, localDate, startOfLocalDay } from '../billing/proration'
import { accountLanguage, notifyPreferred } from '../mail/outbox'
import { templates } from '../mail/templates'
import { pdfLanguage } from '../pdf/words'
import { newId } from '../secrets'
import { type InvoiceLine, cardLines, settledNow } from './invoice-card-lines'
import { type InvoiceContent, invoiceContent, invoicePdf } from './invoice-pdf'
import { reasonOf } from '../job-items'

const nextMonth = (period: string): string => {
  const [y = 0, m = 0] = period.split('-').map(Number)
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

/** The month before the one this local date (YYYY-MM-DD) or month (YYYY-MM) is in, as YYYY-MM. */
const monthBefore = (date: string): string => {
  const [y = 0, m = 0] = date.split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/** The zone where a month ends first (UTC+14) and the one where it ends last (UTC-12). */
const FIRST_ZONE = 'Etc/GMT-14'
const LAST_ZONE = 'Etc/GMT+12'

export const invoiceView = (r: {
  id: string
  number: string
  period: string
  total_minor: number
  currency: string
  issued_at: string
}): InvoiceView => ({
  id: r.id,
  number: r.number,
  period: r.period,
  total: { amountMinor: r.total_minor, currency: r.currency },
  issuedAt: r.issued_at
})

export async function listInvoices(ctx: ServiceContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('invoices')
    .select(['id', 'number', 'period', 'total_minor', 'currency', 'issued_at'])
    .where('account_id', '=', accountId)
    .orderBy('period', 'desc')
    .execute()
  return { invoices: rows.map(invoiceView) }
}

/**
 * The invoice's PDF in `language` (the reader's app language; the account's when absent: the emailed copy). A
 * download changes nothing: the account's language is its people's choice (set at sign-up, changed in Profile),
 * not whatever language one of them happened to download an invoice in.
 */
export async function invoiceFile(
  ctx: ServiceContext,
  accountId: string,
  invoiceId: string,
  language?: LanguageCode
) {
  const r = await ctx.db
    .selectFrom('invoices')
    .select(['number', 'period', 'issued_at', 'pdf', 'content'])
    .where('id', '=', invoiceId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!r) throw notFound('invoice-not-found', 'invoice')
  const content = r.content === null ? null : invoiceContent.parse(JSON.parse(r.content))
  const pdf = content
    ? (
        await invoicePdf(
          { number: r.number, period: r.period, issuedAt: r.issued_at, content },
          language ?? (await accountLanguage(ctx.db, accountId))
        )
      ).toString('base64')
    : r.pdf
  return {
    filename: `dialtone-invoice-${r.number}.pdf`,
    contentType: 'application/pdf',
    contentBase64: pdf
  }
}

/** Emails the invoice to the account's preferred address, in the account's language. */
export async function emailInvoice(ctx: ServiceContext, accountId: string, invoiceId: string): Promise<void> {
  const language = await accountLanguage(ctx.db, accountId)
  const f = await invoiceFile(ctx, accountId, invoiceId, language)
  await notifyPreferred(
    ctx.db,
    ctx.clock,
    accountId,
    'invoice',
    templates(language).invoice(f.filename.replace(/^dialtone-invoice-|\.pdf$/g, '')),
    [{ filename: f.filename, contentType: f.contentType, content: Buffer.from(f.contentBase64, 'base64') }]
  )
}

/**
 * An invoice's lines for [start, end): the ledger's charges (not top-ups nor promised payments, which are payments;
 * not a top-up given back to the card, its reverse) and what was paid by card, in time order. Charges are debits on
 * the ledger; an invoice shows them as amounts owed (refunds as negative lines).
 */
export async function invoiceLines(
  ctx: ServiceContext,
  accountId: string,
  start: string,
  end: string
): Promise<InvoiceLine[]> {
  const entries = await ctx.db
    .selectFrom('balance_entries')
    .select(['created_at', 'memo', 'memo_code', 'memo_params', 'amount_minor'])
    .where('account_id', '=', accountId)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .where('kind', 'not in', ['top_up', 'promised_credit', 'promised_repayment'])
    .where('memo_code', '!=', 'top-up-refunded')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const ledger = entries.map((e) => ({
    at: e.created_at,
    code: e.memo_code,
    params: memoParamsOf(e.memo_params),
    memo: e.memo,
    owed: -e.amount_minor
  }))
  // A stable sort: at one instant the ledger's lines keep their order and come first.
  return [...ledger, ...(await cardLines(ctx, accountId, start, end))].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : 0
  )
}

/**
 * The instants a month's invoice covers: the month in the account's zone, joined to its neighbours' invoices where
 * they exist (it starts where the month before's ended, and ends where the month after's started), so that a zone
 * moved between two invoices neither puts a charge on both nor leaves one off both (migration 0047).
 */
async function invoiceWindow(
  ctx: ServiceContext,
  accountId: string,
  period: string,
  zone: string
): Promise<{ start: string; end: string }> {
  const before = monthBefore(period)
  const after = nextMonth(period)
  const neighbours = await ctx.db
    .selectFrom('invoices')
    .select(['period', 'starts_at', 'ends_at'])
    .where('account_id', '=', accountId)
    .where('period', 'in', [before, after])
    .execute()
  return {
    start:
      neighbours.find((n) => n.period === before)?.ends_at ??
      startOfLocalDay(`${period}-01`, zone).toISOString(),
    end:
      neighbours.find((n) => n.period === after)?.starts_at ??
      startOfLocalDay(`${after}-01`, zone).toISOString()
  }
}

/** The invoice of one account for one month ('YYYY-MM', ended in the account's time zone). */
export async function issueInvoice(
  ctx: ServiceContext,
  accountId: string,
  period: string,
  issuedBy: string
): Promise<InvoiceView> {
  const account = await ctx.db
    .selectFrom('accounts')
    .select(['type', 'name', 'company', 'billing_address', 'language'])
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!account) throw notFound('account-not-found', 'account')
  if (account.type === 'individual')
    throw conflict('not-business', 'only business and legal-entity accounts get invoices')
  const zone = await accountZone(ctx, accountId)
  // Ended at least SETTLE_MS ago: a card payment stamped before the month's end has committed by then.
  const today = localDate(settledNow(ctx), zone)
  if (`${period}-01` >= firstOfMonth(today))
    throw invalid('period', 'an invoice covers a month that has ended', 'period-in-future', { date: today })
  const { start, end } = await invoiceWindow(ctx, accountId, period, zone)
  const lines = await invoiceLines(ctx, accountId, start, end)
  const total = lines.reduce((sum, l) => sum + l.owed, 0)
  try {
    return await inTransaction(ctx, async (tx) => {
      const last = await tx.db
        .selectFrom('invoices')
        .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
        .executeTakeFirst()
      const seq = Number(last?.seq ?? 0) + 1
      const number = `DT-${period.replace('-', '')}-${String(seq).padStart(6, '0')}`
      const issuedAt = tx.clock.now().toISOString()
      const address = account.billing_address
        ? postalAddress.parse(JSON.parse(account.billing_address))
        : null
      const content: InvoiceContent = {
        seller: ctx.config.seller,
        billTo: {
          company: account.company ?? account.name,
          name: account.name,
          address: address
            ? [
                address.street,
                address.unit,
                address.city,
                `${address.region} ${address.postalCode}`,
                address.country
              ]
                .filter((p) => p !== undefined && p.trim() !== '')
                .join(', ')
            : null
        },
        accountId,
        zone,
        currency: CURRENCY,
        // Each line as a code with values (worded in the reader's language) and its English text, kept in the stored
        // content for operators reading the row (invoice-card-lines.ts): no route returns it.
        lines: lines.map((l) => ({
          date: localDate(new Date(l.at), zone),
          code: l.code,
          params: l.params,
          memo: l.memo,
          owed: l.owed
        })),
        total
      }
      // Stored as issued and emailed: in the account's language.
      const pdf = await invoicePdf({ number, period, issuedAt, content }, pdfLanguage(account.language))
      const row = {
        id: newId('inv'),
        number,
        seq,
        account_id: accountId,
        period,
        total_minor: total,
        currency: CURRENCY,
        pdf: pdf.toString('base64'),
        content: JSON.stringify(content),
        issued_by: issuedBy,
        issued_at: issuedAt,
        starts_at: start,
        ends_at: end
      }
      await tx.db.insertInto('invoices').values(row).execute()
      await tx.audit.record('business.invoice-issued', {
        accountId,
        detail: { number, period, by: issuedBy }
      })
      return invoiceView(row)
    }).then(async (v) => {
      await emailInvoice(ctx, accountId, v.id)
      return v
    })
  } catch (err) {
    if (err instanceof ServiceError) throw err
    // The unique (account, month) index: this month's invoice was issued already (or at the same moment).
    const issued = await ctx.db
      .selectFrom('invoices')
      .select('number')
      .where('account_id', '=', accountId)
      .where('period', '=', period)
      .executeTakeFirst()
    if (issued)
      throw conflict('invoice-exists', `invoice ${issued.number} covers ${period} already`, { period })
    throw err
  }
}

/** Open business and legal-entity accounts with no invoice for the month yet (opened before `openedBefore`). */
const owedInvoice = (ctx: ServiceContext, period: string, openedBefore = '9999') =>
  ctx.db
    .selectFrom('accounts')
    .select(['id', 'created_at'])
    .where('type', '!=', 'individual')
    .where('status', '!=', 'closed')
    .where('created_at', '<', openedBefore)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invoices')
            .select('invoices.id')
            .whereRef('invoices.account_id', '=', 'accounts.id')
            .where('invoices.period', '=', period)
        )
      )
    )
    .orderBy('id')
    .execute()

/** True when the account was opened after `period` ended in its own zone: that month owes it no invoice. */
async function openedAfter(ctx: ServiceContext, a: { id: string; created_at: string }, period: string) {
  const zone = await accountZone(ctx, a.id)
  return a.created_at >= startOfLocalDay(`${nextMonth(period)}-01`, zone).toISOString()
}

/**
 * Every business account that existed in the month and has no invoice for it gets one (the operator's
 * `business issue-invoices`, the billing pass's rule below at once); returns what was issued. An account opened
 * later got an immutable, numbered invoice of a month it never had.
 */
export async function issueMonth(ctx: ServiceContext, period: string, issuedBy: string) {
  const endsLast = startOfLocalDay(`${nextMonth(period)}-01`, LAST_ZONE).toISOString()
  const due = await owedInvoice(ctx, period, endsLast)
  const issued: (InvoiceView & { accountId: string })[] = []
  for (const a of due) {
    if (await openedAfter(ctx, a, period)) continue
    issued.push({ ...(await issueInvoice(ctx, a.id, period, issuedBy)), accountId: a.id })
  }
  return issued
}

/**
 * The billing pass's part (billing/jobs.ts): each business account whose month has ended in its own zone, and that
 * existed in it, gets that month's invoice, once. Bounded so a pass reads only accounts still owed one: the month
 * that has ended somewhere (UTC+14 first), for accounts opened before it ended everywhere (UTC-12 last). An account
 * whose own month has not ended yet waits for a later pass; one that failed is tried again on the next.
 */
export async function issueEndedMonths(ctx: ServiceContext): Promise<number> {
  // The month ended SETTLE_MS ago at least (invoice-card-lines.ts): every payment stamped in it has committed.
  const now = settledNow(ctx)
  const period = monthBefore(localDate(now, FIRST_ZONE))
  const endsLast = startOfLocalDay(`${nextMonth(period)}-01`, LAST_ZONE).toISOString()
  const due = await owedInvoice(ctx, period, endsLast)
  let issued = 0
  for (const a of due) {
    const zone = await accountZone(ctx, a.id)
    if (monthBefore(localDate(now, zone)) !== period) continue // not ended (and settled) there yet
    if (await openedAfter(ctx, a, period)) continue
    try {
      await issueInvoice(ctx, a.id, period, 'billing:monthly')
      issued += 1
    } catch (err) {
      // Another process issued it meanwhile: done. Anything else is tried again on the next pass. A code, not the
      // error's message (job-items.ts says why).
      if (!(err instanceof ServiceError && err.reason === 'invoice-exists'))
        ctx.log.warn(
          `monthly invoice of ${a.id} for ${period} not issued (${reasonOf(err)}); next pass tries again`
        )
    }
  }
  return issued
}
