/**
 * Serialises whoever spends from an account's balance. The balance is a sum over the ledger, read and then
 * spent in one transaction; on PostgreSQL (READ COMMITTED) two such transactions at once each read the sum before
 * the other's entry commits, and both spend it (twenty minutes packs bought at once from 5.00 took the balance to
 * -45.00). Every spender takes the account's row first: `FOR NO KEY UPDATE`, which the foreign-key checks of rows
 * inserted for the account (`FOR KEY SHARE`) do not wait for, so only spenders queue. Taken before a line's lock
 * (lockLine) wherever both are held, so that no two writers wait on each other in a circle. SQLite runs one write
 * transaction at a time.
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'

export async function lockBalance(tx: ServiceContext, accountId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await sql`SELECT id FROM accounts WHERE id = ${accountId} FOR NO KEY UPDATE`.execute(tx.db)
}
