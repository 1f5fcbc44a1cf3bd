/**
 * Documents a business asks for (issue 25 part 2): today a signed statement of a period (every ledger entry with
 * the opening and closing balance, certified by the Dialtone operator who fulfils it). The request waits for an
 * operator (`dialtone-ops business requests`, `business fulfil`); fulfilling makes the PDF once, in the account's
 * language (the one its people read their invoices in, ./invoices.ts), certified by the seller of the service's
 * configuration (DIALTONE_SELLER_*), stores it, emails it to the account and lets the app download it. A request is fulfilled once: the update only takes a request
 * still 'requested', so two operators at once cannot both fulfil it. Only a business or legal-entity account
 * asks, a few a day (LIMITS.documentRequestPerAccount); its list shows its newest DOCUMENT_LIST_LIMIT.
 */
import type { z } from 'zod'
import {
  DOCUMENT_MAX_DAYS,
  type DocumentRequestView,
  type DocumentStatus,
  type requestDocumentRequest
} from '../../shared/api/business'
import type { ServiceContext } from '../context'
import { conflict, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { refuseLongerThan } from '../billing/period-limit'
import { statementOf } from '../billing/statement'
import { tablePdf } from '../billing/tabular-files'
import { notifyPreferred } from '../mail/outbox'
import { templates } from '../mail/templates'
import { lineDescription } from '../pdf/line-words'
import { pdfLanguage, pdfWords } from '../pdf/words'
import { newId } from '../secrets'
import { businessOf } from './members'
import type { DocumentRequestsTable } from '../db/schema-business'

const view = (r: DocumentRequestsTable): DocumentRequestView => ({
  id: r.id,
  kind: r.kind,
  from: r.period_from,
  to: r.period_to,
  note: r.note,
  status: r.status,
  createdAt: r.created_at,
  fulfilledAt: r.fulfilled_at
})

/** The most an account's list shows: its newest requests (a business asks for a few a year). */
export const DOCUMENT_LIST_LIMIT = 200

export async function listDocumentRequests(ctx: ServiceContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('document_requests')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(DOCUMENT_LIST_LIMIT)
    .execute()
  return { requests: rows.map(view) }
}

export async function requestDocument(
  ctx: ServiceContext,
  accountId: string,
  requestedBy: string,
  input: z.output<typeof requestDocumentRequest>
) {
  refuseLongerThan(input, DOCUMENT_MAX_DAYS, 'a document')
  // A business's document: an individual account has no statement to certify (its app offers none).
  await businessOf(ctx, accountId)
  await ctx.limiter.hit([LIMITS.documentRequestPerAccount, accountId])
  const id = newId('doc')
  await ctx.db
    .insertInto('document_requests')
    .values({
      id,
      account_id: accountId,
      requested_by: requestedBy,
      kind: input.kind,
      period_from: input.from,
      period_to: input.to,
      note: input.note ? input.note : null,
      status: 'requested',
      file: null,
      filename: null,
      fulfilled_by: null,
      fulfilled_at: null,
      created_at: ctx.clock.now().toISOString()
    })
    .execute()
  await ctx.audit.record('business.document-requested', {
    accountId,
    detail: { id, kind: input.kind, from: input.from, to: input.to, by: requestedBy }
  })
  return listDocumentRequests(ctx, accountId)
}

export async function documentFile(ctx: ServiceContext, accountId: string, requestId: string) {
  const r = await ctx.db
    .selectFrom('document_requests')
    .select(['file', 'filename'])
    .where('id', '=', requestId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!r) throw notFound('document-not-found', 'document')
  if (r.file === null || r.filename === null)
    throw conflict('document-not-ready', 'Dialtone has not fulfilled this request yet')
  return { filename: r.filename, contentType: 'application/pdf', contentBase64: r.file }
}

/** The requests in one state (or all), oldest first, for operators. */
export async function openDocumentRequests(ctx: ServiceContext, status: DocumentStatus | 'all') {
  let q = ctx.db
    .selectFrom('document_requests')
    .innerJoin('accounts', 'accounts.id', 'document_requests.account_id')
    .select([
      'document_requests.id',
      'document_requests.account_id',
      'accounts.company',
      'accounts.name',
      'document_requests.kind',
      'document_requests.period_from',
      'document_requests.period_to',
      'document_requests.note',
      'document_requests.status',
      'document_requests.created_at'
    ])
  if (status !== 'all') q = q.where('document_requests.status', '=', status)
  const rows = await q.orderBy('document_requests.created_at').orderBy('document_requests.id').execute()
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    company: r.company ?? r.name,
    kind: r.kind,
    from: r.period_from,
    to: r.period_to,
    note: r.note,
    status: r.status,
    createdAt: r.created_at
  }))
}

