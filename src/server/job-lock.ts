/**
 * One runner at a time for each background job across service processes (the N-process layout on PostgreSQL,
 * docs/scaling.md): a pass takes a transaction-scoped advisory lock named after the job and skips when another
 * process holds it. The jobs are idempotent on their own (leases, claims, keyed charges); the lock keeps two
 * processes from doing the same pass's reads and claims twice, and from sending a notice whose memory is the
 * outbox itself. SQLite is one process by design (its file lock), so there the pass just runs.
 */
import { sql } from 'kysely'
import type { ServiceContext } from './context'

/** A stable 32-bit key for the job's name (advisory locks are keyed by integers). */
function lockKey(name: string): number {
  let h = 0x811c9dc5
  for (const c of `dialtone-job:${name}`) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193)
  return h | 0
}

/** Runs `job` unless another process is running the job of that name; true when it ran. */
export async function exclusiveJob(
  ctx: ServiceContext,
  name: string,
  job: () => Promise<unknown>
): Promise<boolean> {
  if (ctx.dialect !== 'postgres') {
    await job()
    return true
  }
  // The lock lives as long as this transaction, on its own pooled connection; the job writes through ctx.db.
  return ctx.db.transaction().execute(async (trx) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${lockKey(name)}) as ok`.execute(
      trx
    )
    if (!got.rows[0]?.ok) return false
    await job()
    return true
  })
}
