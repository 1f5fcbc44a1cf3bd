/**
 * Support requests (issue 25): a person asks (a topic from the fixed list, their words, the diagnostics report
 * attached when they chose to), support answers through `dialtone-ops`, the person answers back or closes. A
 * person reaches only their own requests: another account's id answers exactly like an id that does not exist.
 * Creating and writing are rate limited per account (and per address); the texts are stored as given and shown
 * as text by the app and the CLI, never as markup.
 */
import type { Selectable } from 'kysely'
import {
  type SupportRequestView,
  type SupportStatus,
  type SupportTopic,
  supportReference
} from '../../shared/api/support'
import type { DiagnosticsReport } from '../../shared/diagnostics/report'
import { type ServiceContext, inTransaction } from '../context'
import type { SupportRequestsTable } from '../db/schema-support'
import { conflict, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { notifyPreferred } from '../mail/outbox'
import { templates } from '../mail/templates'
import { newId } from '../secrets'

type RequestRow = Selectable<SupportRequestsTable>

const referenceOf = supportReference

async function messagesOf(ctx: ServiceContext, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, SupportRequestView['messages']>()
  const rows = await ctx.db
    .selectFrom('support_messages')
    .selectAll()
    .where('request_id', 'in', ids)
    .orderBy('request_id')
    .orderBy('position')
    .execute()
  const by = new Map<string, SupportRequestView['messages']>()
  for (const m of rows) {
    const list = by.get(m.request_id) ?? []
    list.push({ id: m.id, from: m.author, text: m.text, at: m.created_at })
    by.set(m.request_id, list)
  }
  return by
}

function view(row: RequestRow, messages: SupportRequestView['messages']): SupportRequestView {
  return {
    id: row.id,
    topic: row.topic,
    status: row.status,
    hasDiagnostics: row.diagnostics !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messages
  }
}

async function views(ctx: ServiceContext, rows: readonly RequestRow[]): Promise<SupportRequestView[]> {
  const messages = await messagesOf(
    ctx,
    rows.map((r) => r.id)
  )
  return rows.map((r) => view(r, messages.get(r.id) ?? []))
}

/** The account's requests, newest first (at most 200: a person's whole history, in practice). */
export async function listRequests(ctx: ServiceContext, accountId: string): Promise<SupportRequestView[]> {
  const rows = await ctx.db
    .selectFrom('support_requests')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute()
  return views(ctx, rows)
}

/**
 * Inside a write's transaction: on PostgreSQL the request's row is locked first, so two messages written at once
 * (the person's double click, an operator answering meanwhile) take positions one after the other. SQLite runs
 * one write transaction at a time anyway.
 */
async function lockRequest(tx: ServiceContext, requestId: string): Promise<void> {
  if (tx.dialect === 'postgres')
    await tx.db.selectFrom('support_requests').select('id').where('id', '=', requestId).forUpdate().execute()
}

/** One of the account's own requests; anything else is "not found". */
async function ownRequest(ctx: ServiceContext, accountId: string, requestId: string): Promise<RequestRow> {
  const row = await ctx.db
    .selectFrom('support_requests')
    .selectAll()
    .where('id', '=', requestId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!row) throw notFound('support-request-not-found', 'the support request')
  return row
}

async function oneView(ctx: ServiceContext, id: string): Promise<SupportRequestView> {
  const row = await ctx.db
    .selectFrom('support_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return (await views(ctx, [row]))[0] as SupportRequestView
}

export async function createRequest(
  ctx: ServiceContext,
  accountId: string,
  input: { topic: SupportTopic; text: string; diagnostics: DiagnosticsReport | null },
  ip: string
): Promise<SupportRequestView> {
  await ctx.limiter.hit([LIMITS.supportRequestPerAccount, accountId], [LIMITS.supportRequestPerIp, ip])
  const at = ctx.clock.now().toISOString()
  const id = newId('sup')
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .insertInto('support_requests')
      .values({
        id,
        account_id: accountId,
        topic: input.topic,
        status: 'open',
        diagnostics: input.diagnostics === null ? null : JSON.stringify(input.diagnostics),
        created_at: at,
        updated_at: at,
        closed_at: null
      })
      .execute()
    await tx.db
      .insertInto('support_messages')
      .values({
        id: newId('spm'),
        request_id: id,
        position: 0,
        author: 'person',
        operator_id: null,
        text: input.text,
        created_at: at
      })
      .execute()
    await tx.audit.record('support.requested', {
      accountId,
      ip,
      detail: { requestId: id, topic: input.topic, diagnostics: input.diagnostics !== null }
    })
  })
  return oneView(ctx, id)
}

/** The person writes again: the request is open again (support sees it among the open ones). */
export async function replyAsPerson(
  ctx: ServiceContext,
  accountId: string,
  requestId: string,
  text: string
): Promise<SupportRequestView> {
  await ctx.limiter.hit([LIMITS.supportMessagePerAccount, accountId])
  await inTransaction(ctx, async (tx) => {
    await lockRequest(tx, requestId)
    const row = await ownRequest(tx, accountId, requestId)
    if (row.status === 'closed') throw conflict('support-request-closed', 'the support request is closed')
    await addMessage(tx, requestId, 'person', null, text, 'open')
  })
  return oneView(ctx, requestId)
}

export async function closeAsPerson(
  ctx: ServiceContext,
  accountId: string,
  requestId: string
): Promise<SupportRequestView> {
  await inTransaction(ctx, async (tx) => {
    await lockRequest(tx, requestId)
    const row = await ownRequest(tx, accountId, requestId)
    if (row.status !== 'closed') await setStatus(tx, requestId, 'closed')
  })
  return oneView(ctx, requestId)
}

