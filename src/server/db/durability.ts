/**
 * What the money's crash rules ask of the database's settings. A renewal commits its order before the card is
 * charged so that a crash after the charge finds the order again (docs/renewal-cost.md): otherwise the app's retry makes
 * a new order and the card is charged twice. That holds only if a commit the service was told of survives a crash
 * of the database and of the machine. SQLite: a production service syncs every commit (`synchronous = FULL`,
 * db/database.ts); development keeps `NORMAL` (a commit survives the process, not a power cut), which costs no sync.
 * PostgreSQL: its own settings, read at start and said in the log when one would lose or tear paid orders
 * (`synchronous_commit` off loses the last commits with the server; `fsync` off loses them with the machine, and
 * `full_page_writes` off can tear pages in a power cut). The tests' cluster runs with all three off, for speed;
 * PostgreSQL's defaults have them on. Said, not refused: the service stays usable on a cluster an operator set up
 * for a test.
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from './schema'

export interface DurabilitySettings {
  readonly fsync: string
  readonly synchronousCommit: string
  readonly fullPageWrites: string
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
  if (s.fullPageWrites === 'off')
    out.push(
      'PostgreSQL runs with full_page_writes = off: a power cut can tear pages that hold paid orders; set it to on (the default)'
    )
  return out
}

/** The three settings, read from the server the service writes to. */
export async function readDurability(db: Kysely<Database>): Promise<DurabilitySettings> {
  const r = await sql<{ fsync: string; synchronous_commit: string; full_page_writes: string }>`
    SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
      current_setting('full_page_writes') AS full_page_writes`.execute(db)
  const row = r.rows[0]
  return {
    fsync: row?.fsync ?? 'on',
    synchronousCommit: row?.synchronous_commit ?? 'on',
    fullPageWrites: row?.full_page_writes ?? 'on'
  }
}
