/**
 * What the money's crash rules ask of PostgreSQL's settings, said at start when they do not hold. A renewal commits
 * its order before the card is charged so that a crash after the charge finds the order again (docs/billing.md);
 * that holds only if a commit the service was told of survives a crash of PostgreSQL (`synchronous_commit` not
 * off: with it off, the last commits are lost with the server) and of the machine (`fsync` on). The tests' cluster
 * runs with both off, for speed; `npm run stack` runs PostgreSQL's defaults. Said, not refused: the service stays
 * usable on a cluster an operator set up for a test.
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from './schema'

export interface DurabilitySettings {
  readonly fsync: string
  readonly synchronousCommit: string
}

/** The sentences for an operator's log, one per setting that loses paid orders in a crash; none when durable. */
export function durabilityWarnings(s: DurabilitySettings): string[] {
  const out: string[] = []
  if (s.synchronousCommit === 'off')
    out.push(
      'PostgreSQL runs with synchronous_commit = off: a crash of PostgreSQL can lose orders whose cards were charged; set it to on (the default)'
    )
  if (s.fsync === 'off')
    out.push(
      'PostgreSQL runs with fsync = off: a crash of the machine can lose or corrupt paid orders; set it to on (the default)'
    )
  return out
}

/** The two settings, read from the server the service writes to. */
export async function readDurability(db: Kysely<Database>): Promise<DurabilitySettings> {
  const r = await sql<{ fsync: string; synchronous_commit: string }>`
    SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`.execute(
    db
  )
  const row = r.rows[0]
  return { fsync: row?.fsync ?? 'on', synchronousCommit: row?.synchronous_commit ?? 'on' }
}
