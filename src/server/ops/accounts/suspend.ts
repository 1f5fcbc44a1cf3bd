/**
 * Suspending and restoring a line by Dialtone support (issue 20). A suspension is a row (who, when, why); the
 * line's state stays derived: syncLine sees the open suspension and makes the line `suspended`, removing its SIP
 * service as for a lapsed line (Kamailio's subscriber row goes, registrations are dropped after the commit), and
 * restoring closes the row and derives the state again from what the line has. At most one suspension is open per
 * line (a unique index), so two operators suspending at once suspend it once.
 */
import { type ServiceContext, inTransaction } from '../../context'
import { ServiceError, conflict, notFound } from '../../http/errors'
import { applySync, syncLine } from '../../provisioning/lines'
import { openSuspension } from '../../provisioning/suspensions'
import { newId } from '../../secrets'

export interface LineAnswer {
  lineId: string
  accountId: string
  status: 'pending' | 'in_service' | 'lapsed' | 'suspended' | 'closed'
  suspendedAt: string | null
}

async function lineOf(ctx: ServiceContext, lineId: string) {
  const line = await ctx.db.selectFrom('lines').selectAll().where('id', '=', lineId).executeTakeFirst()
  if (!line) throw notFound('line-not-found', `the line ${lineId}`)
  if (line.status === 'closed') throw conflict('line-closed', `the line ${lineId} is closed for good`)
  return line
}

const alreadySuspended = (at: string) =>
  conflict('line-suspended', `the line is already suspended (since ${at}); restore it first`, { date: at })

export async function suspendLine(
  ctx: ServiceContext,
  lineId: string,
  operatorId: string,
  reason: string
): Promise<{ before: string; answer: LineAnswer }> {
  let before = ''
  try {
    const { answer, result } = await inTransaction(ctx, async (tx) => {
      const line = await lineOf(tx, lineId)
      const open = await openSuspension(tx, lineId)
      if (open) throw alreadySuspended(open.suspended_at)
      before = line.status
      const at = tx.clock.now().toISOString()
      await tx.db
        .insertInto('line_suspensions')
        .values({
          id: newId('sus'),
          line_id: lineId,
          status_before: line.status === 'suspended' ? 'pending' : line.status,
          suspended_at: at,
          suspended_by: operatorId,
          reason,
          restored_at: null,
          restored_by: null,
          restore_reason: null
        })
        .execute()
      const result = await syncLine(tx, lineId)
      await tx.audit.record('line.suspended', { accountId: line.account_id, detail: { line: lineId } })
      return {
        answer: { lineId, accountId: line.account_id, status: result.status, suspendedAt: at },
        result
      }
    })
    await applySync(ctx, [result])
    return { before, answer }
  } catch (err) {
    if (err instanceof ServiceError) throw err
    // The unique index refused a second open suspension made at the same moment: say so plainly.
    const open = await openSuspension(ctx, lineId)
    if (open) throw alreadySuspended(open.suspended_at)
    throw err
  }
}

export async function restoreLine(
  ctx: ServiceContext,
  lineId: string,
  operatorId: string,
  reason: string
): Promise<{ suspendedAt: string; answer: LineAnswer }> {
  const { answer, result, suspendedAt } = await inTransaction(ctx, async (tx) => {
    const line = await lineOf(tx, lineId)
    const open = await openSuspension(tx, lineId)
    if (!open) throw conflict('line-not-suspended', `the line ${lineId} is not suspended`)
    const done = await tx.db
      .updateTable('line_suspensions')
      .set({ restored_at: tx.clock.now().toISOString(), restored_by: operatorId, restore_reason: reason })
      .where('id', '=', open.id)
      .where('restored_at', 'is', null)
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1)
      throw conflict('line-not-suspended', `the line ${lineId} is not suspended`)
    const result = await syncLine(tx, lineId)
    await tx.audit.record('line.restored', { accountId: line.account_id, detail: { line: lineId } })
    return {
      answer: { lineId, accountId: line.account_id, status: result.status, suspendedAt: null },
      result,
      suspendedAt: open.suspended_at
    }
  })
  await applySync(ctx, [result])
  return { suspendedAt, answer }
}