/** The signed statement, made and stored once; emailed to the account. */
export async function fulfilDocument(
  ctx: ServiceContext,
  requestId: string,
  operator: { id: string; name: string }
) {
  const r = await ctx.db
    .selectFrom('document_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirst()
  if (!r) throw notFound('document-not-found', 'document request')
  if (r.status !== 'requested')
    throw conflict('document-not-found', `request ${requestId} was fulfilled already`)
  const s = await statementOf(ctx, r.account_id, {
    from: r.period_from,
    to: r.period_to,
    limit: 1_000_000,
    offset: 0
  })
  const p = s.period
  if (!p) throw new Error('a statement of a period has its period')
  const now = ctx.clock.now().toISOString()
  const account = await ctx.db
    .selectFrom('accounts')
    .select('language')
    .where('id', '=', r.account_id)
    .executeTakeFirst()
  const language = pdfLanguage(account?.language)
  const w = pdfWords(language)
  const pdf = await tablePdf({
    language,
    createdAt: new Date(now),
    title: w.t('signed.title', { from: w.date(r.period_from), to: w.date(r.period_to) }),
    intro: [
      w.t('signed.account', { account: r.account_id, zone: p.zone }),
      w.t('openingBalance', { amount: w.money(p.opening.amountMinor, p.opening.currency) }),
      w.t('signed.certified', { seller: ctx.config.seller.name }),
      w.t('signed.signedBy', {
        date: w.date(now.slice(0, 10)),
        operator: operator.name,
        operatorId: operator.id,
        request: r.id
      })
    ],
    columns: [40, 130, 380, 470],
    header: [w.t('table.date'), w.t('table.description'), w.t('table.amount'), w.t('table.balance')],
    rows: s.entries.map((e) => [
      w.date(e.at.slice(0, 10)),
      lineDescription(w, { code: e.memoCode, params: e.memoParams, memo: e.memo }),
      w.money(e.amount.amountMinor, e.amount.currency),
      w.amount(e.balanceAfter?.amountMinor ?? 0)
    ]),
    footer: [['', w.t('closingBalance'), '', w.money(p.closing.amountMinor, p.closing.currency)]]
  })
  const filename = `dialtone-signed-statement-${r.period_from}-to-${r.period_to}.pdf`
  const done = await ctx.db
    .updateTable('document_requests')
    .set({
      status: 'fulfilled',
      file: pdf.toString('base64'),
      filename,
      fulfilled_by: operator.id,
      fulfilled_at: now
    })
    .where('id', '=', requestId)
    .where('status', '=', 'requested')
    .executeTakeFirst()
  if (Number(done.numUpdatedRows) !== 1)
    throw conflict('document-not-found', `request ${requestId} was fulfilled already`)
  await notifyPreferred(
    ctx.db,
    ctx.clock,
    r.account_id,
    'document',
    templates(language).signedStatement(r.period_from, r.period_to),
    [{ filename, contentType: 'application/pdf', content: pdf }]
  )
  return { id: requestId, accountId: r.account_id, filename, fulfilledAt: now }
}
