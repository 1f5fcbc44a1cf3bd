/**
 * Disabling and enabling an operator (issue 20). A disabled operator cannot sign in (signInOperator accepts only
 * active operators) and every session they hold ends at once: each is revoked here, and authenticateOperator
 * refuses any session of an operator who is not active on the very next request. An admin cannot disable
 * themself, nor the last active admin: the active admins are locked first (FOR UPDATE on PostgreSQL; SQLite runs
 * one writer at a time), so two admins disabling each other at once leave one of them active. Enabling brings
 * an enrolled operator back to active (with no session: they sign in again), one who never finished enrolment
 * back to pending.
 */
import { type ServiceContext, inTransaction } from '../context'
import { conflict, notFound } from '../http/errors'
import type { OpsActor } from './actor'
import { type OperatorView, operatorToView } from './operators'

export async function disableOperator(
  ctx: ServiceContext,
  id: string,
  by: OpsActor
): Promise<{ operator: OperatorView; before: OperatorView; sessionsEnded: number }> {
  if (by.kind === 'operator' && by.id === id)
    throw conflict('operator-state', 'an admin cannot disable themself; ask another admin')
  return inTransaction(ctx, async (tx) => {
    let admins = tx.db
      .selectFrom('operators')
      .select('id')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
    if (tx.dialect === 'postgres') admins = admins.forUpdate()
    const activeAdmins = (await admins.execute()).map((a) => a.id)
    const row = await tx.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('operator-not-found', 'the operator')
    if (row.status === 'disabled') throw conflict('operator-state', `${row.email} is disabled already`)
    if (row.role === 'admin' && row.status === 'active' && activeAdmins.every((a) => a === id))
      throw conflict('last-admin', `${row.email} is the last active admin; enable or create another first`)
    await tx.db.updateTable('operators').set({ status: 'disabled' }).where('id', '=', id).execute()
    const now = tx.clock.now().toISOString()
    const ended = await tx.db
      .updateTable('operator_sessions')
      .set({ revoked_at: now })
      .where('operator_id', '=', id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    return {
      before: operatorToView(row),
      operator: operatorToView({ ...row, status: 'disabled' }),
      sessionsEnded: Number(ended.numUpdatedRows)
    }
  })
}

export async function enableOperator(
  ctx: ServiceContext,
  id: string
): Promise<{ operator: OperatorView; before: OperatorView }> {
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('operator-not-found', 'the operator')
    if (row.status !== 'disabled') throw conflict('operator-state', `${row.email} is not disabled`)
    const status = row.password_hash && row.totp_secret_enc ? ('active' as const) : ('pending' as const)
    const moved = await tx.db
      .updateTable('operators')
      .set({ status })
      .where('id', '=', id)
      .where('status', '=', 'disabled')
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('operator-state', `${row.email} is not disabled`)
    return { before: operatorToView(row), operator: operatorToView({ ...row, status }) }
  })
}