async function addMessage(
  tx: ServiceContext,
  requestId: string,
  author: 'person' | 'support',
  operatorId: string | null,
  text: string,
  status: SupportStatus
): Promise<void> {
  const at = tx.clock.now().toISOString()
  const last = await tx.db
    .selectFrom('support_messages')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('request_id', '=', requestId)
    .executeTakeFirst()
  await tx.db
    .insertInto('support_messages')
    .values({
      id: newId('spm'),
      request_id: requestId,
      position: Number(last?.p ?? -1) + 1,
      author,
      operator_id: operatorId,
      text,
      created_at: at
    })
    .execute()
  await tx.db
    .updateTable('support_requests')
    .set({ status, updated_at: at })
    .where('id', '=', requestId)
    .execute()
}

async function setStatus(tx: ServiceContext, requestId: string, status: SupportStatus): Promise<void> {
  const at = tx.clock.now().toISOString()
  await tx.db
    .updateTable('support_requests')
    .set({ status, updated_at: at, closed_at: status === 'closed' ? at : null })
    .where('id', '=', requestId)
    .execute()
}

// ---- the operators' side (src/server/ops/http/support-handlers.ts) ----

export interface OpsSupportSummary {
  id: string
  reference: string
  accountId: string
  email: string | null
  topic: SupportTopic
  status: SupportStatus
  hasDiagnostics: boolean
  messages: number
  createdAt: string
  updatedAt: string
}

/** The operators' columns: the report itself only where it is shown (`support show`), not in lists. */
async function opsRows(ctx: ServiceContext, where: { status?: SupportStatus; id?: string }) {
  let q = ctx.db
    .selectFrom('support_requests as r')
    .select(['r.id', 'r.account_id', 'r.topic', 'r.status', 'r.created_at', 'r.updated_at'])
    .select((eb) => [
      eb.case().when('r.diagnostics', 'is not', null).then(1).else(0).end().as('has_diagnostics'),
      eb
        .selectFrom('support_messages as m')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('m.request_id', '=', 'r.id')
        .as('message_count')
    ])
  if (where.status) q = q.where('r.status', '=', where.status)
  if (where.id) q = q.where('r.id', '=', where.id)
  return q.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(500).execute()
}

/** Each account's notice address: its preferred email, else its first one (one query for the whole list). */
async function emailsOf(ctx: ServiceContext, accountIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (accountIds.length === 0) return out
  const rows = await ctx.db
    .selectFrom('account_emails')
    .select(['account_id', 'address', 'preferred'])
    .where('account_id', 'in', [...new Set(accountIds)])
    .orderBy('created_at')
    .execute()
  for (const r of rows) if (!out.has(r.account_id) || r.preferred === 1) out.set(r.account_id, r.address)
  return out
}

async function summaries(
  ctx: ServiceContext,
  rows: Awaited<ReturnType<typeof opsRows>>
): Promise<OpsSupportSummary[]> {
  const emails = await emailsOf(
    ctx,
    rows.map((r) => r.account_id)
  )
  return rows.map((r) => ({
    id: r.id,
    reference: referenceOf(r.id),
    accountId: r.account_id,
    email: emails.get(r.account_id) ?? null,
    topic: r.topic,
    status: r.status,
    hasDiagnostics: Number(r.has_diagnostics) === 1,
    messages: Number(r.message_count ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at
  }))
}

export async function opsListRequests(
  ctx: ServiceContext,
  status?: SupportStatus
): Promise<OpsSupportSummary[]> {
  return summaries(ctx, await opsRows(ctx, status ? { status } : {}))
}

async function opsRow(ctx: ServiceContext, requestId: string) {
  const [row] = await opsRows(ctx, { id: requestId })
  if (!row) throw notFound('support-request-not-found', 'the support request')
  return row
}

export async function opsShowRequest(ctx: ServiceContext, requestId: string) {
  const row = await opsRow(ctx, requestId)
  const [summary] = await summaries(ctx, [row])
  const messages = (await messagesOf(ctx, [requestId])).get(requestId) ?? []
  const report = await ctx.db
    .selectFrom('support_requests')
    .select('diagnostics')
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow()
  return {
    request: summary as OpsSupportSummary,
    messages,
    diagnostics: report.diagnostics === null ? null : (JSON.parse(report.diagnostics) as DiagnosticsReport)
  }
}

/** Support answers: the request is "answered" and the person gets an email with the reply. */
export async function opsReply(ctx: ServiceContext, requestId: string, operatorId: string, text: string) {
  return inTransaction(ctx, async (tx) => {
    await lockRequest(tx, requestId)
    const row = await opsRow(tx, requestId)
    if (row.status === 'closed') throw conflict('support-request-closed', 'the support request is closed')
    await addMessage(tx, requestId, 'support', operatorId, text, 'answered')
    await notifyPreferred(tx.db, tx.clock, row.account_id, 'support-reply', (l) =>
      templates(l).supportReplied(referenceOf(requestId), text)
    )
    return { before: row.status, after: await opsShowRequest(tx, requestId) }
  })
}

export async function opsClose(ctx: ServiceContext, requestId: string) {
  return inTransaction(ctx, async (tx) => {
    await lockRequest(tx, requestId)
    const row = await opsRow(tx, requestId)
    if (row.status !== 'closed') await setStatus(tx, requestId, 'closed')
    return { before: row.status, after: await opsShowRequest(tx, requestId) }
  })
}
