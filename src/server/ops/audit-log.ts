/**
 * The operators' audit log: who (operator or partner, with role), when, what (the action and its target), why
 * (the reason money and ownership changes must give), before and after, and whether it was done, refused or
 * failed. It sits next to the subscribers' security log (src/server/audit.ts) and follows its rules: structured,
 * never a secret in it (callers pass what changed, not a PIN or a key). Append-only: this module has no update
 * or delete, and the database's triggers refuse both (migration 0011). Search answers newest first; the CSV
 * export oldest first, through the service's one CSV writer (../csv.ts: formula-looking cells neutralised).
 */
import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { auditEventView } from '../../shared/ops/routes'
import type { Clock } from '../clock'
import type { Database } from '../db/schema'
import type { OpsAuditTable } from '../db/schema-ops'
import { csvCell, toCsv } from '../csv'
import { newId } from '../secrets'
import type { OpsActor } from './actor'

export interface OpsAuditEntry {
  readonly actor: OpsActor | { kind: 'system'; id: null; label: string; role: null }
  readonly action: string
  readonly target?: string | null
  readonly reason?: string | null
  readonly outcome: 'ok' | 'refused' | 'failed'
  readonly error?: string | null
  readonly before?: unknown
  readonly after?: unknown
  readonly ip?: string | null
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v))

export async function recordOps(db: Kysely<Database>, clock: Clock, e: OpsAuditEntry): Promise<void> {
  await db
    .insertInto('ops_audit')
    .values({
      id: newId('oau'),
      at: clock.now().toISOString(),
      actor_kind: e.actor.kind,
      actor_id: e.actor.id,
      actor_label: e.actor.label,
      actor_role: e.actor.role,
      action: e.action,
      target: e.target ?? null,
      reason: e.reason ?? null,
      outcome: e.outcome,
      error: e.error ?? null,
      before: json(e.before),
      after: json(e.after),
      ip: e.ip ?? null
    })
    .execute()
}

export interface AuditFilter {
  readonly actor?: string | undefined
  readonly action?: string | undefined
  readonly target?: string | undefined
  readonly outcome?: 'ok' | 'refused' | 'failed' | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly limit?: number | undefined
}

type AuditEventView = z.input<typeof auditEventView>

function view(r: OpsAuditTable): AuditEventView {
  return {
    id: r.id,
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_label ?? r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    target: r.target,
    reason: r.reason,
    outcome: r.outcome,
    error: r.error,
    before: r.before === null ? null : (JSON.parse(r.before) as unknown),
    after: r.after === null ? null : (JSON.parse(r.after) as unknown),
    ip: r.ip
  }
}

/** Events matching every filter given; `actor` matches an operator's id or email, or a partner's id or name. */
export async function searchOps(
  db: Kysely<Database>,
  f: AuditFilter,
  order: 'asc' | 'desc'
): Promise<AuditEventView[]> {
  let q = db.selectFrom('ops_audit').selectAll()
  if (f.actor !== undefined)
    q = q.where((eb) => eb.or([eb('actor_id', '=', f.actor ?? ''), eb('actor_label', '=', f.actor ?? '')]))
  if (f.action !== undefined) q = q.where('action', '=', f.action)
  if (f.target !== undefined) q = q.where('target', '=', f.target)
  if (f.outcome !== undefined) q = q.where('outcome', '=', f.outcome)
  if (f.from !== undefined) q = q.where('at', '>=', f.from)
  if (f.to !== undefined) q = q.where('at', '<', f.to)
  const rows = await q
    .orderBy('at', order)
    .orderBy('id', order)
    .limit(f.limit ?? (order === 'desc' ? 100 : 10_000))
    .execute()
  return rows.map(view)
}

const COLUMNS = [
  'at',
  'actorKind',
  'actorId',
  'actorRole',
  'action',
  'target',
  'reason',
  'outcome',
  'error',
  'before',
  'after',
  'ip'
] as const

export { csvCell }

export function auditCsv(events: readonly AuditEventView[]): string {
  return toCsv([COLUMNS, ...events.map((e) => COLUMNS.map((c) => e[c]))])
}
